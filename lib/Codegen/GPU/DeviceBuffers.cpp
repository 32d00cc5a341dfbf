//===- DeviceBuffers.cpp - Data buffers in device memory ------------------===//
//
// See HTGPUDeviceBuffers in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Buffers.h"
#include "ht/Codegen/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTGPUDEVICEBUFFERS
#include "ht/Codegen/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;

namespace {

/// Whether a buffer of `type` holds the model's numbers (on the device)
/// rather than the deallocation pipeline's host bookkeeping (pointers as
/// `index`, ownership flags as `i1`).
bool holdsData(MemRefType type) {
  Type element = type.getElementType();
  return !element.isIndex() && !element.isInteger(1);
}

/// Whether the host may read and write `buffer`: it is a host allocation.
bool isHostBuffer(Value buffer) {
  Operation *producer = ht::getRootBuffer(buffer).getDefiningOp();
  return producer && isa<memref::AllocOp, memref::AllocaOp>(producer);
}

struct HTGPUDeviceBuffersPass
    : public ht::impl::HTGPUDeviceBuffersBase<HTGPUDeviceBuffersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    SmallVector<memref::AllocOp> allocs;
    SmallVector<memref::DeallocOp> deallocs;
    module.walk([&](Operation *op) {
      if (op->getParentOfType<gpu::LaunchOp>() ||
          op->getParentOfType<gpu::GPUModuleOp>())
        return;
      if (auto alloc = dyn_cast<memref::AllocOp>(op);
          alloc && holdsData(alloc.getType()))
        allocs.push_back(alloc);
      if (auto dealloc = dyn_cast<memref::DeallocOp>(op);
          dealloc && holdsData(cast<MemRefType>(dealloc.getMemref().getType())))
        deallocs.push_back(dealloc);
    });
    for (memref::AllocOp alloc : allocs) {
      rewriter.setInsertionPoint(alloc);
      rewriter.replaceOpWithNewOp<gpu::AllocOp>(
          alloc, alloc.getType(), /*asyncToken=*/Type(),
          /*asyncDependencies=*/ValueRange(), alloc.getDynamicSizes(),
          alloc.getSymbolOperands(), /*hostShared=*/false);
    }
    for (memref::DeallocOp dealloc : deallocs) {
      rewriter.setInsertionPoint(dealloc);
      rewriter.replaceOpWithNewOp<gpu::DeallocOp>(
          dealloc, /*asyncToken=*/Type(), /*asyncDependencies=*/ValueRange(),
          dealloc.getMemref());
    }

    // Every access the host still makes must be to a host allocation.
    WalkResult result = module->walk<WalkOrder::PreOrder>(
        [&](Operation *op) -> WalkResult {
      if (isa<gpu::LaunchOp, gpu::GPUModuleOp>(op))
        return WalkResult::skip();
      auto effects = dyn_cast<MemoryEffectOpInterface>(op);
      if (!effects)
        return WalkResult::advance();
      SmallVector<MemoryEffects::EffectInstance> instances;
      effects.getEffects(instances);
      for (const MemoryEffects::EffectInstance &effect : instances) {
        if (!isa<MemoryEffects::Read, MemoryEffects::Write>(effect.getEffect()))
          continue;
        Value buffer = effect.getValue();
        auto type = buffer ? dyn_cast<MemRefType>(buffer.getType()) : nullptr;
        if (!type || !holdsData(type) || isHostBuffer(buffer))
          continue;
        op->emitOpError()
            << "reads or writes a device buffer on the host; the CUDA stage "
               "runs every access to the model's tensors in a kernel, and "
               "this op was not mapped to one";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
