//===- HTDialect.h - The ht dialect -----------------------------*- C++ -*-===//

#ifndef HT_DIALECT_HT_IR_HTDIALECT_H
#define HT_DIALECT_HT_IR_HTDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "ht/Dialect/HT/IR/HTOpsDialect.h.inc"

#endif // HT_DIALECT_HT_IR_HTDIALECT_H
