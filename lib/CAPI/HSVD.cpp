//===- HSVD.cpp - The hierarchical SVD for C callers ----------------------===//

#include "ht-c/HSVD.h"
#include "ht/Compression/HSVD.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <new>
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
  return htHSVDWithBudget(dense, rows, cols, num_modes, row_modes, col_modes,
                          tree, max_rank, tolerance, 0, result, error,
                          error_size);
}

int htHSVDWithBudget(const double *dense, int64_t rows, int64_t cols,
                     int64_t num_modes, const int64_t *row_modes,
                     const int64_t *col_modes, const char *tree,
                     int64_t max_rank, double tolerance,
                     int64_t max_parameters, HTHSVDResult **result,
                     char *error, size_t error_size) {
  if (!dense || !row_modes || !col_modes || !result) {
    copyText("dense, row_modes, col_modes and result must not be NULL", error,
             error_size);
    return 1;
  }
  *result = nullptr;
  if (!TreeStructure::isValidNumModes(num_modes)) {
    copyText("num_modes is " + std::to_string(num_modes) + "; expected 2 to " +
                 std::to_string(TreeStructure::kMaxModes),
             error, error_size);
    return 1;
  }
  // computeHSVD checks the sizes; the product is only formed once they
  // are known to be positive and not to overflow.
  int64_t numElements = 0;
  if (rows < 1 || cols < 1 || llvm::MulOverflow(rows, cols, numElements)) {
    copyText("the matrix is " + std::to_string(rows) + " x " +
                 std::to_string(cols) +
                 "; expected positive sizes whose product fits in 64 bits",
             error, error_size);
    return 1;
  }
  try {
    llvm::Expected<TreeStructure> structure =
        tree ? TreeStructure::parse(tree)
             : llvm::Expected<TreeStructure>(
                   TreeStructure::balanced(num_modes));
    if (!structure) {
      copyText("tree: " + llvm::toString(structure.takeError()), error,
               error_size);
      return 1;
    }
    HSVDOptions options;
    if (max_rank > 0)
      options.maxRank = max_rank;
    options.tolerance = tolerance;
    if (max_parameters > 0)
      options.maxParameters = max_parameters;
    else if (max_parameters < 0) {
      copyText("max_parameters is " + std::to_string(max_parameters) +
                   "; expected a budget >= 1, or 0 for none",
               error, error_size);
      return 1;
    }
    llvm::Expected<HSVDResult> hsvd = computeHSVD(
        llvm::ArrayRef<double>(dense, numElements), rows, cols,
        llvm::ArrayRef<int64_t>(row_modes, num_modes),
        llvm::ArrayRef<int64_t>(col_modes, num_modes), *structure, options);
    if (!hsvd) {
      copyText(llvm::toString(hsvd.takeError()), error, error_size);
      return 1;
    }
    *result = new HTHSVDResult{std::move(*hsvd)};
  } catch (const std::bad_alloc &) {
    copyText("out of memory", error, error_size);
    return 1;
  }
  return 0;
}

int htHSVDRanks(const HTHSVDResult *result, int64_t *leaf_ranks,
                int64_t *node_ranks) {
  if (!result || !leaf_ranks || !node_ranks)
    return 1;
  const HTShape &shape = result->hsvd.factors.shape;
  std::copy(shape.leafRanks.begin(), shape.leafRanks.end(), leaf_ranks);
  std::copy(shape.nodeRanks.begin(), shape.nodeRanks.end(), node_ranks);
  return 0;
}

int htHSVDTree(const HTHSVDResult *result, char *tree, size_t size) {
  if (!result || !tree || size == 0)
    return 1;
  copyText(result->hsvd.factors.shape.tree.str(), tree, size);
  return 0;
}

/// Copies `factors[index]` into `values` if the index exists.
static int copyFactor(const std::vector<std::vector<double>> &factors,
                      int64_t index, double *values) {
  if (!values || index < 0 || index >= static_cast<int64_t>(factors.size()))
    return 1;
  std::copy(factors[index].begin(), factors[index].end(), values);
  return 0;
}

int htHSVDLeaf(const HTHSVDResult *result, int64_t mode, double *values) {
  return result ? copyFactor(result->hsvd.factors.leaves, mode, values) : 1;
}

int htHSVDTransfer(const HTHSVDResult *result, int64_t node, double *values) {
  return result ? copyFactor(result->hsvd.factors.transfers, node, values)
                : 1;
}

double htHSVDRelativeErrorBound(const HTHSVDResult *result) {
  return result ? result->hsvd.relativeErrorBound : -1.0;
}

void htHSVDDestroy(HTHSVDResult *result) { delete result; }
