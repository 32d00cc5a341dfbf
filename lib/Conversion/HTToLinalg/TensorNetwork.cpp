//===- TensorNetwork.cpp - Emitting pairwise tensor contractions ----------===//

#include "ht/Conversion/HTToLinalg/TensorNetwork.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

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
  // Loop dimensions: a's labels, then b's labels that a lacks.
  SmallVector<Label> loops(tensors[a].labels);
  for (Label label : tensors[b].labels)
    if (!llvm::is_contained(loops, label))
      loops.push_back(label);
  SmallVector<Label> kept;
  SmallVector<utils::IteratorType> iterators;
  for (Label label : loops) {
    bool keep = isNeededOutside(label, a, b);
    if (keep)
      kept.push_back(label);
    iterators.push_back(keep ? utils::IteratorType::parallel
                             : utils::IteratorType::reduction);
  }

  MLIRContext *context = builder.getContext();
  auto mapOf = [&](ArrayRef<Label> labels) {
    SmallVector<AffineExpr> results = llvm::map_to_vector(
        labels, [&](Label label) -> AffineExpr {
          return getAffineDimExpr(llvm::find(loops, label) - loops.begin(),
                                  context);
        });
    return AffineMap::get(loops.size(), 0, results, context);
  };
  SmallVector<AffineMap> maps = {mapOf(tensors[a].labels),
                                 mapOf(tensors[b].labels), mapOf(kept)};

  Value zero = arith::ConstantOp::create(builder, loc, elementType,
                                         builder.getZeroAttr(elementType));
  Value empty =
      tensor::EmptyOp::create(builder, loc, getSizes(kept), elementType);
  Value init = linalg::FillOp::create(builder, loc, zero, empty).getResult(0);
  auto generic = linalg::GenericOp::create(
      builder, loc, init.getType(),
      ValueRange{tensors[a].value, tensors[b].value}, ValueRange{init}, maps,
      iterators, [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value product =
            arith::MulFOp::create(nested, nestedLoc, args[0], args[1]);
        Value sum = arith::AddFOp::create(nested, nestedLoc, args[2], product);
        linalg::YieldOp::create(nested, nestedLoc, sum);
      });
  tensors[a].live = tensors[b].live = false;
  return addTensor(generic.getResult(0), kept);
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
