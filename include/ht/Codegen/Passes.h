//===- Passes.h - CPU code generation passes --------------------*- C++ -*-===//

#ifndef HT_CODEGEN_PASSES_H
#define HT_CODEGEN_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ht {

#define GEN_PASS_DECL
#include "ht/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ht/Codegen/Passes.h.inc"

} // namespace mlir::ht

#endif // HT_CODEGEN_PASSES_H
