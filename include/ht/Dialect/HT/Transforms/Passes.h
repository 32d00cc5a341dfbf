//===- Passes.h - Passes of the ht dialect ----------------------*- C++ -*-===//

#ifndef HT_DIALECT_HT_TRANSFORMS_PASSES_H
#define HT_DIALECT_HT_TRANSFORMS_PASSES_H

#include "ht/Dialect/HT/Analysis/ContractionPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ht {

#define GEN_PASS_DECL
#include "ht/Dialect/HT/Transforms/Passes.h.inc"

/// ht.lstm as an scf.for over its steps, and every step (ht.lstm_cell) as
/// ht.linear products feeding one ht.lstm_update (ht-expand-lstm).
void populateHTExpandLSTMPatterns(RewritePatternSet &patterns);
/// ht.gru and ht.gru_cell as ht.linear products and ht.gru_update.
void populateHTExpandGRUPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "ht/Dialect/HT/Transforms/Passes.h.inc"

} // namespace mlir::ht

#endif // HT_DIALECT_HT_TRANSFORMS_PASSES_H
