//===- EntrySignature.h - Sizes of a model's entry point --------*- C++ -*-===//
//
// What a caller of a compiled entry point must know: its tensor inputs and
// outputs, with names, and which dynamic dimensions are the same size. A
// dynamic dimension becomes a named size symbol ("seq_len", "batch") shared
// by every dimension the ht ops tie it to (an LSTM's batch is dimension 1 of
// x and dimension 0 of h0, c0 and of the outputs). ht-run checks inputs
// against it; ht-compile turns it into a C API.
//
//===----------------------------------------------------------------------===//

#ifndef HT_DIALECT_HT_ANALYSIS_ENTRYSIGNATURE_H
#define HT_DIALECT_HT_ANALYSIS_ENTRYSIGNATURE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"

#include <string>

namespace mlir::ht {

struct EntryTensor {
  std::string name;
  RankedTensorType type;
  /// Per dimension: a size symbol, or -1 where the size is fixed.
  SmallVector<int> symbols;
  /// Per dimension: the fixed size (also where the type says `?` but a tied
  /// dimension is static), or -1 where a symbol gives it.
  SmallVector<int64_t> fixedSizes;

  /// Whether the elements are i32 (an argmax head's classes), not f32.
  bool isInt32() const { return type.getElementType().isSignlessInteger(32); }
  /// The element type as C and NumPy name it.
  const char *getCType() const { return isInt32() ? "int32_t" : "float"; }
  const char *getDType() const { return isInt32() ? "int32" : "float32"; }
};

struct EntrySignature {
  std::string function;
  SmallVector<EntryTensor> inputs;
  SmallVector<EntryTensor> outputs;
  /// Names of the size symbols, in order of first use by an input.
  SmallVector<std::string> symbols;

  /// "x [seq_len, batch, 57600]".
  std::string describe(const EntryTensor &tensor) const;
};

/// Analyses `func`, whose arguments and results must all be ranked f32
/// tensors and whose results' dynamic sizes must follow from its arguments'.
/// Emits an error on `func` and fails otherwise.
FailureOr<EntrySignature> analyzeEntrySignature(func::FuncOp func);

} // namespace mlir::ht

#endif // HT_DIALECT_HT_ANALYSIS_ENTRYSIGNATURE_H
