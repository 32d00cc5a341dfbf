//===- MatrixOps.cpp - Lowering HT matrices and ht.linear -----------------===//

#include "HTLowering.h"
#include "ht/Conversion/HTToLinalg/TensorNetwork.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ht;

//===----------------------------------------------------------------------===//
// Type conversion
//===----------------------------------------------------------------------===//

HTTypeConverter::HTTypeConverter() {
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

ConvertedWeight mlir::ht::getConvertedWeight(Type originalType,
                                             ValueRange converted) {
  if (auto matrix = dyn_cast<MatrixType>(originalType))
    return {Value(), getFactors(matrix, converted)};
  return {converted.front(), std::nullopt};
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

SmallVector<ReassociationIndices> splitLast(int64_t leading, int64_t trailing) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t dim = 0; dim < leading; ++dim)
    groups.push_back({dim});
  ReassociationIndices last;
  for (int64_t dim = 0; dim < trailing; ++dim)
    last.push_back(leading + dim);
  groups.push_back(last);
  return groups;
}

RankedTensorType withShape(Value value, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(
      shape, cast<RankedTensorType>(value.getType()).getElementType());
}
} // namespace

Value mlir::ht::emitHTMatmulTransposed(OpBuilder &builder, Location loc,
                                       Value rows, const HTFactors &factors,
                                       const ProductOrder &order) {
  HTShape shape = factors.type.getShape();
  int64_t numModes = shape.getNumModes();
  Type elementType = factors.type.getElementType();
  OpFoldResult numRows = tensor::getMixedSize(builder, loc, rows, 0);

  // rows : [R, N] -> [R, n_0, ..., n_{d-1}]
  SmallVector<int64_t> splitShape = {
      cast<RankedTensorType>(rows.getType()).getDimSize(0)};
  SmallVector<OpFoldResult> splitSizes = {numRows};
  for (int64_t n : shape.colModes) {
    splitShape.push_back(n);
    splitSizes.push_back(builder.getIndexAttr(n));
  }
  Value split = tensor::ExpandShapeOp::create(
      builder, loc, withShape(rows, splitShape), rows, splitLast(1, numModes),
      splitSizes);

  TensorNetwork network(builder, loc, elementType);
  HTLabels labels(network, builder, shape);
  TensorNetwork::Label rowLabel = network.addLabel(numRows);
  SmallVector<TensorNetwork::Label> inputLabels = {rowLabel};
  llvm::append_range(inputLabels, labels.cols);
  network.addTensor(split, inputLabels);
  addFactors(network, labels, factors, shape.tree);
  SmallVector<TensorNetwork::Label> outputLabels = {rowLabel};
  llvm::append_range(outputLabels, labels.rows);
  network.setOutputLabels(outputLabels);

  // The plan numbers tensors as the network above: X, leaves, transfers.
  int64_t planRows = ShapedType::isDynamic(splitShape[0]) ? order.expectedRows
                                                          : splitShape[0];
  CostOptions costs;
  costs.foldConstants = false;
  ContractionPlan plan = planHTLinear(
      shape, buildHTLinearNetwork(shape, planRows, /*constantWeights=*/false),
      order.strategy, costs);
  for (const ContractionStep &step : plan.steps)
    network.contract(step.lhs, step.rhs);

  Value result = network.finish(); // [R, m_0, ..., m_{d-1}]
  return tensor::CollapseShapeOp::create(
      builder, loc,
      withShape(result, {splitShape[0], shape.getNumRows()}), result,
      splitLast(1, numModes));
}

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

Value mlir::ht::emitMatmulTransposed(OpBuilder &builder, Location loc,
                                     Value rows, const ConvertedWeight &weight,
                                     const ProductOrder &order) {
  if (weight.ht)
    return emitHTMatmulTransposed(builder, loc, rows, *weight.ht, order);
  auto weightType = cast<RankedTensorType>(weight.dense.getType());
  TensorNetwork network(builder, loc, weightType.getElementType());
  TensorNetwork::Label row =
      network.addLabel(tensor::getMixedSize(builder, loc, rows, 0));
  TensorNetwork::Label out =
      network.addLabel(builder.getIndexAttr(weightType.getDimSize(0)));
  TensorNetwork::Label in =
      network.addLabel(builder.getIndexAttr(weightType.getDimSize(1)));
  TensorNetwork::TensorId x = network.addTensor(rows, {row, in});
  TensorNetwork::TensorId w = network.addTensor(weight.dense, {out, in});
  network.setOutputLabels({row, out});
  network.contract(x, w);
  return network.finish();
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

struct LinearOpLowering : public OpConversionPattern<LinearOp> {
  LinearOpLowering(const TypeConverter &converter, MLIRContext *context,
                   const ProductOrder &order)
      : OpConversionPattern(converter, context), order(order) {}

  LogicalResult
  matchAndRewrite(LinearOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput().front();
    Value rows = collapseToRows(rewriter, loc, input);
    HTFactors factors =
        getFactors(op.getWeight().getType(), adaptor.getWeight());
    Value result = emitHTMatmulTransposed(rewriter, loc, rows, factors, order);
    if (!adaptor.getBias().empty())
      result = emitAddBias(rewriter, loc, result, adaptor.getBias().front());
    result = restoreLeadingDims(rewriter, loc, result, input, op.getType());
    rewriter.replaceOp(op, result);
    return success();
  }

  ProductOrder order;
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
                                                RewritePatternSet &patterns,
                                                const ProductOrder &order) {
  patterns.add<ConstantOpLowering, AssembleOpLowering, ContractOpLowering,
               FactorsOpLowering, ToDenseOpLowering>(converter,
                                                     patterns.getContext());
  patterns.add<LinearOpLowering>(converter, patterns.getContext(), order);
}
