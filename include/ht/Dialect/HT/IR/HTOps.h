//===- HTOps.h - Operations of the ht dialect -------------------*- C++ -*-===//

#ifndef HT_DIALECT_HT_IR_HTOPS_H
#define HT_DIALECT_HT_IR_HTOPS_H

#include "ht/Dialect/HT/IR/HTAttrs.h"
#include "ht/Dialect/HT/IR/HTDialect.h"
#include "ht/Dialect/HT/IR/HTInterfaces.h"
#include "ht/Dialect/HT/IR/HTTypes.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "ht/Dialect/HT/IR/HTOps.h.inc"

#endif // HT_DIALECT_HT_IR_HTOPS_H
