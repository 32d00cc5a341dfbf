//===- PrepareKernels.cpp - Weights into kernels, FMAs allowed ------------===//
//
// See HTGPUPrepareKernels in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "ht/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Utils/GPUUtils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

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
    // exp and tanh as the CPU kernels compute them (f32 polynomials, FMAs):
    // the PTX then calls no libdevice function for the LSTM and GRU cells
    // and softmax, and needs no toolkit to be complete.
    RewritePatternSet approximations(&getContext());
    populateMathPolynomialApproximationPatterns(
        approximations, [](StringRef name) {
          return name == math::ExpOp::getOperationName() ||
                 name == math::TanhOp::getOperationName();
        });
    FrozenRewritePatternSet frozenApproximations(std::move(approximations));
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk([&](gpu::LaunchOp launch) { launches.push_back(launch); });
    for (gpu::LaunchOp launch : launches) {
      if (failed(sinkOperationsIntoLaunchOp(launch, isConstantWeightOrView)))
        return signalPassFailure();
      SmallVector<Operation *> mathOps;
      launch.getBody().walk([&](Operation *op) {
        if (isa<math::ExpOp, math::TanhOp>(op))
          mathOps.push_back(op);
      });
      if (!mathOps.empty() &&
          failed(applyOpPatternsGreedily(mathOps, frozenApproximations)))
        return signalPassFailure();
      launch.getBody().walk([](arith::ArithFastMathInterface op) {
        Operation *operation = op.getOperation();
        if (!isa<FloatType>(getElementTypeOrSelf(operation->getResultTypes().front())))
          return;
        arith::FastMathFlags flags =
            op.getFastMathFlagsAttr() ? op.getFastMathFlagsAttr().getValue()
                                      : arith::FastMathFlags::none;
        operation->setAttr(
            op.getFastMathAttrName(),
            arith::FastMathFlagsAttr::get(operation->getContext(),
                                          flags | arith::FastMathFlags::contract));
      });
    }
  }
};

} // namespace
