//===- Report.cpp - The ht-report pass ------------------------------------===//

#include "Planning.h"
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

/// An HT weight of an op, with the rows one execution multiplies it with.
struct Product {
  WeightedOpInterface op;
  unsigned index;
  int64_t rows;
};

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

  LogicalResult initialize(MLIRContext *context) override {
    return HT_VERIFY_PLANNING_OPTIONS_OF_PASS(context);
  }

  void runOnOperation() override {
    PlanningOptions options;
    options.costs =
        makeCostOptions(costModel, writeWeight, foldWeights, foldSizeLimit);
    options.expectedRows = expectedRows;
    raw_ostream &os = llvm::errs();
    SmallVector<Product> products;
    getOperation().walk([&](WeightedOpInterface op) {
      for (unsigned index = 0, e = op.getNumWeights(); index < e; ++index)
        if (isa<MatrixType>(op.getWeight(index).getType()))
          products.push_back(
              {op, index, resolveRows(op.getWeightRows(index), expectedRows)});
    });

    for (Product &product : products) {
      Value weight = product.op.getWeight(product.index);
      HTShape shape = cast<MatrixType>(weight.getType()).getShape();
      auto plan = [&](OrderStrategy strategy) {
        PlanningOptions strategyOptions = options;
        strategyOptions.strategy = strategy;
        return planProduct(shape, product.rows, hasConstantFactors(weight),
                           strategyOptions);
      };
      auto perRow = [&](const ContractionPlan &plan) {
        return plan.runtimeMacs / static_cast<double>(product.rows);
      };
      PlannedProduct chosen = plan(OrderStrategy::Optimal);
      const ContractionNetwork &network = chosen.network;
      const ContractionPlan &optimal = chosen.plan;
      auto function = product.op->getParentOfType<FunctionOpInterface>();
      os << product.op->getName() << " in @"
         << (function ? function.getName() : "?") << ", "
         << product.op.getWeightName(product.index)
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
            perRow(plan(strategy).plan));
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
