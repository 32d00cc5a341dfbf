//===- TestShapes.h - HT shapes for unit tests ------------------*- C++ -*-===//

#ifndef HT_UNITTESTS_TESTSHAPES_H
#define HT_UNITTESTS_TESTSHAPES_H

#include "ht/Dialect/HT/IR/HTShape.h"

namespace mlir::ht::test {

/// An HT shape from its written tree; the tree must parse.
inline HTShape makeShape(llvm::ArrayRef<int64_t> rows,
                         llvm::ArrayRef<int64_t> cols, llvm::StringRef tree,
                         llvm::ArrayRef<int64_t> leafRanks,
                         llvm::ArrayRef<int64_t> nodeRanks) {
  return HTShape{llvm::SmallVector<int64_t>(rows),
                 llvm::SmallVector<int64_t>(cols),
                 llvm::cantFail(TreeStructure::parse(tree)),
                 llvm::SmallVector<int64_t>(leafRanks),
                 llvm::SmallVector<int64_t>(nodeRanks)};
}

} // namespace mlir::ht::test

#endif // HT_UNITTESTS_TESTSHAPES_H
