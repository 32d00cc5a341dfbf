//===- LinearNetwork.h - Emitting an ordered HT linear network --*- C++ -*-===//
//
// Private to lib/Dialect/HT/Transforms: ht-order-contractions (one matrix)
// and ht-fuse-gates (several matrices of one shape, stacked) both emit the
// plan of a buildHTLinearNetwork network as ht.contract steps.
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_DIALECT_HT_TRANSFORMS_LINEARNETWORK_H
#define HT_LIB_DIALECT_HT_TRANSFORMS_LINEARNETWORK_H

#include "ht/Dialect/HT/Analysis/ContractionPlan.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::ht {

/// `input · Wᵀ` for `input : [L..., N]` as the ht.contract steps of `plan`.
/// `factors` are the network's weight tensors in its order (leaves by mode,
/// then transfers in preorder), each with a leading stack dimension when
/// `numStacked` > 1. Returns `[L..., numStacked * M]`, the stack slowest:
/// the stacked matrices' results side by side.
Value emitLinearNetwork(RewriterBase &rewriter, Location loc, Value input,
                        const HTShape &shape, ValueRange factors,
                        int64_t numStacked, const ContractionNetwork &network,
                        const ContractionPlan &plan);

} // namespace mlir::ht

#endif // HT_LIB_DIALECT_HT_TRANSFORMS_LINEARNETWORK_H
