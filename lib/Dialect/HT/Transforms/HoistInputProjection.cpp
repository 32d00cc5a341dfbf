//===- HoistInputProjection.cpp - One input projection for all steps ------===//

#include "ht/Dialect/HT/IR/HTOps.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Dialect/HT/Utils/TensorBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTHOISTINPUTPROJECTION
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// `x · W_ihᵀ + bias` for all steps at once, `[T, B, gates * H]` (or
/// batch-first): one ht.linear for stacked weights, one per gate joined by
/// tensor.concat for per-gate ones.
Value emitInputProjection(PatternRewriter &rewriter, Location loc,
                          WeightForm form, Value input, ValueRange weights,
                          Value bias, int64_t gates, int64_t hidden) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto projectionType = [&](int64_t width) {
    return RankedTensorType::get(
        {inputType.getDimSize(0), inputType.getDimSize(1), width},
        inputType.getElementType());
  };
  if (form == WeightForm::Stacked)
    return LinearOp::create(rewriter, loc, projectionType(gates * hidden),
                            input, weights[0], bias);
  SmallVector<Value> parts;
  for (int64_t gate = 0; gate < gates; ++gate) {
    Value gateBias;
    if (bias)
      gateBias = tensor::ExtractSliceOp::create(
          rewriter, loc, bias,
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(gate * hidden)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(hidden)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
    parts.push_back(LinearOp::create(rewriter, loc, projectionType(hidden),
                                     input, weights[gate], gateBias));
  }
  return tensor::ConcatOp::create(rewriter, loc, /*dim=*/2, parts);
}

bool hasSeparateInputWeights(WeightForm form) {
  return form == WeightForm::Stacked || form == WeightForm::PerGate;
}

/// An LSTM's biases both go into the projection (they are summed anyway).
struct HoistLSTMInputProjection : public OpRewritePattern<LSTMOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LSTMOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSeparateInputWeights(op.getForm()))
      return rewriter.notifyMatchFailure(op, "only stacked and per-gate "
                                             "weights have a separate W_ih");
    Location loc = op.getLoc();
    int64_t hidden = cast<RankedTensorType>(op.getH0().getType()).getDimSize(1);
    Value bias;
    if (!op.getBiases().empty())
      bias = emitAdd(rewriter, loc, op.getBiases()[0], op.getBiases()[1]);
    Value projection =
        emitInputProjection(rewriter, loc, op.getForm(), op.getInput(),
                            op.getWeights(), bias, /*gates=*/4, hidden);
    rewriter.replaceOpWithNewOp<LSTMOp>(
        op, op.getResultTypes(),
        WeightFormAttr::get(rewriter.getContext(), WeightForm::Projected),
        projection, op.getH0(), op.getC0(),
        ValueRange{op.getWeights().back()}, ValueRange{},
        op.getGateActivationAttr(), op.getReverseAttr(),
        op.getBatchFirstAttr());
    return success();
  }
};

/// A GRU's b_ih goes into the projection; b_hh stays with the step (b_hn
/// is scaled by the reset gate).
struct HoistGRUInputProjection : public OpRewritePattern<GRUOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GRUOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSeparateInputWeights(op.getForm()))
      return rewriter.notifyMatchFailure(op, "only stacked and per-gate "
                                             "weights have a separate W_ih");
    int64_t hidden = cast<RankedTensorType>(op.getH0().getType()).getDimSize(1);
    ValueRange biases = op.getBiases();
    Value projection = emitInputProjection(
        rewriter, op.getLoc(), op.getForm(), op.getInput(), op.getWeights(),
        biases.empty() ? Value() : biases[0], /*gates=*/3, hidden);
    rewriter.replaceOpWithNewOp<GRUOp>(
        op, op.getResultTypes(),
        WeightFormAttr::get(rewriter.getContext(), WeightForm::Projected),
        projection, op.getH0(), ValueRange{op.getWeights().back()},
        biases.empty() ? ValueRange{} : biases.drop_front(),
        op.getReverseAttr(), op.getBatchFirstAttr());
    return success();
  }
};

struct HTHoistInputProjectionPass
    : public mlir::ht::impl::HTHoistInputProjectionBase<
          HTHoistInputProjectionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<HoistLSTMInputProjection, HoistGRUInputProjection>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
