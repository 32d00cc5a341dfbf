//===- ChooseWeightFormat.cpp - Dense or HT, per LSTM weight --------------===//

#include "Planning.h"
#include "ht/Compression/HSVD.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Dialect/HT/Utils/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTCHOOSEWEIGHTFORMAT
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// The numbers of a constant HT matrix, or nothing if a factor is unreadable.
std::optional<HTFactorValues> readFactors(ConstantOp constant) {
  HTFactorValues factors{constant.getType().getShape(), {}, {}};
  auto readAll = [](ArrayAttr attrs, std::vector<std::vector<double>> &into) {
    for (Attribute attr : attrs) {
      llvm::Expected<std::vector<double>> values =
          readFloatValues(cast<ElementsAttr>(attr));
      if (!values) {
        llvm::consumeError(values.takeError());
        return false;
      }
      into.push_back(std::move(*values));
    }
    return true;
  };
  if (!readAll(constant.getLeaves(), factors.leaves) ||
      !readAll(constant.getTransfers(), factors.transfers))
    return std::nullopt;
  return factors;
}

struct HTChooseWeightFormatPass
    : public mlir::ht::impl::HTChooseWeightFormatBase<HTChooseWeightFormatPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    return HT_VERIFY_PLANNING_OPTIONS_OF_PASS(context);
  }

  void runOnOperation() override {
    if (failed(verifyConstantBlobs(getOperation())))
      return signalPassFailure();
    PlanningOptions options = HT_PLANNING_OPTIONS_OF_PASS();
    SmallVector<std::pair<WeightedOpInterface, unsigned>> weights;
    getOperation().walk([&](WeightedOpInterface op) {
      for (unsigned index = 0, e = op.getNumWeights(); index < e; ++index)
        if (op.getWeight(index).getDefiningOp<ConstantOp>())
          weights.push_back({op, index});
    });
    for (auto [op, index] : weights)
      choose(op, index, options);
  }

  void choose(WeightedOpInterface op, unsigned index,
              const PlanningOptions &options) {
    OpOperand &operand = op.getWeightOperand(index);
    auto constant = operand.get().getDefiningOp<ConstantOp>();
    MatrixType type = constant.getType();
    HTShape shape = type.getShape();
    int64_t rows = resolveRows(op.getWeightRows(index), options.expectedRows);
    // The plan ht-order-contractions will run for this product, folding
    // included: what the HT form really costs at run time.
    ContractionPlan plan = planWeight(op, index, options).plan;
    double elements = double(shape.getNumRows()) * shape.getNumCols();
    double denseCost = rows * elements;
    if (options.costs.model == CostModel::MacsPlusWrites)
      denseCost += options.costs.writeWeight * rows * shape.getNumRows();
    // A tie goes to dense: the same multiply-adds as one plain GEMM.
    bool dense = denseCost <= plan.cost;
    bool makeDense = dense && elements <= options.costs.foldSizeLimit;
    if (report)
      printChoice(op, index, shape, rows, plan.cost, denseCost, dense,
                  makeDense);
    if (!makeDense)
      return;
    std::optional<HTFactorValues> factors = readFactors(constant);
    if (!factors)
      return;
    // Where the HT constant was, so a product in a loop keeps its weight
    // outside of it.
    OpBuilder builder(constant);
    Value denseWeight = arith::ConstantOp::create(
        builder, constant.getLoc(),
        makeFloatElements(type.getDenseType(), reconstructDense(*factors)));
    operand.set(denseWeight);
    if (constant->use_empty())
      constant->erase();
  }

  void printChoice(WeightedOpInterface op, unsigned index,
                   const HTShape &shape, int64_t rows, double htCost,
                   double denseCost, bool dense, bool makeDense) {
    std::string function = "?";
    if (auto func = op->getParentOfType<func::FuncOp>())
      function = func.getSymName().str();
    llvm::errs() << llvm::formatv(
        "ht-choose-weight-format: {0} in @{1}: {2} {3} x {4}, {5} rows: HT "
        "{6:F0}, dense {7:F0} -> {8}\n",
        op->getName(), function, op.getWeightName(index), shape.getNumRows(),
        shape.getNumCols(), rows, htCost, denseCost,
        makeDense ? "dense" : (dense ? "HT (too large to make dense)" : "HT"));
  }
};

} // namespace
