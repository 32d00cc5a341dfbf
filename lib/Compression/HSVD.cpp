//===- HSVD.cpp - Hierarchical SVD of a dense matrix ----------------------===//

#include "ht/Compression/HSVD.h"
#include "RankBudget.h"
#include "ht/Support/CheckedSize.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>

using namespace mlir;
using namespace mlir::ht;

namespace {

using RowMajorMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMajorMap = Eigen::Map<const RowMajorMatrix>;
using RowMajorMap = Eigen::Map<RowMajorMatrix>;

/// Singular values below this fraction of the largest are numerically zero:
/// they come from a Gram matrix, whose eigenvalues carry an absolute error of
/// about eps * sigma_max^2, so smaller sigma cannot be told from 0.
constexpr double kNumericalRankCutoff = 1e-7;

std::string formatList(ArrayRef<int64_t> values) {
  std::string text = "[";
  llvm::interleave(
      values, [&](int64_t v) { text += std::to_string(v); },
      [&] { text += ", "; });
  return text + "]";
}

std::string formatDouble(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

int64_t product(ArrayRef<int64_t> values) {
  return std::accumulate(values.begin(), values.end(), int64_t(1),
                         std::multiplies<int64_t>());
}


llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Where entry (i, j) of the matrix sits in the order-d tensor whose modes
/// are the tree's leaves in written order, mode k's index being
/// i_k * n_k + j_k: offset = rowOffset[i] + colOffset[j].
struct TensorLayout {
  SmallVector<int64_t> leafOrder; // modes in the tree's written order
  SmallVector<int64_t> dims;      // m_k * n_k, in leafOrder
  std::vector<int64_t> rowOffset, colOffset;

  explicit TensorLayout(const HTShape &shape) {
    leafOrder = shape.tree.getModesBelow(shape.tree.getRoot());
    int64_t numModes = shape.getNumModes();
    SmallVector<int64_t> strideOfMode(numModes);
    int64_t stride = 1;
    for (int64_t pos = numModes - 1; pos >= 0; --pos) {
      int64_t mode = leafOrder[pos];
      strideOfMode[mode] = stride;
      stride *= shape.rowModes[mode] * shape.colModes[mode];
    }
    for (int64_t mode : leafOrder)
      dims.push_back(shape.rowModes[mode] * shape.colModes[mode]);
    auto offsets = [&](ArrayRef<int64_t> sizes, auto scale) {
      std::vector<int64_t> table(product(sizes));
      for (int64_t index = 0, e = table.size(); index < e; ++index) {
        int64_t rest = index, offset = 0;
        for (int64_t mode = numModes - 1; mode >= 0; --mode) {
          offset += (rest % sizes[mode]) * scale(mode) * strideOfMode[mode];
          rest /= sizes[mode];
        }
        table[index] = offset;
      }
      return table;
    };
    rowOffset = offsets(shape.rowModes,
                        [&](int64_t mode) { return shape.colModes[mode]; });
    colOffset = offsets(shape.colModes, [](int64_t) { return int64_t(1); });
  }
};

/// Flips each column so that its entry of largest magnitude is positive:
/// singular vectors are defined up to sign, and this fixes one.
void normalizeSigns(Eigen::MatrixXd &basis) {
  for (Eigen::Index col = 0; col < basis.cols(); ++col) {
    Eigen::Index at = 0;
    basis.col(col).cwiseAbs().maxCoeff(&at);
    if (basis(at, col) < 0)
      basis.col(col) *= -1;
  }
}

/// One truncation of the leaves-to-root sweep: the tensor is seen as
/// [outer, size, inner] around the mode being truncated.
class Sweep {
public:
  Sweep(std::vector<double> tensor, double nodeBudgetSquared,
        std::optional<int64_t> maxRank)
      : tensor(std::move(tensor)), nodeBudgetSquared(nodeBudgetSquared),
        maxRank(maxRank) {}

  /// Replaces mode [outer, size, inner] by its leading left singular
  /// subspace, of at most `cap` dimensions when given; returns the basis
  /// (size x rank) and stores the singular values in `singularValues`.
  Eigen::MatrixXd truncate(int64_t outer, int64_t size, int64_t inner,
                           std::optional<int64_t> cap,
                           std::vector<double> &singularValues) {
    Eigen::VectorXd sigma;
    Eigen::MatrixXd basis = leadingBasis(outer, size, inner, cap, sigma);
    singularValues.assign(sigma.data(), sigma.data() + sigma.size());
    std::vector<double> projected(outer * basis.cols() * inner);
    for (int64_t block = 0; block < outer; ++block) {
      ConstRowMajorMap slice(tensor.data() + block * size * inner, size, inner);
      RowMajorMap target(projected.data() + block * basis.cols() * inner,
                         basis.cols(), inner);
      target.noalias() = basis.transpose() * slice;
    }
    tensor = std::move(projected);
    return basis;
  }

  const std::vector<double> &getTensor() const { return tensor; }
  double getDiscardedSquared() const { return discardedSquared; }

private:
  /// Left singular vectors of the size x (outer*inner) matricization, from
  /// the eigen-decomposition of the smaller of its two Gram matrices.
  Eigen::MatrixXd leadingBasis(int64_t outer, int64_t size, int64_t inner,
                               std::optional<int64_t> cap,
                               Eigen::VectorXd &sigma) {
    int64_t others = outer * inner;
    bool gramOfRows = size <= others;
    Eigen::MatrixXd matricization; // only needed for the column Gram
    Eigen::MatrixXd gram;
    if (gramOfRows) {
      gram = Eigen::MatrixXd::Zero(size, size);
      for (int64_t block = 0; block < outer; ++block)
        gram.selfadjointView<Eigen::Lower>().rankUpdate(ConstRowMajorMap(
            tensor.data() + block * size * inner, size, inner));
    } else {
      matricization.resize(size, others);
      for (int64_t block = 0; block < outer; ++block)
        matricization.middleCols(block * inner, inner) = ConstRowMajorMap(
            tensor.data() + block * size * inner, size, inner);
      gram = Eigen::MatrixXd::Zero(others, others);
      gram.selfadjointView<Eigen::Lower>().rankUpdate(
          matricization.transpose());
    }
    // The solver reads only the lower triangle, which rankUpdate filled.
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram);
    // Eigenvalues come in ascending order; reverse to descending sigma.
    Eigen::VectorXd eigenvalues = solver.eigenvalues().reverse();
    Eigen::MatrixXd vectors = solver.eigenvectors().rowwise().reverse();
    sigma = eigenvalues.cwiseMax(0.0).cwiseSqrt();

    int64_t rank = chooseRank(sigma);
    if (cap)
      rank = std::min(rank, *cap);
    // Numerically zero sigma are Gram noise of order sqrt(eps) * sigma_max,
    // not signal: they count as 0, so the bound resolves errors down to about
    // kNumericalRankCutoff relative.
    for (Eigen::Index i = rank; i < sigma.size(); ++i)
      if (sigma[i] > kNumericalRankCutoff * sigma[0])
        discardedSquared += sigma[i] * sigma[i];

    Eigen::MatrixXd basis;
    if (gramOfRows) {
      basis = vectors.leftCols(rank);
    } else {
      basis = matricization * vectors.leftCols(rank);
      for (int64_t col = 0; col < rank; ++col) {
        if (sigma[col] > 0)
          basis.col(col) /= sigma[col];
        else // an all-zero tensor: any unit vector spans its (zero) range
          basis.col(col) = Eigen::VectorXd::Unit(size, col);
      }
    }
    normalizeSigns(basis);
    return basis;
  }

  int64_t chooseRank(const Eigen::VectorXd &sigma) const {
    int64_t available = sigma.size();
    int64_t numerical = 1;
    while (numerical < available &&
           sigma[numerical] > kNumericalRankCutoff * sigma[0])
      ++numerical;
    int64_t rank = numerical;
    if (maxRank)
      rank = std::min(rank, *maxRank);
    // The smallest rank whose discarded tail fits this node's budget.
    double tail = 0.0;
    for (int64_t i = available - 1; i >= 1; --i) {
      if (tail + sigma[i] * sigma[i] > nodeBudgetSquared) {
        rank = std::min(rank, i + 1);
        return rank;
      }
      tail += sigma[i] * sigma[i];
    }
    return std::min<int64_t>(rank, 1);
  }

  std::vector<double> tensor;
  double nodeBudgetSquared;
  std::optional<int64_t> maxRank;
  double discardedSquared = 0.0;
};

std::vector<double> toRowMajor(const Eigen::MatrixXd &matrix) {
  std::vector<double> values(matrix.size());
  RowMajorMap(values.data(), matrix.rows(), matrix.cols()) = matrix;
  return values;
}

llvm::Error checkArguments(ArrayRef<double> dense, int64_t rows, int64_t cols,
                           ArrayRef<int64_t> rowModes,
                           ArrayRef<int64_t> colModes,
                           const TreeStructure &tree,
                           const HSVDOptions &options) {
  int64_t numModes = rowModes.size();
  if (!TreeStructure::isValidNumModes(numModes))
    return makeError(llvm::formatv(
        "row modes {0} has {1} modes; HT needs 2 to {2}", formatList(rowModes),
        numModes, TreeStructure::kMaxModes));
  if (rows < 1 || cols < 1)
    return makeError(llvm::formatv(
        "the matrix is {0} x {1}; expected at least one row and column", rows,
        cols));
  std::optional<int64_t> numElements = checkedProduct({rows, cols});
  if (!checkedBytes(numElements, sizeof(double)))
    return makeError(llvm::formatv(
        "a {0} x {1} matrix has more elements than memory can address", rows,
        cols));
  if (int64_t(colModes.size()) != numModes)
    return makeError(llvm::formatv(
        "column modes {0} has {1} modes, expected {2} like the row modes {3}",
        formatList(colModes), colModes.size(), numModes, formatList(rowModes)));
  if (tree.getNumModes() != numModes)
    return makeError(llvm::formatv(
        "tree {0} is over {1} modes, expected {2} (the number of modes)",
        tree.str(), tree.getNumModes(), numModes));
  for (auto [name, modes, size] :
       {std::make_tuple("row", rowModes, rows),
        std::make_tuple("column", colModes, cols)}) {
    if (llvm::any_of(modes, [](int64_t m) { return m < 1; }))
      return makeError(llvm::formatv("{0} modes {1} must all be >= 1", name,
                                     formatList(modes)));
    std::optional<int64_t> modesProduct = checkedProduct(modes);
    if (!modesProduct)
      return makeError(llvm::formatv(
          "{0} modes {1} multiply to more than 2^63, expected {2} (the "
          "matrix's {0}s)",
          name, formatList(modes), size));
    if (*modesProduct != size)
      return makeError(llvm::formatv(
          "{0} modes {1} multiply to {2}, expected {3} (the matrix's {0}s)",
          name, formatList(modes), *modesProduct, size));
  }
  if (int64_t(dense.size()) != *numElements)
    return makeError(llvm::formatv("matrix has {0} values, expected {1} x {2}",
                                   dense.size(), rows, cols));
  if (options.maxRank && *options.maxRank < 1)
    return makeError(llvm::formatv("maximum rank {0} must be >= 1",
                                   *options.maxRank));
  if (options.maxParameters && *options.maxParameters < 1)
    return makeError(llvm::formatv("parameter budget {0} must be >= 1",
                                   *options.maxParameters));
  if (!(options.tolerance >= 0.0 && options.tolerance < 1.0))
    return makeError("tolerance " + formatDouble(options.tolerance) +
                     " must be a relative error in [0, 1)");
  if (!llvm::all_of(dense, [](double v) { return std::isfinite(v); }))
    return makeError("matrix has a NaN or infinite entry");
  return llvm::Error::success();
}

} // namespace

int64_t HTFactorValues::getNumParameters() const {
  int64_t count = 0;
  for (const auto &leaf : leaves)
    count += leaf.size();
  for (const auto &transfer : transfers)
    count += transfer.size();
  return count;
}

std::optional<int64_t>
mlir::ht::getMinimumParameters(ArrayRef<int64_t> rowModes,
                               ArrayRef<int64_t> colModes,
                               const TreeStructure &tree) {
  return countParameters(
      rowModes, colModes, tree,
      NodeRanks{SmallVector<int64_t>(rowModes.size(), 1),
                SmallVector<int64_t>(tree.getNumInternalNodes(), 1)});
}

/// The leaves-to-root sweep, each node's rank at most its cap when `caps`
/// is given (checked arguments).
static llvm::Expected<HSVDResult>
sweepHSVD(ArrayRef<double> dense, int64_t rows, int64_t cols,
          ArrayRef<int64_t> rowModes, ArrayRef<int64_t> colModes,
          const TreeStructure &tree, const HSVDOptions &options,
          const NodeRanks *caps) {
  int64_t numModes = rowModes.size();
  HSVDResult result{HTFactorValues{HTShape{SmallVector<int64_t>(rowModes),
                                      SmallVector<int64_t>(colModes), tree,
                                      SmallVector<int64_t>(numModes, 1),
                                      SmallVector<int64_t>(numModes - 1, 1)},
                              std::vector<std::vector<double>>(numModes),
                              std::vector<std::vector<double>>(numModes - 1)},
                      0.0, 0.0, {}, {}};
  HTFactorValues &factors = result.factors;
  result.leafSingularValues.resize(numModes);
  result.nodeSingularValues.resize(numModes - 1);
  TensorLayout layout(factors.shape);

  std::vector<double> tensor(dense.size());
  double normSquared = 0.0;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      double value = dense[i * cols + j];
      tensor[layout.rowOffset[i] + layout.colOffset[j]] = value;
      normSquared += value * value;
    }
  if (!std::isfinite(normSquared))
    return makeError("the matrix's Frobenius norm overflows a double (its "
                     "squared entries sum past 1.8e308); scale it down first");
  result.norm = std::sqrt(normSquared);

  // 2d-2 nodes are truncated (all but the root); each gets an equal share.
  double budget = options.tolerance * result.norm;
  Sweep sweep(std::move(tensor), budget * budget / double(2 * numModes - 2),
              options.maxRank);

  // The current modes of the tensor: a frontier of the tree, left to right.
  struct FrontierEntry {
    TreeNodeRef node;
    int64_t size;
  };
  std::vector<FrontierEntry> frontier;
  for (auto [pos, mode] : llvm::enumerate(layout.leafOrder))
    frontier.push_back({TreeNodeRef::makeLeaf(mode), layout.dims[pos]});

  auto positionOf = [&](TreeNodeRef node) {
    return llvm::find_if(frontier, [&](const FrontierEntry &entry) {
             return entry.node == node;
           }) -
           frontier.begin();
  };
  auto sizesAround = [&](int64_t pos) {
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < pos; ++i)
      outer *= frontier[i].size;
    for (int64_t i = pos + 1, e = frontier.size(); i < e; ++i)
      inner *= frontier[i].size;
    return std::make_pair(outer, inner);
  };
  // Merges an internal node's two children (adjacent in the frontier, left
  // first) into one mode of size r_left * r_right; row-major data needs no
  // move for that.
  auto mergeChildren = [&](int64_t node) {
    int64_t left = positionOf(tree.getLeft(node));
    assert(frontier[left + 1].node == tree.getRight(node) && "not adjacent");
    frontier[left] = {TreeNodeRef::makeInternal(node),
                      frontier[left].size * frontier[left + 1].size};
    frontier.erase(frontier.begin() + left + 1);
    return left;
  };

  std::function<void(TreeNodeRef)> visit = [&](TreeNodeRef node) {
    if (!node.isLeaf()) {
      visit(tree.getLeft(node.index));
      visit(tree.getRight(node.index));
    }
    if (node == tree.getRoot())
      return;
    int64_t pos = node.isLeaf() ? positionOf(node) : mergeChildren(node.index);
    auto [outer, inner] = sizesAround(pos);
    std::optional<int64_t> cap;
    if (caps)
      cap = node.isLeaf() ? caps->leaves[node.index] : caps->nodes[node.index];
    Eigen::MatrixXd basis = sweep.truncate(
        outer, frontier[pos].size, inner, cap,
        node.isLeaf() ? result.leafSingularValues[node.index]
                      : result.nodeSingularValues[node.index]);
    frontier[pos].size = basis.cols();
    if (node.isLeaf()) {
      factors.shape.leafRanks[node.index] = basis.cols();
      factors.leaves[node.index] = toRowMajor(basis);
    } else {
      factors.shape.nodeRanks[node.index] = basis.cols();
      factors.transfers[node.index] = toRowMajor(basis);
    }
  };
  visit(tree.getRoot());

  // What is left is the root's [r_left, r_right] core: its transfer tensor.
  mergeChildren(0);
  factors.transfers[0] = sweep.getTensor();
  result.relativeErrorBound =
      result.norm > 0 ? std::sqrt(sweep.getDiscardedSquared()) / result.norm
                      : 0.0;
  return result;
}

llvm::Expected<HSVDResult>
mlir::ht::computeHSVD(ArrayRef<double> dense, int64_t rows, int64_t cols,
                      ArrayRef<int64_t> rowModes, ArrayRef<int64_t> colModes,
                      const TreeStructure &tree, const HSVDOptions &options) {
  if (llvm::Error error = checkArguments(dense, rows, cols, rowModes, colModes,
                                         tree, options))
    return std::move(error);
  auto phase = [&](llvm::StringRef name) {
    if (options.onPhase)
      options.onPhase(name);
  };
  if (!options.maxParameters) {
    phase("compressing");
    return sweepHSVD(dense, rows, cols, rowModes, colModes, tree, options,
                     nullptr);
  }

  int64_t budget = *options.maxParameters;
  std::optional<int64_t> minimum =
      getMinimumParameters(rowModes, colModes, tree);
  if (!minimum || budget < *minimum)
    return makeError(llvm::formatv(
        "a budget of {0} parameters is below the smallest HT matrix of row "
        "modes {1}, column modes {2} and tree {3}: {4} parameters (every "
        "rank 1)",
        budget, formatList(rowModes), formatList(colModes), tree.str(),
        minimum ? std::to_string(*minimum) : std::string("more than 2^63")));
  // Probe: every node as large as the budget could allow, to see its
  // singular values; then the ranks that fit, and the HSVD with them.
  phase("probing ranks within the budget");
  HSVDOptions probeOptions;
  NodeRanks caps = getBudgetCaps(rowModes, colModes, tree, budget,
                                 options.maxRank);
  llvm::Expected<HSVDResult> probe = sweepHSVD(
      dense, rows, cols, rowModes, colModes, tree, probeOptions, &caps);
  if (!probe)
    return probe.takeError();
  double target = options.tolerance * probe->norm;
  NodeRanks ranks = chooseRanksWithinBudget(
      rowModes, colModes, tree, probe->leafSingularValues,
      probe->nodeSingularValues, caps, budget, target * target,
      kNumericalRankCutoff);
  phase("compressing");
  return sweepHSVD(dense, rows, cols, rowModes, colModes, tree, probeOptions,
                   &ranks);
}

std::vector<double> mlir::ht::reconstructDense(const HTFactorValues &factors) {
  const HTShape &shape = factors.shape;
  // frameOf(node): rows = the node's modes in written order (row-major, each
  // mode's index i_k * n_k + j_k), columns = the node's rank.
  std::function<RowMajorMatrix(TreeNodeRef)> frameOf =
      [&](TreeNodeRef node) -> RowMajorMatrix {
    if (node.isLeaf()) {
      auto [m, n, r] = shape.getLeafShape(node.index);
      return ConstRowMajorMap(factors.leaves[node.index].data(), m * n, r);
    }
    RowMajorMatrix left = frameOf(shape.tree.getLeft(node.index));
    RowMajorMatrix right = frameOf(shape.tree.getRight(node.index));
    auto [rankLeft, rankRight, rank] = shape.getTransferShape(node.index);
    // mixed[x_l, (b, p)] = sum_a left[x_l, a] * B[a, b, p]
    RowMajorMatrix mixed =
        left * ConstRowMajorMap(factors.transfers[node.index].data(), rankLeft,
                                rankRight * rank);
    RowMajorMatrix frame(left.rows() * right.rows(), rank);
    for (Eigen::Index row = 0; row < left.rows(); ++row)
      frame.middleRows(row * right.rows(), right.rows()).noalias() =
          right * ConstRowMajorMap(mixed.row(row).data(), rankRight, rank);
    return frame;
  };
  RowMajorMatrix root = frameOf(shape.tree.getRoot());

  TensorLayout layout(shape);
  int64_t rows = shape.getNumRows(), cols = shape.getNumCols();
  std::vector<double> dense(rows * cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      dense[i * cols + j] = root(layout.rowOffset[i] + layout.colOffset[j], 0);
  return dense;
}

SmallVector<int64_t> mlir::ht::factorizeEvenly(int64_t size,
                                               int64_t numModes) {
  SmallVector<int64_t> primes;
  for (int64_t p = 2; p * p <= size; ++p)
    for (; size % p == 0; size /= p)
      primes.push_back(p);
  if (size > 1)
    primes.push_back(size);
  SmallVector<int64_t> factors(numModes, 1);
  // Largest primes first, each onto the currently smallest factor.
  for (int64_t prime : llvm::reverse(primes))
    *llvm::min_element(factors) *= prime;
  llvm::sort(factors, std::greater<int64_t>());
  return factors;
}
