//===- RankBudget.cpp - Ranks chosen within a parameter budget ------------===//

#include "RankBudget.h"

#include "mlir/Support/LLVM.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::ht;

namespace {

int64_t rankOf(const TreeStructure &tree, const NodeRanks &ranks,
               TreeNodeRef node) {
  if (node.isLeaf())
    return ranks.leaves[node.index];
  return node == tree.getRoot() ? 1 : ranks.nodes[node.index];
}

} // namespace

std::optional<int64_t> mlir::ht::countParameters(ArrayRef<int64_t> rowModes,
                                                 ArrayRef<int64_t> colModes,
                                                 const TreeStructure &tree,
                                                 const NodeRanks &ranks) {
  std::optional<int64_t> total = 0;
  auto add = [&](std::optional<int64_t> a, std::optional<int64_t> b,
                 std::optional<int64_t> c) {
    if (!total || !a || !b || !c)
      return void(total = std::nullopt);
    std::optional<int64_t> term = llvm::checkedMul(*a, *b);
    term = term ? llvm::checkedMul(*term, *c) : std::nullopt;
    total = term ? llvm::checkedAdd(*total, *term) : std::nullopt;
  };
  for (int64_t mode = 0, e = rowModes.size(); mode < e; ++mode)
    add(rowModes[mode], colModes[mode], ranks.leaves[mode]);
  for (int64_t node = 0, e = tree.getNumInternalNodes(); node < e; ++node)
    add(rankOf(tree, ranks, tree.getLeft(node)),
        rankOf(tree, ranks, tree.getRight(node)),
        rankOf(tree, ranks, TreeNodeRef::makeInternal(node)));
  return total;
}

NodeRanks mlir::ht::getBudgetCaps(ArrayRef<int64_t> rowModes,
                                  ArrayRef<int64_t> colModes,
                                  const TreeStructure &tree, int64_t budget,
                                  std::optional<int64_t> maxRank) {
  int64_t numModes = rowModes.size();
  NodeRanks ones{SmallVector<int64_t>(numModes, 1),
                 SmallVector<int64_t>(tree.getNumInternalNodes(), 1)};
  NodeRanks caps = ones;
  // Parameters grow linearly in one rank with the others fixed: the cap is
  // one division away.
  auto capOf = [&](int64_t &rank) {
    std::optional<int64_t> base = countParameters(rowModes, colModes, tree, ones);
    rank = 2;
    std::optional<int64_t> two = countParameters(rowModes, colModes, tree, ones);
    rank = 1;
    int64_t cap = 1;
    if (base && two && *base <= budget)
      cap = 1 + (budget - *base) / std::max<int64_t>(1, *two - *base);
    return maxRank ? std::min(cap, *maxRank) : cap;
  };
  for (int64_t mode = 0; mode < numModes; ++mode)
    caps.leaves[mode] = capOf(ones.leaves[mode]);
  for (int64_t node = 1, e = tree.getNumInternalNodes(); node < e; ++node)
    caps.nodes[node] = capOf(ones.nodes[node]);
  return caps;
}

NodeRanks mlir::ht::chooseRanksWithinBudget(
    ArrayRef<int64_t> rowModes, ArrayRef<int64_t> colModes,
    const TreeStructure &tree, const std::vector<std::vector<double>> &leafSigma,
    const std::vector<std::vector<double>> &nodeSigma, const NodeRanks &caps,
    int64_t budget, double targetSquared, double cutoff) {
  int64_t numModes = rowModes.size();
  NodeRanks ranks{SmallVector<int64_t>(numModes, 1),
                  SmallVector<int64_t>(tree.getNumInternalNodes(), 1)};
  auto rankRef = [&](TreeNodeRef node) -> int64_t & {
    return node.isLeaf() ? ranks.leaves[node.index] : ranks.nodes[node.index];
  };
  auto capOf = [&](TreeNodeRef node) {
    return node.isLeaf() ? caps.leaves[node.index] : caps.nodes[node.index];
  };
  auto sigmaOf = [&](TreeNodeRef node) -> const std::vector<double> & {
    return node.isLeaf() ? leafSigma[node.index] : nodeSigma[node.index];
  };
  // What one step may raise: a node, or the root's two children together.
  // The root's core is r_left x r_right, of rank at most the smaller: the
  // sweep truncates the left child first, and the right one then has no
  // more than r_left directions left, so the two ranks move as one (their
  // singular values are those of the same split; the left's are read).
  TreeNodeRef rootLeft = tree.getLeft(0), rootRight = tree.getRight(0);
  SmallVector<SmallVector<TreeNodeRef, 2>> steps = {{rootLeft, rootRight}};
  for (int64_t mode = 0; mode < numModes; ++mode) {
    TreeNodeRef leaf = TreeNodeRef::makeLeaf(mode);
    if (leaf != rootLeft && leaf != rootRight)
      steps.push_back({leaf});
  }
  for (int64_t node = 1, e = tree.getNumInternalNodes(); node < e; ++node) {
    TreeNodeRef internal = TreeNodeRef::makeInternal(node);
    if (internal != rootLeft && internal != rootRight)
      steps.push_back({internal});
  }
  auto isSignal = [&](const std::vector<double> &sigma, int64_t index) {
    return index < int64_t(sigma.size()) && sigma[index] > cutoff * sigma[0];
  };
  // An internal node's frame lies in the span of its children's: its rank
  // is at most the product of theirs.
  auto canRaise = [&](TreeNodeRef node) {
    int64_t rank = rankRef(node);
    if (rank >= capOf(node) || !isSignal(sigmaOf(node), rank))
      return false;
    if (node.isLeaf())
      return true;
    return rank < rankOf(tree, ranks, tree.getLeft(node.index)) *
                      rankOf(tree, ranks, tree.getRight(node.index));
  };
  double errorSquared = 0.0;
  for (const auto &step : steps)
    for (int64_t i = 1; isSignal(sigmaOf(step.front()), i); ++i)
      errorSquared += sigmaOf(step.front())[i] * sigmaOf(step.front())[i];

  std::optional<int64_t> used = countParameters(rowModes, colModes, tree, ranks);
  while (used && errorSquared > targetSquared) {
    const SmallVector<TreeNodeRef, 2> *best = nullptr;
    double bestGain = 0.0;
    int64_t bestUsed = 0;
    for (const auto &step : steps) {
      if (!llvm::all_of(step, canRaise))
        continue;
      for (TreeNodeRef node : step)
        ++rankRef(node);
      std::optional<int64_t> raised =
          countParameters(rowModes, colModes, tree, ranks);
      for (TreeNodeRef node : step)
        --rankRef(node);
      if (!raised || *raised > budget)
        continue;
      double value = sigmaOf(step.front())[rankRef(step.front())];
      double gain = value * value / double(*raised - *used);
      if (!best || gain > bestGain) {
        best = &step;
        bestGain = gain;
        bestUsed = *raised;
      }
    }
    if (!best)
      break;
    double value = sigmaOf(best->front())[rankRef(best->front())];
    errorSquared -= value * value;
    for (TreeNodeRef node : *best)
      ++rankRef(node);
    used = bestUsed;
  }
  return ranks;
}
