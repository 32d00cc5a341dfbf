//===- ExpandGRU.cpp - GRU steps as ht.linear products --------------------===//
//
// As ht-expand-lstm does for an LSTM: each product of a step becomes an
// ht.linear (planned by ht-order-contractions like any other), and the gates
// one ht.gru_update. A GRU step keeps its input and recurrent products
// apart: the reset gate scales the recurrent one (with b_hn) alone.
//
//===----------------------------------------------------------------------===//

#include "SequenceLoop.h"

#include "ht/Dialect/HT/IR/HTOps.h"
#include "ht/Dialect/HT/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTEXPANDGRU
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// One GRU step of an ht.gru or ht.gru_cell: its two products and the
/// update.
template <typename OpTy>
Value emitGRUStep(OpBuilder &builder, Location loc, OpTy op, Value x, Value h) {
  x = castBatchLike(builder, loc, x, h);
  ValueRange weights = op.getWeights();
  Value inputPart;
  switch (op.getForm()) {
  case WeightForm::Stacked:
    inputPart = emitProduct(builder, loc, x, weights[0]);
    break;
  case WeightForm::PerGate: {
    SmallVector<Value> gates;
    for (unsigned gate = 0; gate < 3; ++gate)
      gates.push_back(emitProduct(builder, loc, x, weights[gate]));
    inputPart = tensor::ConcatOp::create(builder, loc, /*dim=*/1, gates);
    break;
  }
  case WeightForm::Projected:
    inputPart = x;
    break;
  case WeightForm::Fused:
    llvm_unreachable("the verifier rejects fused GRUs");
  }
  Value hiddenPart = emitProduct(builder, loc, h, weights.back());
  Value inputBias, hiddenBias;
  ValueRange biases = op.getBiases();
  if (biases.size() == 2) {
    inputBias = biases[0];
    hiddenBias = biases[1];
  } else if (biases.size() == 1) {
    hiddenBias = biases[0];
  }
  return GRUUpdateOp::create(builder, loc, h.getType(), inputPart, hiddenPart,
                             h, inputBias, hiddenBias);
}

struct ExpandGRUCell : public OpRewritePattern<GRUCellOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GRUCellOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, emitGRUStep(rewriter, op.getLoc(), op, op.getInput(), op.getH0()));
    return success();
  }
};

/// ht.gru as an scf.for over time whose body is the expanded step.
struct ExpandGRU : public OpRewritePattern<GRUOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GRUOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> results = emitSequenceLoop(
        rewriter, op.getLoc(), op.getInput(), op.getOutput().getType(),
        ValueRange{op.getH0()}, op.getReverse(), op.getBatchFirst(),
        [&](OpBuilder &builder, Location loc, Value x, ValueRange states) {
          return SmallVector<Value>{
              emitGRUStep(builder, loc, op, x, states[0])};
        });
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct HTExpandGRUPass
    : public mlir::ht::impl::HTExpandGRUBase<HTExpandGRUPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateHTExpandGRUPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::ht::populateHTExpandGRUPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandGRU, ExpandGRUCell>(patterns.getContext());
}
