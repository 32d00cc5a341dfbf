//===- ContractionPlan.cpp - Ordering tensor-network contractions ---------===//

#include "ht/Dialect/HT/Analysis/ContractionPlan.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <bitset>
#include <functional>
#include <limits>

using namespace mlir;
using namespace mlir::ht;

namespace {

constexpr unsigned kMaxLabels = 128;
[[maybe_unused]] constexpr unsigned kMaxTensors = 64; // bits of a TensorSet
using LabelSet = std::bitset<kMaxLabels>;
using TensorSet = uint64_t;

/// Precomputed label sets of a network and the cost of one step.
class NetworkCosts {
public:
  NetworkCosts(const ContractionNetwork &network, const CostOptions &options)
      : network(network), options(options) {
    assert(network.labelSizes.size() <= kMaxLabels && "too many labels");
    assert(network.tensors.size() <= kMaxTensors && "too many tensors");
    for (auto [index, labels] : llvm::enumerate(network.tensors)) {
      LabelSet set;
      for (unsigned label : labels)
        set.set(label);
      tensorLabels.push_back(set);
      if (network.isConstant[index])
        constants |= TensorSet(1) << index;
    }
    for (unsigned label : network.outputLabels)
      output.set(label);
  }

  unsigned size() const { return network.tensors.size(); }
  TensorSet all() const {
    return size() == 64 ? ~TensorSet(0) : (TensorSet(1) << size()) - 1;
  }

  LabelSet labelsOf(TensorSet set) const {
    LabelSet labels;
    for (unsigned index = 0; index < size(); ++index)
      if (set >> index & 1)
        labels |= tensorLabels[index];
    return labels;
  }

  /// The labels the contraction of `set` keeps: those the other tensors or
  /// the output still need.
  LabelSet keptLabels(TensorSet set) const {
    return labelsOf(set) & (labelsOf(all() & ~set) | output);
  }

  double volume(const LabelSet &labels) const {
    double product = 1;
    for (unsigned label = 0; label < network.labelSizes.size(); ++label)
      if (labels.test(label))
        product *= static_cast<double>(network.labelSizes[label]);
    return product;
  }

  struct Step {
    double macs, written, cost;
    bool folded;
  };

  Step step(TensorSet lhs, TensorSet rhs, const LabelSet &lhsKept,
            const LabelSet &rhsKept, const LabelSet &resultKept) const {
    Step result;
    result.macs = volume(lhsKept | rhsKept);
    result.written = volume(resultKept);
    TensorSet joined = lhs | rhs;
    result.folded = options.foldConstants && (joined & ~constants) == 0 &&
                    result.written <= static_cast<double>(options.foldSizeLimit);
    result.cost = result.folded ? 0
                  : options.model == CostModel::Macs
                      ? result.macs
                      : result.macs + options.writeWeight * result.written;
    return result;
  }

  const ContractionNetwork &network;
  const CostOptions &options;
  llvm::SmallVector<LabelSet> tensorLabels;
  TensorSet constants = 0;
  LabelSet output;
};

SmallVector<unsigned> toLabelList(const LabelSet &labels, unsigned count) {
  SmallVector<unsigned> list;
  for (unsigned label = 0; label < count; ++label)
    if (labels.test(label))
      list.push_back(label);
  return list;
}

/// Orders each step's result labels, which are its memory layout, as the
/// output of a matrix product `C[M, N] = A[M, K] · B[K, N]`: first the labels
/// kept from the activation operand A (the one that carries the rows, the
/// output's first label; else the lhs), in A's order, then those only the
/// weight operand B carries, in B's order. Every run-time step then writes
/// the weight's labels innermost and contiguous: the vector lanes of the
/// code generator, which lays constant weights out as [K, N] to match. The
/// last step is laid out the same way; the emitter transposes it into the
/// output's order when that differs (the output is small).
void assignLayouts(const ContractionNetwork &network, ContractionPlan &plan) {
  unsigned count = network.tensors.size();
  // The activation is what carries the rows: the output's first label.
  SmallVector<bool> isActivation;
  for (const auto &labels : network.tensors)
    isActivation.push_back(!network.outputLabels.empty() &&
                           llvm::is_contained(labels, network.outputLabels[0]));
  auto labelsOf = [&](unsigned operand) -> ArrayRef<unsigned> {
    return operand < count ? ArrayRef<unsigned>(network.tensors[operand])
                           : ArrayRef<unsigned>(
                                 plan.steps[operand - count].resultLabels);
  };
  for (ContractionStep &step : plan.steps) {
    unsigned activation = step.lhs, weight = step.rhs;
    if (!isActivation[step.lhs] && isActivation[step.rhs])
      std::swap(activation, weight);
    SmallVector<unsigned> layout;
    for (unsigned operand : {activation, weight})
      for (unsigned label : labelsOf(operand))
        if (llvm::is_contained(step.resultLabels, label) &&
            !llvm::is_contained(layout, label))
          layout.push_back(label);
    assert(layout.size() == step.resultLabels.size() && "a permutation");
    step.resultLabels = std::move(layout);
    isActivation.push_back(isActivation[step.lhs] || isActivation[step.rhs]);
  }
}

} // namespace

unsigned ContractionNetwork::addLabel(int64_t size) {
  labelSizes.push_back(size);
  return labelSizes.size() - 1;
}

unsigned ContractionNetwork::addTensor(ArrayRef<unsigned> labels, bool constant,
                                       StringRef name) {
  tensors.emplace_back(labels.begin(), labels.end());
  isConstant.push_back(constant);
  names.push_back(name.str());
  return tensors.size() - 1;
}

std::string ContractionPlan::describe(const ContractionNetwork &network) const {
  SmallVector<std::string> operands(network.names.begin(), network.names.end());
  for (const ContractionStep &step : steps)
    operands.push_back("(" + operands[step.lhs] + " * " + operands[step.rhs] +
                       ")");
  return operands.back();
}

ContractionPlan
mlir::ht::costPlan(const ContractionNetwork &network,
                   ArrayRef<std::pair<unsigned, unsigned>> pairs,
                   const CostOptions &options) {
  NetworkCosts costs(network, options);
  SmallVector<TensorSet> operands;
  for (unsigned index = 0; index < costs.size(); ++index)
    operands.push_back(TensorSet(1) << index);
  ContractionPlan plan;
  for (auto [lhs, rhs] : pairs) {
    assert(lhs < operands.size() && rhs < operands.size() && lhs != rhs &&
           "valid operands");
    TensorSet joined = operands[lhs] | operands[rhs];
    LabelSet kept = costs.keptLabels(joined);
    NetworkCosts::Step cost =
        costs.step(operands[lhs], operands[rhs], costs.keptLabels(operands[lhs]),
                   costs.keptLabels(operands[rhs]), kept);
    ContractionStep step;
    step.lhs = lhs;
    step.rhs = rhs;
    step.resultLabels = toLabelList(kept, network.labelSizes.size());
    step.macs = cost.macs;
    step.resultElements = static_cast<int64_t>(cost.written);
    step.folded = cost.folded;
    plan.cost += cost.cost;
    (cost.folded ? plan.foldedMacs : plan.runtimeMacs) += cost.macs;
    plan.steps.push_back(std::move(step));
    operands.push_back(joined);
  }
  assert(operands.back() == costs.all() && "the plan contracts every tensor");
  assignLayouts(network, plan);
  return plan;
}

ContractionPlan mlir::ht::findGreedyPlan(const ContractionNetwork &network,
                                         const CostOptions &options) {
  NetworkCosts costs(network, options);
  struct Live {
    unsigned id;
    TensorSet set;
    LabelSet kept;
  };
  SmallVector<Live> live;
  for (unsigned index = 0; index < costs.size(); ++index)
    live.push_back({index, TensorSet(1) << index,
                    costs.keptLabels(TensorSet(1) << index)});
  SmallVector<std::pair<unsigned, unsigned>> pairs;
  unsigned nextId = costs.size();
  while (live.size() > 1) {
    // The classic greedy rule (numpy, opt_einsum): the step that shrinks
    // the network most, size(result) - size(lhs) - size(rhs), then the
    // cheaper step. Pairs sharing a label first; outer products only if no
    // pair does.
    std::tuple<bool, double, double, unsigned, unsigned> best = {
        true, std::numeric_limits<double>::infinity(), 0, 0, 0};
    for (unsigned a = 0; a < live.size(); ++a)
      for (unsigned b = a + 1; b < live.size(); ++b) {
        bool disconnected = (live[a].kept & live[b].kept).none();
        LabelSet kept = costs.keptLabels(live[a].set | live[b].set);
        NetworkCosts::Step cost = costs.step(live[a].set, live[b].set,
                                             live[a].kept, live[b].kept, kept);
        double growth = cost.written - costs.volume(live[a].kept) -
                        costs.volume(live[b].kept);
        auto candidate =
            std::make_tuple(disconnected, growth, cost.cost, a, b);
        if (candidate < best)
          best = candidate;
      }
    auto [disconnected, growth, cost, a, b] = best;
    (void)disconnected;
    (void)growth;
    (void)cost;
    pairs.push_back({live[a].id, live[b].id});
    TensorSet joined = live[a].set | live[b].set;
    live.erase(live.begin() + b);
    live.erase(live.begin() + a);
    live.push_back({nextId++, joined, costs.keptLabels(joined)});
  }
  return costPlan(network, pairs, options);
}

ContractionPlan mlir::ht::findOptimalPlan(const ContractionNetwork &network,
                                          const CostOptions &options,
                                          unsigned maxExactTensors) {
  unsigned count = network.tensors.size();
  if (count > maxExactTensors || count > 24) {
    ContractionPlan plan = findGreedyPlan(network, options);
    plan.usedGreedyFallback = true;
    return plan;
  }
  NetworkCosts costs(network, options);
  unsigned subsets = 1u << count;
  // Adjacency: tensors sharing a label.
  SmallVector<uint32_t> adjacent(count, 0);
  for (unsigned a = 0; a < count; ++a)
    for (unsigned b = 0; b < count; ++b)
      if (a != b && (costs.tensorLabels[a] & costs.tensorLabels[b]).any())
        adjacent[a] |= 1u << b;

  std::vector<bool> connected(subsets, false);
  std::vector<LabelSet> kept(subsets);
  for (uint32_t set = 1; set < subsets; ++set) {
    uint32_t reached = set & -set, frontier = reached;
    while (frontier) {
      unsigned index = llvm::countr_zero(frontier);
      frontier &= frontier - 1;
      uint32_t next = adjacent[index] & set & ~reached;
      reached |= next;
      frontier |= next;
    }
    connected[set] = reached == set;
    if (connected[set])
      kept[set] = costs.keptLabels(set);
  }

  std::vector<double> best(subsets, std::numeric_limits<double>::infinity());
  std::vector<uint32_t> split(subsets, 0);
  for (unsigned index = 0; index < count; ++index)
    best[1u << index] = 0;
  for (uint32_t set = 1; set < subsets; ++set) {
    if (!connected[set] || llvm::popcount(set) < 2)
      continue;
    uint32_t lowest = set & -set;
    // Every split {lhs, rhs} once: lhs holds the lowest tensor of `set`.
    for (uint32_t lhs = (set - 1) & set; lhs; lhs = (lhs - 1) & set) {
      if (!(lhs & lowest))
        continue;
      uint32_t rhs = set ^ lhs;
      if (!connected[lhs] || !connected[rhs] ||
          (kept[lhs] & kept[rhs]).none())
        continue;
      double total = best[lhs] + best[rhs];
      if (total >= best[set])
        continue;
      total += costs.step(lhs, rhs, kept[lhs], kept[rhs], kept[set]).cost;
      if (total < best[set]) {
        best[set] = total;
        split[set] = lhs;
      }
    }
  }
  uint32_t full = subsets - 1;
  if (!connected[full]) {
    ContractionPlan plan = findGreedyPlan(network, options);
    plan.usedGreedyFallback = true;
    return plan;
  }

  SmallVector<std::pair<unsigned, unsigned>> pairs;
  std::function<unsigned(uint32_t)> emit = [&](uint32_t set) -> unsigned {
    if (llvm::popcount(set) == 1)
      return llvm::countr_zero(set);
    unsigned lhs = emit(split[set]);
    unsigned rhs = emit(set ^ split[set]);
    pairs.push_back({lhs, rhs});
    return count + pairs.size() - 1;
  };
  emit(full);
  return costPlan(network, pairs, options);
}

double mlir::ht::bruteForceOptimalCost(const ContractionNetwork &network,
                                       const CostOptions &options) {
  NetworkCosts costs(network, options);
  // Every sequence of connected pairwise contractions, without memoisation:
  // the sequences cover every contraction tree (in every order).
  std::function<double(SmallVector<TensorSet> &)> search =
      [&](SmallVector<TensorSet> &live) -> double {
    if (live.size() == 1)
      return 0;
    double best = std::numeric_limits<double>::infinity();
    for (unsigned a = 0; a < live.size(); ++a)
      for (unsigned b = a + 1; b < live.size(); ++b) {
        LabelSet lhsKept = costs.keptLabels(live[a]);
        LabelSet rhsKept = costs.keptLabels(live[b]);
        if ((lhsKept & rhsKept).none())
          continue;
        TensorSet joined = live[a] | live[b];
        double step =
            costs.step(live[a], live[b], lhsKept, rhsKept,
                       costs.keptLabels(joined))
                .cost;
        SmallVector<TensorSet> next;
        for (unsigned other = 0; other < live.size(); ++other)
          if (other != a && other != b)
            next.push_back(live[other]);
        next.push_back(joined);
        best = std::min(best, step + search(next));
      }
    return best;
  };
  SmallVector<TensorSet> live;
  for (unsigned index = 0; index < costs.size(); ++index)
    live.push_back(TensorSet(1) << index);
  return search(live);
}

//===----------------------------------------------------------------------===//
// HT linear layers
//===----------------------------------------------------------------------===//

ContractionNetwork mlir::ht::buildHTLinearNetwork(const HTShape &shape,
                                                  int64_t rows,
                                                  bool constantWeights,
                                                  int64_t numStacked) {
  ContractionNetwork network;
  int64_t numModes = shape.getNumModes();
  unsigned rowLabel = network.addLabel(rows);
  // The stack label, when there is one, comes right after the rows, so
  // intermediate results are [rows, g, ...] like the output, and leads every
  // factor's labels (each matrix's factor is one block of the stacked one).
  SmallVector<unsigned> stack;
  if (numStacked > 1)
    stack.push_back(network.addLabel(numStacked));
  SmallVector<unsigned> outLabels, colLabels, leafRanks, nodeRanks;
  for (int64_t mode = 0; mode < numModes; ++mode) {
    outLabels.push_back(network.addLabel(shape.rowModes[mode]));
    colLabels.push_back(network.addLabel(shape.colModes[mode]));
    leafRanks.push_back(network.addLabel(shape.leafRanks[mode]));
  }
  for (int64_t rank : shape.nodeRanks)
    nodeRanks.push_back(network.addLabel(rank));
  auto factorLabels = [&](std::initializer_list<unsigned> labels) {
    SmallVector<unsigned> all(stack);
    all.append(labels);
    return all;
  };
  auto rankLabel = [&](TreeNodeRef node) {
    return node.isLeaf() ? leafRanks[node.index] : nodeRanks[node.index];
  };

  SmallVector<unsigned> inputLabels = {rowLabel};
  llvm::append_range(inputLabels, colLabels);
  network.addTensor(inputLabels, /*constant=*/false, "X");
  for (int64_t mode = 0; mode < numModes; ++mode)
    network.addTensor(
        factorLabels({outLabels[mode], colLabels[mode], leafRanks[mode]}),
        constantWeights, "U" + std::to_string(mode));
  for (int64_t node = 0; node + 1 < numModes; ++node)
    network.addTensor(factorLabels({rankLabel(shape.tree.getLeft(node)),
                                    rankLabel(shape.tree.getRight(node)),
                                    nodeRanks[node]}),
                      constantWeights, "B" + std::to_string(node));
  network.outputLabels = {rowLabel};
  llvm::append_range(network.outputLabels, stack);
  llvm::append_range(network.outputLabels, outLabels);
  return network;
}

ContractionPlan mlir::ht::planHTLinear(const HTShape &shape,
                                       const ContractionNetwork &network,
                                       OrderStrategy strategy,
                                       const CostOptions &options,
                                       unsigned maxExactTensors) {
  switch (strategy) {
  case OrderStrategy::Optimal:
    return findOptimalPlan(network, options, maxExactTensors);
  case OrderStrategy::Greedy:
    return findGreedyPlan(network, options);
  case OrderStrategy::LeftToRight:
  case OrderStrategy::Dense:
    break;
  }
  unsigned count = network.tensors.size();
  int64_t numModes = shape.getNumModes();
  auto leaf = [](int64_t mode) { return unsigned(1 + mode); };
  auto transfer = [&](int64_t node) { return unsigned(1 + numModes + node); };
  SmallVector<std::pair<unsigned, unsigned>> pairs;
  auto contract = [&](unsigned lhs, unsigned rhs) {
    pairs.push_back({lhs, rhs});
    return unsigned(count + pairs.size() - 1);
  };

  if (strategy == OrderStrategy::LeftToRight) {
    unsigned current = 0;
    std::function<void(TreeNodeRef)> visit = [&](TreeNodeRef node) {
      if (node.isLeaf()) {
        current = contract(current, leaf(node.index));
        return;
      }
      visit(shape.tree.getLeft(node.index));
      visit(shape.tree.getRight(node.index));
      current = contract(current, transfer(node.index));
    };
    visit(shape.tree.getRoot());
    return costPlan(network, pairs, options);
  }

  // Dense: the node-frame recursion U_t = (U_l · B_t) · U_r, then x · Wᵀ.
  std::function<unsigned(TreeNodeRef)> frame = [&](TreeNodeRef node) {
    if (node.isLeaf())
      return leaf(node.index);
    unsigned left = frame(shape.tree.getLeft(node.index));
    unsigned right = frame(shape.tree.getRight(node.index));
    return contract(contract(left, transfer(node.index)), right);
  };
  contract(0, frame(shape.tree.getRoot()));
  return costPlan(network, pairs, options);
}
