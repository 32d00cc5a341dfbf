//===- Pipelines.h - The ht-mlir compilation pipelines ----------*- C++ -*-===//
//
// Every tool builds its pipeline here, from one options struct, so ht-opt,
// ht-compile and ht-run compile a model the same way.
//
//===----------------------------------------------------------------------===//

#ifndef HT_PIPELINES_PIPELINES_H
#define HT_PIPELINES_PIPELINES_H

#include "ht/Dialect/HT/Analysis/ContractionPlan.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::ht {

struct HTToLLVMOptions : public PassPipelineOptions<HTToLLVMOptions> {
  Option<OrderStrategy> order{
      *this, "order",
      llvm::cl::desc("Contraction order of HT products (ht-order-contractions)"),
      llvm::cl::init(OrderStrategy::Optimal),
      llvm::cl::values(
          clEnumValN(OrderStrategy::Optimal, "optimal",
                     "least cost over all contraction trees"),
          clEnumValN(OrderStrategy::Greedy, "greedy", "cheapest step first"),
          clEnumValN(OrderStrategy::LeftToRight, "left-to-right",
                     "leaf by leaf in tree postorder"),
          clEnumValN(OrderStrategy::Dense, "dense",
                     "rebuild W, then one GEMM"))};
  Option<bool> hoistInputProjection{
      *this, "hoist-input-projection",
      llvm::cl::desc("Compute LSTM input projections for all time steps at "
                     "once (ht-hoist-input-projection)"),
      llvm::cl::init(true)};
  Option<bool> chooseWeightFormat{
      *this, "choose-weight-format",
      llvm::cl::desc("Make an LSTM's HT weight dense at compile time when a "
                     "dense product is cheaper (ht-choose-weight-format)"),
      llvm::cl::init(true)};
  Option<bool> fuseGates{
      *this, "fuse-gates",
      llvm::cl::desc("Compute the four gates' hoisted HT input projections of "
                     "a per-gate LSTM as one network (ht-fuse-gates)"),
      llvm::cl::init(true)};
  Option<bool> foldWeights{
      *this, "fold-weights",
      llvm::cl::desc("Evaluate weight-only contractions at compile time"),
      llvm::cl::init(true)};
  Option<int64_t> expectedRows{
      *this, "expected-rows",
      llvm::cl::desc("Rows (batch x time) the cost model assumes where they "
                     "are dynamic"),
      llvm::cl::init(1)};
  Option<bool> resultsToOutParams{
      *this, "results-to-out-params",
      llvm::cl::desc("Return results through caller-provided buffers (the "
                     "calling convention of ht-compile's C API and ht-run)"),
      llvm::cl::init(true)};
  Option<bool> cWrappers{
      *this, "c-wrappers",
      llvm::cl::desc("Emit _mlir_ciface_ wrappers taking memref descriptors "
                     "for every public function"),
      llvm::cl::init(true)};
};

/// ht (and any linalg/tensor code beside it) to the LLVM dialect, for CPUs:
/// convert-ht-to-linalg, bufferization, loops, then LLVM.
void buildHTToLLVMPipeline(OpPassManager &pm, const HTToLLVMOptions &options);

/// Registers `ht-to-llvm` with the pass pipeline registry (for ht-opt).
void registerHTPipelines();

} // namespace mlir::ht

#endif // HT_PIPELINES_PIPELINES_H
