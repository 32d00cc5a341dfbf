//===- GRUUpdateOp.cpp - Lowering ht.gru_update ---------------------------===//
//
// One element-wise kernel over [B, H]: it reads the three gate blocks of
// both products (and of both biases), so a step reads each part once and
// writes h once.
//
//===----------------------------------------------------------------------===//

#include "HTLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ht;

namespace {

struct GRUUpdateOpLowering : public OpConversionPattern<GRUUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GRUUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value h0 = adaptor.getH0();
    auto stateType = cast<RankedTensorType>(h0.getType());
    int64_t hidden = stateType.getDimSize(1);
    auto partType = RankedTensorType::get({stateType.getDimSize(0), 3 * hidden},
                                          stateType.getElementType());
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, context);
    AffineMap column =
        AffineMap::get(2, 0, {getAffineDimExpr(1, context)}, context);

    // Inputs: the input part's r, z, n blocks, the hidden part's, h0, then
    // each bias's three blocks.
    SmallVector<Value> inputs;
    for (Value part : {adaptor.getInputPart(), adaptor.getHiddenPart()}) {
      if (part.getType() != partType)
        part = tensor::CastOp::create(rewriter, loc, partType, part);
      for (int64_t gate = 0; gate < 3; ++gate)
        inputs.push_back(
            extractColumns(rewriter, loc, part, gate * hidden, hidden));
    }
    inputs.push_back(h0);
    SmallVector<AffineMap> maps(inputs.size(), identity);
    Value inputBias = adaptor.getInputBias();
    Value hiddenBias = adaptor.getHiddenBias();
    for (Value bias : {inputBias, hiddenBias}) {
      if (!bias)
        continue;
      for (int64_t gate = 0; gate < 3; ++gate) {
        inputs.push_back(
            extractBlock(rewriter, loc, bias, gate * hidden, hidden));
        maps.push_back(column);
      }
    }
    maps.push_back(identity);
    Value empty = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, h0),
        stateType.getElementType());
    bool hasInputBias = static_cast<bool>(inputBias);
    bool hasHiddenBias = static_cast<bool>(hiddenBias);
    auto kernel = linalg::GenericOp::create(
        rewriter, loc, TypeRange{stateType}, inputs, ValueRange{empty}, maps,
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          auto add = [&](Value a, Value b) {
            return arith::AddFOp::create(nested, nestedLoc, a, b).getResult();
          };
          SmallVector<Value> a(args.begin(), args.begin() + 3);
          SmallVector<Value> b(args.begin() + 3, args.begin() + 6);
          Value hPrevious = args[6];
          unsigned next = 7;
          if (hasInputBias) {
            for (int64_t gate = 0; gate < 3; ++gate)
              a[gate] = add(a[gate], args[next + gate]);
            next += 3;
          }
          if (hasHiddenBias)
            for (int64_t gate = 0; gate < 3; ++gate)
              b[gate] = add(b[gate], args[next + gate]);
          Value r = emitGateActivation(nested, nestedLoc, add(a[0], b[0]),
                                       GateActivation::Sigmoid);
          Value z = emitGateActivation(nested, nestedLoc, add(a[1], b[1]),
                                       GateActivation::Sigmoid);
          Value n = math::TanhOp::create(
              nested, nestedLoc,
              add(a[2], arith::MulFOp::create(nested, nestedLoc, r, b[2])));
          // h' = (1 - z) n + z h, written n + z (h - n): one product fewer.
          Value hNext = add(
              n, arith::MulFOp::create(
                     nested, nestedLoc, z,
                     arith::SubFOp::create(nested, nestedLoc, hPrevious, n)));
          linalg::YieldOp::create(nested, nestedLoc, ValueRange{hNext});
        });
    rewriter.replaceOp(op, kernel.getResults());
    return success();
  }
};

} // namespace

void mlir::ht::populateHTGRUUpdateLoweringPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<GRUUpdateOpLowering>(converter, patterns.getContext());
}
