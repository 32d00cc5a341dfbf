//===- HTMetrics.h - Size and cost figures of an HT matrix ------*- C++ -*-===//
//
// The figures docs/Semantics.md defines for an HT matrix (parameter count,
// compression ratio) and the dense baseline's cost, as plain functions of its
// shape.
//
//===----------------------------------------------------------------------===//

#ifndef HT_DIALECT_HT_ANALYSIS_HTMETRICS_H
#define HT_DIALECT_HT_ANALYSIS_HTMETRICS_H

#include "ht/Dialect/HT/IR/HTShape.h"

namespace mlir::ht {

struct HTMetrics {
  /// P = sum_k m_k n_k r_k + sum_t r_l r_r r_t (biases not included).
  int64_t parameters = 0;
  /// M * N, the parameters of the dense matrix.
  int64_t denseParameters = 0;
  /// M * N / P.
  double compressionRatio = 0;
  /// Multiply-adds of one row through the dense matrix, x · Wᵀ: M * N.
  int64_t denseMacsPerRow = 0;
};

/// Parameters of the leaf frames and transfer tensors of `shape`.
int64_t countParameters(const HTShape &shape);

/// All figures of `shape`. The shape must verify (HTShape::verify).
HTMetrics computeMetrics(const HTShape &shape);

} // namespace mlir::ht

#endif // HT_DIALECT_HT_ANALYSIS_HTMETRICS_H
