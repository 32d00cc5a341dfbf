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
#include "ht/Dialect/HT/IR/HTDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
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
/// The fewest tiles worth a thread (ht-parallelize): a contraction tile is
/// hundreds of FMAs; an element-wise row a few dozen vector operations.
constexpr int64_t kContractionTilesPerThread = 1;
constexpr int64_t kElementwiseTilesPerThread = 16;
/// Marks a loop over reduction chunks. Loops are found again by it after the
/// rewrites (which may replace them), not by handles.
constexpr StringLiteral kReductionLoopMarker = "ht.reduction_loop";

SmallVector<OpFoldResult> asIndexAttrs(Builder &builder,
                                       ArrayRef<int64_t> sizes) {
  return llvm::map_to_vector(sizes, [&](int64_t size) -> OpFoldResult {
    return builder.getIndexAttr(size);
  });
}

/// Tiles `op` by `tileSizes` (scf.for loops) and marks the tile for
/// vectorisation; returns the tile, and marks the loops with `loopMarker`
/// (a unit attribute, or `markerValue`) when one is given.
FailureOr<Operation *> tileAndMark(RewriterBase &rewriter, Operation *op,
                                   ArrayRef<int64_t> tileSizes,
                                   StringRef loopMarker = {},
                                   Attribute markerValue = {}) {
  scf::SCFTilingOptions options;
  options.setTileSizes(asIndexAttrs(rewriter, tileSizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  Operation *tile = tiled->tiledOps.back();
  tile->setAttr(kVectorizeMarker, rewriter.getUnitAttr());
  if (!loopMarker.empty())
    for (LoopLikeOpInterface loop : tiled->loops)
      loop->setAttr(loopMarker,
                    markerValue ? markerValue : rewriter.getUnitAttr());
  return tile;
}

/// Tiles `op` by `tiling`, fusing the linalg.fill of its accumulator, and
/// marks the innermost tiled op for vectorisation (and the loops over
/// reduction chunks, if the reduction was tiled).
LogicalResult tileContraction(RewriterBase &rewriter, linalg::ContractOp op,
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
  // Tiles of result dimensions: independent, each worth a thread.
  for (LoopLikeOpInterface loop : tiled->loops)
    loop->setAttr(HTDialect::getParallelLoopAttrName(),
                  rewriter.getI64IntegerAttr(kContractionTilesPerThread));
  // The contraction tiles to chunk along the reduction, if it is long.
  SmallVector<Operation *> contractionTiles = {tiled->tiledAndFusedOps.front()};
  for (Operation *fused : tiled->tiledAndFusedOps)
    fused->setAttr(kVectorizeMarker, rewriter.getUnitAttr());

  if (tiling.peeledDim) {
    // Whole blocks of rows, whose tile sizes become static, and a remainder
    // loop whose tiles are split row by row (static again).
    int64_t position = llvm::count_if(
        ArrayRef<int64_t>(tiling.parallel).take_front(*tiling.peeledDim),
        [](int64_t size) { return size != 0; });
    auto loop = cast<scf::ForOp>(tiled->loops[position].getOperation());
    scf::ForOp remainder;
    if (succeeded(scf::peelForLoopAndSimplifyBounds(rewriter, loop, remainder)) &&
        remainder) {
      contractionTiles.clear();
      loop->walk([&](linalg::ContractOp op) {
        if (op->hasAttr(kVectorizeMarker))
          contractionTiles.push_back(op);
      });
      SmallVector<linalg::LinalgOp> partial;
      remainder->walk([&](linalg::LinalgOp op) {
        if (op->hasAttr(kVectorizeMarker))
          partial.push_back(op);
      });
      SmallVector<int64_t> rowByRow(tiling.parallel.size(), 0);
      rowByRow[*tiling.peeledDim] = 1;
      for (linalg::LinalgOp op : partial) {
        op->removeAttr(kVectorizeMarker);
        FailureOr<Operation *> row = tileAndMark(
            rewriter, op,
            ArrayRef<int64_t>(rowByRow).take_front(op.getNumLoops()));
        if (failed(row))
          return failure();
        if (isa<linalg::ContractOp>(*row))
          contractionTiles.push_back(*row);
      }
    }
  }

  if (llvm::none_of(tiling.reduction, [](int64_t size) { return size != 0; }))
    return success();
  // The reduction in chunks: an inner loop carrying the accumulator tile.
  for (Operation *tile : contractionTiles)
    if (failed(tileAndMark(rewriter, tile, tiling.reduction,
                           kReductionLoopMarker)))
      return failure();
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

/// `vector.extract %read[i, ...]` of an in-bounds, unmasked transfer_read
/// with a minor-identity map reads just the extracted row instead: the
/// kernels then load each weight row where it is used, rather than
/// materialising whole tiles as huge vector values that LLVM spills to the
/// stack. (Elements are left: LLVM turns them into broadcast loads.)
struct ReadExtractedRowOnly : public OpRewritePattern<vector::ExtractOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ExtractOp op,
                                PatternRewriter &rewriter) const override {
    auto read = op.getSource().getDefiningOp<vector::TransferReadOp>();
    if (!read || read.getMask() || !read.getPermutationMap().isMinorIdentity() ||
        llvm::any_of(read.getInBoundsValues(), [](bool b) { return !b; }) ||
        op.hasDynamicPosition())
      return rewriter.notifyMatchFailure(op, "not a plain row of a read");
    auto rowType = dyn_cast<VectorType>(op.getType());
    if (!rowType)
      return rewriter.notifyMatchFailure(op, "an element: LLVM folds it");
    ArrayRef<int64_t> position = op.getStaticPosition();
    auto sourceType = cast<ShapedType>(read.getBase().getType());
    int64_t offset = sourceType.getRank() - read.getVectorType().getRank();
    Location loc = op.getLoc();
    SmallVector<Value> indices(read.getIndices());
    for (auto [dim, at] : llvm::enumerate(position))
      indices[offset + dim] = arith::AddIOp::create(
          rewriter, loc, indices[offset + dim],
          arith::ConstantIndexOp::create(rewriter, loc, at));
    rewriter.replaceOpWithNewOp<vector::TransferReadOp>(
        op, rowType, read.getBase(), indices, read.getPadding(),
        SmallVector<bool>(rowType.getRank(), true));
    return success();
  }
};

/// `vector.transfer_write (vector.from_elements ...)` of a tile whose
/// elements are whole rows, each all the elements of one 1-D vector (what
/// the outer-product lowering leaves of a tile's rows of accumulators),
/// writes each row vector where it goes instead: no tile-sized value to
/// assemble, and each row's write then pairs with the row's read (above),
/// so hoisting keeps every accumulator row in a register across the chunks
/// of a reduction.
struct WriteRowsSeparately : public OpRewritePattern<vector::TransferWriteOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferWriteOp op,
                                PatternRewriter &rewriter) const override {
    auto tile = op.getVector().getDefiningOp<vector::FromElementsOp>();
    VectorType type = op.getVectorType();
    if (!tile || op.getMask() || type.getRank() < 2 ||
        !op.getPermutationMap().isMinorIdentity() ||
        llvm::any_of(op.getInBoundsValues(), [](bool b) { return !b; }))
      return rewriter.notifyMatchFailure(op, "not a plain write of rows");
    int64_t rowLength = type.getShape().back();
    int64_t numRows = type.getNumElements() / rowLength;
    SmallVector<Value> rows;
    for (int64_t row = 0; row < numRows; ++row) {
      auto elements = tile.getElements().slice(row * rowLength, rowLength);
      auto source = elements.front().getDefiningOp<vector::ToElementsOp>();
      if (!source || source.getSource().getType().getRank() != 1 ||
          source.getNumResults() != size_t(rowLength) ||
          !llvm::equal(elements, source.getResults()))
        return rewriter.notifyMatchFailure(op, "a row is not one vector");
      rows.push_back(source.getSource());
    }
    Location loc = op.getLoc();
    auto baseType = cast<ShapedType>(op.getBase().getType());
    int64_t offset = baseType.getRank() - type.getRank();
    SmallVector<int64_t> leadingShape(type.getShape().drop_back());
    Value base = op.getBase();
    for (auto [row, vector] : llvm::enumerate(rows)) {
      SmallVector<Value> indices(op.getIndices());
      SmallVector<int64_t> position = delinearize(int64_t(row),
                                                  computeStrides(leadingShape));
      for (auto [dim, at] : llvm::enumerate(position))
        if (at != 0)
          indices[offset + dim] = arith::AddIOp::create(
              rewriter, loc, indices[offset + dim],
              arith::ConstantIndexOp::create(rewriter, loc, at));
      auto write = vector::TransferWriteOp::create(
          rewriter, loc, vector, base, indices, SmallVector<bool>{true});
      if (isa<RankedTensorType>(baseType))
        base = write.getResult();
    }
    if (isa<RankedTensorType>(baseType))
      rewriter.replaceOp(op, base);
    else
      rewriter.eraseOp(op);
    return success();
  }
};

struct HTVectorizePass
    : public mlir::ht::impl::HTVectorizeBase<HTVectorizePass> {
  using Base::Base;

  /// What is wrong with the sizes, if anything: they must make a register
  /// block.
  std::optional<std::string> checkOptions() const {
    for (auto [name, value] :
         {std::pair<StringRef, int64_t>{"lanes", lanes},
          {"max-accumulators", maxAccumulators},
          {"max-unrolled-reduction", maxUnrolledReduction}})
      if (value < 1)
        return (name + "=" + Twine(value) + "; expected at least 1").str();
    return std::nullopt;
  }

  /// Rejected when the pipeline is parsed, before any work.
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(Base::initializeOptions(options, errorHandler)))
      return failure();
    if (std::optional<std::string> error = checkOptions())
      return errorHandler("ht-vectorize: " + *error);
    return success();
  }

  void fail(const Twine &message) {
    getOperation().emitError("ht-vectorize: ") << message;
    signalPassFailure();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *context = &getContext();
    IRRewriter rewriter(context);
    VectorTarget target{lanes, maxAccumulators, maxUnrolledReduction};
    // Options set programmatically (ht-cpu-codegen's vector-lanes) never
    // went through initializeOptions.
    if (std::optional<std::string> error = checkOptions())
      return fail(*error);

    // 1. Tile. Contractions first (their fills fuse into the tiles), then the
    // element-wise ops, fills and transposes left.
    SmallVector<linalg::ContractOp> contractions;
    func.walk([&](linalg::ContractOp op) { contractions.push_back(op); });
    for (linalg::ContractOp op : contractions) {
      std::optional<ContractionTiling> tiling =
          chooseContractionTiling(op, target);
      if (!tiling)
        continue;
      if (std::optional<ReductionBlocking> blocking =
              chooseReductionBlocking(op, target)) {
        // The cache blocks first, by an outer loop carrying the result;
        // its body's contraction is then tiled for registers.
        SmallVector<int64_t> sizes(op.getNumLoops(), 0);
        sizes[blocking->dim] = blocking->size;
        FailureOr<Operation *> block = tileAndMark(rewriter, op, sizes);
        if (failed(block)) {
          op.emitError("ht-vectorize: blocking the reduction failed");
          return signalPassFailure();
        }
        (*block)->removeAttr(kVectorizeMarker);
        op = cast<linalg::ContractOp>(*block);
        tiling = chooseContractionTiling(op, target);
        if (!tiling)
          continue;
      }
      if (failed(tileContraction(rewriter, op, *tiling))) {
        op.emitError("ht-vectorize: tiling failed");
        return signalPassFailure();
      }
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
      // Rows of one element-wise op are independent but cheap.
      if (failed(tileAndMark(
              rewriter, op, *tileSizes, HTDialect::getParallelLoopAttrName(),
              rewriter.getI64IntegerAttr(kElementwiseTilesPerThread)))) {
        op.emitError("ht-vectorize: tiling failed");
        return signalPassFailure();
      }
    }
    // Drop the fills and empties the tiling left unused.
    // Peeled blocks get static sizes: fold the constant bounds into the
    // slices' and ops' types.
    {
      RewritePatternSet cleanup(context);
      for (Dialect *dialect : context->getLoadedDialects())
        dialect->getCanonicalizationPatterns(cleanup);
      for (RegisteredOperationName name : context->getRegisteredOperations())
        if (isa<linalg::LinalgDialect, tensor::TensorDialect,
                affine::AffineDialect, arith::ArithDialect>(name.getDialect()))
          name.getCanonicalizationPatterns(cleanup, context);
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
      return fail("unrolling the vector contractions did not converge");

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
      return fail("lowering the vector ops did not converge");
    // Then each row of a tile is read where the FMAs use it.
    RewritePatternSet rows(context);
    rows.add<ReadExtractedRowOnly, WriteRowsSeparately>(context);
    if (failed(applyPatternsGreedily(func, std::move(rows))))
      return fail("reading the rows of tiles did not converge");

    // 5. Keep accumulators in registers across reduction chunks: the read
    // and write of the accumulator tile move out of the chunk loop, which
    // then carries a vector.
    SmallVector<LoopLikeOpInterface> chunkLoops;
    func.walk([&](LoopLikeOpInterface loop) {
      if (loop->hasAttr(kReductionLoopMarker))
        chunkLoops.push_back(loop);
    });
    for (LoopLikeOpInterface loop : chunkLoops) {
      loop->removeAttr(kReductionLoopMarker);
      hoistLoopInvariantSubsets(rewriter, loop);
    }
  }
};

} // namespace
