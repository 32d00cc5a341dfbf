//===- Pipelines.cpp - The ht-mlir compilation pipelines ------------------===//

#include "ht/Pipelines/Pipelines.h"
#include "ht/Codegen/Passes.h"
#include "ht/Conversion/Passes.h"
#include "ht/Dialect/HT/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/RequestCWrappers.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::ht;

/// The options every planning pass shares, from the stage's.
template <typename PassOptions>
static PassOptions planningOptions(const HTOptimizeOptions &options) {
  PassOptions passOptions;
  passOptions.strategy = options.order;
  passOptions.foldWeights = options.foldWeights;
  passOptions.expectedRows = options.expectedRows;
  return passOptions;
}

void mlir::ht::buildHTOptimizePipeline(OpPassManager &pm,
                                       const HTOptimizeOptions &options) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  if (options.hoistInputProjection)
    func.addPass(createHTHoistInputProjection());
  // From here on every product is an ht.linear, in the loop or out of it.
  func.addPass(createHTExpandLSTM());
  func.addPass(createHTExpandGRU());
  if (options.fuseGates)
    func.addPass(
        createHTFuseGates(planningOptions<HTFuseGatesOptions>(options)));
  if (options.chooseWeightFormat)
    func.addPass(createHTChooseWeightFormat(
        planningOptions<HTChooseWeightFormatOptions>(options)));
  auto orderOptions = planningOptions<HTOrderContractionsOptions>(options);
  orderOptions.maxIntermediateBytes = options.maxIntermediateBytes;
  func.addPass(createHTOrderContractions(orderOptions));
  // Weight-only steps and bias sums do not depend on the step: out of the
  // time loop with them (what is left when folding is off).
  func.addPass(createLoopInvariantCodeMotionPass());
  if (options.foldWeights) {
    func.addPass(createCanonicalizerPass());
    func.addPass(createHTFoldWeights());
  }
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
}

void mlir::ht::buildHTLowerToLinalgPipeline(OpPassManager &pm) {
  pm.addPass(createConvertHTToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::ht::buildHTCPUCodegenPipeline(OpPassManager &pm,
                                         const HTCPUCodegenOptions &options) {
  if (options.vectorize) {
    OpPassManager &func = pm.nest<func::FuncOp>();
    HTPackWeightsOptions pack;
    pack.lanes = options.vectorLanes;
    func.addPass(createHTPackWeights(pack));
    func.addPass(createCanonicalizerPass());
    HTVectorizeOptions vectorize;
    vectorize.lanes = options.vectorLanes;
    func.addPass(createHTVectorize(vectorize));
    func.addPass(createCanonicalizerPass());
    func.addPass(createCSEPass());
  }
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // The LSTM loop yields freshly computed h and c each step.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  if (options.resultsToOutParams) {
    bufferization::BufferResultsToOutParamsPassOptions outParams;
    outParams.modifyPublicFunctions = true;
    pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  }
  bufferization::buildBufferDeallocationPipeline(pm);
  if (options.cWrappers)
    pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());

  pm.addNestedPass<func::FuncOp>(createExpandMemRefCopies());
  // Canonicalisation after CSE removes the self-copies of vector tiles that
  // bufferization leaves (extract_slice, transfer_write, insert_slice).
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  // On buffers whose lifetimes are explicit: the private buffers of a
  // parallel iteration become slots of one scratch buffer.
  if (options.isMultiThreaded())
    pm.addPass(createHTParallelize());
  // Vector transfers as loads and stores, fully unrolled: no staging allocas
  // inside the tile loops.
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addNestedPass<func::FuncOp>(createHTLegalizeExpandShapes());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // Vector math (the FMAs of the polynomial exp and tanh) to LLVM's
  // intrinsics first: math-to-libm would scalarise it into libm calls.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  // Its own pass, not only convert-to-llvm's interface: it also lowers the
  // remaining 1-D vector transfers to loads and stores.
  pm.addPass(createConvertVectorToLLVMPass());
  if (options.isMultiThreaded())
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::ht::buildHTToLLVMPipeline(OpPassManager &pm,
                                     const HTToLLVMOptions &options) {
  HTOptimizeOptions optimize;
  options.copyOptimizeOptionsTo(optimize);
  HTCPUCodegenOptions codegen;
  options.copyCPUCodegenOptionsTo(codegen);
  buildHTOptimizePipeline(pm, optimize);
  buildHTLowerToLinalgPipeline(pm);
  buildHTCPUCodegenPipeline(pm, codegen);
}

void mlir::ht::registerHTPipelines() {
  PassPipelineRegistration<HTOptimizeOptions>(
      "ht-optimize",
      "Plan an ht model: hoist LSTM input projections, expand LSTM steps "
      "into products, fuse gates, choose weight formats, order contractions "
      "and fold weight-only steps",
      buildHTOptimizePipeline);
  PassPipelineRegistration<>(
      "ht-lower-to-linalg",
      "Lower a planned ht model (ht-optimize's output) to linalg and tensor",
      buildHTLowerToLinalgPipeline);
  PassPipelineRegistration<HTCPUCodegenOptions>(
      "ht-cpu-codegen",
      "Compile linalg on tensors to the LLVM dialect for CPUs, with the C "
      "API's calling convention",
      buildHTCPUCodegenPipeline);
  PassPipelineRegistration<HTToLLVMOptions>(
      "ht-to-llvm",
      "Compile ht (with linalg, tensor, arith, math, scf) to the LLVM dialect "
      "for CPUs: ht-optimize, ht-lower-to-linalg and ht-cpu-codegen",
      buildHTToLLVMPipeline);
}
