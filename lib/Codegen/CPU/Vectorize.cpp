//===- Vectorize.cpp - Register-block tiling and vectorisation ------------===//
//
// Each contraction tile is an outer-product kernel: `M_r` rows of `N_t`-lane
// accumulators, updated once per reduction element by a broadcast of the
// activation times one contiguous vector of the packed weight. The tile
// sizes are chosen by chooseContractionTiling (TileSizes.h) from the shapes;
// this file applies them with upstream's tiling, vectorisation and vector
// lowering patterns.
//
//===----------------------------------------------------------------------===//

#include "TileSizes.h"
#include "ht/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "llvm/ADT/SmallBitVector.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTVECTORIZE
#include "ht/Codegen/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

constexpr StringLiteral kVectorizeMarker = "ht.vectorize";

SmallVector<OpFoldResult> asIndexAttrs(Builder &builder,
                                       ArrayRef<int64_t> sizes) {
  return llvm::map_to_vector(sizes, [&](int64_t size) -> OpFoldResult {
    return builder.getIndexAttr(size);
  });
}

/// Tiles `op` by `tiling`, fusing the linalg.fill of its accumulator, and
/// marks the innermost tiled op for vectorisation. Returns the loops over the
/// reduction, if the reduction was tiled.
FailureOr<SmallVector<LoopLikeOpInterface>>
tileContraction(RewriterBase &rewriter, linalg::ContractOp op,
                const ContractionTiling &tiling) {
  scf::SCFTilingOptions tilingOptions;
  tilingOptions.setTileSizes(asIndexAttrs(rewriter, tiling.parallel));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tilingOptions);
  // Only the accumulator's fill: fusing the producer of the activation (the
  // previous step) would recompute it for every tile.
  options.setFusionControlFn(
      [](tensor::ExtractSliceOp, OpResult producer,
         bool isDestination) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (isDestination && isa<linalg::FillOp>(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTileAndFuseResult> tiled =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return failure();
  for (OpResult result : op->getResults())
    rewriter.replaceAllUsesWith(result, tiled->replacements.lookup(result));
  Operation *tiledOp = tiled->tiledAndFusedOps.front();
  for (Operation *fused : tiled->tiledAndFusedOps)
    fused->setAttr(kVectorizeMarker, rewriter.getUnitAttr());

  SmallVector<LoopLikeOpInterface> reductionLoops;
  if (llvm::any_of(tiling.reduction, [](int64_t size) { return size != 0; })) {
    // The reduction in chunks: an inner loop carrying the accumulator tile.
    scf::SCFTilingOptions inner;
    inner.setTileSizes(asIndexAttrs(rewriter, tiling.reduction));
    rewriter.setInsertionPoint(tiledOp);
    FailureOr<scf::SCFTilingResult> chunked = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(tiledOp), inner);
    if (failed(chunked))
      return failure();
    rewriter.replaceOp(tiledOp, chunked->replacements);
    chunked->tiledOps.back()->setAttr(kVectorizeMarker, rewriter.getUnitAttr());
    reductionLoops = chunked->loops;
  }
  return reductionLoops;
}

/// Tiles an element-wise op (or fill, or transpose) to one vector row.
LogicalResult tileElementwise(RewriterBase &rewriter, linalg::LinalgOp op,
                              ArrayRef<int64_t> tileSizes) {
  scf::SCFTilingOptions options;
  options.setTileSizes(asIndexAttrs(rewriter, tileSizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  tiled->tiledOps.back()->setAttr(kVectorizeMarker, rewriter.getUnitAttr());
  return success();
}

/// Unrolls each vector.contract to one reduction dimension: the lowering to
/// outer products takes a matrix-shaped contraction.
std::optional<SmallVector<int64_t>> oneReductionShape(Operation *op) {
  auto contract = dyn_cast<vector::ContractionOp>(op);
  if (!contract)
    return std::nullopt;
  SmallVector<int64_t> shape;
  contract.getIterationBounds(shape);
  SmallVector<vector::IteratorType> iterators = contract.getIteratorTypesArray();
  bool keptOne = false;
  for (int64_t dim = int64_t(shape.size()) - 1; dim >= 0; --dim)
    if (iterators[dim] == vector::IteratorType::reduction) {
      if (keptOne)
        shape[dim] = 1;
      keptOne = true;
    }
  return shape;
}

/// Removes the unit reduction dimensions that unrolling leaves (shape casts
/// of both operands), so the contraction is matrix-shaped with a single
/// reduction dimension, which the outer-product lowering takes.
struct DropUnitReductionDims : public OpRewritePattern<vector::ContractionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ContractionOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<int64_t> bounds;
    op.getIterationBounds(bounds);
    SmallVector<vector::IteratorType> iterators = op.getIteratorTypesArray();
    llvm::SmallBitVector dropped(bounds.size());
    int64_t numReductions = llvm::count(iterators, vector::IteratorType::reduction);
    for (auto [dim, bound] : llvm::enumerate(bounds))
      if (bound == 1 && iterators[dim] == vector::IteratorType::reduction &&
          numReductions - int64_t(dropped.count()) > 1)
        dropped.set(dim);
    if (dropped.none())
      return rewriter.notifyMatchFailure(op, "no unit reduction to drop");
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<Value> operands = {op.getLhs(), op.getRhs()};
    for (unsigned index = 0; index < 2; ++index) {
      auto type = cast<VectorType>(operands[index].getType());
      SmallVector<int64_t> shape;
      SmallVector<AffineExpr> results;
      for (auto [position, expr] : llvm::enumerate(maps[index].getResults())) {
        if (dropped.test(cast<AffineDimExpr>(expr).getPosition()))
          continue;
        shape.push_back(type.getDimSize(position));
        results.push_back(expr);
      }
      operands[index] = vector::ShapeCastOp::create(
          rewriter, op.getLoc(), VectorType::get(shape, type.getElementType()),
          operands[index]);
      maps[index] = AffineMap::get(maps[index].getNumDims(), 0, results,
                                   rewriter.getContext());
    }
    for (AffineMap &map : maps)
      map = compressDims(map, dropped);
    SmallVector<Attribute> newIterators;
    for (auto [dim, iterator] : llvm::enumerate(iterators))
      if (!dropped.test(dim))
        newIterators.push_back(
            vector::IteratorTypeAttr::get(rewriter.getContext(), iterator));
    rewriter.replaceOpWithNewOp<vector::ContractionOp>(
        op, operands[0], operands[1], op.getAcc(),
        rewriter.getAffineMapArrayAttr(maps),
        rewriter.getArrayAttr(newIterators), op.getKind());
    return success();
  }
};

struct HTVectorizePass
    : public mlir::ht::impl::HTVectorizeBase<HTVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *context = &getContext();
    IRRewriter rewriter(context);
    VectorTarget target{lanes, maxAccumulators, maxUnrolledReduction};

    // 1. Tile. Contractions first (their fills fuse into the tiles), then the
    // element-wise ops, fills and transposes left.
    SmallVector<linalg::ContractOp> contractions;
    func.walk([&](linalg::ContractOp op) { contractions.push_back(op); });
    SmallVector<LoopLikeOpInterface> reductionLoops;
    for (linalg::ContractOp op : contractions) {
      std::optional<ContractionTiling> tiling =
          chooseContractionTiling(op, target);
      if (!tiling)
        continue;
      FailureOr<SmallVector<LoopLikeOpInterface>> loops =
          tileContraction(rewriter, op, *tiling);
      if (failed(loops)) {
        op.emitError("ht-vectorize: tiling failed");
        return signalPassFailure();
      }
      llvm::append_range(reductionLoops, *loops);
      rewriter.eraseOp(op);
    }
    SmallVector<linalg::LinalgOp> elementwise;
    func.walk([&](linalg::LinalgOp op) {
      if (!op->hasAttr(kVectorizeMarker) &&
          isa<linalg::GenericOp, linalg::TransposeOp, linalg::FillOp>(
              op.getOperation()))
        elementwise.push_back(op);
    });
    for (linalg::LinalgOp op : elementwise) {
      std::optional<SmallVector<int64_t>> tileSizes =
          chooseElementwiseTiling(op, target);
      if (!tileSizes)
        continue;
      if (failed(tileElementwise(rewriter, op, *tileSizes))) {
        op.emitError("ht-vectorize: tiling failed");
        return signalPassFailure();
      }
    }
    // Drop the fills and empties the tiling left unused.
    {
      RewritePatternSet cleanup(context);
      linalg::FillOp::getCanonicalizationPatterns(cleanup, context);
      tensor::ExtractSliceOp::getCanonicalizationPatterns(cleanup, context);
      if (failed(applyPatternsGreedily(func, std::move(cleanup))))
        return signalPassFailure();
    }

    // 2. Vectorise every marked tile.
    SmallVector<Operation *> marked;
    func.walk([&](Operation *op) {
      if (op->hasAttr(kVectorizeMarker))
        marked.push_back(op);
    });
    for (Operation *op : marked) {
      op->removeAttr(kVectorizeMarker);
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
          rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
          /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/true);
      if (failed(vectorized))
        continue; // stays a (tiled) linalg op: scalar loops
      rewriter.replaceOp(op, vectorized->replacements);
    }

    // 3-4. Lower the vector ops to FMAs, loads and stores.
    RewritePatternSet unroll(context);
    vector::populateVectorUnrollPatterns(
        unroll, vector::UnrollVectorOptions().setNativeShapeFn(
                    oneReductionShape));
    vector::populateCastAwayVectorLeadingOneDimPatterns(unroll);
    unroll.add<DropUnitReductionDims>(context);
    vector::ContractionOp::getCanonicalizationPatterns(unroll, context);
    if (failed(applyPatternsGreedily(func, std::move(unroll))))
      return signalPassFailure();

    RewritePatternSet lowering(context);
    vector::populateVectorContractLoweringPatterns(
        lowering, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(lowering);
    vector::populateVectorTransferPermutationMapLoweringPatterns(lowering);
    vector::populateVectorTransposeLoweringPatterns(
        lowering, vector::VectorTransposeLowering::Shuffle1D);
    vector::populateVectorShapeCastLoweringPatterns(lowering);
    vector::populateVectorBroadcastLoweringPatterns(lowering);
    vector::populateVectorMultiReductionLoweringPatterns(
        lowering, vector::VectorMultiReductionLowering::InnerParallel);
    vector::populateCastAwayVectorLeadingOneDimPatterns(lowering);
    // Vector exp and tanh as polynomials: libm has no vector entry points.
    populateMathPolynomialApproximationPatterns(
        lowering, [](StringRef name) {
          return name == math::ExpOp::getOperationName() ||
                 name == math::TanhOp::getOperationName();
        });
    for (Dialect *dialect : context->getLoadedDialects())
      dialect->getCanonicalizationPatterns(lowering);
    for (RegisteredOperationName name : context->getRegisteredOperations())
      if (isa<vector::VectorDialect, arith::ArithDialect, tensor::TensorDialect>(
              name.getDialect()))
        name.getCanonicalizationPatterns(lowering, context);
    if (failed(applyPatternsGreedily(func, std::move(lowering))))
      return signalPassFailure();

    // 5. Keep accumulators in registers across reduction chunks: the read
    // and write of the accumulator tile move out of the chunk loop, which
    // then carries a vector.
    for (LoopLikeOpInterface loop : reductionLoops)
      hoistLoopInvariantSubsets(rewriter, loop);
  }
};

} // namespace
