//===- HSVD.cpp - The hierarchical SVD for C callers ----------------------===//

#include "ht-c/HSVD.h"
#include "ht/Compression/HSVD.h"

#include <algorithm>
#include <cstring>
#include <string>

using namespace mlir::ht;

struct HTHSVDResult {
  HSVDResult hsvd;
};

static void copyText(const std::string &text, char *into, size_t size) {
  if (!into || size == 0)
    return;
  size_t count = std::min(text.size(), size - 1);
  std::memcpy(into, text.data(), count);
  into[count] = '\0';
}

int htHSVD(const double *dense, int64_t rows, int64_t cols, int64_t num_modes,
           const int64_t *row_modes, const int64_t *col_modes,
           const char *tree, int64_t max_rank, double tolerance,
           HTHSVDResult **result, char *error, size_t error_size) {
  if (!dense || !row_modes || !col_modes || !result || rows < 1 || cols < 1 ||
      num_modes < 2) {
    copyText("null pointer, empty matrix or fewer than 2 modes", error,
             error_size);
    return 1;
  }
  llvm::Expected<TreeStructure> structure =
      tree ? TreeStructure::parse(tree)
           : llvm::Expected<TreeStructure>(TreeStructure::balanced(num_modes));
  if (!structure) {
    copyText("tree: " + llvm::toString(structure.takeError()), error,
             error_size);
    return 1;
  }
  HSVDOptions options;
  if (max_rank > 0)
    options.maxRank = max_rank;
  options.tolerance = tolerance;
  llvm::Expected<HSVDResult> hsvd = computeHSVD(
      llvm::ArrayRef<double>(dense, rows * cols), rows, cols,
      llvm::ArrayRef<int64_t>(row_modes, num_modes),
      llvm::ArrayRef<int64_t>(col_modes, num_modes), *structure, options);
  if (!hsvd) {
    copyText(llvm::toString(hsvd.takeError()), error, error_size);
    return 1;
  }
  *result = new HTHSVDResult{std::move(*hsvd)};
  return 0;
}

void htHSVDRanks(const HTHSVDResult *result, int64_t *leaf_ranks,
                 int64_t *node_ranks) {
  const HTShape &shape = result->hsvd.factors.shape;
  std::copy(shape.leafRanks.begin(), shape.leafRanks.end(), leaf_ranks);
  std::copy(shape.nodeRanks.begin(), shape.nodeRanks.end(), node_ranks);
}

void htHSVDTree(const HTHSVDResult *result, char *tree, size_t size) {
  copyText(result->hsvd.factors.shape.tree.str(), tree, size);
}

void htHSVDLeaf(const HTHSVDResult *result, int64_t mode, double *values) {
  const std::vector<double> &leaf = result->hsvd.factors.leaves[mode];
  std::copy(leaf.begin(), leaf.end(), values);
}

void htHSVDTransfer(const HTHSVDResult *result, int64_t node,
                    double *values) {
  const std::vector<double> &transfer = result->hsvd.factors.transfers[node];
  std::copy(transfer.begin(), transfer.end(), values);
}

double htHSVDRelativeErrorBound(const HTHSVDResult *result) {
  return result->hsvd.relativeErrorBound;
}

void htHSVDDestroy(HTHSVDResult *result) { delete result; }
