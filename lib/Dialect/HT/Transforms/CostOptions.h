//===- CostOptions.h - Pass options to cost options -------------*- C++ -*-===//
//
// Private to lib/Dialect/HT/Transforms: the passes that cost contraction
// plans share their options (HTCostOptions in Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_DIALECT_HT_TRANSFORMS_COSTOPTIONS_H
#define HT_LIB_DIALECT_HT_TRANSFORMS_COSTOPTIONS_H

#include "ht/Dialect/HT/Analysis/ContractionPlan.h"
#include "ht/Dialect/HT/IR/HTOps.h"

namespace mlir::ht {

inline CostOptions makeCostOptions(CostModel model, double writeWeight,
                                   bool foldWeights, int64_t foldSizeLimit) {
  CostOptions options;
  options.model = model;
  options.writeWeight = writeWeight;
  options.foldConstants = foldWeights;
  options.foldSizeLimit = foldSizeLimit;
  return options;
}

/// Rows of an ht.linear: the product of its input's leading dimensions, or
/// `expectedRows` where one of them is dynamic.
inline int64_t getLinearRows(LinearOp op, int64_t expectedRows) {
  ArrayRef<int64_t> shape = op.getInput().getType().getShape();
  int64_t rows = 1;
  for (int64_t size : shape.drop_back()) {
    if (ShapedType::isDynamic(size))
      return expectedRows;
    rows *= size;
  }
  return rows;
}

/// Whether the factors of `matrix` are compile-time constants.
inline bool hasConstantFactors(Value matrix) {
  return matrix.getDefiningOp<ConstantOp>() != nullptr;
}

} // namespace mlir::ht

#endif // HT_LIB_DIALECT_HT_TRANSFORMS_COSTOPTIONS_H
