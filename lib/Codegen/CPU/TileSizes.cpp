//===- TileSizes.cpp - Register-block sizes for the CPU kernels -----------===//

#include "TileSizes.h"

using namespace mlir;
using namespace mlir::ht;

/// The most vector FMAs one contraction tile unrolls. Measured: at 1024
/// UCF11 rank 16 ran 1.2-1.7x faster than with no limit and a per-gate
/// model with 3200-FMA tiles compiled in 4 s instead of 95 s (LLVM's -O3 on
/// one huge block); at 256 the dense UCF11 input projection (8 x 32 tiles,
/// 16-element chunks) ran 1.3x faster than at 1024 and the HT models the
/// same within noise: a chunk's loop body then fits the micro-op cache.
static constexpr int64_t kMaxUnrolledFMAs = 256;

/// A weight larger than this is streamed from memory or L3 rather than L2
/// when the kernels sweep it once per block of rows.
static constexpr int64_t kCachedWeightBytes = 512 * 1024;

/// Reduction elements of one cache block: 256 x 32 lanes x 4 bytes is a
/// 32 KB weight panel, the L1 of the x86 cores this targets.
static constexpr int64_t kReductionBlock = 256;

int64_t mlir::ht::chooseDivisor(int64_t size, int64_t limit,
                                int64_t multiple) {
  int64_t best = 1, bestMultiple = 0;
  for (int64_t candidate = 1; candidate <= std::min(size, limit); ++candidate)
    if (size % candidate == 0) {
      best = candidate;
      if (candidate % multiple == 0)
        bestMultiple = candidate;
    }
  return bestMultiple ? bestMultiple : best;
}

std::optional<SmallVector<int64_t>> mlir::ht::getLoopDims(AffineMap map) {
  if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
    return std::nullopt;
  return llvm::map_to_vector(map.getResults(), [](AffineExpr expr) {
    return int64_t(cast<AffineDimExpr>(expr).getPosition());
  });
}

int64_t mlir::ht::chooseLaneTile(int64_t size, const VectorTarget &target) {
  return size <= 2 * target.lanes
             ? size
             : chooseDivisor(size, 2 * target.lanes, target.lanes);
}

std::optional<int64_t>
mlir::ht::choosePanelWidth(linalg::ContractOp op, const VectorTarget &target) {
  if (!chooseReductionBlocking(op, target))
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto rhs = getLoopDims(maps[1]), out = getLoopDims(maps[2]);
  if (!rhs || !out || out->empty() || rhs->back() != out->back())
    return std::nullopt;
  int64_t lanes = op.getStaticLoopRanges()[out->back()];
  int64_t width = chooseLaneTile(lanes, target);
  if (width == lanes)
    return std::nullopt;
  return width;
}

std::optional<ContractionTiling>
mlir::ht::chooseContractionTiling(linalg::ContractOp op,
                                  const VectorTarget &target) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2)
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto lhs = getLoopDims(maps[0]), rhs = getLoopDims(maps[1]),
       out = getLoopDims(maps[2]);
  if (!lhs || !rhs || !out || out->empty() || rhs->empty())
    return std::nullopt;
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  int64_t lane = out->back();
  if (ShapedType::isDynamic(bounds[lane]) || rhs->back() != lane ||
      llvm::is_contained(*lhs, lane))
    return std::nullopt;

  int64_t numLoops = bounds.size();
  ContractionTiling tiling{SmallVector<int64_t>(numLoops, 1),
                           SmallVector<int64_t>(numLoops, 0), std::nullopt};
  int64_t laneTile = chooseLaneTile(bounds[lane], target);
  tiling.parallel[lane] = laneTile;
  // Rows of the block: the innermost static result dimension only the
  // activation (lhs) carries, as many as the accumulator registers allow.
  int64_t registersPerRow = (laneTile + target.lanes - 1) / target.lanes;
  int64_t maxRows = std::max<int64_t>(1, target.maxAccumulators / registersPerRow);
  std::optional<int64_t> dynamicRows;
  bool blocked = false;
  for (int64_t dim : llvm::reverse(ArrayRef<int64_t>(*out).drop_back())) {
    if (llvm::is_contained(*rhs, dim) || bounds[dim] == 1)
      continue;
    if (ShapedType::isDynamic(bounds[dim])) {
      if (!dynamicRows)
        dynamicRows = dim;
      continue;
    }
    tiling.parallel[dim] = chooseDivisor(bounds[dim], maxRows);
    blocked = true;
    break;
  }
  // Peeling re-tiles the remainder per row; it needs the result dimensions
  // to lead the loops in order (as ht-pack-weights makes them).
  bool resultLeads = llvm::all_of(llvm::enumerate(*out), [](auto pair) {
    return int64_t(pair.index()) == pair.value();
  });
  if (!blocked && dynamicRows && maxRows > 1 && resultLeads) {
    tiling.parallel[*dynamicRows] = maxRows;
    tiling.peeledDim = *dynamicRows;
  }
  // Reductions: whole when small, else in chunks along the innermost one.
  // "Small" bounds the tile's unrolled code too: rows x registers x
  // reduction vector FMAs (kMaxUnrolledFMAs); the chunk loop keeps the
  // accumulators in registers across chunks.
  int64_t rows = 1;
  for (int64_t dim : ArrayRef<int64_t>(*out).drop_back())
    if (tiling.parallel[dim] > 1)
      rows *= tiling.parallel[dim];
  int64_t unrollLimit = std::min<int64_t>(
      target.maxUnrolledReduction,
      std::max<int64_t>(1, kMaxUnrolledFMAs / (rows * registersPerRow)));
  int64_t reduction = 1;
  SmallVector<int64_t> reductionDims;
  for (int64_t dim = 0; dim < numLoops; ++dim)
    if (!llvm::is_contained(*out, dim)) {
      if (ShapedType::isDynamic(bounds[dim]))
        return std::nullopt;
      tiling.parallel[dim] = 0;
      reductionDims.push_back(dim);
      reduction *= bounds[dim];
    }
  if (reduction > unrollLimit) {
    for (int64_t dim : reductionDims)
      tiling.reduction[dim] = 1;
    int64_t innermost = reductionDims.back();
    tiling.reduction[innermost] = chooseDivisor(bounds[innermost], unrollLimit);
  }
  return tiling;
}

std::optional<SmallVector<int64_t>>
mlir::ht::chooseElementwiseTiling(linalg::LinalgOp op,
                                  const VectorTarget &target) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() == 0 ||
      op.getNumReductionLoops() != 0)
    return std::nullopt;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation())
      return std::nullopt;
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  int64_t innermost = bounds.back();
  if (ShapedType::isDynamic(innermost) || innermost < 2)
    return std::nullopt;
  SmallVector<int64_t> tiles(bounds.size(), 1);
  tiles.back() = innermost <= 4 * target.lanes
                     ? innermost
                     : chooseDivisor(innermost, 4 * target.lanes, target.lanes);
  return tiles;
}

std::optional<ReductionBlocking>
mlir::ht::chooseReductionBlocking(linalg::ContractOp op,
                                  const VectorTarget &target) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2)
    return std::nullopt;
  auto weight = dyn_cast<RankedTensorType>(op.getDpsInputs()[1].getType());
  if (!weight || !weight.hasStaticShape() ||
      !weight.getElementType().isIntOrFloat())
    return std::nullopt;
  int64_t weightBytes = weight.getNumElements() *
                        ((weight.getElementTypeBitWidth() + 7) / 8);
  if (weightBytes <= kCachedWeightBytes)
    return std::nullopt;
  auto out = getLoopDims(op.getIndexingMapsArray()[2]);
  if (!out)
    return std::nullopt;
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  SmallVector<int64_t> reductionDims;
  for (int64_t dim = 0; dim < int64_t(bounds.size()); ++dim)
    if (!llvm::is_contained(*out, dim)) {
      if (ShapedType::isDynamic(bounds[dim]))
        return std::nullopt;
      if (bounds[dim] > 1)
        reductionDims.push_back(dim);
    }
  if (reductionDims.empty())
    return std::nullopt;
  int64_t outermost = reductionDims.front(), inner = 1;
  for (int64_t dim : ArrayRef<int64_t>(reductionDims).drop_front())
    inner *= bounds[dim];
  int64_t size = chooseDivisor(bounds[outermost],
                               std::max<int64_t>(1, kReductionBlock / inner));
  if (size == bounds[outermost])
    return std::nullopt;
  return ReductionBlocking{outermost, size};
}
