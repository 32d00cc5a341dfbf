//===- Planning.h - How the passes plan HT products -------------*- C++ -*-===//
//
// Private to lib/Dialect/HT/Transforms. Every pass that plans or costs the
// product `X · Wᵀ` of an HT weight (ht-order-contractions, ht-fuse-gates,
// ht-choose-weight-format, ht-report) goes through planProduct, with options
// read from the pass's shared options (HTOrderOptions and HTCostOptions in
// Passes.td), so the plan a decision is based on is the plan that runs.
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_DIALECT_HT_TRANSFORMS_PLANNING_H
#define HT_LIB_DIALECT_HT_TRANSFORMS_PLANNING_H

#include "ht/Dialect/HT/Analysis/ContractionPlan.h"
#include "ht/Dialect/HT/IR/HTOps.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace mlir::ht {

struct PlanningOptions {
  OrderStrategy strategy = OrderStrategy::Optimal;
  unsigned maxExactTensors = 18;
  CostOptions costs;
  /// Rows assumed where the number of rows is dynamic.
  int64_t expectedRows = 1;
};

/// The cost half of the options (HTCostOptions in Passes.td).
inline CostOptions makeCostOptions(CostModel model, double writeWeight,
                                   bool foldWeights, int64_t foldSizeLimit) {
  CostOptions options;
  options.model = model;
  options.writeWeight = writeWeight;
  options.foldConstants = foldWeights;
  options.foldSizeLimit = foldSizeLimit;
  return options;
}

/// All of them (HTOrderOptions and HTCostOptions), as a pass has them.
#define HT_PLANNING_OPTIONS_OF_PASS()                                          \
  ::mlir::ht::PlanningOptions{                                                 \
      strategy, maxExactTensors,                                               \
      ::mlir::ht::makeCostOptions(costModel, writeWeight, foldWeights,         \
                                  foldSizeLimit),                              \
      expectedRows}

/// Refuses cost options no plan can be made with (they would silently make
/// the "optimal" order worse than the naive one): expected-rows < 1, a
/// negative or non-finite write-weight, a negative fold-size-limit. The
/// planning passes call it from `initialize`, so a bad value stops the
/// pipeline before anything runs. `pass` names the pass in the message.
inline LogicalResult verifyCostOptions(const CostOptions &costs,
                                       int64_t expectedRows,
                                       MLIRContext *context, StringRef pass) {
  auto fail = [&](const Twine &message) {
    emitError(UnknownLoc::get(context)) << pass << ": " << message;
    return failure();
  };
  if (expectedRows < 1)
    return fail("expected-rows=" + Twine(expectedRows) +
                "; expected at least 1 (rows assumed where they are dynamic)");
  if (!(costs.writeWeight >= 0.0) || !std::isfinite(costs.writeWeight))
    return fail("write-weight=" + llvm::formatv("{0}", costs.writeWeight) +
                "; expected a finite value >= 0");
  if (costs.foldSizeLimit < 0)
    return fail("fold-size-limit=" + Twine(costs.foldSizeLimit) +
                "; expected at least 0 elements");
  return success();
}

/// The same for all planning options of a pass (HT_PLANNING_OPTIONS_OF_PASS).
#define HT_VERIFY_PLANNING_OPTIONS_OF_PASS(context)                              ::mlir::ht::verifyCostOptions(                                                     ::mlir::ht::makeCostOptions(costModel, writeWeight, foldWeights,                                           foldSizeLimit),                                    expectedRows, context, getArgument())

/// `rows`, or `expectedRows` where it is dynamic.
inline int64_t resolveRows(int64_t rows, int64_t expectedRows) {
  return ShapedType::isDynamic(rows) ? expectedRows : rows;
}

/// Whether the factors of `matrix` are compile-time constants.
inline bool hasConstantFactors(Value matrix) {
  return matrix.getDefiningOp<ConstantOp>() != nullptr;
}

/// A planned product: the network of buildHTLinearNetwork and its plan.
struct PlannedProduct {
  ContractionNetwork network;
  ContractionPlan plan;
};

/// The plan of `X · Wᵀ` for `rows` rows (resolved already) and an HT `W` of
/// `shape`, `numStacked` of them at once when > 1.
inline PlannedProduct planProduct(const HTShape &shape, int64_t rows,
                                  bool constantWeights,
                                  const PlanningOptions &options,
                                  int64_t numStacked = 1) {
  PlannedProduct product;
  product.network =
      buildHTLinearNetwork(shape, rows, constantWeights, numStacked);
  product.plan = planHTLinear(shape, product.network, options.strategy,
                              options.costs, options.maxExactTensors);
  return product;
}

/// The plan of weight `index` of `op`, an HT matrix, as it will run.
inline PlannedProduct planWeight(WeightedOpInterface op, unsigned index,
                                 const PlanningOptions &options) {
  Value weight = op.getWeight(index);
  return planProduct(cast<MatrixType>(weight.getType()).getShape(),
                     resolveRows(op.getWeightRows(index), options.expectedRows),
                     hasConstantFactors(weight), options);
}

} // namespace mlir::ht

#endif // HT_LIB_DIALECT_HT_TRANSFORMS_PLANNING_H
