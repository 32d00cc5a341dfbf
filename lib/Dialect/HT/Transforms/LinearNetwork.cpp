//===- LinearNetwork.cpp - Emitting an ordered HT linear network ----------===//

#include "LinearNetwork.h"

#include "ht/Dialect/HT/IR/HTOps.h"
#include "ht/Dialect/HT/Utils/TensorBuilders.h"

using namespace mlir;
using namespace mlir::ht;

// The plan has one label for the rows; in the IR the input keeps its leading
// dimensions (reshaping dynamic sizes is avoided), so plan label 0 stands for
// IR labels 0..L-1 and plan label k > 0 for IR label k + L - 1.
Value mlir::ht::emitLinearNetwork(RewriterBase &rewriter, Location loc,
                                  Value input, const HTShape &shape,
                                  ValueRange factors, int64_t numStacked,
                                  const ContractionNetwork &network,
                                  const ContractionPlan &plan) {
  auto inputType = cast<RankedTensorType>(input.getType());
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
    return irLabel < leading ? inputType.getDimSize(irLabel)
                             : network.labelSizes[irLabel - leading + 1];
  };

  SmallVector<Value> operands = {
      splitLastDim(rewriter, loc, input, shape.colModes)};
  llvm::append_range(operands, factors);
  SmallVector<SmallVector<int64_t>> labels;
  for (const auto &tensorLabels : network.tensors)
    labels.push_back(toIR(tensorLabels));

  for (auto [index, step] : llvm::enumerate(plan.steps)) {
    // The plan's layout: the last step's labels are the output's.
    SmallVector<int64_t> resultLabels = toIR(step.resultLabels);
    auto resultType = RankedTensorType::get(
        llvm::map_to_vector(resultLabels, sizeOf), inputType.getElementType());
    Value result = ContractOp::create(
        rewriter, loc, resultType, operands[step.lhs],
        rewriter.getDenseI64ArrayAttr(labels[step.lhs]), operands[step.rhs],
        rewriter.getDenseI64ArrayAttr(labels[step.rhs]),
        rewriter.getDenseI64ArrayAttr(resultLabels));
    operands.push_back(result);
    labels.push_back(resultLabels);
  }
  int64_t outputDims = shape.getNumModes() + (numStacked > 1 ? 1 : 0);
  return mergeTrailingDims(rewriter, loc, operands.back(), outputDims);
}
