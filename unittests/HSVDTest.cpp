//===- HSVDTest.cpp - Hierarchical SVD -------------------------------------===//

#include "ht/Compression/HSVD.h"

#include "TestShapes.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace mlir::ht;

namespace {

using mlir::ht::test::randomTree;

std::vector<double> randomValues(int64_t count, std::mt19937 &rng) {
  std::normal_distribution<double> normal;
  std::vector<double> values(count);
  for (double &value : values)
    value = normal(rng);
  return values;
}

/// Random HT factors with random tree, mode sizes and ranks.
HTFactorValues randomFactors(int64_t numModes, std::mt19937 &rng) {
  auto pick = [&](int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng);
  };
  HTFactorValues factors{
      HTShape{{}, {}, randomTree(numModes, rng), {}, {}}, {}, {}};
  HTShape &shape = factors.shape;
  for (int64_t mode = 0; mode < numModes; ++mode) {
    shape.rowModes.push_back(pick(1, 4));
    shape.colModes.push_back(pick(1, 4));
    shape.leafRanks.push_back(pick(1, 3));
  }
  shape.nodeRanks.push_back(1);
  for (int64_t node = 1; node + 1 < numModes; ++node)
    shape.nodeRanks.push_back(pick(1, 3));
  for (int64_t mode = 0; mode < numModes; ++mode) {
    auto [m, n, r] = shape.getLeafShape(mode);
    factors.leaves.push_back(randomValues(m * n * r, rng));
  }
  for (int64_t node = 0; node + 1 < numModes; ++node) {
    auto [a, b, c] = shape.getTransferShape(node);
    factors.transfers.push_back(randomValues(a * b * c, rng));
  }
  return factors;
}

double frobenius(const std::vector<double> &values) {
  double sum = 0;
  for (double value : values)
    sum += value * value;
  return std::sqrt(sum);
}

double relativeError(const std::vector<double> &got,
                     const std::vector<double> &want) {
  std::vector<double> diff(got.size());
  for (size_t i = 0; i < got.size(); ++i)
    diff[i] = got[i] - want[i];
  return frobenius(diff) / frobenius(want);
}

HSVDResult compress(const std::vector<double> &dense, const HTShape &shape,
                    const HSVDOptions &options) {
  return llvm::cantFail(computeHSVD(dense, shape.getNumRows(),
                                    shape.getNumCols(), shape.rowModes,
                                    shape.colModes, shape.tree, options));
}

std::string errorOf(llvm::Expected<HSVDResult> result) {
  if (result)
    return "no error";
  return llvm::toString(result.takeError());
}

TEST(HSVD, WorkedExampleOfTheSemantics) {
  HTFactorValues factors{test::makeShape({2, 1}, {1, 2}, "(0, 1)", {1, 1}, {1}),
                    {{1, 2}, {3, 4}},
                    {{5}}};
  std::vector<double> dense = reconstructDense(factors);
  EXPECT_EQ(dense, (std::vector<double>{15, 20, 30, 40}));

  HSVDResult result = compress(dense, factors.shape, {});
  EXPECT_EQ(result.factors.shape.leafRanks, (llvm::SmallVector<int64_t>{1, 1}));
  EXPECT_LT(relativeError(reconstructDense(result.factors), dense), 1e-14);
  EXPECT_NEAR(result.norm, std::sqrt(225.0 + 400 + 900 + 1600), 1e-12);
}

// A matrix with an exact HT form of given ranks is recovered exactly (to
// rounding), whatever the tree, with ranks no larger than the generating ones.
TEST(HSVD, RecoversExactHTMatricesOnRandomTrees) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    int64_t numModes = 2 + trial % 5; // d = 2..6
    HTFactorValues original = randomFactors(numModes, rng);
    std::vector<double> dense = reconstructDense(original);
    HSVDResult result = compress(dense, original.shape, {});
    SCOPED_TRACE("trial " + std::to_string(trial) + ", tree " +
                 original.shape.tree.str());
    EXPECT_LT(relativeError(reconstructDense(result.factors), dense), 1e-9);
    EXPECT_LT(result.relativeErrorBound, 1e-9);
    for (int64_t mode = 0; mode < numModes; ++mode)
      EXPECT_LE(result.factors.shape.leafRanks[mode],
                original.shape.leafRanks[mode]);
    for (int64_t node = 0; node + 1 < numModes; ++node)
      EXPECT_LE(result.factors.shape.nodeRanks[node],
                original.shape.nodeRanks[node]);
  }
}

// Truncated HSVD: the error equals the reported bound (the projections are
// orthogonal), and a tolerance is honoured.
TEST(HSVD, TruncationErrorEqualsBoundAndHonoursTolerance) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 100; ++trial) {
    int64_t numModes = 2 + trial % 4;
    HTFactorValues shapeSource = randomFactors(numModes, rng);
    const HTShape &shape = shapeSource.shape;
    std::vector<double> dense =
        randomValues(shape.getNumRows() * shape.getNumCols(), rng);
    SCOPED_TRACE("trial " + std::to_string(trial) + ", tree " +
                 shape.tree.str());

    HSVDOptions capped;
    capped.maxRank = 1 + trial % 3;
    HSVDResult result = compress(dense, shape, capped);
    double error = relativeError(reconstructDense(result.factors), dense);
    EXPECT_NEAR(error, result.relativeErrorBound, 1e-9);
    for (int64_t rank : result.factors.shape.leafRanks)
      EXPECT_LE(rank, *capped.maxRank);

    HSVDOptions tolerant;
    tolerant.tolerance = 0.05 + 0.1 * (trial % 5);
    result = compress(dense, shape, tolerant);
    error = relativeError(reconstructDense(result.factors), dense);
    EXPECT_LE(error, tolerant.tolerance + 1e-12);
    EXPECT_NEAR(error, result.relativeErrorBound, 1e-9);
  }
}

TEST(HSVD, LargerToleranceNeverCostsMoreParameters) {
  std::mt19937 rng(3);
  HTShape shape =
      test::makeShape({4, 4, 4}, {4, 4, 4}, "((0, 1), 2)", {1, 1, 1}, {1, 1});
  std::vector<double> dense = randomValues(64 * 64, rng);
  int64_t previous = INT64_MAX;
  for (double tolerance : {0.0, 0.1, 0.3, 0.6, 0.9}) {
    HSVDOptions options;
    options.tolerance = tolerance;
    int64_t count = compress(dense, shape, options).factors.getNumParameters();
    EXPECT_LE(count, previous) << "tolerance " << tolerance;
    previous = count;
  }
}

TEST(HSVD, IsBitwiseDeterministic) {
  std::mt19937 rng(5);
  HTShape shape = test::makeShape({4, 2, 4}, {3, 4, 2}, "(2, (0, 1))",
                                  {1, 1, 1}, {1, 1});
  std::vector<double> dense = randomValues(32 * 24, rng);
  HSVDOptions options;
  options.maxRank = 3;
  HSVDResult first = compress(dense, shape, options);
  HSVDResult second = compress(dense, shape, options);
  EXPECT_EQ(first.factors.leaves, second.factors.leaves);
  EXPECT_EQ(first.factors.transfers, second.factors.transfers);
  EXPECT_EQ(first.relativeErrorBound, second.relativeErrorBound);
}

TEST(HSVD, ZeroMatrixGivesRankOneZeroFactors) {
  HTShape shape =
      test::makeShape({2, 2}, {3, 3}, "(0, 1)", {1, 1}, {1});
  std::vector<double> dense(36, 0.0);
  HSVDResult result = compress(dense, shape, {});
  EXPECT_EQ(result.factors.shape.leafRanks, (llvm::SmallVector<int64_t>{1, 1}));
  for (double value : reconstructDense(result.factors))
    EXPECT_EQ(value, 0.0);
  EXPECT_EQ(result.relativeErrorBound, 0.0);
}

TEST(HSVD, RejectsArgumentsThatDoNotFit) {
  TreeStructure tree = llvm::cantFail(TreeStructure::parse("(0, 1)"));
  TreeStructure tree3 = llvm::cantFail(TreeStructure::parse("((0, 1), 2)"));
  std::vector<double> dense(16, 1.0);
  HSVDOptions options;
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {2, 3}, {2, 2}, tree, options)),
            "row modes [2, 3] multiply to 6, expected 4 (the matrix's rows)");
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {2, 2}, {2, 2, 1}, tree, options)),
            "column modes [2, 2, 1] has 3 modes, expected 2 like the row modes "
            "[2, 2]");
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {2, 2}, {2, 2}, tree3, options)),
            "tree ((0, 1), 2) is over 3 modes, expected 2 (the number of "
            "modes)");
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {4}, {4}, tree, options)),
            "row modes [4] has 1 modes; HT needs 2 to 256");
  // A product that wraps to the row count is an overflow, not a match.
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {(int64_t(1) << 62) + 1, 4},
                                {2, 2}, tree, options)),
            "row modes [4611686018427387905, 4] multiply to more than 2^63, "
            "expected 4 (the matrix's rows)");
  EXPECT_EQ(errorOf(computeHSVD(dense, int64_t(1) << 32, int64_t(1) << 32,
                                {int64_t(1) << 16, int64_t(1) << 16},
                                {int64_t(1) << 16, int64_t(1) << 16}, tree,
                                options)),
            "a 4294967296 x 4294967296 matrix has more elements than memory "
            "can address");
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {4, 0}, {2, 2}, tree, options)),
            "row modes [4, 0] must all be >= 1");
  options.maxRank = 0;
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {2, 2}, {2, 2}, tree, options)),
            "maximum rank 0 must be >= 1");
  options.maxRank.reset();
  options.tolerance = 1.0;
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {2, 2}, {2, 2}, tree, options)),
            "tolerance 1 must be a relative error in [0, 1)");
  options.tolerance = 0.0;
  dense[3] = NAN;
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {2, 2}, {2, 2}, tree, options)),
            "matrix has a NaN or infinite entry");
  std::vector<double> huge(16, 1e308);
  EXPECT_EQ(errorOf(computeHSVD(huge, 4, 4, {2, 2}, {2, 2}, tree, options)),
            "the matrix's Frobenius norm overflows a double (its squared "
            "entries sum past 1.8e308); scale it down first");
}

// A parameter budget: on matrices with an exact HT form, a budget of its
// parameter count (or more) finds exactly the ranks of the unbudgeted HSVD
// (the numerical ranks) and nothing more; a smaller budget is never
// exceeded, and its error is the reported bound.
TEST(HSVD, BudgetFindsExactRanksAndIsNeverExceeded) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 120; ++trial) {
    int64_t numModes = 2 + trial % 5;
    HTFactorValues original = randomFactors(numModes, rng);
    std::vector<double> dense = reconstructDense(original);
    SCOPED_TRACE("trial " + std::to_string(trial) + ", tree " +
                 original.shape.tree.str());
    HSVDResult exact = compress(dense, original.shape, {});
    int64_t exactParameters = exact.factors.getNumParameters();
    for (int64_t budget : {exactParameters, 2 * exactParameters + 7}) {
      HSVDOptions options;
      options.maxParameters = budget;
      HSVDResult result = compress(dense, original.shape, options);
      EXPECT_EQ(result.factors.shape.leafRanks, exact.factors.shape.leafRanks);
      EXPECT_EQ(result.factors.shape.nodeRanks, exact.factors.shape.nodeRanks);
      EXPECT_LT(relativeError(reconstructDense(result.factors), dense), 1e-9);
    }
    int64_t minimum = *getMinimumParameters(
        original.shape.rowModes, original.shape.colModes, original.shape.tree);
    for (int64_t budget = minimum; budget < exactParameters;
         budget += std::max<int64_t>(1, (exactParameters - minimum) / 4)) {
      HSVDOptions options;
      options.maxParameters = budget;
      HSVDResult result = compress(dense, original.shape, options);
      EXPECT_LE(result.factors.getNumParameters(), budget);
      EXPECT_NEAR(relativeError(reconstructDense(result.factors), dense),
                  result.relativeErrorBound, 1e-9);
    }
  }
}

// On a matrix without low-rank structure the budget's ranks are no worse
// than those the tolerance's even split picks for the same size.
TEST(HSVD, BudgetIsNoWorseThanAnEvenToleranceSplit) {
  std::mt19937 rng(5);
  int better = 0;
  for (int trial = 0; trial < 40; ++trial) {
    HTShape shape = test::makeShape({4, 3, 4, 2}, {3, 4, 2, 4},
                                    trial % 2 ? "((0, 1), (2, 3))"
                                              : "(((0, 1), 2), 3)",
                                    {1, 1, 1, 1}, {1, 1, 1});
    std::vector<double> dense = randomValues(shape.getNumRows() *
                                                 shape.getNumCols(), rng);
    HSVDOptions byTolerance;
    byTolerance.tolerance = 0.3 + 0.015 * trial;
    HSVDResult split = compress(dense, shape, byTolerance);
    HSVDOptions byBudget;
    byBudget.maxParameters = split.factors.getNumParameters();
    HSVDResult budgeted = compress(dense, shape, byBudget);
    SCOPED_TRACE("trial " + std::to_string(trial));
    EXPECT_LE(budgeted.factors.getNumParameters(), *byBudget.maxParameters);
    EXPECT_LE(budgeted.relativeErrorBound, split.relativeErrorBound * (1 + 1e-9));
    better += budgeted.relativeErrorBound < split.relativeErrorBound * 0.999;
  }
  EXPECT_GT(better, 0);
}

TEST(HSVD, RejectsBudgetsBelowTheSmallestMatrix) {
  std::vector<double> dense(16, 1.0);
  TreeStructure tree = TreeStructure::balanced(2);
  HSVDOptions options;
  options.maxParameters = 8; // every rank 1 needs 4 + 4 + 1 = 9
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {2, 2}, {2, 2}, tree, options)),
            "a budget of 8 parameters is below the smallest HT matrix of row "
            "modes [2, 2], column modes [2, 2] and tree (0, 1): 9 parameters "
            "(every rank 1)");
  options.maxParameters = 0;
  EXPECT_EQ(errorOf(computeHSVD(dense, 4, 4, {2, 2}, {2, 2}, tree, options)),
            "parameter budget 0 must be >= 1");
}

TEST(HSVD, FactorizesSizesEvenly) {
  EXPECT_EQ(factorizeEvenly(1024, 4), (llvm::SmallVector<int64_t>{8, 8, 4, 4}));
  EXPECT_EQ(factorizeEvenly(57600, 4),
            (llvm::SmallVector<int64_t>{20, 20, 12, 12}));
  EXPECT_EQ(factorizeEvenly(7, 3), (llvm::SmallVector<int64_t>{7, 1, 1}));
  EXPECT_EQ(factorizeEvenly(1, 2), (llvm::SmallVector<int64_t>{1, 1}));
  EXPECT_EQ(factorizeEvenly(96, 2), (llvm::SmallVector<int64_t>{12, 8}));
}

} // namespace
