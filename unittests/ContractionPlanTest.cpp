//===- ContractionPlanTest.cpp - Contraction-order search -----------------===//

#include "ht/Dialect/HT/Analysis/ContractionPlan.h"

#include "TestShapes.h"

#include "gtest/gtest.h"

#include <cmath>
#include <functional>
#include <random>
#include <vector>

using namespace mlir::ht;

namespace {

using mlir::ht::test::makeShape;
using mlir::ht::test::randomTree;

HTShape ucf11(int64_t rank) {
  return makeShape({16, 4, 4, 4}, {8, 20, 20, 18}, "((0,1),(2,3))",
                   {rank, rank, rank, rank}, {1, rank, rank});
}

HTShape randomShape(int64_t numModes, std::mt19937 &rng) {
  auto pick = [&](int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(rng);
  };
  HTShape shape{{}, {}, randomTree(numModes, rng), {}, {}};
  for (int64_t mode = 0; mode < numModes; ++mode) {
    shape.rowModes.push_back(pick(1, 6));
    shape.colModes.push_back(pick(1, 9));
    shape.leafRanks.push_back(pick(1, 6));
  }
  shape.nodeRanks.push_back(1);
  for (int64_t node = 1; node + 1 < numModes; ++node)
    shape.nodeRanks.push_back(pick(1, 6));
  return shape;
}

CostOptions randomOptions(std::mt19937 &rng) {
  CostOptions options;
  options.model = rng() % 2 ? CostModel::Macs : CostModel::MacsPlusWrites;
  options.writeWeight = options.model == CostModel::Macs ? 0 : 1 + rng() % 64;
  options.foldConstants = rng() % 2;
  options.foldSizeLimit = rng() % 2 ? (int64_t(1) << 24) : 64;
  return options;
}

TEST(ContractionPlan, WorkedExampleStrategies) {
  HTShape shape = makeShape({2, 1}, {1, 2}, "(0, 1)", {1, 1}, {1});
  ContractionNetwork network = buildHTLinearNetwork(shape, /*rows=*/3);
  CostOptions options;
  options.foldConstants = false;
  // X[3,1,2] * U0[2,1,1] -> [3,2,2,1] costs 3*1*2*2*1 = 12 ...
  ContractionPlan ltr =
      planHTLinear(shape, network, OrderStrategy::LeftToRight, options);
  EXPECT_EQ(ltr.describe(network), "(((X * U0) * U1) * B0)");
  EXPECT_DOUBLE_EQ(ltr.runtimeMacs, 12 + 12 + 6);
  ContractionPlan dense =
      planHTLinear(shape, network, OrderStrategy::Dense, options);
  EXPECT_EQ(dense.describe(network), "(X * ((U0 * B0) * U1))");
  // U0*B0: 2*1*1*1 = 2; (U0 B0)*U1: 2*1*1*2 = 4; X*W: 3*2*2 = 12.
  EXPECT_DOUBLE_EQ(dense.runtimeMacs, 2 + 4 + 12);
  options.foldConstants = true;
  dense = planHTLinear(shape, network, OrderStrategy::Dense, options);
  EXPECT_DOUBLE_EQ(dense.runtimeMacs, 12);
  EXPECT_DOUBLE_EQ(dense.foldedMacs, 6);
  EXPECT_TRUE(dense.steps[0].folded && dense.steps[1].folded &&
              !dense.steps[2].folded);
}

// The exact search against exhaustive enumeration, on networks small enough
// to enumerate every sequence of pairwise contractions (d <= 4: <= 8 tensors).
TEST(ContractionPlan, OptimalMatchesBruteForce) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 300; ++trial) {
    int64_t numModes = 2 + trial % 3;
    HTShape shape = randomShape(numModes, rng);
    int64_t rows = 1 + rng() % 40;
    ContractionNetwork network =
        buildHTLinearNetwork(shape, rows, /*constantWeights=*/rng() % 4 != 0);
    CostOptions options = randomOptions(rng);
    ContractionPlan plan = findOptimalPlan(network, options);
    double expected = bruteForceOptimalCost(network, options);
    ASSERT_DOUBLE_EQ(plan.cost, expected)
        << "trial " << trial << ": " << plan.describe(network);
    // The plan's own cost is what a recount of its steps gives.
    llvm::SmallVector<std::pair<unsigned, unsigned>> pairs;
    for (const ContractionStep &step : plan.steps)
      pairs.push_back({step.lhs, step.rhs});
    ASSERT_DOUBLE_EQ(costPlan(network, pairs, options).cost, plan.cost);
    // No fixed strategy beats it.
    for (OrderStrategy strategy :
         {OrderStrategy::Greedy, OrderStrategy::LeftToRight,
          OrderStrategy::Dense})
      ASSERT_LE(plan.cost,
                planHTLinear(shape, network, strategy, options).cost + 1e-9);
  }
}

/// Top-down enumeration of every contraction tree (each split of each
/// sub-network into two connected, label-sharing parts), memoised per
/// sub-network; written independently of findOptimalPlan's bottom-up search.
double exhaustiveCost(const ContractionNetwork &network,
                      const CostOptions &options) {
  unsigned count = network.tensors.size();
  uint32_t all = (1u << count) - 1;
  std::vector<uint64_t> tensorLabels(count, 0);
  for (unsigned t = 0; t < count; ++t)
    for (unsigned label : network.tensors[t])
      tensorLabels[t] |= uint64_t(1) << label;
  uint64_t output = 0;
  for (unsigned label : network.outputLabels)
    output |= uint64_t(1) << label;
  auto labelsOf = [&](uint32_t set) {
    uint64_t labels = 0;
    for (unsigned t = 0; t < count; ++t)
      if (set >> t & 1)
        labels |= tensorLabels[t];
    return labels;
  };
  auto kept = [&](uint32_t set) {
    return labelsOf(set) & (labelsOf(all & ~set) | output);
  };
  auto volume = [&](uint64_t labels) {
    double v = 1;
    for (unsigned label = 0; label < 64; ++label)
      if (labels >> label & 1)
        v *= network.labelSizes[label];
    return v;
  };
  std::vector<double> memo(all + 1, -1);
  std::function<double(uint32_t)> best = [&](uint32_t set) -> double {
    if (__builtin_popcount(set) == 1)
      return 0;
    if (memo[set] >= 0)
      return memo[set];
    double result = std::numeric_limits<double>::infinity();
    for (uint32_t lhs = (set - 1) & set; lhs; lhs = (lhs - 1) & set) {
      uint32_t rhs = set ^ lhs;
      uint64_t a = kept(lhs), b = kept(rhs);
      if (!(a & b))
        continue;
      double left = best(lhs), right = best(rhs);
      if (std::isinf(left) || std::isinf(right))
        continue;
      double macs = volume(a | b), written = volume(kept(set));
      bool constant = true;
      for (unsigned t = 0; t < count; ++t)
        if ((set >> t & 1) && !network.isConstant[t])
          constant = false;
      double step =
          options.foldConstants && constant &&
                  written <= static_cast<double>(options.foldSizeLimit)
              ? 0
          : options.model == CostModel::Macs
              ? macs
              : macs + options.writeWeight * written;
      result = std::min(result, left + right + step);
    }
    return memo[set] = result;
  };
  return best(all);
}

// d = 5 and 6 (10 and 12 tensors), against the independent exhaustive search.
TEST(ContractionPlan, OptimalMatchesExhaustiveSearchUpToSixModes) {
  std::mt19937 rng(99);
  for (int trial = 0; trial < 120; ++trial) {
    int64_t numModes = 5 + trial % 2;
    HTShape shape = randomShape(numModes, rng);
    ContractionNetwork network =
        buildHTLinearNetwork(shape, 1 + rng() % 100, rng() % 4 != 0);
    CostOptions options = randomOptions(rng);
    ContractionPlan plan = findOptimalPlan(network, options);
    ASSERT_DOUBLE_EQ(plan.cost, exhaustiveCost(network, options))
        << "trial " << trial << ": " << plan.describe(network);
  }
}

TEST(ContractionPlan, GreedyFallbackPastTheLimit) {
  std::mt19937 rng(7);
  HTShape shape = randomShape(12, rng); // 24 tensors
  ContractionNetwork network = buildHTLinearNetwork(shape, 8);
  ContractionPlan plan = findOptimalPlan(network, CostOptions());
  EXPECT_TRUE(plan.usedGreedyFallback);
  EXPECT_EQ(plan.steps.size(), network.tensors.size() - 1);
}

TEST(ContractionPlan, UCF11Orders) {
  CostOptions options;
  options.foldConstants = false;
  HTShape shape = ucf11(4);
  ContractionNetwork network = buildHTLinearNetwork(shape, /*rows=*/1);
  ContractionPlan optimal = findOptimalPlan(network, options);
  ContractionPlan ltr =
      planHTLinear(shape, network, OrderStrategy::LeftToRight, options);
  ContractionPlan dense =
      planHTLinear(shape, network, OrderStrategy::Dense, options);
  EXPECT_FALSE(optimal.usedGreedyFallback);
  EXPECT_LT(optimal.cost, ltr.cost);
  EXPECT_LT(optimal.cost, dense.cost);
  llvm::errs() << "UCF11 rank 4, 1 row: optimal " << optimal.runtimeMacs
               << " " << optimal.describe(network) << "\n  left-to-right "
               << ltr.runtimeMacs << "\n  dense " << dense.runtimeMacs << "\n";
}

} // namespace

// A stack of k matrices of one shape (ht-fuse-gates) is the same network
// batched over a label that every factor and the output carry. Without
// folding, a fixed order costs exactly k times one matrix's; the optimum is
// at most that (the shared label connects factors the single network cannot
// pair, so a few more orders are searched), and the exact search still
// matches brute force on this hyper-edge.
TEST(ContractionPlan, StackedNetworksCostTheirCountTimesOne) {
  std::mt19937 rng(23);
  CostOptions options;
  options.foldConstants = false;
  for (int trial = 0; trial < 60; ++trial) {
    int64_t numModes = 2 + trial % 3;
    HTShape shape = randomShape(numModes, rng);
    int64_t rows = 1 + rng() % 16, stacked = 2 + rng() % 3;
    ContractionNetwork single = buildHTLinearNetwork(shape, rows);
    ContractionNetwork batched =
        buildHTLinearNetwork(shape, rows, /*constantWeights=*/true, stacked);
    double one = findOptimalPlan(single, options).cost;
    double all = findOptimalPlan(batched, options).cost;
    SCOPED_TRACE("trial " + std::to_string(trial));
    EXPECT_LE(all, stacked * one);
    if (numModes <= 3)
      EXPECT_DOUBLE_EQ(all, bruteForceOptimalCost(batched, options));
    for (OrderStrategy strategy :
         {OrderStrategy::LeftToRight, OrderStrategy::Dense})
      EXPECT_DOUBLE_EQ(planHTLinear(shape, batched, strategy, options).cost,
                       stacked *
                           planHTLinear(shape, single, strategy, options).cost);
  }
}

// Every plan lays out each step's result as the C[M, N] of a matrix
// product: exactly the kept labels, first those of the activation operand
// (the one holding the input X, which alone carries the rows) in its order,
// then the weight operand's own in its order, so the weight's labels are
// innermost.
TEST(ContractionPlan, LayoutsAreMatrixProductOutputs) {
  std::mt19937 rng(31);
  for (int trial = 0; trial < 200; ++trial) {
    HTShape shape = randomShape(2 + trial % 5, rng);
    ContractionNetwork network =
        buildHTLinearNetwork(shape, 1 + rng() % 8, rng() % 2);
    CostOptions options = randomOptions(rng);
    auto strategy = static_cast<OrderStrategy>(trial % 4);
    ContractionPlan plan = planHTLinear(shape, network, strategy, options);
    SCOPED_TRACE("trial " + std::to_string(trial));
    ASSERT_FALSE(plan.steps.empty());
    unsigned count = network.tensors.size();
    // Which operands hold X (tensor 0), and their labels.
    std::vector<bool> holdsInput(count, false);
    holdsInput[0] = true;
    auto labelsOf = [&](unsigned operand) -> llvm::ArrayRef<unsigned> {
      return operand < count ? llvm::ArrayRef<unsigned>(network.tensors[operand])
                             : plan.steps[operand - count].resultLabels;
    };
    for (const ContractionStep &step : plan.steps) {
      unsigned activation = step.lhs, weight = step.rhs;
      if (!holdsInput[step.lhs] && holdsInput[step.rhs])
        std::swap(activation, weight);
      llvm::SmallVector<unsigned> expected;
      for (unsigned label : labelsOf(activation))
        if (llvm::is_contained(step.resultLabels, label))
          expected.push_back(label);
      for (unsigned label : labelsOf(weight))
        if (llvm::is_contained(step.resultLabels, label) &&
            !llvm::is_contained(expected, label))
          expected.push_back(label);
      EXPECT_EQ(step.resultLabels, expected);
      holdsInput.push_back(holdsInput[step.lhs] || holdsInput[step.rhs]);
    }
    // The last result holds exactly the output's labels.
    llvm::SmallVector<unsigned> last(plan.steps.back().resultLabels);
    llvm::SmallVector<unsigned> output(network.outputLabels);
    llvm::sort(last);
    llvm::sort(output);
    EXPECT_EQ(last, output);
  }
}
