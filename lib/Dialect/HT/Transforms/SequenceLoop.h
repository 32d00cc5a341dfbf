//===- SequenceLoop.h - The time loop of a recurrent layer ------*- C++ -*-===//
//
// ht-expand-lstm and ht-expand-gru turn a whole-sequence op into the same
// scf.for over time: slice step t's input, run the step, write its h into
// the output. Only the step and the states differ.
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_DIALECT_HT_TRANSFORMS_SEQUENCELOOP_H
#define HT_LIB_DIALECT_HT_TRANSFORMS_SEQUENCELOOP_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace mlir::ht {

/// One step: the states after it (the hidden state first) from step t's
/// `[B, I]` input and the states before it.
using StepBuilder = llvm::function_ref<SmallVector<Value>(
    OpBuilder &, Location, Value x, ValueRange states)>;

/// An scf.for over the steps of `input` (`[T, B, I]`, or `[B, T, I]` with
/// `batchFirst`), from the last step down with `reverse`, threading
/// `initialStates` (each `[B, H]`, the hidden state first) through `step`
/// and writing each step's hidden state into an output of `outputType`.
/// Returns the output, then the final states.
SmallVector<Value> emitSequenceLoop(OpBuilder &builder, Location loc,
                                    Value input, Type outputType,
                                    ValueRange initialStates, bool reverse,
                                    bool batchFirst, StepBuilder step);

/// `rows · Wᵀ` as an ht.linear: `[B, M]` for `rows : [B, N]`, `W : M x N`.
Value emitProduct(OpBuilder &builder, Location loc, Value rows, Value weight);

/// `x` cast to the batch static-ness of `state` (`[B, H]`).
Value castBatchLike(OpBuilder &builder, Location loc, Value x, Value state);

} // namespace mlir::ht

#endif // HT_LIB_DIALECT_HT_TRANSFORMS_SEQUENCELOOP_H
