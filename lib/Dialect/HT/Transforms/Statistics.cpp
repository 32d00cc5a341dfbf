//===- Statistics.cpp - The ht-stats report pass --------------------------===//

#include "ht/Dialect/HT/Analysis/HTMetrics.h"
#include "ht/Dialect/HT/IR/HTOps.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ShapeFormat.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTSTATISTICS
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// One row of the table: a weight or the biases of an op.
struct WeightRow {
  std::string role;
  int64_t rows = 0, cols = 0;
  int64_t parameters = 0;
  int64_t denseParameters = 0;
  /// Multiply-adds per input row; biases cost none.
  std::optional<int64_t> denseMacsPerRow;
  /// Set for HT weights.
  std::optional<HTShape> shape;
};

WeightRow describeWeight(StringRef role, Type type) {
  WeightRow row;
  row.role = role.str();
  if (auto matrix = dyn_cast<MatrixType>(type)) {
    HTShape shape = matrix.getShape();
    HTMetrics metrics = computeMetrics(shape);
    row.rows = shape.getNumRows();
    row.cols = shape.getNumCols();
    row.parameters = metrics.parameters;
    row.denseParameters = metrics.denseParameters;
    row.denseMacsPerRow = metrics.denseMacsPerRow;
    row.shape = std::move(shape);
    return row;
  }
  auto tensor = cast<RankedTensorType>(type);
  row.rows = tensor.getDimSize(0);
  row.cols = tensor.getDimSize(1);
  row.parameters = row.denseParameters = row.rows * row.cols;
  row.denseMacsPerRow = row.parameters;
  return row;
}

WeightRow describeBiases(ValueRange biases) {
  WeightRow row;
  row.role = biases.size() == 1 ? "b" : "biases";
  row.rows = biases.size();
  for (Value bias : biases) {
    row.cols = cast<RankedTensorType>(bias.getType()).getDimSize(0);
    row.parameters += row.cols;
  }
  row.denseParameters = row.parameters;
  return row;
}

/// The weights of `op`, or nothing if `op` takes none.
std::vector<WeightRow> describeOp(Operation *op) {
  if (auto toDense = dyn_cast<ToDenseOp>(op))
    return {describeWeight("W", toDense.getMatrix().getType())};
  auto weighted = dyn_cast<WeightedOpInterface>(op);
  if (!weighted)
    return {};
  std::vector<WeightRow> rows;
  for (unsigned index = 0, e = weighted.getNumWeights(); index < e; ++index)
    rows.push_back(describeWeight(weighted.getWeightName(index),
                                  weighted.getWeight(index).getType()));
  if (!weighted.getBiasOperands().empty())
    rows.push_back(describeBiases(weighted.getBiasOperands()));
  return rows;
}

std::string formatRatio(int64_t dense, int64_t parameters) {
  return llvm::formatv("{0:F2}x", static_cast<double>(dense) /
                                      static_cast<double>(parameters));
}

void printRow(raw_ostream &os, StringRef role, StringRef kind,
              StringRef shape, int64_t parameters, int64_t dense,
              std::optional<int64_t> macs) {
  os << llvm::formatv("  {0,-12} {1,-5} {2,-14} {3,12} {4,14} {5,12} {6,14}\n",
                      role, kind, shape, parameters, dense,
                      formatRatio(dense, parameters),
                      macs ? std::to_string(*macs) : std::string("-"));
}

void printWeightTable(raw_ostream &os, Operation *op, StringRef function,
                ArrayRef<WeightRow> rows) {
  os << op->getName() << " in @" << function << "\n";
  os << llvm::formatv("  {0,-12} {1,-5} {2,-14} {3,12} {4,14} {5,12} {6,14}\n",
                      "weight", "kind", "shape", "params", "dense params",
                      "compression", "dense MACs/row");
  int64_t parameters = 0, dense = 0, macs = 0;
  for (const WeightRow &row : rows) {
    std::string shape = llvm::formatv("{0} x {1}", row.rows, row.cols);
    printRow(os, row.role, row.shape ? "ht" : "dense", shape, row.parameters,
             row.denseParameters, row.denseMacsPerRow);
    if (row.shape)
      os << "      " << describeShape(*row.shape) << "\n";
    parameters += row.parameters;
    dense += row.denseParameters;
    macs += row.denseMacsPerRow.value_or(0);
  }
  if (rows.size() > 1)
    printRow(os, "total", "", "", parameters, dense, macs);
}

struct HTStatisticsPass
    : public mlir::ht::impl::HTStatisticsBase<HTStatisticsPass> {
  using Base::Base;

  void runOnOperation() override {
    raw_ostream &os = llvm::errs();
    getOperation().walk([&](Operation *op) {
      std::vector<WeightRow> rows = describeOp(op);
      if (rows.empty())
        return;
      auto function = op->getParentOfType<FunctionOpInterface>();
      StringRef functionName = function ? function.getName() : "<no function>";
      if (printTable)
        printWeightTable(os, op, functionName, rows);
      if (emitRemarks)
        for (const WeightRow &row : rows)
          if (row.shape)
            op->emitRemark()
                << row.role << ": " << row.parameters << " parameters, "
                << row.denseParameters << " dense, compression "
                << formatRatio(row.denseParameters, row.parameters)
                << ", dense MACs/row " << *row.denseMacsPerRow;
    });
    os.flush();
    markAllAnalysesPreserved();
  }
};

} // namespace
