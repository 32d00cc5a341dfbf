//===- MatrixOps.cpp - Lowering HT matrices and ht.linear -----------------===//

#include "HTLowering.h"
#include "ht/Conversion/HTToLinalg/HTToLinalg.h"
#include "ht/Conversion/HTToLinalg/TensorNetwork.h"
#include "ht/Dialect/HT/Utils/TensorBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ht;

//===----------------------------------------------------------------------===//
// Type conversion
//===----------------------------------------------------------------------===//

HTToLinalgTypeConverter::HTToLinalgTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](MatrixType type, SmallVectorImpl<Type> &results) {
    for (int64_t mode = 0; mode < type.getNumModes(); ++mode)
      results.push_back(type.getLeafType(mode));
    for (int64_t node = 0; node + 1 < type.getNumModes(); ++node)
      results.push_back(type.getTransferType(node));
    return success();
  });
}

HTFactors mlir::ht::getFactors(MatrixType type, ValueRange converted) {
  int64_t numModes = type.getNumModes();
  assert(static_cast<int64_t>(converted.size()) == 2 * numModes - 1 &&
         "one value per factor");
  return {type, converted.take_front(numModes), converted.drop_front(numModes)};
}

//===----------------------------------------------------------------------===//
// Computations on factors
//===----------------------------------------------------------------------===//

namespace {
/// Labels of an HT network: one per row mode, column mode and node rank.
struct HTLabels {
  SmallVector<TensorNetwork::Label> rows, cols, leafRanks, nodeRanks;

  HTLabels(TensorNetwork &network, OpBuilder &builder, const HTShape &shape) {
    for (int64_t mode = 0; mode < shape.getNumModes(); ++mode) {
      rows.push_back(network.addLabel(builder.getIndexAttr(shape.rowModes[mode])));
      cols.push_back(network.addLabel(builder.getIndexAttr(shape.colModes[mode])));
      leafRanks.push_back(
          network.addLabel(builder.getIndexAttr(shape.leafRanks[mode])));
    }
    for (int64_t rank : shape.nodeRanks)
      nodeRanks.push_back(network.addLabel(builder.getIndexAttr(rank)));
  }

  TensorNetwork::Label rankOf(TreeNodeRef node) const {
    return node.isLeaf() ? leafRanks[node.index] : nodeRanks[node.index];
  }
};

/// Adds the factors to `network`; returns their ids (leaves, then transfers).
std::pair<SmallVector<TensorNetwork::TensorId>,
          SmallVector<TensorNetwork::TensorId>>
addFactors(TensorNetwork &network, const HTLabels &labels,
           const HTFactors &factors, const TreeStructure &tree) {
  SmallVector<TensorNetwork::TensorId> leaves, transfers;
  for (auto [mode, leaf] : llvm::enumerate(factors.leaves))
    leaves.push_back(network.addTensor(
        leaf, {labels.rows[mode], labels.cols[mode], labels.leafRanks[mode]}));
  for (auto [node, transfer] : llvm::enumerate(factors.transfers))
    transfers.push_back(network.addTensor(
        transfer, {labels.rankOf(tree.getLeft(node)),
                   labels.rankOf(tree.getRight(node)), labels.nodeRanks[node]}));
  return {leaves, transfers};
}

} // namespace

Value mlir::ht::emitHTToDense(OpBuilder &builder, Location loc,
                              const HTFactors &factors) {
  HTShape shape = factors.type.getShape();
  int64_t numModes = shape.getNumModes();
  TensorNetwork network(builder, loc, factors.type.getElementType());
  HTLabels labels(network, builder, shape);
  auto factorIds = addFactors(network, labels, factors, shape.tree);
  const auto &leaves = factorIds.first;
  const auto &transfers = factorIds.second;
  SmallVector<TensorNetwork::Label> outputLabels(labels.rows);
  llvm::append_range(outputLabels, labels.cols);
  network.setOutputLabels(outputLabels);

  // The node-frame recursion of the definition: U_t = (U_l ·B_t) · U_r.
  std::function<TensorNetwork::TensorId(TreeNodeRef)> frame =
      [&](TreeNodeRef node) -> TensorNetwork::TensorId {
    if (node.isLeaf())
      return leaves[node.index];
    TensorNetwork::TensorId left = frame(shape.tree.getLeft(node.index));
    TensorNetwork::TensorId right = frame(shape.tree.getRight(node.index));
    return network.contract(network.contract(left, transfers[node.index]),
                            right);
  };
  frame(shape.tree.getRoot());

  Value full = network.finish(); // [m_0, ..., m_{d-1}, n_0, ..., n_{d-1}]
  SmallVector<ReassociationIndices> groups(2);
  for (int64_t mode = 0; mode < numModes; ++mode) {
    groups[0].push_back(mode);
    groups[1].push_back(numModes + mode);
  }
  return tensor::CollapseShapeOp::create(builder, loc,
                                         factors.type.getDenseType(), full,
                                         groups);
}

/// `x · Wᵀ` for `x : [L..., N]` and a dense `W : [M, N]`: `[L..., M]`, one
/// contraction over the leading dimensions collapsed into one: rows that are
/// one dimension are blocked together by the CPU kernels (ht-vectorize),
/// which stream `W` once per block of rows rather than once per row of
/// every leading dimension but the innermost (T·B rows of a hoisted input
/// projection, not B).
static Value emitDenseMatmulTransposed(OpBuilder &builder, Location loc,
                                       Value input, Value weight) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t leading = inputType.getRank() - 1;
  SmallVector<OpFoldResult> leadingSizes;
  for (int64_t dim = 0; dim < leading; ++dim)
    leadingSizes.push_back(tensor::getMixedSize(builder, loc, input, dim));
  if (leading > 1) {
    SmallVector<ReassociationIndices> groups(2);
    for (int64_t dim = 0; dim < leading; ++dim)
      groups[0].push_back(dim);
    groups[1].push_back(leading);
    input = tensor::CollapseShapeOp::create(builder, loc, input, groups);
  }
  if (leading == 0)
    return emitContraction(builder, loc, input, {0}, weight, {1, 0}, {1});
  Value result = emitContraction(builder, loc, input, {0, 1}, weight, {2, 1},
                                 {0, 2});
  if (leading == 1)
    return result;
  SmallVector<ReassociationIndices> groups(2);
  for (int64_t dim = 0; dim < leading; ++dim)
    groups[0].push_back(dim);
  groups[1].push_back(leading);
  SmallVector<OpFoldResult> resultSizes = leadingSizes;
  resultSizes.push_back(tensor::getMixedSize(builder, loc, weight, 0));
  SmallVector<int64_t> staticSizes;
  SmallVector<Value> dynamicSizes;
  dispatchIndexOpFoldResults(resultSizes, dynamicSizes, staticSizes);
  auto resultType = RankedTensorType::get(staticSizes, inputType.getElementType());
  return tensor::ExpandShapeOp::create(builder, loc, resultType, result, groups,
                                       resultSizes);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

struct ConstantOpLowering : public OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Value> factors;
    for (ArrayAttr list : {op.getLeaves(), op.getTransfers()})
      for (Attribute value : list)
        factors.push_back(arith::ConstantOp::create(
            rewriter, op.getLoc(), cast<TypedAttr>(value)));
    rewriter.replaceOpWithMultiple(op, {factors});
    return success();
  }
};

struct AssembleOpLowering : public OpConversionPattern<AssembleOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AssembleOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Value> factors;
    for (ValueRange values : adaptor.getOperands())
      llvm::append_range(factors, values);
    rewriter.replaceOpWithMultiple(op, {factors});
    return success();
  }
};

struct ToDenseOpLowering : public OpConversionPattern<ToDenseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ToDenseOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    HTFactors factors =
        getFactors(op.getMatrix().getType(), adaptor.getMatrix());
    rewriter.replaceOp(op, emitHTToDense(rewriter, op.getLoc(), factors));
    return success();
  }
};

/// Only a dense weight is left to the lowering: an HT one is planned into
/// ht.contract steps by ht-order-contractions first.
struct LinearOpLowering : public OpConversionPattern<LinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LinearOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isa<MatrixType>(op.getWeight().getType()))
      return rewriter.notifyMatchFailure(op, "HT weight not planned");
    Location loc = op.getLoc();
    Value result = emitDenseMatmulTransposed(
        rewriter, loc, adaptor.getInput().front(), adaptor.getWeight().front());
    if (!adaptor.getBias().empty())
      result = emitAddBias(rewriter, loc, result, adaptor.getBias().front());
    if (result.getType() != op.getType())
      result = tensor::CastOp::create(rewriter, loc, op.getType(), result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct FactorsOpLowering : public OpConversionPattern<FactorsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FactorsOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getMatrix());
    return success();
  }
};

struct ContractOpLowering : public OpConversionPattern<ContractOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ContractOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value result = emitContraction(
        rewriter, op.getLoc(), adaptor.getLhs(), op.getLhsLabels(),
        adaptor.getRhs(), op.getRhsLabels(), op.getResultLabels());
    if (result.getType() != op.getType())
      result = tensor::CastOp::create(rewriter, op.getLoc(), op.getType(),
                                      result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::ht::populateHTMatrixLoweringPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<ConstantOpLowering, AssembleOpLowering, ContractOpLowering,
               FactorsOpLowering, LinearOpLowering, ToDenseOpLowering>(
      converter, patterns.getContext());
}
