//===- OrderContractions.cpp - ht.linear into ordered ht.contract ---------===//

#include "CostOptions.h"
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
  MatrixType weightType = op.getWeight().getType();
  HTShape shape = weightType.getShape();
  Value rows = collapseToRows(rewriter, loc, op.getInput());
  int64_t rowSize = cast<RankedTensorType>(rows.getType()).getDimSize(0);

  SmallVector<Value> operands = {
      splitLastDim(rewriter, loc, rows, shape.colModes)};
  SmallVector<Type> factorTypes;
  for (int64_t mode = 0; mode < shape.getNumModes(); ++mode)
    factorTypes.push_back(weightType.getLeafType(mode));
  for (int64_t node = 0; node + 1 < shape.getNumModes(); ++node)
    factorTypes.push_back(weightType.getTransferType(node));
  llvm::append_range(operands, FactorsOp::create(rewriter, loc, factorTypes,
                                                 op.getWeight())
                                   .getResults());
  SmallVector<SmallVector<int64_t>> labels;
  for (const auto &tensorLabels : network.tensors)
    labels.emplace_back(tensorLabels.begin(), tensorLabels.end());

  for (auto [index, step] : llvm::enumerate(plan.steps)) {
    bool last = index + 1 == plan.steps.size();
    SmallVector<int64_t> resultLabels =
        last ? SmallVector<int64_t>(network.outputLabels.begin(),
                                    network.outputLabels.end())
             : SmallVector<int64_t>(step.resultLabels.begin(),
                                    step.resultLabels.end());
    // Label 0 is the rows of the input; its extent in the IR may be dynamic.
    SmallVector<int64_t> resultShape = llvm::map_to_vector(
        resultLabels, [&](int64_t label) {
          return label == 0 ? rowSize : network.labelSizes[label];
        });
    auto resultType = RankedTensorType::get(
        resultShape, weightType.getElementType());
    Value result = ContractOp::create(
        rewriter, loc, resultType, operands[step.lhs], labels[step.lhs],
        operands[step.rhs], labels[step.rhs], resultLabels);
    operands.push_back(result);
    labels.push_back(resultLabels);
  }

  Value result = mergeTrailingDims(rewriter, loc, operands.back());
  if (Value bias = op.getBias())
    result = emitAddBias(rewriter, loc, result, bias);
  return restoreLeadingDims(rewriter, loc, result, op.getInput(), op.getType());
}

struct HTOrderContractionsPass
    : public mlir::ht::impl::HTOrderContractionsBase<HTOrderContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    CostOptions options =
        makeCostOptions(costModel, writeWeight, foldWeights, foldSizeLimit);
    IRRewriter rewriter(&getContext());
    SmallVector<LinearOp> linears;
    getOperation().walk([&](LinearOp op) { linears.push_back(op); });
    for (LinearOp op : linears) {
      HTShape shape = op.getWeight().getType().getShape();
      ContractionNetwork network = buildHTLinearNetwork(
          shape, getLinearRows(op, expectedRows),
          hasConstantFactors(op.getWeight()));
      ContractionPlan plan =
          strategy == OrderStrategy::Optimal
              ? findOptimalPlan(network, options, maxExactTensors)
              : planHTLinear(shape, network, strategy, options);
      rewriter.setInsertionPoint(op);
      rewriter.replaceOp(op, emitPlan(rewriter, op, network, plan));
    }
  }
};

} // namespace
