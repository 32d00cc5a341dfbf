//===- OrderContractions.cpp - ht.linear into ordered ht.contract ---------===//

#include "Planning.h"
#include "LinearNetwork.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Dialect/HT/Utils/TensorBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
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

struct HTOrderContractionsPass
    : public mlir::ht::impl::HTOrderContractionsBase<HTOrderContractionsPass> {
  using Base::Base;

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
      PlannedProduct product = planWeight(op, /*index=*/0, options);
      rewriter.setInsertionPoint(op);
      rewriter.replaceOp(op,
                         emitPlan(rewriter, op, product.network, product.plan));
    }
  }
};

} // namespace
