//===- ChooseWeightFormat.cpp - Dense or HT, per LSTM weight --------------===//

#include "CostOptions.h"
#include "ht/Compression/HSVD.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Dialect/HT/Utils/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/TypeSwitch.h"
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
      std::optional<std::vector<double>> values =
          readFloatValues(cast<ElementsAttr>(attr));
      if (!values)
        return false;
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

  void runOnOperation() override {
    getOperation().walk([&](Operation *op) {
      llvm::TypeSwitch<Operation *>(op)
          .Case([&](LSTMOp lstm) { chooseForLSTM(lstm); })
          .Case([&](LSTMCellOp cell) { chooseForLSTM(cell); });
    });
  }

  template <typename LSTMLikeOp>
  void chooseForLSTM(LSTMLikeOp op) {
    int64_t batch = op.getH0().getType().getDimSize(0);
    int64_t rows = ShapedType::isDynamic(batch) ? int64_t(expectedRows) : batch;
    unsigned begin = op.getWeights().getBeginOperandIndex();
    for (unsigned index = 0, e = op.getWeights().size(); index < e; ++index)
      choose(op, op->getOpOperand(begin + index),
             op.getWeightRole(index), rows);
  }

  void choose(Operation *op, OpOperand &operand, StringRef role,
              int64_t rows) {
    auto constant = operand.get().getDefiningOp<ConstantOp>();
    if (!constant)
      return;
    MatrixType type = constant.getType();
    HTShape shape = type.getShape();
    // As the lowering costs it: nothing folded, the weights meet the
    // activations every step.
    CostOptions options = makeCostOptions(costModel, writeWeight,
                                          /*foldWeights=*/false, 0);
    ContractionNetwork network =
        buildHTLinearNetwork(shape, rows, /*constantWeights=*/false);
    ContractionPlan plan =
        strategy == OrderStrategy::Optimal
            ? findOptimalPlan(network, options, maxExactTensors)
            : planHTLinear(shape, network, strategy, options);
    double elements = double(shape.getNumRows()) * shape.getNumCols();
    double denseCost = rows * elements;
    if (costModel == CostModel::MacsPlusWrites)
      denseCost += writeWeight * rows * shape.getNumRows();
    bool makeDense = denseCost < plan.cost && elements <= foldSizeLimit;
    if (report)
      printChoice(op, role, shape, rows, plan.cost, denseCost, makeDense);
    if (!makeDense)
      return;
    std::optional<HTFactorValues> factors = readFactors(constant);
    if (!factors)
      return;
    OpBuilder builder(op);
    Value dense = arith::ConstantOp::create(
        builder, constant.getLoc(),
        makeFloatElements(type.getDenseType(), reconstructDense(*factors)));
    operand.set(dense);
    if (constant->use_empty())
      constant->erase();
  }

  void printChoice(Operation *op, StringRef role, const HTShape &shape,
                   int64_t rows, double htCost, double denseCost,
                   bool makeDense) {
    std::string function = "?";
    if (auto func = op->getParentOfType<func::FuncOp>())
      function = func.getSymName().str();
    llvm::outs() << llvm::formatv(
        "ht-choose-weight-format: {0} in @{1}: {2} {3} x {4}, {5} rows per "
        "step: HT {6:F0}, dense {7:F0} -> {8}\n",
        op->getName(), function, role, shape.getNumRows(), shape.getNumCols(),
        rows, htCost, denseCost,
        makeDense ? "dense"
                  : (denseCost < htCost ? "HT (too large to make dense)"
                                        : "HT"));
  }
};

} // namespace
