//===- OrderContractions.cpp - ht.linear into ordered ht.contract ---------===//

#include "Planning.h"
#include "LinearNetwork.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Dialect/HT/Utils/TensorBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTORDERCONTRACTIONS
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// Emits `plan` for `op` and returns the value replacing its result.
Value emitPlan(RewriterBase &rewriter, LinearOp op,
               const ContractionNetwork &network, const ContractionPlan &plan) {
  Location loc = op.getLoc();
  auto weightType = cast<MatrixType>(op.getWeight().getType());
  SmallVector<Type> factorTypes;
  for (int64_t mode = 0; mode < weightType.getNumModes(); ++mode)
    factorTypes.push_back(weightType.getLeafType(mode));
  for (int64_t node = 0; node + 1 < weightType.getNumModes(); ++node)
    factorTypes.push_back(weightType.getTransferType(node));
  auto factors = FactorsOp::create(rewriter, loc, factorTypes, op.getWeight());
  Value result =
      emitLinearNetwork(rewriter, loc, op.getInput(), weightType.getShape(),
                        factors.getResults(), /*numStacked=*/1, network, plan);
  if (Value bias = op.getBias())
    result = emitAddBias(rewriter, loc, result, bias);
  return result;
}

constexpr int64_t kPlausibleRows = 1024;

/// Bytes per input row of the largest intermediate a plan keeps at run time.
int64_t bytesPerRow(const ContractionPlan &plan, int64_t rows, Type element) {
  int64_t largest = 0;
  for (const ContractionStep &step : plan.steps)
    if (!step.folded)
      largest = std::max(largest, step.resultElements);
  int64_t bytes = std::max<int64_t>(1, element.getIntOrFloatBitWidth() / 8);
  return std::max<int64_t>(1, largest / std::max<int64_t>(rows, 1)) * bytes;
}

/// `op` over its rows in blocks of at most `blockRows`: a loop over every
/// leading dimension but the last (step 1) and over the last in blocks, each
/// block one ht.linear on a [rows, N] slice, so the intermediates of a block
/// stay small (cache-resident, and reused allocations instead of fresh
/// pages). Returns the blocked ht.linear ops, for planning.
Value emitRowBlocks(RewriterBase &rewriter, LinearOp op, int64_t blockRows,
                    SmallVectorImpl<LinearOp> &blocks) {
  Location loc = op.getLoc();
  Value input = op.getInput();
  RankedTensorType inputType = op.getInput().getType();
  int64_t leading = inputType.getRank() - 1;
  int64_t features = inputType.getShape().back();
  RankedTensorType resultType = op.getType();
  int64_t outputs = resultType.getShape().back();
  Type element = inputType.getElementType();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, input);
  sizes.back() = rewriter.getIndexAttr(outputs);
  Value output = tensor::EmptyOp::create(rewriter, loc, sizes, element);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value block = arith::ConstantIndexOp::create(rewriter, loc, blockRows);

  std::function<Value(OpBuilder &, int64_t, SmallVector<Value>, Value)> nest =
      [&](OpBuilder &builder, int64_t dim, SmallVector<Value> ivs,
          Value into) -> Value {
    Value extent =
        getValueOrCreateConstantIndexOp(builder, loc, sizes[dim]);
    bool last = dim + 1 == leading;
    auto loop = scf::ForOp::create(
        builder, loc, zero, extent, last ? block : one, ValueRange{into},
        [&](OpBuilder &body, Location bodyLoc, Value iv, ValueRange args) {
          SmallVector<Value> inner(ivs);
          inner.push_back(iv);
          if (!last) {
            scf::YieldOp::create(body, bodyLoc,
                                 nest(body, dim + 1, inner, args[0]));
            return;
          }
          Value remaining = arith::SubIOp::create(body, bodyLoc, extent, iv);
          Value rows = arith::MinSIOp::create(body, bodyLoc, block, remaining);
          SmallVector<OpFoldResult> offsets(inner.begin(), inner.end());
          offsets.push_back(body.getIndexAttr(0));
          SmallVector<OpFoldResult> sliceSizes(leading - 1,
                                               body.getIndexAttr(1));
          sliceSizes.push_back(rows);
          SmallVector<OpFoldResult> strides(leading + 1, body.getIndexAttr(1));
          auto rowsType = [&](int64_t width) {
            return RankedTensorType::get({ShapedType::kDynamic, width},
                                         element);
          };
          sliceSizes.push_back(body.getIndexAttr(features));
          Value x = tensor::ExtractSliceOp::create(
              body, bodyLoc, rowsType(features), input, offsets, sliceSizes,
              strides);
          auto linear = LinearOp::create(body, bodyLoc, rowsType(outputs), x,
                                         op.getWeight(), op.getBias());
          blocks.push_back(linear);
          sliceSizes.back() = body.getIndexAttr(outputs);
          Value written = tensor::InsertSliceOp::create(
              body, bodyLoc, linear.getResult(), args[0], offsets, sliceSizes,
              strides);
          scf::YieldOp::create(body, bodyLoc, written);
        });
    // Blocks of rows are independent, each worth a thread.
    loop->setAttr(HTDialect::getParallelLoopAttrName(),
                  builder.getI64IntegerAttr(1));
    return loop.getResult(0);
  };
  Value result = nest(rewriter, 0, {}, output);
  if (result.getType() != resultType)
    result = tensor::CastOp::create(rewriter, loc, resultType, result);
  return result;
}

struct HTOrderContractionsPass
    : public mlir::ht::impl::HTOrderContractionsBase<HTOrderContractionsPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    if (maxIntermediateBytes < 0)
      return emitError(UnknownLoc::get(context))
             << getArgument() << ": max-intermediate-bytes="
             << maxIntermediateBytes.getValue()
             << "; expected at least 0 (0: never "
             << "block the rows)";
    return HT_VERIFY_PLANNING_OPTIONS_OF_PASS(context);
  }

  void runOnOperation() override {
    PlanningOptions options = HT_PLANNING_OPTIONS_OF_PASS();
    IRRewriter rewriter(&getContext());
    // Every ht.linear with an HT weight, inside loops too: after
    // ht-expand-lstm the recurrent products are ht.linear ops in the loop.
    SmallVector<LinearOp> linears;
    getOperation().walk([&](LinearOp op) {
      if (isa<MatrixType>(op.getWeight().getType()))
        linears.push_back(op);
    });
    for (LinearOp op : linears) {
      rewriter.setInsertionPoint(op);
      SmallVector<LinearOp> products = {op};
      PlanningOptions productOptions = options;
      if (maxIntermediateBytes > 0) {
        int64_t rows = resolveRows(op.getWeightRows(0), options.expectedRows);
        PlannedProduct whole = planWeight(op, /*index=*/0, options);
        int64_t perRow = bytesPerRow(whole.plan, rows,
                                     op.getInput().getType().getElementType());
        int64_t blockRows = std::max<int64_t>(1, maxIntermediateBytes / perRow);
        // Unknown row counts are blocked only where a plausible one (a
        // thousand rows) would overflow the budget.
        bool fits = ShapedType::isDynamic(op.getWeightRows(0))
                        ? blockRows >= kPlausibleRows
                        : op.getWeightRows(0) <= blockRows;
        if (!fits) {
          products.clear();
          rewriter.replaceOp(op, emitRowBlocks(rewriter, op, blockRows,
                                               products));
          productOptions.expectedRows = blockRows;
        }
      }
      for (LinearOp product : products) {
        PlannedProduct planned = planWeight(product, /*index=*/0, productOptions);
        rewriter.setInsertionPoint(product);
        rewriter.replaceOp(product, emitPlan(rewriter, product,
                                             planned.network, planned.plan));
      }
    }
  }
};

} // namespace
