//===- HTToLinalgPass.cpp - The convert-ht-to-linalg pass -----------------===//

#include "HTLowering.h"
#include "ht/Conversion/Passes.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::ht {
#define GEN_PASS_DEF_CONVERTHTTOLINALG
#include "ht/Conversion/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {
struct ConvertHTToLinalgPass
    : public mlir::ht::impl::ConvertHTToLinalgBase<ConvertHTToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    HTTypeConverter converter;
    RewritePatternSet patterns(context);
    ProductOrder productOrder{order, expectedRows};
    populateHTMatrixLoweringPatterns(converter, patterns, productOrder);
    populateHTLSTMLoweringPatterns(converter, patterns, productOrder);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*context);
    target.addIllegalDialect<HTDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });

    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
