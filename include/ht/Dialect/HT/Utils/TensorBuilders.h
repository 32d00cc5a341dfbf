//===- TensorBuilders.h - linalg/tensor building blocks ---------*- C++ -*-===//
//
// Small pieces of tensor IR that the ht passes and the lowering both emit:
// labelled contractions, bias and element-wise adds, and the reshapes that
// bring `[..., N]` inputs to rows and back.
//
//===----------------------------------------------------------------------===//

#ifndef HT_DIALECT_HT_UTILS_TENSORBUILDERS_H
#define HT_DIALECT_HT_UTILS_TENSORBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::ht {

/// One linalg.contract (or linalg.generic) contracting `lhs` and `rhs` whose
/// dimensions carry `lhsLabels` and `rhsLabels`: the result carries
/// `resultLabels` (in that order) and every other label is summed over.
/// Loops run the lhs's labels, then the rhs's others.
Value emitContraction(OpBuilder &builder, Location loc, Value lhs,
                      ArrayRef<int64_t> lhsLabels, Value rhs,
                      ArrayRef<int64_t> rhsLabels,
                      ArrayRef<int64_t> resultLabels);

/// `y + bias` for `y : [..., M]`, `bias : [M]`.
Value emitAddBias(OpBuilder &builder, Location loc, Value y, Value bias);

/// Element-wise `a + b` of two tensors of one type.
Value emitAdd(OpBuilder &builder, Location loc, Value a, Value b);

/// `[L..., N]` as `[L..., f_0, ..., f_{k-1}]` with `N = prod(f)`. Only the
/// static last dimension is reshaped: the leading ones, possibly dynamic,
/// are left alone (an expand_shape group with several dynamic sizes crashes
/// MLIR 22's expand-strided-metadata).
Value splitLastDim(OpBuilder &builder, Location loc, Value value,
                   ArrayRef<int64_t> factors);

/// `[L..., m_0, ..., m_{k-1}]` as `[L..., M]`: merges the last `count`
/// (static) dimensions.
Value mergeTrailingDims(OpBuilder &builder, Location loc, Value value,
                        int64_t count);

} // namespace mlir::ht

#endif // HT_DIALECT_HT_UTILS_TENSORBUILDERS_H
