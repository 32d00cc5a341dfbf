//===- LSTMUpdateOp.cpp - Lowering ht.lstm_update -------------------------===//
//
// One element-wise kernel: it sums the pre-activation parts and the bias,
// applies the gate functions and updates c and h, so a step reads each part
// once and writes h and c once.
//
//===----------------------------------------------------------------------===//

#include "HTLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ht;

Value mlir::ht::extractColumns(OpBuilder &builder, Location loc, Value matrix,
                               int64_t offset, int64_t width) {
  OpFoldResult rows = tensor::getMixedSize(builder, loc, matrix, 0);
  return tensor::ExtractSliceOp::create(
      builder, loc, matrix,
      ArrayRef<OpFoldResult>{builder.getIndexAttr(0),
                             builder.getIndexAttr(offset)},
      ArrayRef<OpFoldResult>{rows, builder.getIndexAttr(width)},
      ArrayRef<OpFoldResult>{builder.getIndexAttr(1), builder.getIndexAttr(1)});
}

Value mlir::ht::extractBlock(OpBuilder &builder, Location loc, Value vector,
                             int64_t offset, int64_t width) {
  return tensor::ExtractSliceOp::create(
      builder, loc, vector,
      ArrayRef<OpFoldResult>{builder.getIndexAttr(offset)},
      ArrayRef<OpFoldResult>{builder.getIndexAttr(width)},
      ArrayRef<OpFoldResult>{builder.getIndexAttr(1)});
}

Value mlir::ht::emitGateActivation(OpBuilder &builder, Location loc, Value z,
                                   GateActivation activation) {
  Type type = z.getType();
  auto constant = [&](double value) {
    return arith::ConstantOp::create(builder, loc,
                                     builder.getFloatAttr(type, value));
  };
  if (activation == GateActivation::HardSigmoid) {
    Value scaled = arith::AddFOp::create(
        builder, loc, arith::MulFOp::create(builder, loc, z, constant(0.2)),
        constant(0.5));
    return arith::MinimumFOp::create(
        builder, loc,
        arith::MaximumFOp::create(builder, loc, scaled, constant(0)),
        constant(1));
  }
  Value expNeg =
      math::ExpOp::create(builder, loc, arith::NegFOp::create(builder, loc, z));
  return arith::DivFOp::create(
      builder, loc, constant(1),
      arith::AddFOp::create(builder, loc, constant(1), expNeg));
}

namespace {

struct LSTMUpdateOpLowering : public OpConversionPattern<LSTMUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LSTMUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value c = adaptor.getC0();
    auto stateType = cast<RankedTensorType>(c.getType());
    int64_t hidden = stateType.getDimSize(1);
    ValueRange parts = adaptor.getPreactivations();
    int64_t numParts = parts.size();

    // Inputs: each part's four gate blocks (part-major), c, then the bias's
    // four blocks.
    SmallVector<Value> inputs;
    for (Value part : parts) {
      if (part.getType() !=
          RankedTensorType::get({stateType.getDimSize(0), 4 * hidden},
                                stateType.getElementType()))
        part = tensor::CastOp::create(
            rewriter, loc,
            RankedTensorType::get({stateType.getDimSize(0), 4 * hidden},
                                  stateType.getElementType()),
            part);
      for (int64_t gate = 0; gate < 4; ++gate)
        inputs.push_back(
            extractColumns(rewriter, loc, part, gate * hidden, hidden));
    }
    inputs.push_back(c);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, context);
    SmallVector<AffineMap> maps(inputs.size(), identity);
    Value bias = adaptor.getBias();
    if (bias) {
      AffineMap column =
          AffineMap::get(2, 0, {getAffineDimExpr(1, context)}, context);
      for (int64_t gate = 0; gate < 4; ++gate) {
        inputs.push_back(
            extractBlock(rewriter, loc, bias, gate * hidden, hidden));
        maps.push_back(column);
      }
    }
    maps.append(2, identity);
    Value empty = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, c),
        stateType.getElementType());
    GateActivation activation = op.getGateActivation();
    bool hasBias = static_cast<bool>(bias);
    auto kernel = linalg::GenericOp::create(
        rewriter, loc, TypeRange{stateType, stateType}, inputs,
        ValueRange{empty, empty}, maps,
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          int64_t cIndex = 4 * numParts;
          SmallVector<Value> z(args.begin(), args.begin() + 4);
          for (int64_t part = 1; part < numParts; ++part)
            for (int64_t gate = 0; gate < 4; ++gate)
              z[gate] = arith::AddFOp::create(nested, nestedLoc, z[gate],
                                              args[4 * part + gate]);
          if (hasBias)
            for (int64_t gate = 0; gate < 4; ++gate)
              z[gate] = arith::AddFOp::create(nested, nestedLoc, z[gate],
                                              args[cIndex + 1 + gate]);
          Value i = emitGateActivation(nested, nestedLoc, z[0], activation);
          Value f = emitGateActivation(nested, nestedLoc, z[1], activation);
          Value g = math::TanhOp::create(nested, nestedLoc, z[2]);
          Value o = emitGateActivation(nested, nestedLoc, z[3], activation);
          Value cNext = arith::AddFOp::create(
              nested, nestedLoc,
              arith::MulFOp::create(nested, nestedLoc, f, args[cIndex]),
              arith::MulFOp::create(nested, nestedLoc, i, g));
          Value hNext = arith::MulFOp::create(
              nested, nestedLoc, o,
              math::TanhOp::create(nested, nestedLoc, cNext));
          linalg::YieldOp::create(nested, nestedLoc, ValueRange{hNext, cNext});
        });
    rewriter.replaceOp(op, kernel.getResults());
    return success();
  }
};

} // namespace

void mlir::ht::populateHTLSTMUpdateLoweringPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<LSTMUpdateOpLowering>(converter, patterns.getContext());
}
