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
///
/// The plan has one label for the rows; in the IR the input keeps its
/// leading dimensions (reshaping dynamic sizes is avoided), so plan label 0
/// stands for IR labels 0..L-1 and plan label k > 0 for IR label k + L - 1.
Value emitPlan(RewriterBase &rewriter, LinearOp op,
               const ContractionNetwork &network, const ContractionPlan &plan) {
  Location loc = op.getLoc();
  auto weightType = cast<MatrixType>(op.getWeight().getType());
  HTShape shape = weightType.getShape();
  RankedTensorType inputType = op.getInput().getType();
  int64_t leading = inputType.getRank() - 1;

  auto toIR = [&](ArrayRef<unsigned> planLabels) {
    SmallVector<int64_t> labels;
    for (unsigned label : planLabels) {
      if (label == 0)
        for (int64_t dim = 0; dim < leading; ++dim)
          labels.push_back(dim);
      else
        labels.push_back(label + leading - 1);
    }
    return labels;
  };
  auto sizeOf = [&](int64_t irLabel) {
    return irLabel < leading
               ? inputType.getDimSize(irLabel)
               : network.labelSizes[irLabel - leading + 1];
  };

  SmallVector<Value> operands = {
      splitLastDim(rewriter, loc, op.getInput(), shape.colModes)};
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
    labels.push_back(toIR(tensorLabels));

  for (auto [index, step] : llvm::enumerate(plan.steps)) {
    bool last = index + 1 == plan.steps.size();
    SmallVector<int64_t> resultLabels =
        toIR(last ? ArrayRef<unsigned>(network.outputLabels)
                  : ArrayRef<unsigned>(step.resultLabels));
    auto resultType = RankedTensorType::get(
        llvm::map_to_vector(resultLabels, sizeOf), weightType.getElementType());
    Value result = ContractOp::create(
        rewriter, loc, resultType, operands[step.lhs], labels[step.lhs],
        operands[step.rhs], labels[step.rhs], resultLabels);
    operands.push_back(result);
    labels.push_back(resultLabels);
  }

  Value result =
      mergeTrailingDims(rewriter, loc, operands.back(), shape.getNumModes());
  if (Value bias = op.getBias())
    result = emitAddBias(rewriter, loc, result, bias);
  return result;
}

struct HTOrderContractionsPass
    : public mlir::ht::impl::HTOrderContractionsBase<HTOrderContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    CostOptions options =
        makeCostOptions(costModel, writeWeight, foldWeights, foldSizeLimit);
    IRRewriter rewriter(&getContext());
    SmallVector<LinearOp> linears;
    getOperation().walk([&](LinearOp op) {
      if (isa<MatrixType>(op.getWeight().getType()))
        linears.push_back(op);
    });
    for (LinearOp op : linears) {
      HTShape shape = cast<MatrixType>(op.getWeight().getType()).getShape();
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
