//===- AggregatedOps.cpp - linalg.softmax and kin as linalg.generic -------===//
//
// A model's head may end in `linalg.softmax`; the CPU code generation tiles
// and vectorises linalg.generic and named contractions only, so aggregated
// ops are decomposed here, with the ht ops, into the generics they stand for
// (max, exp of the difference, sum, division).
//
//===----------------------------------------------------------------------===//

#include "HTLowering.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace mlir::ht;

namespace {
struct DecomposeAggregatedOp
    : public OpInterfaceConversionPattern<linalg::AggregatedOpInterface> {
  using OpInterfaceConversionPattern::OpInterfaceConversionPattern;

  LogicalResult
  matchAndRewrite(linalg::AggregatedOpInterface op, ArrayRef<Value>,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<SmallVector<Value>> decomposed = op.decomposeOperation(rewriter);
    if (failed(decomposed))
      return rewriter.notifyMatchFailure(op, "cannot be decomposed");
    rewriter.replaceOp(op, *decomposed);
    return success();
  }
};
} // namespace

void mlir::ht::populateAggregatedOpDecompositionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeAggregatedOp>(patterns.getContext());
}
