//===- FoldWeights.cpp - Contractions of constants at compile time --------===//

#include "ht/Dialect/HT/IR/HTOps.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Dialect/HT/Utils/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "ht/Support/CheckedSize.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTFOLDWEIGHTS
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// The most multiply-adds one folded product may take (a few seconds).
constexpr int64_t kMaxFoldedMultiplyAdds = int64_t(1) << 32;

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
    // The odometer below runs one multiply-add per point of the loop space;
    // past this many, folding would stall the compiler (a splat of 10^10
    // elements is a few bytes of IR), so the product is left to run time.
    std::optional<int64_t> work = checkedProduct(extents);
    if (!work || *work > kMaxFoldedMultiplyAdds)
      return rewriter.notifyMatchFailure(op, "too much work to fold");
    llvm::Expected<std::vector<double>> lhs = readFloatValues(lhsAttr);
    llvm::Expected<std::vector<double>> rhs = readFloatValues(rhsAttr);
    if (!lhs || !rhs) {
      llvm::consumeError(lhs.takeError());
      llvm::consumeError(rhs.takeError());
      return rewriter.notifyMatchFailure(op, "unreadable constant");
    }
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
    if (failed(verifyConstantBlobs(getOperation())))
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldConstantContraction>(&getContext(), sizeLimit);
    // The driver also folds ht.factors of constants into their constants.
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
