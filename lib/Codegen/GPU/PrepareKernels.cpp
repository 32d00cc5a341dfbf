//===- PrepareKernels.cpp - Weights into kernels, kernel arithmetic -------===//
//
// See HTGPUPrepareKernels in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "KernelMath.h"
#include "ht/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Utils/GPUUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTGPUPREPAREKERNELS
#include "ht/Codegen/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;

namespace {

/// Whether `op` is a constant weight or a view of one (or an index
/// constant such a view needs): what a kernel should compute itself rather
/// than take from the host.
bool isConstantWeightOrView(Operation *op) {
  if (isa<memref::GetGlobalOp, arith::ConstantIndexOp>(op))
    return true;
  auto view = dyn_cast<ViewLikeOpInterface>(op);
  if (!view)
    return false;
  Operation *source = view.getViewSource().getDefiningOp();
  return source && isConstantWeightOrView(source);
}

struct HTGPUPrepareKernelsPass
    : public ht::impl::HTGPUPrepareKernelsBase<HTGPUPrepareKernelsPass> {
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk([&](gpu::LaunchOp launch) { launches.push_back(launch); });
    for (gpu::LaunchOp launch : launches)
      if (failed(sinkOperationsIntoLaunchOp(launch, isConstantWeightOrView)) ||
          failed(ht::rewriteKernelMath(launch.getBody())))
        return signalPassFailure();
  }
};

} // namespace
