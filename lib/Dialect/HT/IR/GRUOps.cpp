//===- GRUOps.cpp - ht.gru, ht.gru_cell and ht.gru_update -----------------===//
//
// A GRU has three gates (r, z, n) and one state. Its weight forms are the
// LSTM's but `fused`: the reset gate multiplies the recurrent product alone,
// so the input's and the state's products must stay apart.
//
//===----------------------------------------------------------------------===//

#include "RecurrentOps.h"

using namespace mlir;
using namespace mlir::ht;

static WeightRole getGRUWeightRole(WeightForm form, unsigned index) {
  switch (form) {
  case WeightForm::Stacked:
    return index == 0 ? WeightRole::Input : WeightRole::Recurrent;
  case WeightForm::PerGate:
    return index < 3 ? WeightRole::Input : WeightRole::Recurrent;
  case WeightForm::Fused: // rejected by the verifier
  case WeightForm::Projected:
    return WeightRole::Recurrent;
  }
  llvm_unreachable("unknown weight form");
}

#define HT_GRU_WEIGHTED_OP_METHODS(OpTy)                                       \
  unsigned OpTy::getNumWeights() { return getWeights().size(); }               \
  OpOperand &OpTy::getWeightOperand(unsigned index) {                          \
    return getWeightsMutable()[index];                                         \
  }                                                                            \
  WeightRole OpTy::getWeightRole(unsigned index) {                             \
    return getGRUWeightRole(getForm(), index);                                 \
  }                                                                            \
  std::optional<unsigned> OpTy::getWeightGate(unsigned index) {                \
    if (getForm() == WeightForm::PerGate && index < 3)                         \
      return index;                                                            \
    return std::nullopt;                                                       \
  }                                                                            \
  StringRef OpTy::getGateNames() { return "rzn"; }                             \
  int64_t OpTy::getWeightRows(unsigned) {                                      \
    return cast<RankedTensorType>(getH0().getType()).getDimSize(0);            \
  }                                                                            \
  OperandRange OpTy::getBiasOperands() { return getBiases(); }

HT_GRU_WEIGHTED_OP_METHODS(GRUOp)
HT_GRU_WEIGHTED_OP_METHODS(GRUCellOp)
#undef HT_GRU_WEIGHTED_OP_METHODS

namespace {
using recurrent::ExpectedWeight;
using recurrent::verifyResultType;

SmallVector<ExpectedWeight>
getExpectedGRUWeights(WeightForm form, int64_t input, int64_t hidden) {
  ExpectedWeight recurrent = {3 * hidden, hidden, "3H x H"};
  switch (form) {
  case WeightForm::Stacked:
    return {{3 * hidden, input, "3H x I"}, recurrent};
  case WeightForm::PerGate: {
    SmallVector<ExpectedWeight> weights(3, {hidden, input, "H x I"});
    weights.push_back(recurrent);
    return weights;
  }
  case WeightForm::Fused:
  case WeightForm::Projected:
    return {recurrent};
  }
  llvm_unreachable("unknown weight form");
}

template <typename OpTy>
LogicalResult verifyGRUOperands(OpTy op, bool isSequence,
                                bool batchFirst = false) {
  RankedTensorType inputType = op.getInput().getType();
  auto h0Type = cast<RankedTensorType>(op.getH0().getType());
  Type elementType = inputType.getElementType();
  int64_t inputSize, hidden;
  if (failed(recurrent::verifyInputAndState(op, inputType, h0Type, isSequence,
                                            batchFirst, inputSize, hidden)))
    return failure();
  WeightForm form = op.getForm();
  if (form == WeightForm::Fused)
    return op.emitOpError(
        "form 'fused' is not a GRU form (the reset gate scales the recurrent "
        "product alone); expected stacked, per_gate or projected");
  if (form == WeightForm::Projected && inputSize != 3 * hidden)
    return op.emitOpError("form 'projected' takes x_t · W_ihᵀ + b_ih: the "
                          "input's feature dimension is ")
           << inputSize << "; expected 3H = " << 3 * hidden;
  if (failed(recurrent::verifyWeights(
          op, form, op.getWeights(),
          getExpectedGRUWeights(form, inputSize, hidden), elementType)))
    return failure();
  if (form == WeightForm::Projected)
    return recurrent::verifyBiases(op, op.getBiases(), {"b_hh"}, 3 * hidden,
                                   "[3H]", elementType);
  return recurrent::verifyBiases(op, op.getBiases(), {"b_ih", "b_hh"},
                                 3 * hidden, "[3H]", elementType);
}
} // namespace

LogicalResult GRUOp::verify() {
  if (failed(verifyGRUOperands(*this, /*isSequence=*/true, getBatchFirst())))
    return failure();
  return recurrent::verifySequenceResults(
      *this, getInput().getType(), cast<RankedTensorType>(getH0().getType()),
      getOutput(), {{"h_n", getHN()}});
}

LogicalResult GRUCellOp::verify() {
  if (failed(verifyGRUOperands(*this, /*isSequence=*/false)))
    return failure();
  return verifyResultType(*this, "h", getH().getType(), getH0().getType());
}

LogicalResult GRUUpdateOp::verify() {
  auto stateType = cast<RankedTensorType>(getH0().getType());
  int64_t hidden = stateType.getDimSize(1);
  if (ShapedType::isDynamic(hidden))
    return emitOpError("h0's hidden dimension H must be static, got ")
           << stateType;
  Type elementType = stateType.getElementType();
  auto expectedBias = RankedTensorType::get({3 * hidden}, elementType);
  for (auto [name, part] :
       {std::pair<StringRef, Value>{"input_part", getInputPart()},
        {"hidden_part", getHiddenPart()}}) {
    auto type = cast<RankedTensorType>(part.getType());
    if (type.getElementType() != elementType ||
        type.getDimSize(1) != 3 * hidden)
      return emitOpError() << name << " is " << type << "; expected [B, 3H] of "
                           << elementType << " with 3H = " << 3 * hidden;
    if (!recurrent::dimsCompatible(type.getDimSize(0), stateType.getDimSize(0)))
      return emitOpError() << name << "'s batch size " << type.getDimSize(0)
                           << " differs from h0's " << stateType.getDimSize(0);
  }
  for (auto [name, bias] :
       {std::pair<StringRef, Value>{"input_bias", getInputBias()},
        {"hidden_bias", getHiddenBias()}})
    if (bias && bias.getType() != expectedBias)
      return emitOpError() << name << " has type " << bias.getType()
                           << "; expected " << expectedBias << " ([3H])";
  return verifyResultType(*this, "h", getH().getType(), stateType);
}
