//===- ShapeFormat.h - HT shapes in the reports ------------------*- C++ -*-===//
//
// Private to lib/Dialect/HT/Transforms: how ht-stats and ht-compress print
// lists and HT shapes, so their reports read alike.
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_DIALECT_HT_TRANSFORMS_SHAPEFORMAT_H
#define HT_LIB_DIALECT_HT_TRANSFORMS_SHAPEFORMAT_H

#include "ht/Dialect/HT/IR/HTShape.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::ht {

/// "[1, 2, 3]".
inline std::string formatIntList(ArrayRef<int64_t> values) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(values, os);
  os << ']';
  return text;
}

/// "modes [..] x [..], tree (..), leaf ranks [..], node ranks [..]".
inline std::string describeShape(const HTShape &shape) {
  return "modes " + formatIntList(shape.rowModes) + " x " +
         formatIntList(shape.colModes) + ", tree " + shape.tree.str() +
         ", leaf ranks " + formatIntList(shape.leafRanks) + ", node ranks " +
         formatIntList(shape.nodeRanks);
}

} // namespace mlir::ht

#endif // HT_LIB_DIALECT_HT_TRANSFORMS_SHAPEFORMAT_H
