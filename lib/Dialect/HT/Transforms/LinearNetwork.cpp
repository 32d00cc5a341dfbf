//===- LinearNetwork.cpp - Emitting an ordered HT linear network ----------===//

#include "LinearNetwork.h"

#include "ht/Dialect/HT/IR/HTOps.h"
#include "ht/Dialect/HT/Utils/TensorBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

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
    // The plan's layout.
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
  // The last step is laid out like every other (the weight's labels
  // innermost); put it in the output's order.
  Value result = operands.back();
  SmallVector<int64_t> outputLabels = toIR(network.outputLabels);
  if (labels.back() != outputLabels) {
    SmallVector<int64_t> permutation = llvm::map_to_vector(
        outputLabels, [&](int64_t label) -> int64_t {
          return llvm::find(labels.back(), label) - labels.back().begin();
        });
    SmallVector<OpFoldResult> sizes;
    for (int64_t dim : permutation)
      sizes.push_back(tensor::getMixedSize(rewriter, loc, result, dim));
    Value empty = tensor::EmptyOp::create(rewriter, loc, sizes,
                                          inputType.getElementType());
    result = linalg::TransposeOp::create(rewriter, loc, result, empty,
                                         permutation)
                 .getResult()[0];
  }
  int64_t outputDims = shape.getNumModes() + (numStacked > 1 ? 1 : 0);
  return mergeTrailingDims(rewriter, loc, result, outputDims);
}
