//===- HTShape.h - The shape of an HT matrix as a plain value ---*- C++ -*-===//
//
// Everything that determines the shape of an HT matrix's factors, without the
// factors. The `!ht.matrix` type stores exactly this; analyses (parameter
// counts, contraction-order search) take it so they can run without IR.
//
//===----------------------------------------------------------------------===//

#ifndef HT_DIALECT_HT_IR_HTSHAPE_H
#define HT_DIALECT_HT_IR_HTSHAPE_H

#include "ht/Dialect/HT/IR/TreeStructure.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"

#include <array>

namespace mlir::ht {

struct HTShape {
  SmallVector<int64_t> rowModes;  // m_k, by mode
  SmallVector<int64_t> colModes;  // n_k, by mode
  TreeStructure tree;
  SmallVector<int64_t> leafRanks; // r_k, by mode
  SmallVector<int64_t> nodeRanks; // r_t, internal nodes in preorder

  int64_t getNumModes() const { return rowModes.size(); }
  /// M = prod(m_k). Only meaningful on a shape that verifies.
  int64_t getNumRows() const;
  /// N = prod(n_k). Only meaningful on a shape that verifies.
  int64_t getNumCols() const;
  int64_t getRank(TreeNodeRef node) const {
    return node.isLeaf() ? leafRanks[node.index] : nodeRanks[node.index];
  }
  /// [m_k, n_k, r_k], the shape of mode k's leaf frame.
  std::array<int64_t, 3> getLeafShape(int64_t mode) const;
  /// [r_left, r_right, r_node], the shape of an internal node's transfer tensor.
  std::array<int64_t, 3> getTransferShape(int64_t node) const;

  /// Checks every rule that relates the fields: list lengths against the
  /// tree, positive sizes and ranks, root rank 1, M * N within int64. Each
  /// message names the field and the expected value.
  static LogicalResult verify(function_ref<InFlightDiagnostic()> emitError,
                              ArrayRef<int64_t> rowModes,
                              ArrayRef<int64_t> colModes,
                              const TreeStructure &tree,
                              ArrayRef<int64_t> leafRanks,
                              ArrayRef<int64_t> nodeRanks);
};

} // namespace mlir::ht

#endif // HT_DIALECT_HT_IR_HTSHAPE_H
