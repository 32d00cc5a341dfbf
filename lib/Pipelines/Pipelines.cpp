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
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/Transforms/RequestCWrappers.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

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

/// Bufferization with the calling convention of the C API: identity
/// layouts at function boundaries, results as out-parameters, explicit
/// deallocation, then memref.copy as loops.
static void addBufferizationPasses(OpPassManager &pm, bool resultsToOutParams,
                                   bool cWrappers) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // The LSTM loop yields freshly computed h and c each step.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  if (resultsToOutParams) {
    bufferization::BufferResultsToOutParamsPassOptions outParams;
    outParams.modifyPublicFunctions = true;
    pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  }
  bufferization::buildBufferDeallocationPipeline(pm);
  if (cWrappers)
    pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());
  pm.addNestedPass<func::FuncOp>(createExpandMemRefCopies());
}

void mlir::ht::buildHTCPUCodegenPipeline(OpPassManager &pm,
                                         const HTCPUCodegenOptions &options) {
  if (options.vectorize && !options.gpuSchedule) {
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
  addBufferizationPasses(pm, options.resultsToOutParams, options.cWrappers);
  if (options.gpuSchedule) {
    HTGPUMapLinalgOptions schedule;
    schedule.mapToGPU = false;
    pm.addNestedPass<func::FuncOp>(createHTGPUMapLinalg(schedule));
  }
  // Canonicalisation after CSE removes the self-copies of vector tiles that
  // bufferization leaves (extract_slice, transfer_write, insert_slice).
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  // On buffers whose lifetimes are explicit: the private buffers of a
  // parallel iteration become slots of one scratch buffer.
  if (options.isMultiThreaded() && !options.gpuSchedule)
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

std::string mlir::ht::resolveCUDAToolkit(StringRef option) {
  if (!option.empty())
    return option.str();
  const char *home = std::getenv("CUDA_HOME");
  return home ? home : "";
}

static StringRef getBinaryFormatName(CUDABinaryFormat format) {
  switch (format) {
  case CUDABinaryFormat::Fatbin:
    return "fatbin";
  case CUDABinaryFormat::Cubin:
    return "bin";
  case CUDABinaryFormat::PTX:
    return "isa";
  }
  llvm_unreachable("unknown CUDA binary format");
}

void mlir::ht::buildHTCUDACodegenPipeline(OpPassManager &pm,
                                          const HTCUDACodegenOptions &options) {
  addBufferizationPasses(pm, /*resultsToOutParams=*/true, /*cWrappers=*/true);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());

  // Every linalg op a kernel, every data buffer on the device, weights in
  // the kernel modules.
  HTGPUMapLinalgOptions schedule;
  schedule.blockSize = options.blockSize;
  pm.addNestedPass<func::FuncOp>(createHTGPUMapLinalg(schedule));
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addPass(createHTGPUDeviceBuffers());
  pm.addPass(createHTGPUPrepareKernels());
  pm.addNestedPass<func::FuncOp>(createHTLegalizeExpandShapes());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createSymbolDCEPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Launches, allocations and frees in stream order on one stream: the
  // runtime makes it the caller's.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());

  // The explicit NVVM tail (docs/CUDA.md).
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  std::string toolkit = resolveCUDAToolkit(options.toolkit);
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = "+ptx" + options.ptxVersion.getValue();
  target.optLevel = 3;
  // exp and tanh are polynomials in the kernels (ht-gpu-prepare-kernels);
  // libdevice serves any other math function when a toolkit has it.
  if (!toolkit.empty()) {
    SmallString<128> libdevice(toolkit);
    llvm::sys::path::append(libdevice, "nvvm", "libdevice", "libdevice.10.bc");
    if (llvm::sys::fs::exists(libdevice))
      target.linkLibs.push_back(libdevice.str().str());
  }
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createGpuToLLVMConversionPass());
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = toolkit;
  binary.compilationTarget = getBinaryFormatName(options.format).str();
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
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

void mlir::ht::buildHTToCUDAPipeline(OpPassManager &pm,
                                     const HTToCUDAOptions &options) {
  HTOptimizeOptions optimize;
  options.copyOptimizeOptionsTo(optimize);
  HTCUDACodegenOptions codegen;
  options.copyCUDACodegenOptionsTo(codegen);
  buildHTOptimizePipeline(pm, optimize);
  buildHTLowerToLinalgPipeline(pm);
  buildHTCUDACodegenPipeline(pm, codegen);
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
  PassPipelineRegistration<HTCUDACodegenOptions>(
      "ht-cuda-codegen",
      "Compile linalg on tensors to host code in the LLVM dialect launching "
      "CUDA kernels (a gpu.binary), with the C API's calling convention on "
      "device pointers",
      buildHTCUDACodegenPipeline);
  PassPipelineRegistration<HTToCUDAOptions>(
      "ht-to-cuda",
      "Compile ht to host code and CUDA kernels: ht-optimize, "
      "ht-lower-to-linalg and ht-cuda-codegen",
      buildHTToCUDAPipeline);
}
