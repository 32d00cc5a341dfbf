//===- RankBudget.h - Ranks chosen within a parameter budget ----*- C++ -*-===//
//
// Private to lib/Compression: the cost decisions of a budgeted HSVD, as plain
// functions of the modes, the tree and each node's singular values.
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_COMPRESSION_RANKBUDGET_H
#define HT_LIB_COMPRESSION_RANKBUDGET_H

#include "ht/Dialect/HT/IR/TreeStructure.h"

#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <vector>

namespace mlir::ht {

/// A rank per truncated node: leaves by mode, internal nodes by preorder
/// index (the root's entry is unused and 1).
struct NodeRanks {
  llvm::SmallVector<int64_t> leaves, nodes;
};

/// Parameters of an HT matrix: sum of m_k n_k r_k over the leaves plus
/// r_left r_right r_t over the internal nodes (r_root = 1). Nullopt on
/// overflow.
std::optional<int64_t> countParameters(llvm::ArrayRef<int64_t> rowModes,
                                       llvm::ArrayRef<int64_t> colModes,
                                       const TreeStructure &tree,
                                       const NodeRanks &ranks);

/// The largest rank each node could have within `budget` parameters (every
/// other rank 1), at most `maxRank` when given: the caps of the probing
/// sweep whose singular values chooseRanksWithinBudget reads.
NodeRanks getBudgetCaps(llvm::ArrayRef<int64_t> rowModes,
                        llvm::ArrayRef<int64_t> colModes,
                        const TreeStructure &tree, int64_t budget,
                        std::optional<int64_t> maxRank);

/// Greedy on the singular-value tails: from every rank 1, repeatedly raises
/// the rank whose next singular value removes the most squared error per
/// parameter it adds, while the total stays within `budget`, the rank
/// within its cap and the number of numerically non-zero singular values
/// of the node, until the squared error bound is at most `targetSquared`
/// (0: use the whole budget) or nothing fits. `sigma` per node is
/// descending, as the probing sweep saw it; values at or below `cutoff`
/// times a node's largest count as zero.
NodeRanks chooseRanksWithinBudget(
    llvm::ArrayRef<int64_t> rowModes, llvm::ArrayRef<int64_t> colModes,
    const TreeStructure &tree, const std::vector<std::vector<double>> &leafSigma,
    const std::vector<std::vector<double>> &nodeSigma, const NodeRanks &caps,
    int64_t budget, double targetSquared, double cutoff);

} // namespace mlir::ht

#endif // HT_LIB_COMPRESSION_RANKBUDGET_H
