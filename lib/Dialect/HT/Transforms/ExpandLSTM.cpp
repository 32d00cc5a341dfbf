//===- ExpandLSTM.cpp - LSTM steps as ht.linear products ------------------===//
//
// An LSTM step is products of weights with x_t and h_(t-1), then element-wise
// work. Expanding it into ht.linear ops (one per product) and one
// ht.lstm_update leaves every product to ht-order-contractions, which plans
// it like any other ht.linear: one route from weights to ht.contract.
//
//===----------------------------------------------------------------------===//

#include "SequenceLoop.h"

#include "ht/Dialect/HT/IR/HTOps.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Dialect/HT/Utils/TensorBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTEXPANDLSTM
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// What one step needs of an ht.lstm or ht.lstm_cell.
struct StepWeights {
  WeightForm form;
  ValueRange weights;
  Value bias; // b_ih + b_hh, or null
  GateActivationAttr activation;
};

template <typename OpTy>
StepWeights getStepWeights(OpTy op, OpBuilder &builder) {
  Value bias;
  if (!op.getBiases().empty())
    bias = emitAdd(builder, op.getLoc(), op.getBiases()[0], op.getBiases()[1]);
  return {op.getForm(), op.getWeights(), bias, op.getGateActivationAttr()};
}

/// One step: the products of the weight form, then ht.lstm_update.
std::pair<Value, Value> emitStep(OpBuilder &builder, Location loc,
                                 const StepWeights &step, Value x, Value h,
                                 Value c) {
  x = castBatchLike(builder, loc, x, h);
  SmallVector<Value> parts;
  switch (step.form) {
  case WeightForm::Stacked:
    parts = {emitProduct(builder, loc, x, step.weights[0]),
             emitProduct(builder, loc, h, step.weights[1])};
    break;
  case WeightForm::PerGate: {
    SmallVector<Value> gates;
    for (unsigned gate = 0; gate < 4; ++gate)
      gates.push_back(emitProduct(builder, loc, x, step.weights[gate]));
    parts = {tensor::ConcatOp::create(builder, loc, /*dim=*/1, gates),
             emitProduct(builder, loc, h, step.weights[4])};
    break;
  }
  case WeightForm::Fused: {
    Value xh = tensor::ConcatOp::create(builder, loc, /*dim=*/1,
                                        ValueRange{x, h});
    parts = {emitProduct(builder, loc, xh, step.weights[0])};
    break;
  }
  case WeightForm::Projected:
    parts = {x, emitProduct(builder, loc, h, step.weights[0])};
    break;
  }
  auto update = LSTMUpdateOp::create(builder, loc, c.getType(), c.getType(),
                                     parts, c, step.bias, step.activation);
  return {update.getH(), update.getC()};
}

struct ExpandLSTMCell : public OpRewritePattern<LSTMCellOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LSTMCellOp op,
                                PatternRewriter &rewriter) const override {
    StepWeights step = getStepWeights(op, rewriter);
    auto [h, c] = emitStep(rewriter, op.getLoc(), step, op.getInput(),
                           op.getH0(), op.getC0());
    rewriter.replaceOp(op, ValueRange{h, c});
    return success();
  }
};

/// ht.lstm as an scf.for over time whose body is the expanded step (from the
/// last step down with `reverse`); the biases are summed once, before the
/// loop.
struct ExpandLSTM : public OpRewritePattern<LSTMOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LSTMOp op,
                                PatternRewriter &rewriter) const override {
    StepWeights step = getStepWeights(op, rewriter);
    SmallVector<Value> results = emitSequenceLoop(
        rewriter, op.getLoc(), op.getInput(), op.getOutput().getType(),
        ValueRange{op.getH0(), op.getC0()}, op.getReverse(),
        op.getBatchFirst(),
        [&](OpBuilder &builder, Location loc, Value x, ValueRange states) {
          auto [h, c] = emitStep(builder, loc, step, x, states[0], states[1]);
          return SmallVector<Value>{h, c};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct HTExpandLSTMPass
    : public mlir::ht::impl::HTExpandLSTMBase<HTExpandLSTMPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateHTExpandLSTMPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::ht::populateHTExpandLSTMPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandLSTM, ExpandLSTMCell>(patterns.getContext());
}
