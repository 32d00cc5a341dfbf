//===- Compress.cpp - The ht-compress pass --------------------------------===//
//
// Replaces dense constant weights by HT matrices computed with the
// hierarchical SVD (ht/Compression/HSVD.h), and reports what each costs in
// parameters and accuracy.
//
//===----------------------------------------------------------------------===//

#include "ht/Compression/HSVD.h"
#include "ht/Dialect/HT/IR/HTOps.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Dialect/HT/Utils/ConstantData.h"
#include "ShapeFormat.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>

namespace mlir::ht {
#define GEN_PASS_DEF_HTCOMPRESS
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

constexpr StringRef kSelectors[] = {"W_ih", "W_hh", "W", "all"};

/// The roles a `weights=` selector stands for.
SmallVector<WeightRole> getSelectedRoles(StringRef selector) {
  if (selector == "W_ih")
    return {WeightRole::Input};
  if (selector == "W_hh")
    return {WeightRole::Recurrent};
  if (selector == "W")
    return {WeightRole::InputRecurrent, WeightRole::Linear};
  return {WeightRole::Input, WeightRole::Recurrent, WeightRole::InputRecurrent,
          WeightRole::Linear};
}

std::string formatScientific(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.3e", value);
  return text;
}

struct HTCompressPass : public mlir::ht::impl::HTCompressBase<HTCompressPass> {
  using Base::Base;

  /// Bad options are rejected when the pipeline is parsed, before any work.
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(Base::initializeOptions(options, errorHandler)))
      return failure();
    if (std::optional<std::string> error = parseOptions())
      return errorHandler("ht-compress: " + *error);
    return success();
  }

  void runOnOperation() override {
    // Options set programmatically never went through initializeOptions.
    if (std::optional<std::string> error = parseOptions()) {
      getOperation().emitError("ht-compress: ") << *error;
      return signalPassFailure();
    }

    SmallVector<WeightedOpInterface> weightedOps;
    getOperation().walk(
        [&](WeightedOpInterface op) { weightedOps.push_back(op); });
    DenseMap<Value, Value> compressed; // a shared constant is compressed once
    SmallVector<Operation *> replacedConstants;
    for (WeightedOpInterface op : weightedOps)
      for (unsigned index = 0, e = op.getNumWeights(); index < e; ++index) {
        OpOperand &operand = op.getWeightOperand(index);
        Value weight = operand.get();
        if (!isa<RankedTensorType>(weight.getType()) ||
            !llvm::is_contained(selected, op.getWeightRole(index)))
          continue;
        Value &matrix = compressed[weight];
        if (!matrix) {
          FailureOr<Value> result =
              compressWeight(op, op.getWeightName(index), weight);
          if (failed(result))
            return signalPassFailure();
          matrix = *result;
          replacedConstants.push_back(weight.getDefiningOp());
        }
        operand.set(matrix);
      }
    for (Operation *constant : replacedConstants)
      if (constant->use_empty())
        constant->erase();
  }

private:
  /// Checks the options and derives the selection, tree and HSVD settings;
  /// returns what is wrong, if anything.
  std::optional<std::string> parseOptions() {
    auto fail = [](const Twine &message) {
      return std::optional<std::string>(message.str());
    };
    selected.clear();
    SmallVector<std::string> selectors(weights.begin(), weights.end());
    if (selectors.empty())
      selectors = {"W_ih", "W"};
    for (const std::string &name : selectors) {
      if (!llvm::is_contained(kSelectors, name))
        return fail(llvm::formatv("unknown weight '{0}' in weights=; "
                                  "expected W_ih, W_hh, W or all",
                                  name));
      llvm::append_range(selected, getSelectedRoles(name));
    }
    if (rowModes.empty() != colModes.empty())
      return fail(
          "row-modes and col-modes go together: give both or neither");
    if (!rowModes.empty() && rowModes.size() != colModes.size())
      return fail(llvm::formatv(
          "row-modes {0} and col-modes {1} have different numbers of modes",
          formatIntList(rowModes), formatIntList(colModes)));
    if (rowModes.size() == 1)
      return fail("row-modes has 1 mode; an HT matrix needs at least 2");
    for (auto [name, modes] : {std::make_pair("row-modes", &rowModes),
                               std::make_pair("col-modes", &colModes)})
      if (llvm::any_of(*modes, [](int64_t m) { return m < 1; }))
        return fail(llvm::formatv("{0} {1} must all be >= 1", name,
                                  formatIntList(*modes)));
    if (!TreeStructure::isValidNumModes(numModes))
      return fail(llvm::formatv("num-modes={0}; expected 2 to {1}",
                                int64_t(numModes), TreeStructure::kMaxModes));
    if (!TreeStructure::isValidNumModes(rowModes.size()) && !rowModes.empty())
      return fail(llvm::formatv("row-modes has {0} modes; expected 2 to {1}",
                                rowModes.size(), TreeStructure::kMaxModes));
    int64_t modesInUse = rowModes.empty() ? numModes : rowModes.size();
    if (!tree.empty()) {
      llvm::Expected<TreeStructure> parsed = TreeStructure::parse(tree);
      if (!parsed)
        return fail(llvm::formatv("tree '{0}': {1}", tree,
                                  llvm::toString(parsed.takeError())));
      if (parsed->getNumModes() != modesInUse)
        return fail(llvm::formatv(
            "tree '{0}' is over {1} modes, but the matrices have {2} modes "
            "({3})",
            tree, parsed->getNumModes(), modesInUse,
            rowModes.empty() ? "num-modes" : "row-modes/col-modes"));
      dimensionTree = std::move(*parsed);
    } else {
      dimensionTree = TreeStructure::balanced(modesInUse);
    }
    hsvdOptions = HSVDOptions();
    if (maxRank.hasValue()) {
      if (maxRank < 1)
        return fail(llvm::formatv("max-rank={0}; a rank is at least 1",
                                  int64_t(maxRank)));
      hsvdOptions.maxRank = maxRank;
    }
    if (!(tolerance >= 0.0 && tolerance < 1.0))
      return fail(llvm::formatv(
          "tolerance={0}; expected a relative error in [0, 1)",
          formatScientific(tolerance)));
    hsvdOptions.tolerance = tolerance;
    return std::nullopt;
  }

  FailureOr<Value> compressWeight(Operation *op, StringRef role,
                                  Value weight) {
    auto type = cast<RankedTensorType>(weight.getType());
    int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    ElementsAttr attr;
    if (!matchPattern(weight, m_Constant(&attr)))
      return op->emitError() << "ht-compress: " << role
                             << " is not a compile-time constant; only "
                                "constant weights can be compressed";
    llvm::Expected<std::vector<double>> values = readFloatValues(attr);
    if (!values)
      return op->emitError() << "ht-compress: cannot read the values of "
                             << role << ": "
                             << llvm::toString(values.takeError());

    SmallVector<int64_t> rowSizes(rowModes.begin(), rowModes.end());
    SmallVector<int64_t> colSizes(colModes.begin(), colModes.end());
    if (rowSizes.empty()) {
      rowSizes = factorizeEvenly(rows, numModes);
      colSizes = factorizeEvenly(cols, numModes);
    }
    llvm::Expected<HSVDResult> hsvd =
        computeHSVD(*values, rows, cols, rowSizes, colSizes, *dimensionTree,
                    hsvdOptions);
    if (!hsvd)
      return op->emitError()
             << "ht-compress: cannot compress " << role << " (" << rows
             << " x " << cols << "): " << llvm::toString(hsvd.takeError());

    MLIRContext *context = &getContext();
    const HTShape &shape = hsvd->factors.shape;
    auto matrixType = MatrixType::get(
        context, shape.rowModes, shape.colModes,
        DimensionTreeAttr::get(context, shape.tree.getEncoding()),
        shape.leafRanks, shape.nodeRanks, type.getElementType());
    // The stored factors are rounded to the element type; the reported error
    // is that of the rounded factors, as a recount would find it.
    HTFactorValues stored{shape, {}, {}};
    SmallVector<Attribute> leaves, transfers;
    for (auto [mode, leaf] : llvm::enumerate(hsvd->factors.leaves)) {
      DenseElementsAttr attr =
          makeFloatElements(matrixType.getLeafType(mode), leaf);
      stored.leaves.push_back(llvm::cantFail(readFloatValues(attr)));
      leaves.push_back(attr);
    }
    for (auto [node, transfer] : llvm::enumerate(hsvd->factors.transfers)) {
      DenseElementsAttr attr =
          makeFloatElements(matrixType.getTransferType(node), transfer);
      stored.transfers.push_back(llvm::cantFail(readFloatValues(attr)));
      transfers.push_back(attr);
    }

    OpBuilder builder(context);
    builder.setInsertionPointAfterValue(weight);
    Value matrix = ConstantOp::create(builder, weight.getLoc(), matrixType,
                                      builder.getArrayAttr(leaves),
                                      builder.getArrayAttr(transfers));
    if (report)
      printReport(op, role, rows, cols, stored, *values, hsvd->norm,
                  hsvd->relativeErrorBound);
    return matrix;
  }

  void printReport(Operation *op, StringRef role, int64_t rows, int64_t cols,
                   const HTFactorValues &stored, ArrayRef<double> dense,
                   double norm, double bound) {
    std::vector<double> approximation = reconstructDense(stored);
    double errorSquared = 0.0;
    for (size_t i = 0; i < dense.size(); ++i)
      errorSquared += (approximation[i] - dense[i]) *
                      (approximation[i] - dense[i]);
    double error = norm > 0 ? std::sqrt(errorSquared) / norm : 0.0;
    int64_t parameters = stored.getNumParameters();
    std::string function = "?";
    if (auto func = op->getParentOfType<func::FuncOp>())
      function = func.getSymName().str();
    const HTShape &shape = stored.shape;
    llvm::errs() << llvm::formatv(
        "ht-compress: {0} in @{1}: {2} {3} x {4} -> {5} parameters "
        "(compression {6:F2}x), relative error {7} (HSVD bound {8})\n",
        op->getName(), function, role, rows, cols, parameters,
        double(rows) * double(cols) / double(parameters),
        formatScientific(error), formatScientific(bound));
    llvm::errs() << "    " << describeShape(shape) << "\n";
  }

  SmallVector<WeightRole> selected;
  std::optional<TreeStructure> dimensionTree;
  HSVDOptions hsvdOptions;
};

} // namespace
