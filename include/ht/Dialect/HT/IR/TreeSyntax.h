//===- TreeSyntax.h - Written form of dimension trees -----------*- C++ -*-===//
//
// The `custom<BareTree>` directive: a dimension tree written without the
// `#ht.tree<...>` wrapper, as in `tree = ((0, 1), (2, 3))` inside a type.
// Defined in HTAttrs.cpp, next to the attribute's storage.
//
//===----------------------------------------------------------------------===//

#ifndef HT_DIALECT_HT_IR_TREESYNTAX_H
#define HT_DIALECT_HT_IR_TREESYNTAX_H

#include "ht/Dialect/HT/IR/HTAttrs.h"

#include "mlir/IR/OpImplementation.h"

namespace mlir::ht {

ParseResult parseBareTree(AsmParser &parser, DimensionTreeAttr &tree);
void printBareTree(AsmPrinter &printer, DimensionTreeAttr tree);

} // namespace mlir::ht

#endif // HT_DIALECT_HT_IR_TREESYNTAX_H
