//===- MapLinalg.cpp - One GPU thread per result element of a linalg op ---===//
//
// See HTGPUMapLinalg in Passes.td. The schedule is deliberately simple and
// total: any linalg op on buffers becomes one 1-D grid over its result
// elements, so every op the lowering emits (HT contraction steps,
// recurrent products, cell updates, softmax and argmax reductions, copies)
// runs on the device and none is left on the host.
//
//===----------------------------------------------------------------------===//

#include "KernelMath.h"
#include "PromoteAccumulators.h"
#include "ht/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <numeric>

namespace mlir::ht {
#define GEN_PASS_DEF_HTGPUMAPLINALG
#include "ht/Codegen/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;

namespace {

/// The loop order with the parallel dimensions first, each group in its
/// original order.
SmallVector<unsigned> parallelFirstOrder(linalg::GenericOp op) {
  SmallVector<unsigned> order;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (auto [dim, iterator] : llvm::enumerate(iterators))
    if (iterator == utils::IteratorType::parallel)
      order.push_back(dim);
  for (auto [dim, iterator] : llvm::enumerate(iterators))
    if (iterator != utils::IteratorType::parallel)
      order.push_back(dim);
  return order;
}

/// Marks `loop` (one dimension) as run by `processor`.
void mapTo(scf::ParallelOp loop, gpu::Processor processor, OpBuilder &builder) {
  AffineMap identity = builder.getDimIdentityMap();
  (void)gpu::setMappingAttr(
      loop, {builder.getAttr<gpu::ParallelLoopDimMappingAttr>(
                processor, identity, identity)});
}

struct HTGPUMapLinalgPass
    : public ht::impl::HTGPUMapLinalgBase<HTGPUMapLinalgPass> {
  using HTGPUMapLinalgBase::HTGPUMapLinalgBase;

  LogicalResult mapOp(IRRewriter &rewriter, linalg::LinalgOp op) {
    Location loc = op.getLoc();
    if (!op.hasPureBufferSemantics())
      return op->emitOpError("is not on buffers; ht-gpu-map-linalg runs "
                             "after bufferization");
    rewriter.setInsertionPoint(op);
    linalg::GenericOp generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic) {
      FailureOr<linalg::GenericOp> generalized =
          linalg::generalizeNamedOp(rewriter, op);
      if (failed(generalized))
        return op->emitOpError("cannot be generalised for the GPU mapping");
      generic = *generalized;
    }
    SmallVector<unsigned> order = parallelFirstOrder(generic);
    SmallVector<unsigned> identity(order.size());
    std::iota(identity.begin(), identity.end(), 0);
    if (order != identity) {
      FailureOr<linalg::GenericOp> interchanged =
          linalg::interchangeGenericOp(rewriter, generic, order);
      if (failed(interchanged))
        return generic->emitOpError("cannot be interchanged for the GPU "
                                    "mapping");
      generic = *interchanged;
    }
    int64_t numParallel = generic.getNumParallelLoops();
    FailureOr<linalg::LinalgLoops> loops =
        linalg::linalgOpToParallelLoops(rewriter, generic);
    if (failed(loops))
      return generic->emitOpError("cannot be lowered to parallel loops");
    rewriter.eraseOp(generic);

    // The outermost loop: the parallel one, or (a full reduction) a loop
    // nest that one thread runs.
    scf::ParallelOp grid;
    Operation *outermost = loops->empty() ? nullptr : loops->front();
    if (numParallel > 0 && outermost) {
      grid = cast<scf::ParallelOp>(outermost);
    } else {
      if (!outermost)
        return op->emitOpError("has no loops to map");
      rewriter.setInsertionPoint(outermost);
      Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
      Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
      grid = scf::ParallelOp::create(rewriter, loc, ValueRange{zero},
                                     ValueRange{one}, ValueRange{one});
      rewriter.moveOpBefore(outermost, grid.getBody()->getTerminator());
    }
    if (grid.getNumLoops() > 1) {
      std::vector<unsigned> all(grid.getNumLoops());
      std::iota(all.begin(), all.end(), 0);
      rewriter.setInsertionPoint(grid);
      std::vector<std::vector<unsigned>> combined = {all};
      // collapseParallelLoops replaces the loop; find the new one through
      // the op that precedes the old one's position.
      Block *block = grid->getBlock();
      Operation *before = grid->getPrevNode();
      collapseParallelLoops(rewriter, grid, combined);
      Operation *next = before ? before->getNextNode() : &block->front();
      while (next && !isa<scf::ParallelOp>(next))
        next = next->getNextNode();
      if (!next)
        return op->emitOpError("lost its loop while collapsing it");
      grid = cast<scf::ParallelOp>(next);
    }
    auto [blocks, threads] =
        scf::tileParallelLoop(grid, {blockSize}, /*noMinMaxBounds=*/true);
    ht::promoteAccumulators(rewriter, threads);
    if (mapToGPU) {
      OpBuilder builder(blocks);
      mapTo(blocks, gpu::Processor::BlockX, builder);
      mapTo(threads, gpu::Processor::ThreadX, builder);
      return success();
    }
    // On the host, the arithmetic ht-gpu-prepare-kernels gives the kernels.
    return ht::rewriteKernelMath(blocks.getRegion());
  }

  void runOnOperation() override {
    if (blockSize < 1 || blockSize > 1024) {
      emitError(getOperation().getLoc())
          << "ht-gpu-map-linalg: block-size " << int64_t(blockSize)
          << " is not a CUDA block size; expected 1 to 1024";
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<gpu::LaunchOp>())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      if (failed(mapOp(rewriter, op)))
        return signalPassFailure();
    // Tiling leaves `1 * block-size` as the tile's bound, which
    // convert-parallel-loops-to-gpu needs to see as a constant. Folding
    // alone: the canonicalizer would also remove single-tile loops, and
    // their mapping with them.
    (void)applyPatternsGreedily(getOperation(), RewritePatternSet(&getContext()));
  }
};

} // namespace
