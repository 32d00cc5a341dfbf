//===- Pipelines.h - The ht-mlir compilation pipelines ----------*- C++ -*-===//
//
// The compiler is three stages, each a registered pipeline with its own
// options, built here and nowhere else (docs/Architecture.md):
//
//   ht-optimize         ht -> planned ht: hoisting, LSTM expansion, gate
//                       fusion, weight formats, contraction plans, folding
//   ht-lower-to-linalg  planned ht -> linalg/tensor (mechanical)
//   ht-cpu-codegen      linalg/tensor -> LLVM dialect for CPUs, with the
//                       calling convention of the C API
//   ht-cuda-codegen     linalg/tensor -> host LLVM dialect + CUDA kernels
//                       (a gpu.binary), the same calling convention with
//                       device pointers
//
// ht-to-llvm composes the first three, ht-to-cuda the first two and the
// CUDA stage; ht-opt, ht-compile and ht-run all use them.
//
//===----------------------------------------------------------------------===//

#ifndef HT_PIPELINES_PIPELINES_H
#define HT_PIPELINES_PIPELINES_H

#include "ht/Dialect/HT/Analysis/ContractionPlan.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::ht {

// The option lists are mixins over a PassPipelineOptions base, so that each
// stage's struct and ht-to-llvm's (which carries all of them) share one
// declaration of every option.

/// What ht-optimize does: which transformations run, and how products are
/// ordered and costed.
template <typename Base>
struct HTOptimizeOptionList : public Base {
  template <typename T>
  using Option = detail::PassOptions::Option<T>;

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
      llvm::cl::desc("Make a constant HT weight dense at compile time when a "
                     "dense product is no dearer (ht-choose-weight-format)"),
      llvm::cl::init(true)};
  Option<bool> fuseGates{
      *this, "fuse-gates",
      llvm::cl::desc("Compute the four gates' HT input projections of "
                     "a per-gate LSTM as one network (ht-fuse-gates); off by "
                     "default: slower than four networks with the vector "
                     "kernels, measured"),
      llvm::cl::init(false)};
  Option<bool> foldWeights{
      *this, "fold-weights",
      llvm::cl::desc("Evaluate weight-only contractions at compile time"),
      llvm::cl::init(true)};
  Option<int64_t> maxIntermediateBytes{
      *this, "max-intermediate-bytes",
      llvm::cl::desc("Largest run-time intermediate of an HT product, in "
                     "bytes, before its rows are processed in blocks "
                     "(ht-order-contractions; 0: never)"),
      llvm::cl::init(1048576)};
  Option<int64_t> expectedRows{
      *this, "expected-rows",
      llvm::cl::desc("Rows (batch x time) the cost model assumes where they "
                     "are dynamic"),
      llvm::cl::init(1)};

  /// Copies these options into `to`, which has them too.
  template <typename To>
  void copyOptimizeOptionsTo(To &to) const {
    to.order = order.getValue();
    to.hoistInputProjection = hoistInputProjection.getValue();
    to.chooseWeightFormat = chooseWeightFormat.getValue();
    to.fuseGates = fuseGates.getValue();
    to.foldWeights = foldWeights.getValue();
    to.expectedRows = expectedRows.getValue();
    to.maxIntermediateBytes = maxIntermediateBytes.getValue();
  }
};

/// How ht-cpu-codegen generates code, and the calling convention of the
/// result.
template <typename Base>
struct HTCPUCodegenOptionList : public Base {
  template <typename T>
  using Option = detail::PassOptions::Option<T>;

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
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile contractions and element-wise kernels to register "
                     "blocks and vectorise them (ht-pack-weights, "
                     "ht-vectorize); off: scalar loops"),
      llvm::cl::init(true)};
  Option<int64_t> vectorLanes{
      *this, "vector-lanes",
      llvm::cl::desc("f32 lanes of the target's vector registers (16: "
                     "AVX-512, 8: AVX2)"),
      llvm::cl::init(16)};

  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads a call runs on unless it asks otherwise: 1 = "
                     "single-threaded code, no OpenMP runtime needed; N > 1 = "
                     "multi-threaded code (ht-parallelize, OpenMP), N "
                     "threads; 0 = multi-threaded code, as many threads as "
                     "the calling thread has CPUs"),
      llvm::cl::init(1)};

  Option<bool> gpuSchedule{
      *this, "gpu-schedule",
      llvm::cl::desc("Run the CUDA stage's thread schedule (ht-gpu-map-linalg) "
                     "as host loops in place of the CPU kernels: the GPU "
                     "code's index arithmetic and summation order, checked "
                     "on a machine without a GPU; slow, for tests"),
      llvm::cl::init(false)};

  /// Whether the code runs loops on a team of threads.
  bool isMultiThreaded() const { return threads != 1; }

  template <typename To>
  void copyCPUCodegenOptionsTo(To &to) const {
    to.threads = threads.getValue();
    to.resultsToOutParams = resultsToOutParams.getValue();
    to.cWrappers = cWrappers.getValue();
    to.vectorize = vectorize.getValue();
    to.vectorLanes = vectorLanes.getValue();
    to.gpuSchedule = gpuSchedule.getValue();
  }
};

/// What gpu-module-to-binary embeds in the host code.
enum class CUDABinaryFormat {
  /// cubin for `chip` and PTX for later GPUs (needs ptxas and fatbinary).
  Fatbin,
  /// cubin for `chip` alone (needs ptxas).
  Cubin,
  /// PTX, compiled by the driver when first loaded (needs no toolkit).
  PTX,
};

/// How ht-cuda-codegen generates code.
template <typename Base>
struct HTCUDACodegenOptionList : public Base {
  template <typename T>
  using Option = detail::PassOptions::Option<T>;

  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("GPU architecture of the kernels"),
                           llvm::cl::init("sm_90")};
  Option<std::string> ptxVersion{
      *this, "ptx-version",
      llvm::cl::desc("PTX ISA version, as NVPTX's feature (e.g. 80 for "
                     "+ptx80; sm_90 needs at least 78)"),
      llvm::cl::init("80")};
  Option<CUDABinaryFormat> format{
      *this, "format", llvm::cl::desc("What the library embeds"),
      llvm::cl::init(CUDABinaryFormat::Fatbin),
      llvm::cl::values(
          clEnumValN(CUDABinaryFormat::Fatbin, "fatbin",
                     "cubin for the chip + PTX (ptxas, fatbinary)"),
          clEnumValN(CUDABinaryFormat::Cubin, "cubin",
                     "cubin for the chip (ptxas)"),
          clEnumValN(CUDABinaryFormat::PTX, "ptx",
                     "PTX, compiled by the driver at load time"))};
  Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit directory (ptxas, fatbinary, libdevice); "
                     "empty: $CUDA_HOME"),
      llvm::cl::init("")};
  Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Threads per block of every kernel (ht-gpu-map-linalg)"),
      llvm::cl::init(256)};

  template <typename To>
  void copyCUDACodegenOptionsTo(To &to) const {
    to.chip = chip.getValue();
    to.ptxVersion = ptxVersion.getValue();
    to.format = format.getValue();
    to.toolkit = toolkit.getValue();
    to.blockSize = blockSize.getValue();
  }
};

/// The CUDA toolkit the stage uses: `option` if set, else $CUDA_HOME, else
/// empty (no toolkit: PTX only).
std::string resolveCUDAToolkit(llvm::StringRef option);

struct HTOptimizeOptions
    : public HTOptimizeOptionList<PassPipelineOptions<HTOptimizeOptions>> {};

struct HTCPUCodegenOptions
    : public HTCPUCodegenOptionList<PassPipelineOptions<HTCPUCodegenOptions>> {
};

struct HTCUDACodegenOptions
    : public HTCUDACodegenOptionList<
          PassPipelineOptions<HTCUDACodegenOptions>> {};

/// Every stage's options: those of ht-to-llvm, ht-compile and ht-run.
struct HTToLLVMOptions
    : public HTCPUCodegenOptionList<
          HTOptimizeOptionList<PassPipelineOptions<HTToLLVMOptions>>> {};

/// The options of ht-to-cuda (ht-compile --target=cuda): the planning
/// stage's and the CUDA stage's.
struct HTToCUDAOptions
    : public HTCUDACodegenOptionList<
          HTOptimizeOptionList<PassPipelineOptions<HTToCUDAOptions>>> {};

/// ht -> planned ht: every HT product as ht.contract steps, LSTMs as loops of
/// ht.linear + ht.lstm_update, weight-only steps folded.
void buildHTOptimizePipeline(OpPassManager &pm,
                             const HTOptimizeOptions &options);

/// Planned ht -> linalg, tensor, arith, math and scf (convert-ht-to-linalg,
/// then canonicalisation).
void buildHTLowerToLinalgPipeline(OpPassManager &pm);

/// linalg on tensors -> the LLVM dialect for CPUs: bufferization, the
/// calling convention, loops, LLVM.
void buildHTCPUCodegenPipeline(OpPassManager &pm,
                               const HTCPUCodegenOptions &options);

/// linalg on tensors -> host code in the LLVM dialect that launches CUDA
/// kernels (embedded as a gpu.binary) through the mgpu* functions of the
/// project's CUDA runtime (lib/Runtime/CudaRuntime.c); tensor arguments are
/// device pointers, intermediates gpu.allocs on the call's stream.
void buildHTCUDACodegenPipeline(OpPassManager &pm,
                                const HTCUDACodegenOptions &options);

/// The three stages in order.
void buildHTToLLVMPipeline(OpPassManager &pm, const HTToLLVMOptions &options);

/// ht-optimize, ht-lower-to-linalg and ht-cuda-codegen.
void buildHTToCUDAPipeline(OpPassManager &pm, const HTToCUDAOptions &options);

/// Registers every stage and both compositions with the pass pipeline
/// registry (for ht-opt).
void registerHTPipelines();

} // namespace mlir::ht

#endif // HT_PIPELINES_PIPELINES_H
