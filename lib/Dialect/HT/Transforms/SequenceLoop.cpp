//===- SequenceLoop.cpp - The time loop of a recurrent layer --------------===//

#include "SequenceLoop.h"

#include "ht/Dialect/HT/IR/HTOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ht;

Value mlir::ht::emitProduct(OpBuilder &builder, Location loc, Value rows,
                            Value weight) {
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

Value mlir::ht::castBatchLike(OpBuilder &builder, Location loc, Value x,
                              Value state) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto stateType = cast<RankedTensorType>(state.getType());
  auto wanted = RankedTensorType::get(
      {stateType.getDimSize(0), xType.getDimSize(1)}, xType.getElementType());
  if (wanted == xType)
    return x;
  return tensor::CastOp::create(builder, loc, wanted, x);
}

SmallVector<Value> mlir::ht::emitSequenceLoop(OpBuilder &builder, Location loc,
                                              Value input, Type outputType,
                                              ValueRange initialStates,
                                              bool reverse, bool batchFirst,
                                              StepBuilder step) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t inputSize = inputType.getDimSize(2);
  Value h0 = initialStates.front();
  auto stateType = cast<RankedTensorType>(h0.getType());
  int64_t hidden = stateType.getDimSize(1);

  SmallVector<OpFoldResult> inputSizes =
      tensor::getMixedSizes(builder, loc, input);
  OpFoldResult batch = tensor::getMixedSize(builder, loc, h0, 0);
  // Batch-first, a step is the strided slice [:, t, :] of the input and of
  // the output: no transpose anywhere.
  unsigned timeDim = batchFirst ? 1 : 0;
  Value output = tensor::EmptyOp::create(
      builder, loc,
      ArrayRef<OpFoldResult>{inputSizes[0], inputSizes[1],
                             builder.getIndexAttr(hidden)},
      inputType.getElementType());
  if (output.getType() != outputType)
    output = tensor::CastOp::create(builder, loc, outputType, output);
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  Value steps =
      getValueOrCreateConstantIndexOp(builder, loc, inputSizes[timeDim]);
  auto sliceType = RankedTensorType::get({stateType.getDimSize(0), inputSize},
                                         inputType.getElementType());

  SmallVector<Value> iterArgs(initialStates);
  iterArgs.push_back(output);
  auto loop = scf::ForOp::create(
      builder, loc, zero, steps, one, iterArgs,
      [&](OpBuilder &body, Location bodyLoc, Value iteration,
          ValueRange state) {
        // Reversed, iteration i runs step T - 1 - i.
        Value t = iteration;
        if (reverse)
          t = arith::SubIOp::create(
              body, bodyLoc, arith::SubIOp::create(body, bodyLoc, steps, one),
              iteration);
        OpFoldResult unit = body.getIndexAttr(1);
        OpFoldResult origin = body.getIndexAttr(0);
        // Offsets and sizes of step t's [B, features] slice.
        auto at = [&](int64_t features) {
          SmallVector<OpFoldResult> offsets = {t, origin, origin};
          SmallVector<OpFoldResult> sizes = {unit, batch,
                                             body.getIndexAttr(features)};
          if (batchFirst) {
            std::swap(offsets[0], offsets[1]);
            std::swap(sizes[0], sizes[1]);
          }
          return std::make_pair(offsets, sizes);
        };
        SmallVector<OpFoldResult> strides = {unit, unit, unit};
        auto [inputOffsets, inputSliceSizes] = at(inputSize);
        Value x = tensor::ExtractSliceOp::create(body, bodyLoc, sliceType,
                                                 input, inputOffsets,
                                                 inputSliceSizes, strides);
        SmallVector<Value> next = step(body, bodyLoc, x, state.drop_back());
        auto [outputOffsets, outputSizes] = at(hidden);
        Value written = tensor::InsertSliceOp::create(
            body, bodyLoc, next.front(), state.back(), outputOffsets,
            outputSizes, strides);
        next.push_back(written);
        scf::YieldOp::create(body, bodyLoc, next);
      });
  SmallVector<Value> results = {loop.getResults().back()};
  llvm::append_range(results, loop.getResults().drop_back());
  return results;
}
