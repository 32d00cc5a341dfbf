//===- TreeStructure.h - Dimension trees of HT matrices ---------*- C++ -*-===//
//
// A dimension tree is a full binary tree whose leaves are the modes 0..d-1 of
// an HT matrix. This header has no MLIR dependency so that analyses and unit
// tests can use it on their own.
//
//===----------------------------------------------------------------------===//

#ifndef HT_DIALECT_HT_IR_TREESTRUCTURE_H
#define HT_DIALECT_HT_IR_TREESTRUCTURE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir::ht {

/// A node of a dimension tree: a leaf named by its mode, or an internal node
/// named by its preorder index (the root is internal node 0).
struct TreeNodeRef {
  bool leaf = false;
  int64_t index = 0;

  static TreeNodeRef makeLeaf(int64_t mode) { return {true, mode}; }
  static TreeNodeRef makeInternal(int64_t node) { return {false, node}; }
  bool isLeaf() const { return leaf; }
  bool operator==(const TreeNodeRef &other) const {
    return leaf == other.leaf && index == other.index;
  }
  bool operator!=(const TreeNodeRef &other) const { return !(*this == other); }
};

/// The structure of a dimension tree, built from its preorder encoding: a
/// leaf is its mode index, an internal node is -1 followed by its left and
/// right subtrees. `((0, 1), (2, 3))` encodes as `[-1, -1, 0, 1, -1, 2, 3]`.
class TreeStructure {
public:
  /// Marks an internal node in the preorder encoding.
  static constexpr int64_t kInternalMarker = -1;
  /// The most modes a tree may have.
  static constexpr int64_t kMaxModes = 256;

  /// Whether a tree over `numModes` modes can exist here: [2, kMaxModes].
  static constexpr bool isValidNumModes(int64_t numModes) {
    return numModes >= 2 && numModes <= kMaxModes;
  }

  /// Builds the structure of a valid encoding; the error says what is wrong
  /// (not full binary, a mode missing or repeated, a single leaf, ...).
  static llvm::Expected<TreeStructure> fromEncoding(llvm::ArrayRef<int64_t>);

  /// Parses the written form, for example "((0,1),(2,3))" or "(0,(1,2))".
  static llvm::Expected<TreeStructure> parse(llvm::StringRef text);

  /// The balanced tree over modes 0..numModes-1 in order; the left subtree
  /// takes the larger half. Requires isValidNumModes(numModes).
  static TreeStructure balanced(int64_t numModes);

  /// The left-deep (degenerate) tree (((0, 1), 2), ...). Requires
  /// isValidNumModes(numModes).
  static TreeStructure leftDeep(int64_t numModes);

  int64_t getNumModes() const { return leafParent.size(); }
  int64_t getNumInternalNodes() const { return internalNodes.size(); }
  llvm::ArrayRef<int64_t> getEncoding() const { return encoding; }

  TreeNodeRef getRoot() const { return TreeNodeRef::makeInternal(0); }
  TreeNodeRef getLeft(int64_t node) const { return internalNodes[node].left; }
  TreeNodeRef getRight(int64_t node) const { return internalNodes[node].right; }
  /// The internal node above `node`, or nullopt for the root.
  std::optional<int64_t> getParent(TreeNodeRef node) const;
  /// The modes below `node`, in written (left-to-right) order.
  llvm::SmallVector<int64_t> getModesBelow(TreeNodeRef node) const;

  /// Prints the canonical written form, "((0, 1), (2, 3))".
  void print(llvm::raw_ostream &os) const;
  std::string str() const;

  bool operator==(const TreeStructure &other) const {
    return encoding == other.encoding;
  }

private:
  struct InternalNode {
    TreeNodeRef left, right;
    int64_t parent; // -1 for the root.
  };

  TreeStructure() = default;
  void printNode(llvm::raw_ostream &os, TreeNodeRef node) const;

  llvm::SmallVector<int64_t> encoding;
  llvm::SmallVector<InternalNode> internalNodes;
  llvm::SmallVector<int64_t> leafParent;
};

} // namespace mlir::ht

#endif // HT_DIALECT_HT_IR_TREESTRUCTURE_H
