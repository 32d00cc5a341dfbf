//===- TestShapes.h - HT shapes for unit tests ------------------*- C++ -*-===//

#ifndef HT_UNITTESTS_TESTSHAPES_H
#define HT_UNITTESTS_TESTSHAPES_H

#include "ht/Dialect/HT/IR/HTShape.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

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

/// A random full binary tree over a random permutation of `numModes` modes.
inline TreeStructure randomTree(int64_t numModes, std::mt19937 &rng) {
  std::vector<std::string> parts;
  for (int64_t mode = 0; mode < numModes; ++mode)
    parts.push_back(std::to_string(mode));
  std::shuffle(parts.begin(), parts.end(), rng);
  while (parts.size() > 1) {
    size_t at = std::uniform_int_distribution<size_t>(0, parts.size() - 2)(rng);
    parts[at] = "(" + parts[at] + ", " + parts[at + 1] + ")";
    parts.erase(parts.begin() + at + 1);
  }
  return llvm::cantFail(TreeStructure::parse(parts.front()));
}

} // namespace mlir::ht::test

#endif // HT_UNITTESTS_TESTSHAPES_H
