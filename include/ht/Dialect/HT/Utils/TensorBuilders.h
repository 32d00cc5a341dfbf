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

/// One linalg.generic contracting `lhs` and `rhs` whose dimensions carry
/// `lhsLabels` and `rhsLabels`: the result carries `resultLabels` (in that
/// order) and every other label is summed over.
Value emitContraction(OpBuilder &builder, Location loc, Value lhs,
                      ArrayRef<int64_t> lhsLabels, Value rhs,
                      ArrayRef<int64_t> rhsLabels,
                      ArrayRef<int64_t> resultLabels);

/// `y + bias` for `y : [R, M]`, `bias : [M]`.
Value emitAddBias(OpBuilder &builder, Location loc, Value y, Value bias);

/// Element-wise `a + b` of two tensors of one type.
Value emitAdd(OpBuilder &builder, Location loc, Value a, Value b);

/// `[L..., N]` as `[R, N]` (leading dimensions folded; a rank-1 input gets a
/// unit row).
Value collapseToRows(OpBuilder &builder, Location loc, Value input);

/// The inverse of collapseToRows for a result `[R, M]`: `resultType` is
/// `[L..., M]` with the leading dimensions of `input`.
Value restoreLeadingDims(OpBuilder &builder, Location loc, Value rows,
                         Value input, RankedTensorType resultType);

/// `[R, N]` as `[R, f_0, ..., f_{k-1}]` with `N = prod(f)`.
Value splitLastDim(OpBuilder &builder, Location loc, Value value,
                   ArrayRef<int64_t> factors);

/// `[R, m_0, ..., m_{k-1}]` as `[R, M]`.
Value mergeTrailingDims(OpBuilder &builder, Location loc, Value value);

} // namespace mlir::ht

#endif // HT_DIALECT_HT_UTILS_TENSORBUILDERS_H
