//===- TensorNetwork.cpp - Emitting pairwise tensor contractions ----------===//

#include "ht/Conversion/HTToLinalg/TensorNetwork.h"
#include "ht/Dialect/HT/Utils/TensorBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::ht;

TensorNetwork::Label TensorNetwork::addLabel(OpFoldResult size) {
  labelSizes.push_back(size);
  return labelSizes.size() - 1;
}

TensorNetwork::TensorId TensorNetwork::addTensor(Value value,
                                                 ArrayRef<Label> labels) {
  assert(cast<RankedTensorType>(value.getType()).getRank() ==
             static_cast<int64_t>(labels.size()) &&
         "one label per dimension");
  tensors.push_back({value, SmallVector<Label>(labels), true});
  return tensors.size() - 1;
}

bool TensorNetwork::isNeededOutside(Label label, TensorId a, TensorId b) const {
  if (llvm::is_contained(outputLabels, label))
    return true;
  for (auto [id, tensor] : llvm::enumerate(tensors))
    if (tensor.live && id != a && id != b &&
        llvm::is_contained(tensor.labels, label))
      return true;
  return false;
}

SmallVector<OpFoldResult>
TensorNetwork::getSizes(ArrayRef<Label> labels) const {
  return llvm::map_to_vector(labels,
                             [&](Label label) { return labelSizes[label]; });
}

TensorNetwork::TensorId TensorNetwork::contract(TensorId a, TensorId b) {
  assert(tensors[a].live && tensors[b].live && a != b && "two live tensors");
  // Keep, in order of first appearance, the labels still needed elsewhere.
  SmallVector<Label> kept;
  for (ArrayRef<Label> labels : {ArrayRef<Label>(tensors[a].labels),
                                 ArrayRef<Label>(tensors[b].labels)})
    for (Label label : labels)
      if (!llvm::is_contained(kept, label) && isNeededOutside(label, a, b))
        kept.push_back(label);
  Value result = emitContraction(
      builder, loc, tensors[a].value,
      SmallVector<int64_t>(tensors[a].labels.begin(), tensors[a].labels.end()),
      tensors[b].value,
      SmallVector<int64_t>(tensors[b].labels.begin(), tensors[b].labels.end()),
      SmallVector<int64_t>(kept.begin(), kept.end()));
  tensors[a].live = tensors[b].live = false;
  return addTensor(result, kept);
}

Value TensorNetwork::finish() {
  const Tensor *last = nullptr;
  for (const Tensor &tensor : tensors)
    if (tensor.live) {
      assert(!last && "exactly one live tensor");
      last = &tensor;
    }
  assert(last && llvm::is_permutation(last->labels, outputLabels) &&
         "the last tensor carries exactly the output labels");
  if (last->labels == outputLabels)
    return last->value;
  SmallVector<int64_t> permutation = llvm::map_to_vector(
      outputLabels, [&](Label label) -> int64_t {
        return llvm::find(last->labels, label) - last->labels.begin();
      });
  Value empty = tensor::EmptyOp::create(builder, loc, getSizes(outputLabels),
                                        elementType);
  return linalg::TransposeOp::create(builder, loc, last->value, empty,
                                     permutation)
      .getResult()[0];
}
