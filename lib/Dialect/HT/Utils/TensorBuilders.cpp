//===- TensorBuilders.cpp - linalg/tensor building blocks -----------------===//

#include "ht/Dialect/HT/Utils/TensorBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ht;

Value mlir::ht::emitContraction(OpBuilder &builder, Location loc, Value lhs,
                                ArrayRef<int64_t> lhsLabels, Value rhs,
                                ArrayRef<int64_t> rhsLabels,
                                ArrayRef<int64_t> resultLabels) {
  // Loop dimensions: lhs's labels, then rhs's labels lhs lacks.
  SmallVector<int64_t> loops(lhsLabels);
  for (int64_t label : rhsLabels)
    if (!llvm::is_contained(loops, label))
      loops.push_back(label);
  MLIRContext *context = builder.getContext();
  auto mapOf = [&](ArrayRef<int64_t> labels) {
    SmallVector<AffineExpr> results = llvm::map_to_vector(
        labels, [&](int64_t label) -> AffineExpr {
          return getAffineDimExpr(llvm::find(loops, label) - loops.begin(),
                                  context);
        });
    return AffineMap::get(loops.size(), 0, results, context);
  };
  SmallVector<utils::IteratorType> iterators = llvm::map_to_vector(
      loops, [&](int64_t label) {
        return llvm::is_contained(resultLabels, label)
                   ? utils::IteratorType::parallel
                   : utils::IteratorType::reduction;
      });
  // Each result size comes from whichever operand carries the label.
  SmallVector<OpFoldResult> sizes;
  for (int64_t label : resultLabels) {
    auto it = llvm::find(lhsLabels, label);
    sizes.push_back(it != lhsLabels.end()
                        ? tensor::getMixedSize(builder, loc, lhs,
                                               it - lhsLabels.begin())
                        : tensor::getMixedSize(
                              builder, loc, rhs,
                              llvm::find(rhsLabels, label) - rhsLabels.begin()));
  }
  Type elementType = cast<RankedTensorType>(lhs.getType()).getElementType();
  Value zero = arith::ConstantOp::create(builder, loc, elementType,
                                         builder.getZeroAttr(elementType));
  Value empty = tensor::EmptyOp::create(builder, loc, sizes, elementType);
  Value init = linalg::FillOp::create(builder, loc, zero, empty).getResult(0);
  return linalg::GenericOp::create(
             builder, loc, init.getType(), ValueRange{lhs, rhs},
             ValueRange{init},
             SmallVector<AffineMap>{mapOf(lhsLabels), mapOf(rhsLabels),
                                    mapOf(resultLabels)},
             iterators,
             [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               Value product =
                   arith::MulFOp::create(nested, nestedLoc, args[0], args[1]);
               Value sum =
                   arith::AddFOp::create(nested, nestedLoc, args[2], product);
               linalg::YieldOp::create(nested, nestedLoc, sum);
             })
      .getResult(0);
}

static Value emitElementwiseAdd(OpBuilder &builder, Location loc, Value a,
                                Value b, AffineMap bMap) {
  auto type = cast<RankedTensorType>(a.getType());
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(type.getRank(), builder.getContext());
  Value empty = tensor::EmptyOp::create(
      builder, loc, tensor::getMixedSizes(builder, loc, a),
      type.getElementType());
  return linalg::GenericOp::create(
             builder, loc, type, ValueRange{a, b}, ValueRange{empty},
             SmallVector<AffineMap>{identity, bMap, identity},
             SmallVector<utils::IteratorType>(type.getRank(),
                                              utils::IteratorType::parallel),
             [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(
                   nested, nestedLoc,
                   arith::AddFOp::create(nested, nestedLoc, args[0], args[1])
                       .getResult());
             })
      .getResult(0);
}

Value mlir::ht::emitAddBias(OpBuilder &builder, Location loc, Value y,
                            Value bias) {
  MLIRContext *context = builder.getContext();
  return emitElementwiseAdd(
      builder, loc, y, bias,
      AffineMap::get(2, 0, {getAffineDimExpr(1, context)}, context));
}

Value mlir::ht::emitAdd(OpBuilder &builder, Location loc, Value a, Value b) {
  return emitElementwiseAdd(
      builder, loc, a, b,
      AffineMap::getMultiDimIdentityMap(
          cast<RankedTensorType>(a.getType()).getRank(), builder.getContext()));
}

/// The reassociation between `[L..., N]` and `[R, N]`.
static SmallVector<ReassociationIndices> rowGroups(int64_t rank) {
  if (rank == 1)
    return {{0, 1}};
  SmallVector<ReassociationIndices> groups(2);
  for (int64_t dim = 0; dim + 1 < rank; ++dim)
    groups[0].push_back(dim);
  groups[1].push_back(rank - 1);
  return groups;
}

Value mlir::ht::collapseToRows(OpBuilder &builder, Location loc, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getRank() == 2)
    return input;
  if (type.getRank() == 1)
    return tensor::ExpandShapeOp::create(
        builder, loc,
        RankedTensorType::get({1, type.getDimSize(0)}, type.getElementType()),
        input, rowGroups(1));
  return tensor::CollapseShapeOp::create(builder, loc, input,
                                         rowGroups(type.getRank()));
}

Value mlir::ht::restoreLeadingDims(OpBuilder &builder, Location loc,
                                   Value rows, Value input,
                                   RankedTensorType resultType) {
  int64_t rank = resultType.getRank();
  if (rank == 2)
    return rows;
  if (rank == 1)
    return tensor::CollapseShapeOp::create(builder, loc, resultType, rows,
                                           rowGroups(1));
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(builder, loc, input);
  sizes.back() = builder.getIndexAttr(resultType.getShape().back());
  return tensor::ExpandShapeOp::create(builder, loc, resultType, rows,
                                       rowGroups(rank), sizes);
}

Value mlir::ht::splitLastDim(OpBuilder &builder, Location loc, Value value,
                             ArrayRef<int64_t> factors) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape = {type.getDimSize(0)};
  llvm::append_range(shape, factors);
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(builder, loc, value, 0)};
  for (int64_t factor : factors)
    sizes.push_back(builder.getIndexAttr(factor));
  SmallVector<ReassociationIndices> groups = {{0}, {}};
  for (size_t dim = 0; dim < factors.size(); ++dim)
    groups[1].push_back(1 + dim);
  return tensor::ExpandShapeOp::create(
      builder, loc, RankedTensorType::get(shape, type.getElementType()), value,
      groups, sizes);
}

Value mlir::ht::mergeTrailingDims(OpBuilder &builder, Location loc,
                                  Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<ReassociationIndices> groups = {{0}, {}};
  for (int64_t dim = 1; dim < type.getRank(); ++dim)
    groups[1].push_back(dim);
  return tensor::CollapseShapeOp::create(builder, loc, value, groups);
}
