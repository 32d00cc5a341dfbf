//===- LSTMOps.cpp - ht.lstm and ht.lstm_cell -----------------------------===//
//
// Both ops share their operands (input, h0, c0, weights in one of three forms,
// optional biases), so one verifier serves both; they differ in the rank of
// the input (a sequence or one step) and in their results.
//
//===----------------------------------------------------------------------===//

#include "RecurrentOps.h"

using namespace mlir;
using namespace mlir::ht;

/// The role of weight `index` of an LSTM op whose weights come in `form`
/// (the verifier checks their number).
static WeightRole getLSTMWeightRole(WeightForm form, unsigned index) {
  switch (form) {
  case WeightForm::Stacked:
    return index == 0 ? WeightRole::Input : WeightRole::Recurrent;
  case WeightForm::PerGate:
    return index < 4 ? WeightRole::Input : WeightRole::Recurrent;
  case WeightForm::Fused:
    return WeightRole::InputRecurrent;
  case WeightForm::Projected:
    return WeightRole::Recurrent;
  }
  llvm_unreachable("unknown weight form");
}

static std::optional<unsigned> getLSTMWeightGate(WeightForm form,
                                                 unsigned index) {
  if (form == WeightForm::PerGate && index < 4)
    return index;
  return std::nullopt;
}

/// One product per step: the rows are the batch.
static int64_t getLSTMWeightRows(Value h0) {
  return cast<RankedTensorType>(h0.getType()).getDimSize(0);
}

#define HT_LSTM_WEIGHTED_OP_METHODS(OpTy)                                      \
  unsigned OpTy::getNumWeights() { return getWeights().size(); }               \
  OpOperand &OpTy::getWeightOperand(unsigned index) {                          \
    return getWeightsMutable()[index];                                         \
  }                                                                            \
  WeightRole OpTy::getWeightRole(unsigned index) {                             \
    return getLSTMWeightRole(getForm(), index);                                \
  }                                                                            \
  std::optional<unsigned> OpTy::getWeightGate(unsigned index) {                \
    return getLSTMWeightGate(getForm(), index);                                \
  }                                                                            \
  int64_t OpTy::getWeightRows(unsigned) { return getLSTMWeightRows(getH0()); } \
  OperandRange OpTy::getBiasOperands() { return getBiases(); }

HT_LSTM_WEIGHTED_OP_METHODS(LSTMOp)
HT_LSTM_WEIGHTED_OP_METHODS(LSTMCellOp)
#undef HT_LSTM_WEIGHTED_OP_METHODS

namespace {
using recurrent::dimsCompatible;
using recurrent::ExpectedWeight;
using recurrent::verifyResultType;

/// The `rows x cols` every weight must have for `form`, given I and H.
SmallVector<ExpectedWeight> getExpectedWeights(WeightForm form, int64_t input,
                                               int64_t hidden) {
  switch (form) {
  case WeightForm::Stacked:
    return {{4 * hidden, input, "4H x I"}, {4 * hidden, hidden, "4H x H"}};
  case WeightForm::PerGate: {
    SmallVector<ExpectedWeight> weights(4, {hidden, input, "H x I"});
    weights.push_back({4 * hidden, hidden, "4H x H"});
    return weights;
  }
  case WeightForm::Fused:
    return {{4 * hidden, input + hidden, "4H x (I + H)"}};
  case WeightForm::Projected:
    return {{4 * hidden, hidden, "4H x H"}};
  }
  llvm_unreachable("unknown weight form");
}

/// Verifies the operands of an ht.lstm (`isSequence`, time-major unless
/// `batchFirst`) or ht.lstm_cell.
template <typename OpTy>
LogicalResult verifyLSTMOperands(OpTy op, bool isSequence,
                                 bool batchFirst = false) {
  RankedTensorType inputType = op.getInput().getType();
  auto h0Type = cast<RankedTensorType>(op.getH0().getType());
  auto c0Type = cast<RankedTensorType>(op.getC0().getType());
  Type elementType = inputType.getElementType();
  int64_t inputSize, hidden;
  if (failed(recurrent::verifyInputAndState(op, inputType, h0Type, isSequence,
                                            batchFirst, inputSize, hidden)))
    return failure();
  // c0 has h0's type, so h0's checks cover both states.
  if (c0Type != h0Type)
    return op.emitOpError("c0 has type ")
           << c0Type << "; expected the type of h0, " << h0Type;

  WeightForm form = op.getForm();
  if (form == WeightForm::Projected && inputSize != 4 * hidden)
    return op.emitOpError("form 'projected' takes gate pre-activations: the "
                          "input's feature dimension is ")
           << inputSize << "; expected 4H = " << 4 * hidden;
  if (failed(recurrent::verifyWeights(
          op, form, op.getWeights(),
          getExpectedWeights(form, inputSize, hidden), elementType)))
    return failure();
  return recurrent::verifyBiases(op, op.getBiases(), {"b_ih", "b_hh"},
                                 4 * hidden, "[4H]", elementType);
}
} // namespace

LogicalResult LSTMOp::verify() {
  if (failed(verifyLSTMOperands(*this, /*isSequence=*/true, getBatchFirst())))
    return failure();
  return recurrent::verifySequenceResults(
      *this, getInput().getType(), cast<RankedTensorType>(getH0().getType()),
      getOutput(), {{"h_n", getHN()}, {"c_n", getCN()}});
}

LogicalResult LSTMCellOp::verify() {
  if (failed(verifyLSTMOperands(*this, /*isSequence=*/false)))
    return failure();
  Type stateType = getH0().getType();
  return failure(
      failed(verifyResultType(*this, "h", getH().getType(), stateType)) ||
      failed(verifyResultType(*this, "c", getC().getType(), stateType)));
}

//===----------------------------------------------------------------------===//
// ht.lstm_update
//===----------------------------------------------------------------------===//

LogicalResult LSTMUpdateOp::verify() {
  auto stateType = cast<RankedTensorType>(getC0().getType());
  int64_t hidden = stateType.getDimSize(1);
  if (ShapedType::isDynamic(hidden))
    return emitOpError("c0's hidden dimension H must be static, got ")
           << stateType;
  Type elementType = stateType.getElementType();
  if (getPreactivations().empty())
    return emitOpError("takes at least one pre-activation part");
  for (auto [index, part] : llvm::enumerate(getPreactivations())) {
    auto type = cast<RankedTensorType>(part.getType());
    if (type.getElementType() != elementType)
      return emitOpError("pre-activation #")
             << index << "'s element type " << type.getElementType()
             << " differs from c0's " << elementType;
    if (type.getDimSize(1) != 4 * hidden)
      return emitOpError("pre-activation #")
             << index << " is " << type
             << "; expected [B, 4H] with 4H = " << 4 * hidden;
    if (!dimsCompatible(type.getDimSize(0), stateType.getDimSize(0)))
      return emitOpError("pre-activation #")
             << index << "'s batch size " << type.getDimSize(0)
             << " differs from c0's " << stateType.getDimSize(0);
  }
  if (Value bias = getBias()) {
    auto expectedBias = RankedTensorType::get({4 * hidden}, elementType);
    if (bias.getType() != expectedBias)
      return emitOpError("bias has type ")
             << bias.getType() << "; expected " << expectedBias << " ([4H])";
  }
  return failure(
      failed(verifyResultType(*this, "h", getH().getType(), stateType)) ||
      failed(verifyResultType(*this, "c", getC().getType(), stateType)));
}
