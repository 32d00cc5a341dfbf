//===- HSVD.h - Hierarchical SVD of a dense matrix --------------*- C++ -*-===//
//
// Compresses a dense matrix into the HT format of docs/Semantics.md
// section 2 by the leaves-to-root hierarchical SVD (Grasedyck 2010): every
// node's frame is the leading left singular subspace of the matricization of
// the (already projected) tensor, and every truncation is an orthogonal
// projection. The projections commute, so the discarded parts are mutually
// orthogonal and the error is exactly sqrt(sum of discarded sigma^2): the
// "bound" reported below is attained in exact arithmetic.
//
// Plain C++ over Eigen (an implementation detail: nothing Eigen leaks here).
//
//===----------------------------------------------------------------------===//

#ifndef HT_COMPRESSION_HSVD_H
#define HT_COMPRESSION_HSVD_H

#include "ht/Dialect/HT/IR/HTShape.h"

#include "llvm/Support/Error.h"

#include <functional>
#include <optional>
#include <vector>

namespace mlir::ht {

struct HSVDOptions {
  /// Upper bound on every node's rank; nullopt leaves ranks uncapped.
  std::optional<int64_t> maxRank;
  /// Relative Frobenius error allowed in total, 0 <= tolerance < 1. It is
  /// split evenly over the 2d-2 truncated nodes, so the result's relative
  /// error never exceeds it. 0 keeps every numerically non-zero direction.
  double tolerance = 0.0;
  /// Most parameters the result may have (sum of m_k n_k r_k over the leaves
  /// plus r_left r_right r_t over the internal nodes); nullopt: no budget.
  /// With a budget the ranks are chosen to make the error bound as small as
  /// the budget allows (greedy on each node's singular-value tails, from a
  /// probing sweep), then the HSVD runs with them; `maxRank` still caps
  /// every rank and a non-zero `tolerance` stops the choice early once the
  /// bound meets it. The result never has more parameters than the budget.
  std::optional<int64_t> maxParameters;
  /// Called as each phase starts ("probing ranks", "compressing"), for
  /// progress reports; may be empty.
  std::function<void(llvm::StringRef phase)> onPhase;
};

/// An HT matrix with its numbers, in the layout of the `ht.constant` op:
/// leaves by mode ([m_k, n_k, r_k] row-major), transfers by internal node in
/// preorder ([r_left, r_right, r_node] row-major).
struct HTFactorValues {
  HTShape shape;
  std::vector<std::vector<double>> leaves;
  std::vector<std::vector<double>> transfers;

  int64_t getNumParameters() const;
};

struct HSVDResult {
  HTFactorValues factors;
  /// ||W||_F of the input.
  double norm = 0.0;
  /// sqrt(sum over truncated nodes of the discarded sigma^2) / ||W||_F: the
  /// HSVD error bound, equal to the error of `factors` up to rounding.
  /// Discarded singular values below 1e-7 of the largest at a node cannot be
  /// told from rounding noise and count as 0.
  double relativeErrorBound = 0.0;
  /// The singular values each truncated node saw (of the matricization of
  /// the tensor as projected so far), descending: leaves by mode, internal
  /// nodes by preorder index (the root's is empty).
  std::vector<std::vector<double>> leafSingularValues, nodeSingularValues;
};

/// The fewest parameters an HT matrix of these modes and tree can have:
/// every rank 1. Nullopt on overflow.
std::optional<int64_t> getMinimumParameters(llvm::ArrayRef<int64_t> rowModes,
                                            llvm::ArrayRef<int64_t> colModes,
                                            const TreeStructure &tree);

/// The HSVD of the row-major `rows` x `cols` matrix `dense` with the given
/// mode sizes (products `rows` and `cols`) and dimension tree over
/// 0..d-1. Ranks never exceed the numerical rank of a matricization. Fails,
/// with a message naming the argument, when the sizes, tree or options do not
/// fit. Deterministic: the same input gives bit-identical factors.
llvm::Expected<HSVDResult> computeHSVD(llvm::ArrayRef<double> dense,
                                       int64_t rows, int64_t cols,
                                       llvm::ArrayRef<int64_t> rowModes,
                                       llvm::ArrayRef<int64_t> colModes,
                                       const TreeStructure &tree,
                                       const HSVDOptions &options);

/// The dense row-major matrix an HT matrix represents (semantics section 2).
std::vector<double> reconstructDense(const HTFactorValues &factors);

/// Splits `size` into `numModes` factors (each >= 1, product `size`) as evenly
/// as its prime factorization allows, largest first.
llvm::SmallVector<int64_t> factorizeEvenly(int64_t size, int64_t numModes);

} // namespace mlir::ht

#endif // HT_COMPRESSION_HSVD_H
