//===- ExpandMemRefCopies.cpp - memref.copy to linalg.copy ----------------===//

#include "ht/Conversion/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ht {
#define GEN_PASS_DEF_EXPANDMEMREFCOPIES
#include "ht/Conversion/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;

namespace {
struct CopyToLinalg : public OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};

struct ExpandMemRefCopiesPass
    : public mlir::ht::impl::ExpandMemRefCopiesBase<ExpandMemRefCopiesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<CopyToLinalg>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
