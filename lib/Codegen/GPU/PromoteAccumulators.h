//===- PromoteAccumulators.h - Reduction accumulators in registers -*- C++ -*-===//
//
// The loops convert-linalg-to-parallel-loops emits for a reduction read and
// write the output element from memory at every iteration. On a GPU that is
// a global-memory round trip per multiply-add, and neither LLVM nor NVPTX
// may keep the element in a register (they cannot prove the inputs do not
// alias it). This rewrite threads such an element through the loop as an
// iter_arg: one load before, one store after, the same additions in the
// same order.
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_CODEGEN_GPU_PROMOTEACCUMULATORS_H
#define HT_LIB_CODEGEN_GPU_PROMOTEACCUMULATORS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::ht {

/// Promotes, in every scf.for under `root` (innermost first), each
/// loop-invariant element that the loop body loads and then stores, and
/// that nothing else in the loop touches, to an iter_arg.
void promoteAccumulators(RewriterBase &rewriter, Operation *root);

} // namespace mlir::ht

#endif // HT_LIB_CODEGEN_GPU_PROMOTEACCUMULATORS_H
