//===- LSTMOps.cpp - Lowering ht.lstm and ht.lstm_cell --------------------===//
//
// One step computes the gate pre-activations z = x·W_ihᵀ + h·W_hhᵀ ([B, 4H],
// rows in gate order i, f, g, o) and then, in one element-wise kernel, adds
// the biases, applies the gate functions and updates c and h. ht.lstm runs
// that step in an scf.for over time.
//
//===----------------------------------------------------------------------===//

#include "HTLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ht;

namespace {

/// The weights of an LSTM op after type conversion.
struct LSTMWeights {
  WeightForm form;
  SmallVector<ConvertedWeight> weights;
  Value bias; // b_ih + b_hh, or null
  GateActivation activation;
  ProductOrder order;
  int64_t hidden;
  Type elementType;
};

template <typename OpTy>
LSTMWeights getWeights(OpTy op, typename OpTy::template GenericAdaptor<
                                    ArrayRef<ValueRange>> adaptor,
                       OpBuilder &builder, const ProductOrder &order) {
  LSTMWeights result;
  result.order = order;
  result.form = op.getForm();
  result.activation = op.getGateActivation();
  auto stateType = cast<RankedTensorType>(op.getH0().getType());
  result.hidden = stateType.getDimSize(1);
  result.elementType = stateType.getElementType();
  for (auto [original, converted] :
       llvm::zip_equal(op.getWeights(), adaptor.getWeights()))
    result.weights.push_back(
        getConvertedWeight(original.getType(), converted));
  ArrayRef<ValueRange> biases = adaptor.getBiases();
  if (!biases.empty())
    result.bias = emitAdd(builder, op.getLoc(), biases[0].front(),
                          biases[1].front());
  return result;
}

Value extractColumns(OpBuilder &builder, Location loc, Value matrix,
                     int64_t offset, int64_t width) {
  OpFoldResult rows = tensor::getMixedSize(builder, loc, matrix, 0);
  return tensor::ExtractSliceOp::create(
      builder, loc, matrix,
      ArrayRef<OpFoldResult>{builder.getIndexAttr(0),
                             builder.getIndexAttr(offset)},
      ArrayRef<OpFoldResult>{rows, builder.getIndexAttr(width)},
      ArrayRef<OpFoldResult>{builder.getIndexAttr(1), builder.getIndexAttr(1)});
}

Value insertColumns(OpBuilder &builder, Location loc, Value part, Value into,
                    int64_t offset) {
  OpFoldResult rows = tensor::getMixedSize(builder, loc, part, 0);
  int64_t width = cast<RankedTensorType>(part.getType()).getDimSize(1);
  return tensor::InsertSliceOp::create(
      builder, loc, part, into,
      ArrayRef<OpFoldResult>{builder.getIndexAttr(0),
                             builder.getIndexAttr(offset)},
      ArrayRef<OpFoldResult>{rows, builder.getIndexAttr(width)},
      ArrayRef<OpFoldResult>{builder.getIndexAttr(1), builder.getIndexAttr(1)});
}

Value emptyMatrix(OpBuilder &builder, Location loc, OpFoldResult rows,
                  int64_t cols, Type elementType) {
  return tensor::EmptyOp::create(
      builder, loc, ArrayRef<OpFoldResult>{rows, builder.getIndexAttr(cols)},
      elementType);
}

/// z = x·W_ihᵀ + h·W_hhᵀ, [B, 4H], in whichever weight form the op uses.
Value emitPreactivations(OpBuilder &builder, Location loc,
                         const LSTMWeights &lstm, Value x, Value h) {
  int64_t hidden = lstm.hidden;
  OpFoldResult batch = tensor::getMixedSize(builder, loc, h, 0);
  switch (lstm.form) {
  case WeightForm::Stacked:
    return emitAdd(builder, loc,
                   emitMatmulTransposed(builder, loc, x, lstm.weights[0], lstm.order),
                   emitMatmulTransposed(builder, loc, h, lstm.weights[1], lstm.order));
  case WeightForm::PerGate: {
    Value z = emptyMatrix(builder, loc, batch, 4 * hidden, lstm.elementType);
    for (int64_t gate = 0; gate < 4; ++gate)
      z = insertColumns(
          builder, loc,
          emitMatmulTransposed(builder, loc, x, lstm.weights[gate], lstm.order), z,
          gate * hidden);
    return emitAdd(builder, loc, z,
                   emitMatmulTransposed(builder, loc, h, lstm.weights[4], lstm.order));
  }
  case WeightForm::Projected:
    return emitAdd(builder, loc, x,
                   emitMatmulTransposed(builder, loc, h, lstm.weights[0],
                                        lstm.order));
  case WeightForm::Fused: {
    int64_t inputSize = cast<RankedTensorType>(x.getType()).getDimSize(1);
    Value xh = emptyMatrix(builder, loc, batch, inputSize + hidden,
                           lstm.elementType);
    xh = insertColumns(builder, loc, x, xh, 0);
    xh = insertColumns(builder, loc, h, xh, inputSize);
    return emitMatmulTransposed(builder, loc, xh, lstm.weights[0], lstm.order);
  }
  }
  llvm_unreachable("unknown weight form");
}

Value emitGate(OpBuilder &builder, Location loc, Value z,
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
        builder, loc, arith::MaximumFOp::create(builder, loc, scaled, constant(0)),
        constant(1));
  }
  Value expNeg = math::ExpOp::create(builder, loc,
                                     arith::NegFOp::create(builder, loc, z));
  return arith::DivFOp::create(
      builder, loc, constant(1),
      arith::AddFOp::create(builder, loc, constant(1), expNeg));
}

/// The fused element-wise kernel: (h', c') from z, c and the summed bias.
std::pair<Value, Value> emitCellUpdate(OpBuilder &builder, Location loc,
                                       const LSTMWeights &lstm, Value z,
                                       Value c) {
  int64_t hidden = lstm.hidden;
  MLIRContext *context = builder.getContext();
  SmallVector<Value> inputs;
  for (int64_t gate = 0; gate < 4; ++gate)
    inputs.push_back(extractColumns(builder, loc, z, gate * hidden, hidden));
  inputs.push_back(c);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, context);
  SmallVector<AffineMap> maps(5, identity);
  if (lstm.bias) {
    AffineMap column = AffineMap::get(2, 0, {getAffineDimExpr(1, context)},
                                      context);
    for (int64_t gate = 0; gate < 4; ++gate) {
      inputs.push_back(tensor::ExtractSliceOp::create(
          builder, loc, lstm.bias,
          ArrayRef<OpFoldResult>{builder.getIndexAttr(gate * hidden)},
          ArrayRef<OpFoldResult>{builder.getIndexAttr(hidden)},
          ArrayRef<OpFoldResult>{builder.getIndexAttr(1)}));
      maps.push_back(column);
    }
  }
  maps.append(2, identity);
  Value empty = tensor::EmptyOp::create(
      builder, loc, tensor::getMixedSizes(builder, loc, c), lstm.elementType);
  GateActivation activation = lstm.activation;
  bool hasBias = static_cast<bool>(lstm.bias);
  auto kernel = linalg::GenericOp::create(
      builder, loc, TypeRange{c.getType(), c.getType()}, inputs,
      ValueRange{empty, empty}, maps,
      SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        SmallVector<Value> z(args.begin(), args.begin() + 4);
        if (hasBias)
          for (int64_t gate = 0; gate < 4; ++gate)
            z[gate] = arith::AddFOp::create(nested, nestedLoc, z[gate],
                                            args[5 + gate]);
        Value i = emitGate(nested, nestedLoc, z[0], activation);
        Value f = emitGate(nested, nestedLoc, z[1], activation);
        Value g = math::TanhOp::create(nested, nestedLoc, z[2]);
        Value o = emitGate(nested, nestedLoc, z[3], activation);
        Value cNext = arith::AddFOp::create(
            nested, nestedLoc, arith::MulFOp::create(nested, nestedLoc, f, args[4]),
            arith::MulFOp::create(nested, nestedLoc, i, g));
        Value hNext = arith::MulFOp::create(
            nested, nestedLoc, o, math::TanhOp::create(nested, nestedLoc, cNext));
        linalg::YieldOp::create(nested, nestedLoc, ValueRange{hNext, cNext});
      });
  return {kernel.getResult(0), kernel.getResult(1)};
}

/// One step; `x` is [B, I] with the batch of `h` (up to static-ness).
std::pair<Value, Value> emitStep(OpBuilder &builder, Location loc,
                                 const LSTMWeights &lstm, Value x, Value h,
                                 Value c) {
  Value z = emitPreactivations(builder, loc, lstm, x, h);
  return emitCellUpdate(builder, loc, lstm, z, c);
}

/// `x` cast to the batch size static-ness of `state` ([B, H]).
Value castBatchLike(OpBuilder &builder, Location loc, Value x, Value state) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto stateType = cast<RankedTensorType>(state.getType());
  auto wanted = RankedTensorType::get(
      {stateType.getDimSize(0), xType.getDimSize(1)}, xType.getElementType());
  if (wanted == xType)
    return x;
  return tensor::CastOp::create(builder, loc, wanted, x);
}

struct LSTMCellOpLowering : public OrderedConversionPattern<LSTMCellOp> {
  using OrderedConversionPattern::OrderedConversionPattern;

  LogicalResult
  matchAndRewrite(LSTMCellOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    LSTMWeights lstm = getWeights(op, adaptor, rewriter, order);
    Value h = adaptor.getH0().front();
    Value x = castBatchLike(rewriter, loc, adaptor.getInput().front(), h);
    auto [hNext, cNext] =
        emitStep(rewriter, loc, lstm, x, h, adaptor.getC0().front());
    rewriter.replaceOp(op, ValueRange{hNext, cNext});
    return success();
  }
};

struct LSTMOpLowering : public OrderedConversionPattern<LSTMOp> {
  using OrderedConversionPattern::OrderedConversionPattern;

  LogicalResult
  matchAndRewrite(LSTMOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    LSTMWeights lstm = getWeights(op, adaptor, rewriter, order);
    Value input = adaptor.getInput().front();
    Value h0 = adaptor.getH0().front();
    Value c0 = adaptor.getC0().front();
    int64_t inputSize = cast<RankedTensorType>(input.getType()).getDimSize(2);

    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    OpFoldResult batch = tensor::getMixedSize(rewriter, loc, h0, 0);
    Value output = tensor::EmptyOp::create(
        rewriter, loc,
        ArrayRef<OpFoldResult>{inputSizes[0], inputSizes[1],
                               rewriter.getIndexAttr(lstm.hidden)},
        lstm.elementType);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value steps = getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[0]);

    auto loop = scf::ForOp::create(
        rewriter, loc, zero, steps, one, ValueRange{h0, c0, output},
        [&](OpBuilder &builder, Location bodyLoc, Value t, ValueRange state) {
          auto sliceType = RankedTensorType::get(
              {cast<RankedTensorType>(h0.getType()).getDimSize(0), inputSize},
              lstm.elementType);
          OpFoldResult one = builder.getIndexAttr(1);
          OpFoldResult zeroAttr = builder.getIndexAttr(0);
          Value x = tensor::ExtractSliceOp::create(
              builder, bodyLoc, sliceType, input,
              ArrayRef<OpFoldResult>{t, zeroAttr, zeroAttr},
              ArrayRef<OpFoldResult>{one, batch, builder.getIndexAttr(inputSize)},
              ArrayRef<OpFoldResult>{one, one, one});
          auto [hNext, cNext] =
              emitStep(builder, bodyLoc, lstm, x, state[0], state[1]);
          Value written = tensor::InsertSliceOp::create(
              builder, bodyLoc, hNext, state[2],
              ArrayRef<OpFoldResult>{t, zeroAttr, zeroAttr},
              ArrayRef<OpFoldResult>{one, batch,
                                     builder.getIndexAttr(lstm.hidden)},
              ArrayRef<OpFoldResult>{one, one, one});
          scf::YieldOp::create(builder, bodyLoc,
                               ValueRange{hNext, cNext, written});
        });
    rewriter.replaceOp(op, ValueRange{loop.getResult(2), loop.getResult(0),
                                      loop.getResult(1)});
    return success();
  }
};

} // namespace

void mlir::ht::populateHTLSTMLoweringPatterns(const TypeConverter &converter,
                                              RewritePatternSet &patterns,
                                              const ProductOrder &order) {
  patterns.add<LSTMOpLowering, LSTMCellOpLowering>(
      converter, patterns.getContext(), order);
}
