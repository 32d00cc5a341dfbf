//===- MapLinalg.cpp - One GPU thread per result element of a linalg op ---===//
//
// See HTGPUMapLinalg in Passes.td. The schedule is deliberately simple and
// total: any linalg op on buffers becomes one 1-D grid over its result
// elements, so every op the lowering emits (HT contraction steps,
// recurrent products, cell updates, softmax and argmax reductions, copies)
// runs on the device and none is left on the host.
//
//===----------------------------------------------------------------------===//

#include "Buffers.h"
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
#include "mlir/Interfaces/SideEffectInterfaces.h"
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

/// The fill that initialises `op`'s accumulator, if `op` is a reduction
/// into one buffer that writes every element of it, right after a
/// linalg.fill of that buffer which nothing else reads first.
linalg::FillOp getAccumulatorFill(linalg::LinalgOp op) {
  auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
  if (!fill || !fill.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() == 0)
    return nullptr;
  Value output = op.getDpsInitOperand(0)->get();
  if (fill.getDpsInitOperand(0)->get() != output)
    return nullptr;
  AffineMap map = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  auto type = cast<MemRefType>(output.getType());
  if (!map.isProjectedPermutation() || map.getNumResults() != type.getRank())
    return nullptr;
  for (OpOperand *input : op.getDpsInputOperands())
    if (ht::getRootBuffer(input->get()) == ht::getRootBuffer(output))
      return nullptr;
  return fill;
}

/// Folds `fill` into the kernel of the reduction after it when every read
/// of the filled buffer there is one initial read per thread (the
/// accumulators were promoted): those reads become the fill's value and the
/// fill kernel goes. Returns whether it did.
bool foldAccumulatorFill(RewriterBase &rewriter, linalg::FillOp fill,
                         scf::ParallelOp threads) {
  Value root = ht::getRootBuffer(fill.getDpsInitOperand(0)->get());
  SmallVector<memref::LoadOp> reads;
  bool foldable = true;
  threads.getBody()->walk([&](memref::LoadOp load) {
    if (ht::getRootBuffer(load.getMemRef()) != root)
      return;
    Operation *loop = load->getParentOfType<scf::ForOp>();
    if (loop && threads->isProperAncestor(loop))
      foldable = false;
    reads.push_back(load);
  });
  if (!foldable)
    return false;
  Value value = fill.getDpsInputOperand(0)->get();
  for (memref::LoadOp load : reads)
    rewriter.replaceOp(load, value);
  rewriter.eraseOp(fill);
  return true;
}

/// The ops without memory effects between `op` and the next op that has
/// some, which they return.
Operation *skipPureOps(Operation *op) {
  Operation *next = op->getNextNode();
  while (next && next->getNumRegions() == 0 && isMemoryEffectFree(next))
    next = next->getNextNode();
  return next;
}

/// The copy after `op` (only pure ops, such as the destination's view,
/// between them) of one of its results, if `op` is element-wise (every
/// element of its outputs written once, at identity indices) and the copy
/// takes that whole output unchanged into a buffer `op` does not touch.
linalg::LinalgOp getResultCopy(linalg::LinalgOp op) {
  auto copy = dyn_cast_or_null<linalg::LinalgOp>(skipPureOps(op));
  if (!copy || !linalg::isaCopyOpInterface(copy) ||
      !copy.hasPureBufferSemantics() || !linalg::isElementwise(op) ||
      op.getNumReductionLoops() != 0)
    return nullptr;
  Value source = copy.getDpsInputOperand(0)->get();
  Value destination = copy.getDpsInitOperand(0)->get();
  bool sourceIsOutput = false;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    if (init.get() == source && op.getMatchingIndexingMap(&init).isIdentity())
      sourceIsOutput = true;
    if (ht::getRootBuffer(init.get()) == ht::getRootBuffer(destination))
      return nullptr;
  }
  for (OpOperand *input : op.getDpsInputOperands())
    if (ht::getRootBuffer(input->get()) == ht::getRootBuffer(destination))
      return nullptr;
  return sourceIsOutput ? copy : nullptr;
}

/// Folds `copy` into the kernel that computes its source: each of the
/// kernel's stores to the source is stored to the copy's destination too
/// (the pure ops before the copy move before the kernel, so that the
/// destination is defined there). Returns whether it did.
bool foldResultCopy(RewriterBase &rewriter, linalg::LinalgOp copy,
                    scf::ParallelOp threads) {
  Operation *kernel = threads->getParentOp();
  Value source = copy.getDpsInputOperand(0)->get();
  Value destination = copy.getDpsInitOperand(0)->get();
  SmallVector<memref::StoreOp> stores;
  threads.getBody()->walk([&](memref::StoreOp store) {
    if (store.getMemRef() == source)
      stores.push_back(store);
  });
  if (stores.empty())
    return false;
  // Everything from the kernel to the copy is pure (getResultCopy).
  SmallVector<Operation *> between;
  for (Operation *op = kernel->getNextNode(); op != copy; op = op->getNextNode())
    between.push_back(op);
  for (Operation *op : between)
    rewriter.moveOpBefore(op, kernel);
  for (memref::StoreOp store : stores) {
    rewriter.setInsertionPointAfter(store);
    memref::StoreOp::create(rewriter, store.getLoc(), store.getValueToStore(),
                            destination, store.getIndices());
  }
  rewriter.eraseOp(copy);
  return true;
}

struct HTGPUMapLinalgPass
    : public ht::impl::HTGPUMapLinalgBase<HTGPUMapLinalgPass> {
  using HTGPUMapLinalgBase::HTGPUMapLinalgBase;

  LogicalResult mapOp(IRRewriter &rewriter, linalg::LinalgOp op,
                      linalg::FillOp accumulatorFill = nullptr,
                      linalg::LinalgOp resultCopy = nullptr) {
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
    // One kernel fewer: the accumulator starts from the fill's value.
    if (accumulatorFill && !foldAccumulatorFill(rewriter, accumulatorFill, threads) &&
        failed(mapOp(rewriter, accumulatorFill)))
      return failure();
    // And one more: the copy of a result is stored by the same threads.
    if (resultCopy && !foldResultCopy(rewriter, resultCopy, threads) &&
        failed(mapOp(rewriter, resultCopy)))
      return failure();
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
    struct Kernel {
      linalg::LinalgOp op;
      linalg::FillOp accumulatorFill;
      linalg::LinalgOp resultCopy;
    };
    SmallVector<Kernel> kernels;
    llvm::SmallPtrSet<Operation *, 8> folded;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->getParentOfType<gpu::LaunchOp>() || folded.contains(op))
        return;
      Kernel kernel{op, getAccumulatorFill(op), getResultCopy(op)};
      if (kernel.accumulatorFill && folded.contains(kernel.accumulatorFill))
        kernel.accumulatorFill = nullptr;
      if (kernel.accumulatorFill)
        folded.insert(kernel.accumulatorFill);
      if (kernel.resultCopy)
        folded.insert(kernel.resultCopy);
      kernels.push_back(kernel);
    });
    IRRewriter rewriter(&getContext());
    for (const Kernel &kernel : kernels)
      if (!folded.contains(kernel.op) &&
          failed(mapOp(rewriter, kernel.op, kernel.accumulatorFill,
                       kernel.resultCopy)))
        return signalPassFailure();
    // Tiling leaves `1 * block-size` as the tile's bound, which
    // convert-parallel-loops-to-gpu needs to see as a constant. Folding
    // alone: the canonicalizer would also remove single-tile loops, and
    // their mapping with them.
    (void)applyPatternsGreedily(getOperation(), RewritePatternSet(&getContext()));
  }
};

} // namespace
