//===- HTTypes.h - Types of the ht dialect ----------------------*- C++ -*-===//

#ifndef HT_DIALECT_HT_IR_HTTYPES_H
#define HT_DIALECT_HT_IR_HTTYPES_H

#include "ht/Dialect/HT/IR/HTAttrs.h"
#include "ht/Dialect/HT/IR/HTShape.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "ht/Dialect/HT/IR/HTOpsTypes.h.inc"

#endif // HT_DIALECT_HT_IR_HTTYPES_H
