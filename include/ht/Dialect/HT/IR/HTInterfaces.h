//===- HTInterfaces.h - Interfaces of the ht dialect ------------*- C++ -*-===//

#ifndef HT_DIALECT_HT_IR_HTINTERFACES_H
#define HT_DIALECT_HT_IR_HTINTERFACES_H

#include "ht/Dialect/HT/IR/HTAttrs.h"

#include "mlir/IR/OpDefinition.h"

#include <optional>
#include <string>

namespace mlir::ht {
/// "W_ih", "W_ih[f]", "W_hh", "[W_ih|W_hh]" or "W"; `gateNames` has a letter
/// per gate ("ifgo" for an LSTM, "rzn" for a GRU).
std::string getWeightName(WeightRole role, std::optional<unsigned> gate,
                          llvm::StringRef gateNames = "ifgo");
} // namespace mlir::ht

#include "ht/Dialect/HT/IR/HTInterfaces.h.inc"

#endif // HT_DIALECT_HT_IR_HTINTERFACES_H
