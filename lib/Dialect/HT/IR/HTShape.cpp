//===- HTShape.cpp - The shape of an HT matrix as a plain value -----------===//

#include "ht/Dialect/HT/IR/HTShape.h"

#include "ht/Support/CheckedSize.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::ht;

static int64_t product(ArrayRef<int64_t> values) {
  int64_t result = 1;
  for (int64_t value : values)
    result *= value;
  return result;
}

int64_t HTShape::getNumRows() const { return product(rowModes); }
int64_t HTShape::getNumCols() const { return product(colModes); }

std::array<int64_t, 3> HTShape::getLeafShape(int64_t mode) const {
  return {rowModes[mode], colModes[mode], leafRanks[mode]};
}

std::array<int64_t, 3> HTShape::getTransferShape(int64_t node) const {
  return {getRank(tree.getLeft(node)), getRank(tree.getRight(node)),
          nodeRanks[node]};
}


static LogicalResult verifyPositive(function_ref<InFlightDiagnostic()> emitError,
                                    StringRef field, ArrayRef<int64_t> values,
                                    StringRef what) {
  for (auto [index, value] : llvm::enumerate(values))
    if (value < 1)
      return emitError() << field << "[" << index << "] is " << value << "; "
                         << what << " must be at least 1";
  return success();
}

LogicalResult HTShape::verify(function_ref<InFlightDiagnostic()> emitError,
                              ArrayRef<int64_t> rowModes,
                              ArrayRef<int64_t> colModes,
                              const TreeStructure &tree,
                              ArrayRef<int64_t> leafRanks,
                              ArrayRef<int64_t> nodeRanks) {
  size_t numModes = tree.getNumModes();
  if (rowModes.size() != numModes)
    return emitError() << "row modes list " << rowModes.size()
                       << " sizes; expected " << numModes
                       << " (one per leaf of the tree "
                       << tree.str() << ")";
  if (colModes.size() != numModes)
    return emitError() << "column modes list " << colModes.size()
                       << " sizes; expected " << numModes
                       << " (one per leaf of the tree " << tree.str() << ")";
  if (leafRanks.size() != numModes)
    return emitError() << "leaf_ranks has " << leafRanks.size()
                       << " entries; expected " << numModes
                       << " (one per mode)";
  if (nodeRanks.size() != numModes - 1)
    return emitError() << "node_ranks has " << nodeRanks.size()
                       << " entries; expected " << numModes - 1
                       << " (one per internal node, in preorder)";
  if (failed(verifyPositive(emitError, "row modes", rowModes, "mode sizes")) ||
      failed(verifyPositive(emitError, "column modes", colModes, "mode sizes")) ||
      failed(verifyPositive(emitError, "leaf_ranks", leafRanks, "ranks")) ||
      failed(verifyPositive(emitError, "node_ranks", nodeRanks, "ranks")))
    return failure();
  if (nodeRanks.front() != 1)
    return emitError() << "node_ranks[0] (the root's rank) is "
                       << nodeRanks.front() << "; expected 1";

  std::optional<int64_t> rows = checkedProduct(rowModes);
  std::optional<int64_t> cols = checkedProduct(colModes);
  if (!rows || !cols || !llvm::checkedMul(*rows, *cols))
    return emitError() << "the matrix has more than 2^63 elements";
  // Every factor, and so their sum, must be countable too.
  HTShape shape{SmallVector<int64_t>(rowModes), SmallVector<int64_t>(colModes),
                tree, SmallVector<int64_t>(leafRanks),
                SmallVector<int64_t>(nodeRanks)};
  int64_t total = 0;
  auto addFactor = [&](std::array<int64_t, 3> factorShape) {
    std::optional<int64_t> size = checkedProduct(factorShape);
    return size && !llvm::AddOverflow(total, *size, total);
  };
  for (size_t mode = 0; mode < numModes; ++mode)
    if (!addFactor(shape.getLeafShape(mode)))
      return emitError() << "the factors have more than 2^63 elements";
  for (size_t node = 0; node + 1 < numModes; ++node)
    if (!addFactor(shape.getTransferShape(node)))
      return emitError() << "the factors have more than 2^63 elements";
  return success();
}
