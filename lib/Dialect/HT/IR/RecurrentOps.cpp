//===- RecurrentOps.cpp - What the LSTM and GRU verifiers share -----------===//

#include "RecurrentOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::ht;

std::pair<int64_t, int64_t> recurrent::getWeightShape(Type type) {
  if (auto matrix = dyn_cast<MatrixType>(type))
    return {matrix.getNumRows(), matrix.getNumCols()};
  auto tensor = cast<RankedTensorType>(type);
  return {tensor.getDimSize(0), tensor.getDimSize(1)};
}

Type recurrent::getWeightElementType(Type type) {
  if (auto matrix = dyn_cast<MatrixType>(type))
    return matrix.getElementType();
  return cast<RankedTensorType>(type).getElementType();
}

LogicalResult recurrent::verifyResultType(Operation *op, StringRef name,
                                          Type actual, Type expected) {
  if (actual == expected)
    return success();
  return op->emitOpError("result ")
         << name << " has type " << actual << "; expected " << expected;
}

LogicalResult recurrent::verifyInputAndState(
    Operation *op, RankedTensorType inputType, RankedTensorType h0Type,
    bool isSequence, bool batchFirst, int64_t &inputSize, int64_t &hidden) {
  int64_t expectedRank = isSequence ? 3 : 2;
  const char *layout =
      isSequence ? (batchFirst ? "[B, T, I]" : "[T, B, I]") : "[B, I]";
  if (inputType.getRank() != expectedRank)
    return op->emitOpError("input must be ")
           << layout << " (rank " << expectedRank << "), got " << inputType;
  inputSize = inputType.getShape().back();
  if (ShapedType::isDynamic(inputSize))
    return op->emitOpError("input's feature dimension I must be static, got ")
           << inputType;
  hidden = h0Type.getDimSize(1);
  if (ShapedType::isDynamic(hidden))
    return op->emitOpError("h0's hidden dimension H must be static, got ")
           << h0Type;
  int64_t inputBatch = inputType.getShape()[isSequence && !batchFirst ? 1 : 0];
  if (!dimsCompatible(inputBatch, h0Type.getDimSize(0)))
    return op->emitOpError("input's batch size ")
           << inputBatch << " differs from h0's " << h0Type.getDimSize(0);
  if (h0Type.getElementType() != inputType.getElementType())
    return op->emitOpError("h0's element type ")
           << h0Type.getElementType() << " differs from the input's "
           << inputType.getElementType();
  return success();
}

LogicalResult recurrent::verifyWeights(WeightedOpInterface op, WeightForm form,
                                       ValueRange weights,
                                       ArrayRef<ExpectedWeight> expected,
                                       Type elementType) {
  if (weights.size() != expected.size())
    return op->emitOpError("form '")
           << stringifyWeightForm(form) << "' takes " << expected.size()
           << " weights, got " << weights.size();
  for (auto [index, weight] : llvm::enumerate(weights)) {
    std::string role = op.getWeightName(index);
    auto [rows, cols] = getWeightShape(weight.getType());
    if (rows != expected[index].rows || cols != expected[index].cols)
      return op->emitOpError()
             << role << " is " << rows << " x " << cols << "; expected "
             << expected[index].description << " = " << expected[index].rows
             << " x " << expected[index].cols;
    if (getWeightElementType(weight.getType()) != elementType)
      return op->emitOpError() << role << "'s element type "
                               << getWeightElementType(weight.getType())
                               << " differs from the input's " << elementType;
  }
  return success();
}

LogicalResult recurrent::verifyBiases(Operation *op, ValueRange biases,
                                      ArrayRef<StringRef> names, int64_t size,
                                      StringRef sizeDescription,
                                      Type elementType) {
  if (biases.empty())
    return success();
  if (biases.size() != names.size())
    return op->emitOpError("takes 0 or ")
           << names.size() << " biases (" << llvm::join(names, ", ")
           << "), got " << biases.size();
  auto expectedBias = RankedTensorType::get({size}, elementType);
  for (auto [name, bias] : llvm::zip_equal(names, biases))
    if (bias.getType() != expectedBias)
      return op->emitOpError()
             << name << " has type " << bias.getType() << "; expected "
             << expectedBias << " (" << sizeDescription << ")";
  return success();
}

LogicalResult recurrent::verifySequenceResults(
    Operation *op, RankedTensorType inputType, RankedTensorType h0Type,
    Value output, ArrayRef<std::pair<StringRef, Value>> finalStates) {
  auto expectedOutput = RankedTensorType::get(
      {inputType.getDimSize(0), inputType.getDimSize(1), h0Type.getDimSize(1)},
      inputType.getElementType());
  if (failed(verifyResultType(op, "output", output.getType(), expectedOutput)))
    return failure();
  for (auto [name, state] : finalStates)
    if (failed(verifyResultType(op, name, state.getType(), h0Type)))
      return failure();
  return success();
}
