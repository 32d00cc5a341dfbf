//===- HTToLinalgPass.cpp - The convert-ht-to-linalg pass -----------------===//

#include "HTLowering.h"
#include "ht/Conversion/HTToLinalg/HTToLinalg.h"
#include "ht/Conversion/Passes.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::ht {
#define GEN_PASS_DEF_CONVERTHTTOLINALG
#include "ht/Conversion/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

void mlir::ht::populateHTToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  populateHTMatrixLoweringPatterns(converter, patterns);
  populateHTLSTMUpdateLoweringPatterns(converter, patterns);
  populateHTGRUUpdateLoweringPatterns(converter, patterns);
  populateAggregatedOpDecompositionPatterns(patterns);
}

void mlir::ht::configureHTToLinalgConversionTarget(
    ConversionTarget &target, const TypeConverter &converter) {
  target.addIllegalDialect<HTDialect>();
  target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                         math::MathDialect, scf::SCFDialect,
                         tensor::TensorDialect>();
  // A head's softmax: code generation handles generics, not aggregates.
  target.addIllegalOp<linalg::SoftmaxOp>();
  target.addDynamicallyLegalOp<func::FuncOp>([&converter](func::FuncOp op) {
    return converter.isSignatureLegal(op.getFunctionType()) &&
           converter.isLegal(&op.getBody());
  });
  target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
      [&converter](Operation *op) { return converter.isLegal(op); });
  target.markUnknownOpDynamicallyLegal(
      [&converter](Operation *op) { return converter.isLegal(op); });
}

LogicalResult mlir::ht::verifyReadyForLowering(Operation *root) {
  bool ready = true;
  root->walk([&](Operation *op) {
    if (auto linear = dyn_cast<LinearOp>(op)) {
      if (isa<MatrixType>(linear.getWeight().getType())) {
        op->emitError("ht.linear with an HT weight reached the lowering "
                      "unplanned; run ht-order-contractions (part of the "
                      "ht-optimize pipeline) first");
        ready = false;
      }
    } else if (isa<LSTMOp, LSTMCellOp, GRUOp, GRUCellOp>(op)) {
      op->emitError() << op->getName()
                      << " reached the lowering unexpanded; run "
                      << (isa<GRUOp, GRUCellOp>(op) ? "ht-expand-gru"
                                                     : "ht-expand-lstm")
                      << " (part of the ht-optimize pipeline) first";
      ready = false;
    }
  });
  return success(ready);
}

namespace {
struct ConvertHTToLinalgPass
    : public mlir::ht::impl::ConvertHTToLinalgBase<ConvertHTToLinalgPass> {
  void runOnOperation() override {
    if (failed(verifyReadyForLowering(getOperation())))
      return signalPassFailure();
    MLIRContext *context = &getContext();
    HTToLinalgTypeConverter converter;
    RewritePatternSet patterns(context);
    populateHTToLinalgConversionPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    ConversionTarget target(*context);
    configureHTToLinalgConversionTarget(target, converter);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
