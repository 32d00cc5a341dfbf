//===- SearchTime.cpp - How long the contraction-order search takes -------===//
//
// Google Benchmark timings of findOptimalPlan (exact up to 18 tensors, so
// d <= 9) and findGreedyPlan on balanced HT networks of d modes with the
// mode sizes of the UCF11 example repeated (rows 4 or 16, cols 8..20, rank 4).
// bench/einsum_path.py times numpy.einsum_path on the same networks.
//
//===----------------------------------------------------------------------===//

#include "ht/Dialect/HT/Analysis/ContractionPlan.h"

#include <benchmark/benchmark.h>

using namespace mlir::ht;

static HTShape balancedShape(int64_t numModes, int64_t rank) {
  static const int64_t rowSizes[] = {16, 4, 4, 4};
  static const int64_t colSizes[] = {8, 20, 20, 18};
  HTShape shape{{}, {}, TreeStructure::balanced(numModes), {}, {}};
  for (int64_t mode = 0; mode < numModes; ++mode) {
    shape.rowModes.push_back(rowSizes[mode % 4]);
    shape.colModes.push_back(colSizes[mode % 4]);
    shape.leafRanks.push_back(rank);
  }
  shape.nodeRanks.assign(numModes - 1, rank);
  shape.nodeRanks[0] = 1;
  return shape;
}

static void optimalSearch(benchmark::State &state) {
  HTShape shape = balancedShape(state.range(0), 4);
  ContractionNetwork network = buildHTLinearNetwork(shape, 1);
  CostOptions options;
  options.foldConstants = false; // as numpy, which knows no folding
  ContractionPlan plan;
  for (auto _ : state) {
    plan = findOptimalPlan(network, options);
    benchmark::DoNotOptimize(plan.cost);
  }
  bool greedy = plan.usedGreedyFallback;
  state.counters["tensors"] = network.tensors.size();
  state.counters["path_macs"] = plan.runtimeMacs + plan.foldedMacs;
  state.SetLabel(greedy ? "greedy fallback" : "exact");
}
BENCHMARK(optimalSearch)->Arg(4)->Arg(6)->Arg(8)->Arg(9)->Arg(13)->Arg(16)
    ->Unit(benchmark::kMillisecond);

static void greedySearch(benchmark::State &state) {
  HTShape shape = balancedShape(state.range(0), 4);
  ContractionNetwork network = buildHTLinearNetwork(shape, 1);
  CostOptions options;
  options.foldConstants = false;
  ContractionPlan plan;
  for (auto _ : state) {
    plan = findGreedyPlan(network, options);
    benchmark::DoNotOptimize(plan.cost);
  }
  state.counters["tensors"] = network.tensors.size();
  state.counters["path_macs"] = plan.runtimeMacs + plan.foldedMacs;
}
BENCHMARK(greedySearch)->Arg(4)->Arg(6)->Arg(8)->Arg(13)->Arg(16)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
