//===- TileSizes.h - Register-block sizes for the CPU kernels ---*- C++ -*-===//
//
// Private to lib/Codegen/CPU: the cost decisions of ht-vectorize, as plain
// functions of an op's shape and the vector target, separate from the
// rewriting that applies them.
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_CODEGEN_CPU_TILESIZES_H
#define HT_LIB_CODEGEN_CPU_TILESIZES_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace mlir::ht {

struct VectorTarget {
  /// f32 lanes of one vector register.
  int64_t lanes = 16;
  /// Vector registers a tile may use for accumulators.
  int64_t maxAccumulators = 16;
  /// Largest reduction, in elements, unrolled into one tile.
  int64_t maxUnrolledReduction = 512;
};

/// Tile sizes of a contraction, per loop dimension (0: not tiled).
struct ContractionTiling {
  /// First level: the register block (reductions 0).
  SmallVector<int64_t> parallel;
  /// Second level, over the register block: the reduction in chunks, or all
  /// zeros when it is unrolled whole.
  SmallVector<int64_t> reduction;
  /// The dynamic loop dimension blocked into rows, if the rows are one: its
  /// loop is peeled into whole blocks and a remainder done row by row.
  std::optional<int64_t> peeledDim;
};

/// A long reduction split into blocks by an outer loop, for the caches.
struct ReductionBlocking {
  /// The loop dimension blocked: the outermost summed one, so the order of
  /// the sum is unchanged (the blocks of the innermost ones stay whole).
  int64_t dim;
  int64_t size;
};

/// The reduction blocking of `op`, or nothing when its weight (the second
/// input) stays in cache anyway. A large weight, such as a dense input
/// projection's `[K, N]` (236 MB for UCF11), would otherwise be streamed
/// from memory once per register block of rows; with the reduction in
/// blocks of about 256 (kReductionBlock) the loops run block by block and
/// each block's weight panel, a few KB per lane tile, is reused from L1 by
/// every block of rows. The accumulators are then read and written once per
/// block instead of once: noise next to `K`-long dot products.
std::optional<ReductionBlocking>
chooseReductionBlocking(linalg::ContractOp op, const VectorTarget &target);

/// The lanes of one register block of a result whose innermost dimension
/// has `size` elements: all of them up to two registers, else the largest
/// divisor up to two registers, a multiple of one register where one exists.
int64_t chooseLaneTile(int64_t size, const VectorTarget &target);

/// The panel width to lay the weight of `op` out in, `[N / P, K..., P]`, or
/// nothing: for a contraction whose reduction is blocked
/// (chooseReductionBlocking) and whose weight, packed `[K..., N]`, has more
/// lanes than one register block. A block's panel is then contiguous
/// rather than rows 4 N bytes apart, which thrash L1's sets and defeat the
/// prefetchers when the weight is streamed from memory.
std::optional<int64_t> choosePanelWidth(linalg::ContractOp op,
                                        const VectorTarget &target);

/// The loop dimension of each dimension of an operand whose indexing map is
/// a projected permutation; nothing otherwise.
std::optional<SmallVector<int64_t>> getLoopDims(AffineMap map);

/// The largest divisor of `size` that is at most `limit`, preferring
/// multiples of `multiple` when there is one.
int64_t chooseDivisor(int64_t size, int64_t limit, int64_t multiple = 1);

/// The register block of `op`, or nothing when it does not vectorise as an
/// outer-product kernel: its result's innermost dimension must be static and
/// the innermost dimension of the second input only (ht-pack-weights makes
/// every weight product so), and every reduction dimension static.
///
/// The block is `M_r` rows of `N_t` lanes: `N_t` up to two registers (each
/// weight vector loaded then feeds `M_r` FMAs and each broadcast of the
/// activation two), `M_r` as many rows as the remaining accumulator
/// registers allow, taken from the innermost static result dimension only
/// the activation carries, else from a dynamic one (the batch), peeled.
std::optional<ContractionTiling>
chooseContractionTiling(linalg::ContractOp op, const VectorTarget &target);

/// One vector row of an all-parallel op (generic, transpose, fill) whose
/// innermost loop is static, or nothing.
std::optional<SmallVector<int64_t>>
chooseElementwiseTiling(linalg::LinalgOp op, const VectorTarget &target);

} // namespace mlir::ht

#endif // HT_LIB_CODEGEN_CPU_TILESIZES_H
