//===- RecurrentOps.h - What the LSTM and GRU verifiers share ---*- C++ -*-===//
//
// ht.lstm, ht.gru and their cells take an input, an initial hidden state,
// weights in a form and optional biases; only the gate count, the forms they
// accept and the states differ. These check the shared part.
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_DIALECT_HT_IR_RECURRENTOPS_H
#define HT_LIB_DIALECT_HT_IR_RECURRENTOPS_H

#include "ht/Dialect/HT/IR/HTOps.h"

namespace mlir::ht::recurrent {

/// The rows x cols a weight has, whether dense or HT.
std::pair<int64_t, int64_t> getWeightShape(Type type);
Type getWeightElementType(Type type);

inline bool dimsCompatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

LogicalResult verifyResultType(Operation *op, StringRef name, Type actual,
                               Type expected);

/// A weight's expected `rows x cols` and how the verifier writes it.
struct ExpectedWeight {
  int64_t rows, cols;
  const char *description;
};

/// Checks the input (`[T, B, I]`, `[B, T, I]` batch-first, or one step's
/// `[B, I]`) against `h0` (`[B, H]`, H static) and sets `inputSize` and
/// `hidden`.
LogicalResult verifyInputAndState(Operation *op, RankedTensorType inputType,
                                  RankedTensorType h0Type, bool isSequence,
                                  bool batchFirst, int64_t &inputSize,
                                  int64_t &hidden);

/// Checks the weights' number, shapes and element type against `expected`.
LogicalResult verifyWeights(WeightedOpInterface op, WeightForm form,
                            ValueRange weights,
                            ArrayRef<ExpectedWeight> expected,
                            Type elementType);

/// Checks a whole-sequence op's results: `output` keeps the input's layout
/// (`[T, B, H]` or `[B, T, H]`) and every named final state has `h0`'s type.
LogicalResult
verifySequenceResults(Operation *op, RankedTensorType inputType,
                      RankedTensorType h0Type, Value output,
                      ArrayRef<std::pair<StringRef, Value>> finalStates);

/// Checks that `biases` are none or `names.size()` vectors of `[size]`.
LogicalResult verifyBiases(Operation *op, ValueRange biases,
                           ArrayRef<StringRef> names, int64_t size,
                           StringRef sizeDescription, Type elementType);

} // namespace mlir::ht::recurrent

#endif // HT_LIB_DIALECT_HT_IR_RECURRENTOPS_H
