//===- LegalizeExpandShapes.cpp - A workaround for expand-strided-metadata ===//
//
// See HTLegalizeExpandShapes in Passes.td. Remove with LLVM 23.
//
//===----------------------------------------------------------------------===//

#include "ht/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTLEGALIZEEXPANDSHAPES
#include "ht/Codegen/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;

namespace {

bool hasSeveralDynamicSizesInAGroup(memref::ExpandShapeOp op) {
  MemRefType type = op.getResultType();
  return llvm::any_of(op.getReassociationIndices(),
                      [&](const ReassociationIndices &group) {
                        return llvm::count_if(group, [&](int64_t dim) {
                                 return type.isDynamicDim(dim);
                               }) > 1;
                      });
}

struct ExpandShapeAsReinterpretCast
    : public OpRewritePattern<memref::ExpandShapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::ExpandShapeOp op,
                                PatternRewriter &rewriter) const override {
    MemRefType result = op.getResultType();
    if (!op.getSrcType().getLayout().isIdentity() ||
        !result.getLayout().isIdentity() || !hasSeveralDynamicSizesInAGroup(op))
      return rewriter.notifyMatchFailure(op, "lowered by upstream");
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> sizes = op.getMixedOutputShape();
    // Row-major strides: suffix products of the sizes.
    SmallVector<OpFoldResult> strides(sizes.size());
    AffineExpr lhs, rhs;
    bindSymbols(rewriter.getContext(), lhs, rhs);
    OpFoldResult stride = rewriter.getIndexAttr(1);
    for (int64_t dim = int64_t(sizes.size()) - 1; dim >= 0; --dim) {
      strides[dim] = stride;
      stride = affine::makeComposedFoldedAffineApply(rewriter, loc, lhs * rhs,
                                                     {stride, sizes[dim]});
    }
    rewriter.replaceOpWithNewOp<memref::ReinterpretCastOp>(
        op, result, op.getSrc(), rewriter.getIndexAttr(0), sizes, strides);
    return success();
  }
};

struct HTLegalizeExpandShapesPass
    : public mlir::ht::impl::HTLegalizeExpandShapesBase<
          HTLegalizeExpandShapesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandShapeAsReinterpretCast>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
