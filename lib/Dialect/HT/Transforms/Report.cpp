//===- Report.cpp - The ht-report pass ------------------------------------===//

#include "CostOptions.h"
#include "ht/Dialect/HT/Transforms/Passes.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTREPORT
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// An HT product in the IR: a weight, its role, and the rows it multiplies.
struct Product {
  Operation *op;
  std::string role;
  Value weight;
  int64_t rows;
};

int64_t staticOr(int64_t size, int64_t fallback) {
  return ShapedType::isDynamic(size) ? fallback : size;
}

template <typename LSTMLikeOp>
void collectLSTM(LSTMLikeOp op, int64_t batchDim, int64_t expectedRows,
                 SmallVectorImpl<Product> &products) {
  // One product per step: the rows are the batch.
  int64_t rows =
      staticOr(op.getInput().getType().getDimSize(batchDim), expectedRows);
  for (auto [index, weight] : llvm::enumerate(op.getWeights()))
    if (isa<MatrixType>(weight.getType()))
      products.push_back({op, op.getWeightRole(index).str(), weight, rows});
}

/// Multiply-adds of an emitted ht.contract, where its sizes are static.
std::optional<double> countMacs(ContractOp op) {
  double macs = 1;
  SmallVector<int64_t> seen;
  for (auto [type, labels] :
       {std::pair{op.getLhs().getType(), op.getLhsLabels()},
        std::pair{op.getRhs().getType(), op.getRhsLabels()}})
    for (auto [dim, label] : llvm::enumerate(labels)) {
      if (llvm::is_contained(seen, label))
        continue;
      seen.push_back(label);
      int64_t size = type.getDimSize(dim);
      if (ShapedType::isDynamic(size))
        return std::nullopt;
      macs *= static_cast<double>(size);
    }
  return macs;
}

struct HTReportPass : public mlir::ht::impl::HTReportBase<HTReportPass> {
  using Base::Base;

  void runOnOperation() override {
    CostOptions options =
        makeCostOptions(costModel, writeWeight, foldWeights, foldSizeLimit);
    raw_ostream &os = llvm::outs();
    SmallVector<Product> products;
    getOperation().walk([&](Operation *op) {
      auto linear = dyn_cast<LinearOp>(op);
      if (linear && isa<MatrixType>(linear.getWeight().getType()))
        products.push_back({op, "W", linear.getWeight(),
                            getLinearRows(linear, expectedRows)});
      else if (auto lstm = dyn_cast<LSTMOp>(op))
        collectLSTM(lstm, /*batchDim=*/1, expectedRows, products);
      else if (auto cell = dyn_cast<LSTMCellOp>(op))
        collectLSTM(cell, /*batchDim=*/0, expectedRows, products);
    });

    for (const Product &product : products) {
      HTShape shape = cast<MatrixType>(product.weight.getType()).getShape();
      ContractionNetwork network = buildHTLinearNetwork(
          shape, product.rows, hasConstantFactors(product.weight));
      auto perRow = [&](const ContractionPlan &plan) {
        return plan.runtimeMacs / static_cast<double>(product.rows);
      };
      ContractionPlan optimal =
          planHTLinear(shape, network, OrderStrategy::Optimal, options);
      auto function = product.op->getParentOfType<FunctionOpInterface>();
      os << product.op->getName() << " in @"
         << (function ? function.getName() : "?") << ", " << product.role
         << ": " << shape.getNumRows() << " x " << shape.getNumCols()
         << ", tree " << shape.tree.str() << ", " << product.rows
         << " row(s)\n";
      os << "  chosen order   " << optimal.describe(network)
         << (optimal.usedGreedyFallback ? "  (greedy: network too large)" : "")
         << "\n";
      os << llvm::formatv("  MACs per row   optimal {0:F1}", perRow(optimal));
      for (auto [name, strategy] :
           {std::pair<const char *, OrderStrategy>{"left-to-right",
                                                   OrderStrategy::LeftToRight},
            {"greedy", OrderStrategy::Greedy},
            {"dense", OrderStrategy::Dense}})
        os << llvm::formatv(
            ", {0} {1:F1}", name,
            perRow(planHTLinear(shape, network, strategy, options)));
      os << "\n";
      unsigned folded = llvm::count_if(
          optimal.steps, [](const ContractionStep &step) { return step.folded; });
      os << llvm::formatv("  folded         {0} of {1} steps, {2:F0} MACs at "
                          "compile time\n",
                          folded, optimal.steps.size(), optimal.foldedMacs);
    }

    // After ht-order-contractions: what the emitted steps cost, recounted
    // from the IR itself.
    getOperation().walk([&](FunctionOpInterface function) {
      double macs = 0;
      unsigned steps = 0;
      bool known = true;
      function->walk([&](ContractOp op) {
        ++steps;
        if (std::optional<double> count = countMacs(op))
          macs += *count;
        else
          known = false;
      });
      if (steps == 0)
        return;
      os << "ht.contract in @" << function.getName() << ": " << steps
         << " steps, ";
      if (known)
        os << llvm::formatv("{0:F1} MACs per call\n", macs);
      else
        os << "MACs depend on dynamic sizes\n";
    });
    os.flush();
    markAllAnalysesPreserved();
  }
};

} // namespace
