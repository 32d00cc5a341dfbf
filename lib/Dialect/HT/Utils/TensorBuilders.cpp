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
  SmallVector<int64_t> loops;
  for (int64_t label : llvm::concat<const int64_t>(lhsLabels, rhsLabels))
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
  SmallVector<AffineMap> maps = {mapOf(lhsLabels), mapOf(rhsLabels),
                                 mapOf(resultLabels)};
  // A label that is summed but carried by one operand only is not a
  // contraction dimension in linalg.contract's sense, and linalg.contract
  // needs at least one: such (rare) steps, and outer products (an optimal
  // plan may multiply two rank-1 factors first), stay generic.
  bool sumsALabel = llvm::any_of(loops, [&](int64_t label) {
    return !llvm::is_contained(resultLabels, label);
  });
  bool gemmLike = sumsALabel && llvm::all_of(loops, [&](int64_t label) {
    return llvm::is_contained(resultLabels, label) ||
           (llvm::is_contained(lhsLabels, label) &&
            llvm::is_contained(rhsLabels, label));
  });
  if (gemmLike) {
    // linalg.contract: a named contraction (ContractionOpInterface) with the
    // einsum's maps, so tiling and vectorisation see a GEMM-like op whatever
    // the label order, without transposes or reshapes around it.
    return linalg::ContractOp::create(builder, loc, TypeRange{init.getType()},
                                      ValueRange{lhs, rhs}, ValueRange{init},
                                      builder.getAffineMapArrayAttr(maps))
        .getResult(0);
  }
  SmallVector<utils::IteratorType> iterators =
      llvm::map_to_vector(loops, [&](int64_t label) {
        return llvm::is_contained(resultLabels, label)
                   ? utils::IteratorType::parallel
                   : utils::IteratorType::reduction;
      });
  return linalg::GenericOp::create(
             builder, loc, init.getType(), ValueRange{lhs, rhs},
             ValueRange{init}, maps, iterators,
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
  int64_t rank = cast<RankedTensorType>(y.getType()).getRank();
  return emitElementwiseAdd(
      builder, loc, y, bias,
      AffineMap::get(rank, 0, {getAffineDimExpr(rank - 1, context)}, context));
}

Value mlir::ht::emitAdd(OpBuilder &builder, Location loc, Value a, Value b) {
  return emitElementwiseAdd(
      builder, loc, a, b,
      AffineMap::getMultiDimIdentityMap(
          cast<RankedTensorType>(a.getType()).getRank(), builder.getContext()));
}

Value mlir::ht::splitLastDim(OpBuilder &builder, Location loc, Value value,
                             ArrayRef<int64_t> factors) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t leading = type.getRank() - 1;
  SmallVector<int64_t> shape(type.getShape().drop_back());
  llvm::append_range(shape, factors);
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(builder, loc, value);
  sizes.pop_back();
  for (int64_t factor : factors)
    sizes.push_back(builder.getIndexAttr(factor));
  SmallVector<ReassociationIndices> groups;
  for (int64_t dim = 0; dim < leading; ++dim)
    groups.push_back({dim});
  groups.emplace_back();
  for (size_t factor = 0; factor < factors.size(); ++factor)
    groups.back().push_back(leading + factor);
  return tensor::ExpandShapeOp::create(
      builder, loc, RankedTensorType::get(shape, type.getElementType()), value,
      groups, sizes);
}

Value mlir::ht::mergeTrailingDims(OpBuilder &builder, Location loc,
                                  Value value, int64_t count) {
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  SmallVector<ReassociationIndices> groups;
  for (int64_t dim = 0; dim < rank - count; ++dim)
    groups.push_back({dim});
  groups.emplace_back();
  for (int64_t dim = rank - count; dim < rank; ++dim)
    groups.back().push_back(dim);
  return tensor::CollapseShapeOp::create(builder, loc, value, groups);
}
