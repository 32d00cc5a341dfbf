//===- PromoteAccumulators.cpp - Reduction accumulators in registers ------===//

#include "PromoteAccumulators.h"
#include "Buffers.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

using namespace mlir;

namespace {

struct Accumulator {
  memref::LoadOp load;
  memref::StoreOp store;
};

/// Whether nothing in `loop` but `accumulator`'s load and store may touch
/// its buffer.
bool isPrivateToPair(scf::ForOp loop, Accumulator accumulator) {
  Value root = ht::getRootBuffer(accumulator.store.getMemRef());
  WalkResult result = loop.getBody()->walk([&](Operation *op) {
    if (op == accumulator.load || op == accumulator.store)
      return WalkResult::advance();
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects) {
      // Unknown effects (a call): give up unless it has none at all.
      return op->hasTrait<OpTrait::HasRecursiveMemoryEffects>() ||
                     isMemoryEffectFree(op)
                 ? WalkResult::advance()
                 : WalkResult::interrupt();
    }
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      Value value = effect.getValue();
      if (!value || ht::getRootBuffer(value) == root)
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return !result.wasInterrupted();
}

SmallVector<Accumulator> findAccumulators(scf::ForOp loop) {
  SmallVector<Accumulator> found;
  Block *body = loop.getBody();
  for (auto store : body->getOps<memref::StoreOp>()) {
    if (!loop.isDefinedOutsideOfLoop(store.getMemRef()) ||
        !llvm::all_of(store.getIndices(), [&](Value index) {
          return loop.isDefinedOutsideOfLoop(index);
        }))
      continue;
    memref::LoadOp match;
    for (auto load : body->getOps<memref::LoadOp>()) {
      if (load->isBeforeInBlock(store) && load.getMemRef() == store.getMemRef() &&
          llvm::equal(load.getIndices(), store.getIndices())) {
        match = load;
        break;
      }
    }
    if (!match)
      continue;
    Accumulator accumulator{match, store};
    if (isPrivateToPair(loop, accumulator))
      found.push_back(accumulator);
  }
  return found;
}

void promote(RewriterBase &rewriter, scf::ForOp loop) {
  moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
  SmallVector<Accumulator> accumulators = findAccumulators(loop);
  if (accumulators.empty())
    return;
  rewriter.setInsertionPoint(loop);
  SmallVector<Value> initial;
  for (Accumulator accumulator : accumulators)
    initial.push_back(memref::LoadOp::create(
        rewriter, accumulator.load.getLoc(), accumulator.load.getMemRef(),
        accumulator.load.getIndices()));
  FailureOr<LoopLikeOpInterface> grown =
      cast<LoopLikeOpInterface>(loop.getOperation())
          .replaceWithAdditionalYields(
              rewriter, initial, /*replaceInitOperandUsesInLoop=*/false,
              [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
                SmallVector<Value> yielded;
                for (Accumulator accumulator : accumulators)
                  yielded.push_back(accumulator.store.getValueToStore());
                return yielded;
              });
  if (failed(grown))
    return;
  auto newLoop = cast<scf::ForOp>(grown->getOperation());
  unsigned first = newLoop.getNumRegionIterArgs() - accumulators.size();
  rewriter.setInsertionPointAfter(newLoop);
  for (auto [index, accumulator] : llvm::enumerate(accumulators)) {
    rewriter.replaceAllUsesWith(accumulator.load.getResult(),
                                newLoop.getRegionIterArgs()[first + index]);
    memref::StoreOp::create(rewriter, accumulator.store.getLoc(),
                            newLoop.getResult(first + index),
                            accumulator.store.getMemRef(),
                            accumulator.store.getIndices());
    rewriter.eraseOp(accumulator.store);
    rewriter.eraseOp(accumulator.load);
  }
}

} // namespace

void mlir::ht::promoteAccumulators(RewriterBase &rewriter, Operation *root) {
  // The loop lowering computes each access's indices on its own: the load
  // and the store of an accumulator must use the same values to match.
  DominanceInfo dominance;
  eliminateCommonSubExpressions(rewriter, dominance, root);
  SmallVector<scf::ForOp> loops;
  // Post-order: inner loops first, so that their accumulators become the
  // outer loops' load/store pairs in turn.
  root->walk([&](scf::ForOp loop) { loops.push_back(loop); });
  for (scf::ForOp loop : loops)
    promote(rewriter, loop);
}
