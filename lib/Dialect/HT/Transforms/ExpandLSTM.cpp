//===- ExpandLSTM.cpp - LSTM steps as ht.linear products ------------------===//
//
// An LSTM step is products of weights with x_t and h_(t-1), then element-wise
// work. Expanding it into ht.linear ops (one per product) and one
// ht.lstm_update leaves every product to ht-order-contractions, which plans
// it like any other ht.linear: one route from weights to ht.contract.
//
//===----------------------------------------------------------------------===//

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

/// `rows · Wᵀ` as an ht.linear: `[B, M]` for `rows : [B, N]`, `W : M x N`.
Value emitProduct(OpBuilder &builder, Location loc, Value rows, Value weight) {
  auto rowsType = cast<RankedTensorType>(rows.getType());
  int64_t outputs = 0;
  if (auto matrix = dyn_cast<MatrixType>(weight.getType()))
    outputs = matrix.getNumRows();
  else
    outputs = cast<RankedTensorType>(weight.getType()).getDimSize(0);
  auto type = RankedTensorType::get({rowsType.getDimSize(0), outputs},
                                    rowsType.getElementType());
  return LinearOp::create(builder, loc, type, rows, weight, Value());
}

/// `x` cast to the batch static-ness of `state` ([B, H]).
Value castBatchLike(OpBuilder &builder, Location loc, Value x, Value state) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto stateType = cast<RankedTensorType>(state.getType());
  auto wanted = RankedTensorType::get(
      {stateType.getDimSize(0), xType.getDimSize(1)}, xType.getElementType());
  if (wanted == xType)
    return x;
  return tensor::CastOp::create(builder, loc, wanted, x);
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
    Location loc = op.getLoc();
    StepWeights step = getStepWeights(op, rewriter);
    Value input = op.getInput();
    Value h0 = op.getH0();
    RankedTensorType inputType = op.getInput().getType();
    int64_t inputSize = inputType.getDimSize(2);
    RankedTensorType outputType = op.getOutput().getType();
    int64_t hidden = outputType.getDimSize(2);

    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    OpFoldResult batch = tensor::getMixedSize(rewriter, loc, h0, 0);
    // Batch-first, a step is the strided slice [:, t, :] of the input and
    // of the output: no transpose anywhere.
    bool batchFirst = op.getBatchFirst();
    unsigned timeDim = batchFirst ? 1 : 0;
    Value output = tensor::EmptyOp::create(
        rewriter, loc,
        ArrayRef<OpFoldResult>{inputSizes[0], inputSizes[1],
                               rewriter.getIndexAttr(hidden)},
        inputType.getElementType());
    if (output.getType() != outputType)
      output = tensor::CastOp::create(rewriter, loc, outputType, output);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value steps =
        getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[timeDim]);
    auto sliceType = RankedTensorType::get(
        {cast<RankedTensorType>(h0.getType()).getDimSize(0), inputSize},
        inputType.getElementType());

    auto loop = scf::ForOp::create(
        rewriter, loc, zero, steps, one,
        ValueRange{h0, op.getC0(), output},
        [&](OpBuilder &builder, Location bodyLoc, Value iteration,
            ValueRange state) {
          // Reversed, iteration i runs step T - 1 - i.
          Value t = iteration;
          if (op.getReverse())
            t = arith::SubIOp::create(
                builder, bodyLoc,
                arith::SubIOp::create(builder, bodyLoc, steps, one), iteration);
          OpFoldResult unit = builder.getIndexAttr(1);
          OpFoldResult origin = builder.getIndexAttr(0);
          // Offsets and sizes of step t's [B, features] slice.
          auto at = [&](int64_t features) {
            SmallVector<OpFoldResult> offsets = {t, origin, origin};
            SmallVector<OpFoldResult> sizes = {unit, batch,
                                               builder.getIndexAttr(features)};
            if (batchFirst) {
              std::swap(offsets[0], offsets[1]);
              std::swap(sizes[0], sizes[1]);
            }
            return std::make_pair(offsets, sizes);
          };
          SmallVector<OpFoldResult> strides = {unit, unit, unit};
          auto [inputOffsets, inputSliceSizes] = at(inputSize);
          Value x = tensor::ExtractSliceOp::create(builder, bodyLoc, sliceType,
                                                   input, inputOffsets,
                                                   inputSliceSizes, strides);
          auto [h, c] = emitStep(builder, bodyLoc, step, x, state[0], state[1]);
          auto [outputOffsets, outputSizes] = at(hidden);
          Value written = tensor::InsertSliceOp::create(
              builder, bodyLoc, h, state[2], outputOffsets, outputSizes,
              strides);
          scf::YieldOp::create(builder, bodyLoc, ValueRange{h, c, written});
        });
    rewriter.replaceOp(op, ValueRange{loop.getResult(2), loop.getResult(0),
                                      loop.getResult(1)});
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
