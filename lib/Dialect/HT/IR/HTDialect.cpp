//===- HTDialect.cpp - The ht dialect ---------------------------------------===//

#include "ht/Dialect/HT/IR/HTDialect.h"
#include "ht/Dialect/HT/IR/HTOps.h"

using namespace mlir;
using namespace mlir::ht;

#include "ht/Dialect/HT/IR/HTOpsDialect.cpp.inc"

void HTDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ht/Dialect/HT/IR/HTOps.cpp.inc"
      >();
  registerAttributes();
  registerTypes();
}
