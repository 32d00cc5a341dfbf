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
struct HTReportPass : public mlir::ht::impl::HTReportBase<HTReportPass> {
  using Base::Base;

  void runOnOperation() override {
    CostOptions options =
        makeCostOptions(costModel, writeWeight, foldWeights, foldSizeLimit);
    raw_ostream &os = llvm::outs();
    getOperation().walk([&](LinearOp op) {
      HTShape shape = op.getWeight().getType().getShape();
      int64_t rows = getLinearRows(op, expectedRows);
      ContractionNetwork network = buildHTLinearNetwork(
          shape, rows, hasConstantFactors(op.getWeight()));
      auto perRow = [&](const ContractionPlan &plan) {
        return plan.runtimeMacs / static_cast<double>(rows);
      };
      ContractionPlan optimal =
          planHTLinear(shape, network, OrderStrategy::Optimal, options);
      auto function = op->getParentOfType<FunctionOpInterface>();
      os << "ht.linear in @" << (function ? function.getName() : "?")
         << ": " << shape.getNumRows() << " x " << shape.getNumCols()
         << ", tree " << shape.tree.str() << ", " << rows << " row(s)\n";
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
    });
    os.flush();
    markAllAnalysesPreserved();
  }
};
} // namespace
