//===- Pipelines.cpp - The ht-mlir compilation pipelines ------------------===//

#include "ht/Pipelines/Pipelines.h"
#include "ht/Conversion/Passes.h"
#include "ht/Dialect/HT/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/RequestCWrappers.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// The options every ordering pass shares, taken from the pipeline's.
template <typename PassOptions>
static PassOptions orderingOptions(const ht::HTToLLVMOptions &options) {
  PassOptions passOptions;
  passOptions.strategy = options.order;
  passOptions.foldWeights = options.foldWeights;
  passOptions.expectedRows = options.expectedRows;
  return passOptions;
}

void mlir::ht::buildHTToLLVMPipeline(OpPassManager &pm,
                                     const HTToLLVMOptions &options) {
  if (options.hoistInputProjection)
    pm.addNestedPass<func::FuncOp>(createHTHoistInputProjection());
  if (options.fuseGates)
    pm.addNestedPass<func::FuncOp>(
        createHTFuseGates(orderingOptions<HTFuseGatesOptions>(options)));
  if (options.chooseWeightFormat)
    pm.addNestedPass<func::FuncOp>(createHTChooseWeightFormat(
        orderingOptions<HTChooseWeightFormatOptions>(options)));
  pm.addNestedPass<func::FuncOp>(createHTOrderContractions(
      orderingOptions<HTOrderContractionsOptions>(options)));
  if (options.foldWeights) {
    pm.addPass(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(createHTFoldWeights());
  }
  ConvertHTToLinalgOptions lowering;
  lowering.order = options.order;
  lowering.expectedRows = options.expectedRows;
  pm.addPass(createConvertHTToLinalg(lowering));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

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
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::ht::registerHTPipelines() {
  PassPipelineRegistration<HTToLLVMOptions>(
      "ht-to-llvm",
      "Compile ht (with linalg, tensor, arith, math, scf) to the LLVM dialect "
      "for CPUs",
      buildHTToLLVMPipeline);
}
