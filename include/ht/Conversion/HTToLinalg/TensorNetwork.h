//===- TensorNetwork.h - Emitting pairwise tensor contractions --*- C++ -*-===//
//
// A tensor network whose tensors have named dimensions ("labels"), contracted
// pair by pair into linalg.contract ops (see emitContraction). The HT lowering describes x·Wᵀ (or
// the reconstruction of W) as such a network and picks the order of the
// pairs; the emitter keeps exactly the labels still needed by the tensors
// left or by the output and sums over the rest.
//
//===----------------------------------------------------------------------===//

#ifndef HT_CONVERSION_HTTOLINALG_TENSORNETWORK_H
#define HT_CONVERSION_HTTOLINALG_TENSORNETWORK_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"

namespace mlir::ht {

class TensorNetwork {
public:
  using Label = unsigned;
  using TensorId = unsigned;

  TensorNetwork(OpBuilder &builder, Location loc, Type elementType)
      : builder(builder), loc(loc), elementType(elementType) {}

  /// Declares a dimension name with its extent (an index value or a constant).
  Label addLabel(OpFoldResult size);

  /// Adds a live tensor; `labels` names its dimensions in order.
  TensorId addTensor(Value value, ArrayRef<Label> labels);

  /// The labels the final tensor must have, in order. Set before contracting.
  void setOutputLabels(ArrayRef<Label> labels) {
    outputLabels.assign(labels.begin(), labels.end());
  }

  /// Contracts live tensors `a` and `b` into a new live tensor (one
  /// linalg.contract), summing over every label that neither the output nor
  /// another live tensor uses.
  TensorId contract(TensorId a, TensorId b);

  /// The value of the last live tensor, transposed into the output order.
  /// Requires exactly one live tensor whose labels are the output labels.
  Value finish();

private:
  struct Tensor {
    Value value;
    SmallVector<Label> labels;
    bool live = true;
  };

  bool isNeededOutside(Label label, TensorId a, TensorId b) const;
  SmallVector<OpFoldResult> getSizes(ArrayRef<Label> labels) const;

  OpBuilder &builder;
  Location loc;
  Type elementType;
  SmallVector<OpFoldResult> labelSizes;
  SmallVector<Tensor> tensors;
  SmallVector<Label> outputLabels;
};

} // namespace mlir::ht

#endif // HT_CONVERSION_HTTOLINALG_TENSORNETWORK_H
