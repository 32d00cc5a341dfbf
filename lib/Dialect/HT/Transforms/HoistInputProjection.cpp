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

struct HoistInputProjection : public OpRewritePattern<LSTMOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LSTMOp op,
                                PatternRewriter &rewriter) const override {
    WeightForm form = op.getForm();
    if (form != WeightForm::Stacked && form != WeightForm::PerGate)
      return rewriter.notifyMatchFailure(op, "only stacked and per-gate "
                                             "weights have a separate W_ih");
    Location loc = op.getLoc();
    RankedTensorType inputType = op.getInput().getType();
    Type elementType = inputType.getElementType();
    int64_t hidden = cast<RankedTensorType>(op.getH0().getType()).getDimSize(1);
    auto projectionType = [&](int64_t width) {
      return RankedTensorType::get(
          {inputType.getDimSize(0), inputType.getDimSize(1), width},
          elementType);
    };

    Value bias;
    if (!op.getBiases().empty())
      bias = emitAdd(rewriter, loc, op.getBiases()[0], op.getBiases()[1]);
    Value projection;
    if (form == WeightForm::Stacked) {
      projection = LinearOp::create(rewriter, loc, projectionType(4 * hidden),
                                    op.getInput(), op.getWeights()[0], bias);
    } else {
      SmallVector<Value> gates;
      for (int64_t gate = 0; gate < 4; ++gate) {
        Value gateBias;
        if (bias)
          gateBias = tensor::ExtractSliceOp::create(
              rewriter, loc, bias,
              ArrayRef<OpFoldResult>{rewriter.getIndexAttr(gate * hidden)},
              ArrayRef<OpFoldResult>{rewriter.getIndexAttr(hidden)},
              ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
        gates.push_back(LinearOp::create(rewriter, loc, projectionType(hidden),
                                         op.getInput(), op.getWeights()[gate],
                                         gateBias));
      }
      projection = tensor::ConcatOp::create(rewriter, loc, /*dim=*/2, gates);
    }
    Value recurrent = op.getWeights().back();
    rewriter.replaceOpWithNewOp<LSTMOp>(
        op, op.getResultTypes(),
        WeightFormAttr::get(rewriter.getContext(), WeightForm::Projected),
        projection, op.getH0(), op.getC0(), ValueRange{recurrent},
        ValueRange{}, op.getGateActivationAttr(), op.getReverseAttr(),
        op.getBatchFirstAttr());
    return success();
  }
};

struct HTHoistInputProjectionPass
    : public mlir::ht::impl::HTHoistInputProjectionBase<
          HTHoistInputProjectionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<HoistInputProjection>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
