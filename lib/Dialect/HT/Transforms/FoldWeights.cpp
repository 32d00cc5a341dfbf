//===- FoldWeights.cpp - Contractions of constants at compile time --------===//

#include "ht/Dialect/HT/IR/HTOps.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Dialect/HT/Utils/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTFOLDWEIGHTS
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// Row-major strides of `labels` (of a tensor with `shape`) along `loops`;
/// 0 for loops the tensor does not index.
SmallVector<int64_t> stridesAlong(ArrayRef<int64_t> loops,
                                  ArrayRef<int64_t> labels,
                                  ArrayRef<int64_t> shape) {
  SmallVector<int64_t> dimStrides(shape.size(), 1);
  for (int64_t dim = static_cast<int64_t>(shape.size()) - 2; dim >= 0; --dim)
    dimStrides[dim] = dimStrides[dim + 1] * shape[dim + 1];
  return llvm::map_to_vector(loops, [&](int64_t label) -> int64_t {
    auto it = llvm::find(labels, label);
    return it == labels.end() ? 0 : dimStrides[it - labels.begin()];
  });
}

struct FoldConstantContraction : public OpRewritePattern<ContractOp> {
  FoldConstantContraction(MLIRContext *context, int64_t sizeLimit)
      : OpRewritePattern(context), sizeLimit(sizeLimit) {}

  LogicalResult matchAndRewrite(ContractOp op,
                                PatternRewriter &rewriter) const override {
    ElementsAttr lhsAttr, rhsAttr;
    if (!matchPattern(op.getLhs(), m_Constant(&lhsAttr)) ||
        !matchPattern(op.getRhs(), m_Constant(&rhsAttr)))
      return rewriter.notifyMatchFailure(op, "an operand is not constant");
    RankedTensorType type = op.getType();
    if (!type.hasStaticShape() || type.getNumElements() > sizeLimit)
      return rewriter.notifyMatchFailure(op, "result too large to fold");
    std::optional<std::vector<double>> lhs = readFloatValues(lhsAttr);
    std::optional<std::vector<double>> rhs = readFloatValues(rhsAttr);
    if (!lhs || !rhs)
      return rewriter.notifyMatchFailure(op, "unreadable constant");

    // One loop per label; odometer over all of them.
    SmallVector<int64_t> loops(op.getLhsLabels());
    for (int64_t label : op.getRhsLabels())
      if (!llvm::is_contained(loops, label))
        loops.push_back(label);
    SmallVector<int64_t> extents = llvm::map_to_vector(loops, [&](int64_t label) {
      auto lhsLabels = op.getLhsLabels();
      auto it = llvm::find(lhsLabels, label);
      return it != lhsLabels.end()
                 ? op.getLhs().getType().getDimSize(it - lhsLabels.begin())
                 : op.getRhs().getType().getDimSize(
                       llvm::find(op.getRhsLabels(), label) -
                       op.getRhsLabels().begin());
    });
    SmallVector<int64_t> lhsStrides = stridesAlong(
        loops, op.getLhsLabels(), op.getLhs().getType().getShape());
    SmallVector<int64_t> rhsStrides = stridesAlong(
        loops, op.getRhsLabels(), op.getRhs().getType().getShape());
    SmallVector<int64_t> outStrides =
        stridesAlong(loops, op.getResultLabels(), type.getShape());

    std::vector<double> result(type.getNumElements(), 0.0);
    SmallVector<int64_t> index(loops.size(), 0);
    int64_t lhsAt = 0, rhsAt = 0, outAt = 0;
    while (true) {
      result[outAt] += (*lhs)[lhsAt] * (*rhs)[rhsAt];
      int64_t dim = static_cast<int64_t>(loops.size()) - 1;
      for (; dim >= 0; --dim) {
        lhsAt += lhsStrides[dim];
        rhsAt += rhsStrides[dim];
        outAt += outStrides[dim];
        if (++index[dim] < extents[dim])
          break;
        lhsAt -= lhsStrides[dim] * extents[dim];
        rhsAt -= rhsStrides[dim] * extents[dim];
        outAt -= outStrides[dim] * extents[dim];
        index[dim] = 0;
      }
      if (dim < 0)
        break;
    }

    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, makeFloatElements(type, result));
    return success();
  }

  int64_t sizeLimit;
};

struct HTFoldWeightsPass
    : public mlir::ht::impl::HTFoldWeightsBase<HTFoldWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldConstantContraction>(&getContext(), sizeLimit);
    // The driver also folds ht.factors of constants into their constants.
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
