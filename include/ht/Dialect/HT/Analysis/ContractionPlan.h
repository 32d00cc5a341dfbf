//===- ContractionPlan.h - Ordering tensor-network contractions -*- C++ -*-===//
//
// A tensor network (tensors over labelled dimensions) is contracted by a
// binary tree of pairwise contractions; their order decides the cost by
// orders of magnitude. This finds the cheapest tree exactly, by dynamic
// programming over connected sub-networks, or greedily past a size limit,
// and builds the plans of the fixed strategies the compiler compares with.
// Plain C++ over LLVM's ADT, deterministic, unit-tested without IR.
//
//===----------------------------------------------------------------------===//

#ifndef HT_DIALECT_HT_ANALYSIS_CONTRACTIONPLAN_H
#define HT_DIALECT_HT_ANALYSIS_CONTRACTIONPLAN_H

#include "ht/Dialect/HT/IR/HTShape.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir::ht {

/// Tensors over labels. A label shared by several tensors is summed over once
/// no remaining tensor and not the output needs it.
struct ContractionNetwork {
  llvm::SmallVector<int64_t> labelSizes;
  llvm::SmallVector<llvm::SmallVector<unsigned>> tensors;
  /// Constant tensors (weights) can be combined at compile time.
  llvm::SmallVector<bool> isConstant;
  llvm::SmallVector<unsigned> outputLabels;
  /// Names for reports ("X", "U0", "B1").
  llvm::SmallVector<std::string> names;

  unsigned addLabel(int64_t size);
  unsigned addTensor(llvm::ArrayRef<unsigned> labels, bool constant,
                     llvm::StringRef name);
};

enum class CostModel {
  /// Multiply-adds.
  Macs,
  /// Multiply-adds plus alpha times the elements each step writes.
  MacsPlusWrites,
};

struct CostOptions {
  CostModel model = CostModel::Macs;
  double writeWeight = 0; // alpha, for MacsPlusWrites
  /// Count steps whose operands are all constant as free (folded at compile
  /// time) when their result has at most `foldSizeLimit` elements.
  bool foldConstants = true;
  int64_t foldSizeLimit = int64_t(1) << 20; // as the passes' default
};

/// One pairwise contraction. Operands are numbered: tensors of the network
/// first, then the results of earlier steps in order.
struct ContractionStep {
  unsigned lhs, rhs;
  /// The labels the result keeps, in its layout order (outermost first):
  /// `[kept from the activation operand (the one carrying the rows, the
  /// output's first label), in its order; then the weight operand's own, in
  /// its order]`,
  /// the `C[M, N]` of a matrix product. The last step's too: its order may
  /// differ from the network's output labels.
  llvm::SmallVector<unsigned> resultLabels;
  double macs = 0;
  int64_t resultElements = 0;
  /// Both operands are (results of) constants and the result is small enough:
  /// computed at compile time.
  bool folded = false;
};

struct ContractionPlan {
  llvm::SmallVector<ContractionStep> steps;
  /// The run-time cost under the options the plan was made or costed with.
  double cost = 0;
  /// Multiply-adds at run time (folded steps excluded).
  double runtimeMacs = 0;
  /// Multiply-adds done at compile time by folded steps.
  double foldedMacs = 0;
  /// True when the exact search was skipped for the greedy one.
  bool usedGreedyFallback = false;

  /// The contraction tree, e.g. "((X * U0) * (U1 * B1))".
  std::string describe(const ContractionNetwork &network) const;
};

/// Recomputes every step's labels (and their layout), cost and folding, and
/// the totals, for the pairs of `plan` applied to `network`. Every plan is
/// made through this.
ContractionPlan costPlan(const ContractionNetwork &network,
                         llvm::ArrayRef<std::pair<unsigned, unsigned>> pairs,
                         const CostOptions &options);

/// The cheapest plan over all contraction trees whose every step joins two
/// connected parts (no outer products). Exact while the network has at most
/// `maxExactTensors` tensors, greedy beyond.
ContractionPlan findOptimalPlan(const ContractionNetwork &network,
                                const CostOptions &options,
                                unsigned maxExactTensors = 18);

/// Repeatedly contracts the connected pair that shrinks the network most
/// (size of the result minus the sizes of the operands; ties: the cheaper
/// step, then the lower operand numbers), as numpy's and opt_einsum's greedy
/// paths do. O(n^4) label-set operations.
ContractionPlan findGreedyPlan(const ContractionNetwork &network,
                               const CostOptions &options);

/// Exhaustive enumeration of the same trees as findOptimalPlan; for tests.
/// Exponential: keep networks small (<= 8 tensors).
double bruteForceOptimalCost(const ContractionNetwork &network,
                             const CostOptions &options);

//===----------------------------------------------------------------------===//
// HT linear layers
//===----------------------------------------------------------------------===//

/// The network of `x · Wᵀ` for `x : [rows, N]` and an HT `W`. Tensor 0 is the
/// input `X[r, j_0..j_{d-1}]`, tensors 1..d the leaves `U_k[i_k, j_k, a_k]`,
/// then the transfers `B_t` in preorder; the output is `[r, i_0..i_{d-1}]`.
/// `constantWeights` says whether the factors may be folded.
///
/// With `numStacked` > 1 the network computes `numStacked` matrices of this
/// shape at once (the gates of a per-gate LSTM): a label `g` of that size,
/// numbered right after the rows, is the first dimension of every factor
/// (`U_k[g, i_k, j_k, a_k]`, `B_t[g, ...]`) and follows the rows in the
/// output (`[r, g, i_0..]`), so every step is batched over `g`.
ContractionNetwork buildHTLinearNetwork(const HTShape &shape, int64_t rows,
                                        bool constantWeights = true,
                                        int64_t numStacked = 1);

enum class OrderStrategy {
  /// findOptimalPlan.
  Optimal,
  /// findGreedyPlan.
  Greedy,
  /// Leaf by leaf into the input in tree postorder, each transfer tensor once
  /// both children are in: the order of a naive implementation.
  LeftToRight,
  /// Rebuild the dense W from the factors, then one GEMM.
  Dense,
};

/// The plan `strategy` gives for the network of buildHTLinearNetwork (the
/// exact search up to `maxExactTensors` tensors for `Optimal`). Every pass
/// that plans or costs an HT product calls this.
ContractionPlan planHTLinear(const HTShape &shape,
                             const ContractionNetwork &network,
                             OrderStrategy strategy,
                             const CostOptions &options,
                             unsigned maxExactTensors = 18);

} // namespace mlir::ht

#endif // HT_DIALECT_HT_ANALYSIS_CONTRACTIONPLAN_H
