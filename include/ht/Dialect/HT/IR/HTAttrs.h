//===- HTAttrs.h - Attributes and enums of the ht dialect -------*- C++ -*-===//

#ifndef HT_DIALECT_HT_IR_HTATTRS_H
#define HT_DIALECT_HT_IR_HTATTRS_H

#include "ht/Dialect/HT/IR/TreeStructure.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "ht/Dialect/HT/IR/HTEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ht/Dialect/HT/IR/HTAttrs.h.inc"

#endif // HT_DIALECT_HT_IR_HTATTRS_H
