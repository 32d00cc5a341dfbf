//===- Passes.h - Conversions out of the ht dialect -------------*- C++ -*-===//

#ifndef HT_CONVERSION_PASSES_H
#define HT_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ht {

#define GEN_PASS_DECL
#include "ht/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ht/Conversion/Passes.h.inc"

} // namespace mlir::ht

#endif // HT_CONVERSION_PASSES_H
