//===- KernelMath.cpp - The arithmetic of the CUDA kernels ----------------===//

#include "KernelMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

/// Replaces `op` by the LLVM intrinsic `Intrinsic` with the same operands
/// if it is a `MathOp` on scalars; returns whether it did (and erased `op`).
template <typename MathOp, typename Intrinsic>
bool replaceWithIntrinsic(Operation *op) {
  auto math = dyn_cast<MathOp>(op);
  if (!math || !math->getResult(0).getType().isIntOrFloat())
    return false;
  OpBuilder builder(op);
  Operation *intrinsic =
      Intrinsic::create(builder, op->getLoc(), op->getResultTypes(),
                        op->getOperands());
  op->replaceAllUsesWith(intrinsic);
  op->erase();
  return true;
}

/// |x| for f32 as a bit operation (convert-gpu-to-nvvm rejects llvm.fabs
/// in favour of libdevice).
Value clearSignBit(OpBuilder &builder, Location loc, Value x) {
  Value bits = arith::BitcastOp::create(builder, loc, builder.getI32Type(), x);
  Value mask = arith::ConstantOp::create(builder, loc,
                                         builder.getI32IntegerAttr(0x7fffffff));
  return arith::BitcastOp::create(builder, loc, x.getType(),
                                  arith::AndIOp::create(builder, loc, bits, mask));
}

/// floor(x) on f32 without libdevice (convert-gpu-to-nvvm rejects
/// llvm.floor): truncate through i32 and step down where that rounded up;
/// |x| >= 2^23 (already an integer), infinities and NaN are x itself.
void expandFloor(math::FloorOp floor) {
  auto type = dyn_cast<Float32Type>(floor.getType());
  if (!type)
    return;
  OpBuilder builder(floor);
  Location loc = floor.getLoc();
  Value x = floor.getOperand();
  Value truncated = arith::SIToFPOp::create(
      builder, loc, type,
      arith::FPToSIOp::create(builder, loc, builder.getI32Type(), x));
  Value one = arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(1.0f));
  Value roundedUp = arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::OGT,
                                          truncated, x);
  Value stepped = arith::SelectOp::create(
      builder, loc, roundedUp, arith::SubFOp::create(builder, loc, truncated, one),
      truncated);
  Value magnitude = clearSignBit(builder, loc, x);
  Value integral = arith::ConstantOp::create(builder, loc,
                                             builder.getF32FloatAttr(8388608.0f));
  Value keep = arith::CmpFOp::create(builder, loc, arith::CmpFPredicate::UGE,
                                     magnitude, integral);
  floor.replaceAllUsesWith(
      arith::SelectOp::create(builder, loc, keep, x, stepped).getResult());
  floor.erase();
}

} // namespace

LogicalResult mlir::ht::rewriteKernelMath(Region &region) {
  MLIRContext *context = region.getContext();
  // exp and tanh as the CPU kernels compute them (f32 polynomials, FMAs):
  // the PTX then calls no libdevice function for the LSTM and GRU cells and
  // softmax, and needs no toolkit to be complete.
  RewritePatternSet approximations(context);
  populateMathPolynomialApproximationPatterns(
      approximations, [](StringRef name) {
        return name == math::ExpOp::getOperationName() ||
               name == math::TanhOp::getOperationName();
      });
  SmallVector<Operation *> mathOps;
  region.walk([&](Operation *op) {
    if (isa<math::ExpOp, math::TanhOp>(op))
      mathOps.push_back(op);
  });
  if (!mathOps.empty() &&
      failed(applyOpPatternsGreedily(mathOps, std::move(approximations))))
    return failure();
  // What is left of math (the polynomials' fma, floor and abs) as LLVM's
  // fma intrinsic and as integer and select operations: convert-gpu-to-nvvm
  // would make them calls of libdevice's __nv_* functions (and rejects
  // llvm.floor and llvm.fabs).
  // Each op is rewritten at most once, and not touched after it is erased.
  region.walk([](Operation *op) {
    if (replaceWithIntrinsic<math::FmaOp, LLVM::FMAOp>(op) ||
        replaceWithIntrinsic<math::CopySignOp, LLVM::CopySignOp>(op))
      return;
    if (auto abs = dyn_cast<math::AbsFOp>(op);
        abs && isa<Float32Type>(abs.getType())) {
      OpBuilder builder(abs);
      Value magnitude = clearSignBit(builder, abs.getLoc(), abs.getOperand());
      abs.replaceAllUsesWith(magnitude);
      abs.erase();
    } else if (auto floor = dyn_cast<math::FloorOp>(op)) {
      expandFloor(floor);
    }
  });
  // Products and sums may fuse into FMAs.
  region.walk([](arith::ArithFastMathInterface op) {
    Operation *operation = op.getOperation();
    if (!isa<FloatType>(
            getElementTypeOrSelf(operation->getResultTypes().front())))
      return;
    arith::FastMathFlags flags = op.getFastMathFlagsAttr()
                                     ? op.getFastMathFlagsAttr().getValue()
                                     : arith::FastMathFlags::none;
    operation->setAttr(op.getFastMathAttrName(),
                       arith::FastMathFlagsAttr::get(
                           operation->getContext(),
                           flags | arith::FastMathFlags::contract));
  });
  return success();
}
