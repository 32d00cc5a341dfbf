//===- PackWeights.cpp - Constant contraction operands as [batch, K, N] ---===//
//
// A step of an HT product is C[M, N] = A[M, K] · B[K, N] with B a constant
// (a factor, or weight-only steps folded at compile time) in whatever label
// order the plan left it. Permuting B at compile time to [batch, K, N] with
// N merged into one dimension makes each of its rows one contiguous vector,
// and the result's N one vector dimension, which is what ht-vectorize needs.
// A weight too large for the caches is then laid out in panels of one
// register block's lanes (choosePanelWidth), each contiguous.
//
//===----------------------------------------------------------------------===//

#include "TileSizes.h"
#include "ht/Codegen/Passes.h"
#include "ht/Dialect/HT/Utils/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTPACKWEIGHTS
#include "ht/Codegen/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// `values` of a tensor of `shape` whose dimensions are `from` (loop dims),
/// reordered to the dimensions `to` (a permutation of `from`).
std::vector<double> permute(ArrayRef<double> values, ArrayRef<int64_t> shape,
                            ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  int64_t rank = shape.size();
  SmallVector<int64_t> fromStrides(rank, 1);
  for (int64_t dim = rank - 2; dim >= 0; --dim)
    fromStrides[dim] = fromStrides[dim + 1] * shape[dim + 1];
  // For each destination dimension: its extent and its stride in `values`.
  SmallVector<int64_t> extents, strides;
  for (int64_t loop : to) {
    int64_t source = llvm::find(from, loop) - from.begin();
    extents.push_back(shape[source]);
    strides.push_back(fromStrides[source]);
  }
  std::vector<double> result;
  result.reserve(values.size());
  SmallVector<int64_t> index(rank, 0);
  int64_t at = 0;
  while (true) {
    result.push_back(values[at]);
    int64_t dim = rank - 1;
    for (; dim >= 0; --dim) {
      at += strides[dim];
      if (++index[dim] < extents[dim])
        break;
      at -= strides[dim] * extents[dim];
      index[dim] = 0;
    }
    if (dim < 0)
      break;
  }
  return result;
}

struct PackConstantOperand : public OpRewritePattern<linalg::ContractOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::ContractOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2)
      return rewriter.notifyMatchFailure(op, "not a tensor contraction");
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    std::optional<SmallVector<int64_t>> lhsDims = getLoopDims(maps[0]);
    std::optional<SmallVector<int64_t>> rhsDims = getLoopDims(maps[1]);
    std::optional<SmallVector<int64_t>> outDims = getLoopDims(maps[2]);
    if (!lhsDims || !rhsDims || !outDims)
      return rewriter.notifyMatchFailure(op, "maps are not permutations");
    ElementsAttr lhsAttr, rhsAttr;
    bool lhsConstant = matchPattern(op.getInputs()[0], m_Constant(&lhsAttr));
    bool rhsConstant = matchPattern(op.getInputs()[1], m_Constant(&rhsAttr));
    if (lhsConstant == rhsConstant)
      return rewriter.notifyMatchFailure(op, "not one constant operand");
    unsigned weightIndex = rhsConstant ? 1 : 0;
    ElementsAttr weightAttr = rhsConstant ? rhsAttr : lhsAttr;
    ArrayRef<int64_t> weightDims = rhsConstant ? *rhsDims : *lhsDims;
    ArrayRef<int64_t> activationDims = rhsConstant ? *lhsDims : *rhsDims;
    Value activation = op.getInputs()[1 - weightIndex];
    auto weightType = cast<RankedTensorType>(weightAttr.getType());
    auto outType = cast<RankedTensorType>(op.getResultTypes()[0]);

    // N: the weight's own result dims, which must be the result's innermost.
    SmallVector<int64_t> batch, reduction, own;
    for (int64_t dim : *outDims)
      if (llvm::is_contained(weightDims, dim))
        (llvm::is_contained(activationDims, dim) ? batch : own).push_back(dim);
    for (int64_t dim : activationDims)
      if (!llvm::is_contained(*outDims, dim)) {
        if (!llvm::is_contained(weightDims, dim))
          return rewriter.notifyMatchFailure(op, "a one-sided reduction");
        reduction.push_back(dim);
      }
    if (own.empty() || batch.size() + reduction.size() + own.size() !=
                           weightDims.size())
      return rewriter.notifyMatchFailure(op, "no dimension of its own");
    int64_t rank = outDims->size(), numOwn = own.size();
    if (ArrayRef<int64_t>(*outDims).take_back(numOwn) != ArrayRef(own))
      return rewriter.notifyMatchFailure(op, "N is not innermost");
    // Already packed: [batch, K, N] with N one dimension and K in the
    // activation's order.
    SmallVector<int64_t> packedOrder(batch);
    llvm::append_range(packedOrder, reduction);
    llvm::append_range(packedOrder, own);
    int64_t lanes = 1;
    for (int64_t dim = rank - numOwn; dim < rank; ++dim)
      lanes *= outType.getDimSize(dim);
    if (numOwn == 1 && ArrayRef<int64_t>(weightDims) == ArrayRef(packedOrder) &&
        weightIndex == 1 &&
        maps[2].getNumDims() == unsigned(rank + reduction.size()))
      return rewriter.notifyMatchFailure(op, "already packed");
    llvm::Expected<std::vector<double>> values = readFloatValues(weightAttr);
    if (!values) {
      llvm::consumeError(values.takeError());
      return rewriter.notifyMatchFailure(op, "unreadable constant");
    }

    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    std::vector<double> packed =
        permute(*values, weightType.getShape(), weightDims, packedOrder);
    SmallVector<int64_t> packedShape;
    auto sizeOf = [&](int64_t loop) {
      return weightType.getDimSize(llvm::find(weightDims, loop) -
                                   weightDims.begin());
    };
    for (int64_t dim : batch)
      packedShape.push_back(sizeOf(dim));
    for (int64_t dim : reduction)
      packedShape.push_back(sizeOf(dim));
    packedShape.push_back(lanes);
    Value weight = arith::ConstantOp::create(
        rewriter, loc,
        makeFloatElements(RankedTensorType::get(packedShape,
                                                weightType.getElementType()),
                          packed));

    // New loops: the result's dims with N merged (position rank - numOwn),
    // then the reductions.
    int64_t merged = rank - numOwn;
    DenseMap<int64_t, int64_t> newLoop;
    for (int64_t pos = 0; pos < merged; ++pos)
      newLoop[(*outDims)[pos]] = pos;
    for (auto [index, dim] : llvm::enumerate(reduction))
      newLoop[dim] = merged + 1 + index;
    int64_t numLoops = merged + 1 + reduction.size();
    auto mapOf = [&](ArrayRef<int64_t> dims, bool withLanes) {
      SmallVector<AffineExpr> exprs;
      for (int64_t dim : dims)
        exprs.push_back(getAffineDimExpr(newLoop.lookup(dim), context));
      if (withLanes)
        exprs.push_back(getAffineDimExpr(merged, context));
      return AffineMap::get(numLoops, 0, exprs, context);
    };
    SmallVector<int64_t> weightLoops(batch);
    llvm::append_range(weightLoops, reduction);
    AffineMap activationMap = mapOf(activationDims, false);
    AffineMap weightMap = mapOf(weightLoops, true);
    AffineMap outMap =
        mapOf(ArrayRef<int64_t>(*outDims).take_front(merged), true);

    SmallVector<ReassociationIndices> groups;
    for (int64_t dim = 0; dim < merged; ++dim)
      groups.push_back({dim});
    groups.emplace_back();
    for (int64_t dim = merged; dim < rank; ++dim)
      groups.back().push_back(dim);
    Value init = op.getOutputs()[0];
    Value collapsedInit =
        tensor::CollapseShapeOp::create(rewriter, loc, init, groups);
    auto contract = linalg::ContractOp::create(
        rewriter, loc, TypeRange{collapsedInit.getType()},
        ValueRange{activation, weight}, ValueRange{collapsedInit},
        rewriter.getAffineMapArrayAttr({activationMap, weightMap, outMap}));
    SmallVector<OpFoldResult> outSizes =
        tensor::getMixedSizes(rewriter, loc, init);
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, outType, contract.getResult(0), groups, outSizes);
    return success();
  }
};

/// Lays the packed `[K..., N]` weight of `op` out in panels of `width`
/// lanes, `[N / width, K..., width]`, and the contraction over a new loop of
/// panels placed before the lanes: the result `[M..., N]` becomes
/// `[M..., N / width, width]` (an expand_shape of the init, a collapse_shape
/// of the result, static dimensions only).
LogicalResult packPanels(RewriterBase &rewriter, linalg::ContractOp op,
                         int64_t width) {
  ElementsAttr weightAttr;
  if (!matchPattern(op.getInputs()[1], m_Constant(&weightAttr)))
    return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  std::optional<SmallVector<int64_t>> lhsDims = getLoopDims(maps[0]);
  std::optional<SmallVector<int64_t>> rhsDims = getLoopDims(maps[1]);
  std::optional<SmallVector<int64_t>> outDims = getLoopDims(maps[2]);
  if (!lhsDims || !rhsDims || !outDims)
    return failure();
  llvm::Expected<std::vector<double>> values = readFloatValues(weightAttr);
  if (!values) {
    llvm::consumeError(values.takeError());
    return failure();
  }
  auto weightType = cast<RankedTensorType>(weightAttr.getType());
  ArrayRef<int64_t> shape = weightType.getShape();
  int64_t rank = shape.size(), panels = shape.back() / width;
  // [K..., panels, width] -> [panels, K..., width].
  SmallVector<int64_t> split(shape.drop_back());
  split.append({panels, width});
  SmallVector<int64_t> from, to = {rank - 1};
  for (int64_t dim = 0; dim <= rank; ++dim)
    from.push_back(dim);
  for (int64_t dim = 0; dim + 1 < rank; ++dim)
    to.push_back(dim);
  to.push_back(rank);
  SmallVector<int64_t> panelShape = {panels};
  llvm::append_range(panelShape, shape.drop_back());
  panelShape.push_back(width);
  Location loc = op.getLoc();
  Value weight = arith::ConstantOp::create(
      rewriter, loc,
      makeFloatElements(
          RankedTensorType::get(panelShape, weightType.getElementType()),
          permute(*values, split, from, to)));

  // Loops: the panel loop takes the lane loop's place, the lanes follow it.
  MLIRContext *context = rewriter.getContext();
  int64_t lane = outDims->back(), numLoops = maps[2].getNumDims() + 1;
  auto loop = [&](int64_t dim) {
    return getAffineDimExpr(dim < lane ? dim : dim + 1, context);
  };
  AffineExpr panel = getAffineDimExpr(lane, context);
  auto mapOf = [&](ArrayRef<int64_t> dims) {
    return llvm::map_to_vector(dims, [&](int64_t dim) { return loop(dim); });
  };
  SmallVector<AffineExpr> lhsExprs = mapOf(*lhsDims);
  SmallVector<AffineExpr> rhsExprs = {panel};
  llvm::append_range(rhsExprs, mapOf(ArrayRef<int64_t>(*rhsDims).drop_back()));
  rhsExprs.push_back(loop(lane));
  SmallVector<AffineExpr> outExprs =
      mapOf(ArrayRef<int64_t>(*outDims).drop_back());
  outExprs.append({panel, loop(lane)});

  Value init = op.getOutputs()[0];
  auto outType = cast<RankedTensorType>(init.getType());
  int64_t outRank = outType.getRank();
  SmallVector<ReassociationIndices> groups;
  for (int64_t dim = 0; dim + 1 < outRank; ++dim)
    groups.push_back({dim});
  groups.push_back({outRank - 1, outRank});
  SmallVector<OpFoldResult> expandedSizes =
      tensor::getMixedSizes(rewriter, loc, init);
  expandedSizes.back() = rewriter.getIndexAttr(panels);
  expandedSizes.push_back(rewriter.getIndexAttr(width));
  SmallVector<int64_t> expandedShape(outType.getShape().drop_back());
  expandedShape.append({panels, width});
  Value expandedInit = tensor::ExpandShapeOp::create(
      rewriter, loc,
      RankedTensorType::get(expandedShape, outType.getElementType()), init,
      groups, expandedSizes);
  auto contract = linalg::ContractOp::create(
      rewriter, loc, TypeRange{expandedInit.getType()},
      ValueRange{op.getInputs()[0], weight}, ValueRange{expandedInit},
      rewriter.getAffineMapArrayAttr(
          {AffineMap::get(numLoops, 0, lhsExprs, context),
           AffineMap::get(numLoops, 0, rhsExprs, context),
           AffineMap::get(numLoops, 0, outExprs, context)}));
  Operation *unpacked = op.getInputs()[1].getDefiningOp();
  rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
      op, outType, contract.getResult(0), groups);
  if (unpacked->use_empty())
    rewriter.eraseOp(unpacked);
  return success();
}

struct HTPackWeightsPass
    : public mlir::ht::impl::HTPackWeightsBase<HTPackWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (lanes < 1) {
      getOperation().emitError("ht-pack-weights: lanes=")
          << int64_t(lanes) << "; expected at least 1";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<PackConstantOperand>(&getContext());
    // The collapsed init of a fill folds into a fill of a collapsed empty.
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns,
                                                       &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();

    // Then the weights streamed block by block, in panels.
    VectorTarget target;
    target.lanes = lanes;
    SmallVector<std::pair<linalg::ContractOp, int64_t>> panelled;
    getOperation().walk([&](linalg::ContractOp op) {
      if (std::optional<int64_t> width = choosePanelWidth(op, target))
        panelled.push_back({op, *width});
    });
    IRRewriter rewriter(&getContext());
    for (auto [op, width] : panelled) {
      rewriter.setInsertionPoint(op);
      (void)packPanels(rewriter, op, width); // left [K, N] if unreadable
    }
  }
};

} // namespace
