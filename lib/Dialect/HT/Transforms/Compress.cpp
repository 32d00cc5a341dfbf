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

/// Matrices with more entries than this take seconds: their phases are
/// shown on a terminal even without `progress`.
constexpr double kProgressEntries = 1 << 20;

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
    if (maxParameters < 0)
      return fail(llvm::formatv(
          "max-parameters={0}; expected a budget >= 1 (or 0 for none)",
          int64_t(maxParameters)));
    if (!(ratio >= 0.0) || std::isinf(ratio))
      return fail(llvm::formatv("ratio={0}; expected a compression ratio > 0 "
                                "(or 0 for none)",
                                formatScientific(ratio)));
    if (maxParameters > 0 && ratio > 0.0)
      return fail("max-parameters and ratio both set a budget: give one");
    if (search && !tree.empty())
      return fail("search tries the candidate trees and tree= fixes one: "
                  "give one or the other");
    return std::nullopt;
  }

  /// A way to compress a matrix: modes and tree.
  struct Candidate {
    SmallVector<int64_t> rowSizes, colSizes;
    TreeStructure tree;
  };

  /// The candidates for a rows x cols matrix: the given modes and tree, or
  /// with `search` every mode count with the balanced and left-deep trees.
  std::vector<Candidate> getCandidates(int64_t rows, int64_t cols) {
    std::vector<Candidate> candidates;
    auto addTrees = [&](SmallVector<int64_t> rowSizes,
                        SmallVector<int64_t> colSizes) {
      int64_t modes = rowSizes.size();
      candidates.push_back({rowSizes, colSizes, TreeStructure::balanced(modes)});
      TreeStructure deep = TreeStructure::leftDeep(modes);
      if (!(deep == candidates.back().tree))
        candidates.push_back({rowSizes, colSizes, deep});
    };
    if (!search) {
      SmallVector<int64_t> rowSizes(rowModes.begin(), rowModes.end());
      SmallVector<int64_t> colSizes(colModes.begin(), colModes.end());
      if (rowSizes.empty()) {
        rowSizes = factorizeEvenly(rows, numModes);
        colSizes = factorizeEvenly(cols, numModes);
      }
      candidates.push_back({rowSizes, colSizes, *dimensionTree});
    } else if (!rowModes.empty()) {
      addTrees(SmallVector<int64_t>(rowModes.begin(), rowModes.end()),
               SmallVector<int64_t>(colModes.begin(), colModes.end()));
    } else {
      for (int64_t modes = 2; modes <= numModes; ++modes)
        addTrees(factorizeEvenly(rows, modes), factorizeEvenly(cols, modes));
    }
    return candidates;
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

    std::string function = "?";
    if (auto func = op->getParentOfType<func::FuncOp>())
      function = func.getSymName().str();
    // Progress: asked for, or a long run on a terminal.
    bool showProgress =
        progress || (llvm::errs().is_displayed() &&
                     double(rows) * double(cols) > kProgressEntries);
    HSVDOptions options = hsvdOptions;
    if (maxParameters > 0)
      options.maxParameters = int64_t(maxParameters);
    if (ratio > 0.0) {
      double budget = std::floor(double(rows) * double(cols) / ratio);
      if (budget < 1.0)
        return op->emitError()
               << "ht-compress: ratio=" << formatScientific(ratio) << " leaves "
               << role << " (" << rows << " x " << cols
               << ") less than one parameter";
      options.maxParameters = int64_t(std::min(budget, 9.0e18));
    }
    std::vector<Candidate> candidates = getCandidates(rows, cols);
    std::optional<HSVDResult> best;
    std::string firstFailure;
    for (auto [index, candidate] : llvm::enumerate(candidates)) {
      std::string what = llvm::formatv(
          "ht-compress: {0} of {1} in @{2} ({3} x {4})", role, op->getName(),
          function, rows, cols);
      if (candidates.size() > 1)
        what += llvm::formatv(", candidate {0}/{1}: modes {2} x {3}, tree {4}",
                              index + 1, candidates.size(),
                              formatIntList(candidate.rowSizes),
                              formatIntList(candidate.colSizes),
                              candidate.tree.str());
      if (showProgress)
        options.onPhase = [what](StringRef phase) {
          llvm::errs() << what << ": " << phase << "\n";
          llvm::errs().flush();
        };
      llvm::Expected<HSVDResult> hsvd =
          computeHSVD(*values, rows, cols, candidate.rowSizes,
                      candidate.colSizes, candidate.tree, options);
      if (!hsvd) {
        std::string message = llvm::toString(hsvd.takeError());
        if (showProgress && candidates.size() > 1)
          llvm::errs() << what << ": skipped, " << message << "\n";
        if (firstFailure.empty())
          firstFailure = message;
        continue;
      }
      if (!best || isBetter(*hsvd, *best, options.maxParameters.has_value()))
        best = std::move(*hsvd);
    }
    if (!best)
      return op->emitError() << "ht-compress: cannot compress " << role
                             << " (" << rows << " x " << cols
                             << "): " << firstFailure;
    HSVDResult *hsvd = &*best;

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
    int64_t parameters = stored.getNumParameters();
    if (double(parameters) > double(rows) * double(cols))
      op->emitWarning() << "ht-compress: " << role << " in HT form has "
                        << parameters << " parameters, more than its "
                        << rows * cols << " dense ones (" << describeShape(shape)
                        << "); a smaller max-rank, a tolerance or a budget "
                           "(max-parameters, ratio) makes it smaller";
    if (report)
      printReport(op, role, rows, cols, stored, *values, hsvd->norm,
                  hsvd->relativeErrorBound, options.maxParameters);
    return matrix;
  }

  /// The search's order: least error within a budget, else fewest
  /// parameters (then least error).
  static bool isBetter(const HSVDResult &candidate, const HSVDResult &best,
                       bool budgeted) {
    int64_t parameters = candidate.factors.getNumParameters();
    int64_t bestParameters = best.factors.getNumParameters();
    if (budgeted)
      return candidate.relativeErrorBound < best.relativeErrorBound;
    if (parameters != bestParameters)
      return parameters < bestParameters;
    return candidate.relativeErrorBound < best.relativeErrorBound;
  }

  void printReport(Operation *op, StringRef role, int64_t rows, int64_t cols,
                   const HTFactorValues &stored, ArrayRef<double> dense,
                   double norm, double bound, std::optional<int64_t> budget) {
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
    llvm::errs() << "    " << describeShape(shape);
    if (budget)
      llvm::errs() << ", budget " << *budget << " parameters";
    llvm::errs() << "\n";
  }

  SmallVector<WeightRole> selected;
  std::optional<TreeStructure> dimensionTree;
  HSVDOptions hsvdOptions;
};

} // namespace
