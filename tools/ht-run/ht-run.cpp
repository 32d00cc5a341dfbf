//===- ht-run.cpp - Run an ht model on .npy inputs ------------------------===//
//
//   ht-run model.mlir [--entry forward] --input x.npy [--input h0.npy ...]
//          [--output-dir out/] [--benchmark N [--warmup K]] [--threads N]
//
// Checks the inputs against the entry point's signature (dtype, rank, static
// sizes, and dynamic sizes that must agree, such as an LSTM's batch), JIT-
// compiles the model with the same pipeline as ht-compile, runs it, prints
// each result's shape and checksum, and writes result<i>.npy files. Nothing
// is written unless every step before succeeded.
//
//===----------------------------------------------------------------------===//

#include "ht/Dialect/HT/Analysis/EntrySignature.h"
#include "ht/Pipelines/Pipelines.h"
#include "ht/Support/CheckedSize.h"
#include "ht/Support/Npy.h"
#include "ht/Support/ToolSupport.h"
#include "ht/Tools/CApi.h"
#include "ht/Tools/ModelCompiler.h"
#include "ht/Version.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <cstdlib>
#include <memory>

using namespace mlir;
using namespace mlir::ht;
namespace cl = llvm::cl;

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"));
static cl::opt<std::string> pipelineOptions(
    "pipeline-options",
    cl::desc("Options of the ht-to-llvm pipeline, e.g. \"order=greedy "
             "fold-weights=false expected-rows=16\""),
    cl::value_desc("options"));
static cl::opt<std::string> entryName("entry", cl::init("forward"),
                                      cl::desc("Function to run"),
                                      cl::value_desc("name"));
static cl::list<std::string> inputPaths("input",
                                        cl::desc("An input, in argument order"),
                                        cl::value_desc("file.npy"));
static cl::opt<std::string>
    outputDir("output-dir", cl::desc("Write result<i>.npy files here"),
              cl::value_desc("dir"));
static cl::opt<unsigned>
    benchmarkRuns("benchmark", cl::init(0),
                  cl::desc("Time N calls and print median and spread"),
                  cl::value_desc("N"));
static cl::opt<unsigned> warmupRuns("warmup", cl::init(3),
                                    cl::desc("Untimed calls before timing"),
                                    cl::value_desc("K"));


namespace {

/// The JIT maps code and constants separately. Under AddressSanitizer those
/// mappings land more than 2 GiB apart, and the default (small) code model's
/// 32-bit relocations to a large constant wrap: the JIT'd code crashed on any
/// model with a constant of about 1 MB. The large code model addresses
/// constants with 64-bit immediates; it measured ~15% slower on the UCF11
/// example, so only sanitizer builds use it.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HT_RUN_UNDER_ASAN 1
#endif
#endif
#ifdef HT_RUN_UNDER_ASAN
constexpr std::optional<llvm::CodeModel::Model> kJITCodeModel =
    llvm::CodeModel::Large;
#else
constexpr std::optional<llvm::CodeModel::Model> kJITCodeModel = std::nullopt;
#endif

/// The prefix of the C API ht-run compiles for itself.
constexpr llvm::StringLiteral kCApiPrefix = "__htrun";

enum class Target { CPU, CUDA };
static cl::opt<Target> target(
    "target", cl::desc("Where the model runs (default: cpu)"),
    cl::init(Target::CPU),
    cl::values(clEnumValN(Target::CPU, "cpu", "this machine's CPU (JIT)"),
               clEnumValN(Target::CUDA, "cuda",
                          "an NVIDIA GPU (needs its driver): compiled as "
                          "ht-compile --target=cuda does, loaded, and called "
                          "through the host-pointer C function")));

/// Adds `int32_t <function>_packed(void **arguments)`, which calls
/// `function` with *arguments[i] as its i-th argument: one entry point to
/// call whatever the model's sizes and tensors.
static void addPackedWrapper(llvm::Module &module, StringRef function) {
  llvm::Function *callee = module.getFunction(function);
  llvm::IRBuilder<> builder(module.getContext());
  auto *packed = llvm::Function::Create(
      llvm::FunctionType::get(builder.getInt32Ty(), {builder.getPtrTy()}, false),
      llvm::GlobalValue::ExternalLinkage, function + "_packed", module);
  builder.SetInsertPoint(
      llvm::BasicBlock::Create(module.getContext(), "entry", packed));
  SmallVector<llvm::Value *> arguments;
  for (auto [index, parameter] : llvm::enumerate(callee->args())) {
    llvm::Value *slot = builder.CreateLoad(
        builder.getPtrTy(),
        builder.CreateConstGEP1_64(builder.getPtrTy(), packed->getArg(0), index));
    arguments.push_back(builder.CreateLoad(parameter.getType(), slot));
  }
  builder.CreateRet(builder.CreateCall(callee, arguments));
}

/// Compiles `module` (lowered by ht-to-cuda) into a temporary shared library
/// with the CUDA C API and loads it; returns the packed host-pointer entry.
static llvm::Expected<int32_t (*)(void **)>
loadCudaLibrary(ModuleOp module, const EntrySignature &signature) {
  auto machine = createTargetMachine("", "");
  if (!machine)
    return machine.takeError();
  llvm::LLVMContext llvmContext;
  auto llvmModule = translateToLLVMIR(module, llvmContext, **machine);
  if (!llvmModule)
    return llvmModule.takeError();
  llvm::Expected<SmallVector<std::string>> exported =
      addCudaCApi(**llvmModule, kCApiPrefix, {signature});
  if (!exported)
    return exported.takeError();
  std::string entry = getCApiName(kCApiPrefix, signature);
  addPackedWrapper(**llvmModule, entry);
  for (llvm::Function &function : **llvmModule)
    if (!function.isDeclaration() && function.getName() != entry + "_packed")
      function.setLinkage(llvm::GlobalValue::InternalLinkage);
  if (llvm::Error error = optimizeLLVMModule(**llvmModule, **machine))
    return std::move(error);
  SmallString<128> object, library;
  for (auto [path, suffix] : {std::pair(&object, "o"), std::pair(&library, "so")})
    if (std::error_code error =
            llvm::sys::fs::createTemporaryFile("ht-run-cuda", suffix, *path))
      return llvm::createStringError(error, "cannot create a temporary file");
  llvm::FileRemover removeObject(object), removeLibrary(library);
  if (llvm::Error error = writeObjectFile(**llvmModule, **machine, object))
    return std::move(error);
  if (llvm::Error error = linkSharedLibrary(object, library, /*openMP=*/false))
    return std::move(error);
  std::string loadError;
  // Loaded for the rest of the process; the file may go once it is mapped.
  llvm::sys::DynamicLibrary loaded =
      llvm::sys::DynamicLibrary::getLibrary(library.c_str(), &loadError);
  if (!loaded.isValid())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot load the compiled library: " +
                                       loadError);
  void *symbol = loaded.getAddressOfSymbol((entry + "_packed").c_str());
  if (!symbol)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the compiled library has no " + entry);
  return reinterpret_cast<int32_t (*)(void **)>(symbol);
}

int fail(const llvm::Twine &message) {
  llvm::errs() << "ht-run: error: " << message << "\n";
  return 1;
}

/// A float array the model reads or writes (or an int32 one: an argmax
/// head's classes, also 4 bytes an element). Allocated with calloc so that a
/// size too large for memory is an error message, not an abort.
struct Buffer {
  SmallVector<int64_t> shape;
  int64_t count = 0;
  bool isInt32 = false;
  std::unique_ptr<float, decltype(&std::free)> storage{nullptr, &std::free};

  float *data() const { return storage.get(); }
  ArrayRef<float> values() const { return {storage.get(), size_t(count)}; }
  ArrayRef<int32_t> ints() const {
    return {reinterpret_cast<const int32_t *>(storage.get()), size_t(count)};
  }
  double sum() const {
    double total = 0;
    if (isInt32)
      for (int32_t value : ints())
        total += value;
    else
      for (float value : values())
        total += value;
    return total;
  }
};
static_assert(sizeof(float) == sizeof(int32_t));

/// A zeroed buffer of `shape`, or why there is none (`what` names it).
llvm::Expected<Buffer> allocateBuffer(ArrayRef<int64_t> shape,
                                      const llvm::Twine &what) {
  auto error = [&](const llvm::Twine &reason) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   what + " of shape " + formatShape(shape) +
                                       ": " + reason);
  };
  std::optional<int64_t> count = checkedProduct(shape);
  if (!checkedBytes(count, sizeof(float)))
    return error("more elements than memory can address");
  Buffer buffer;
  buffer.shape.assign(shape.begin(), shape.end());
  buffer.count = *count;
  // One element at least, so that an empty result still has an address.
  buffer.storage.reset(static_cast<float *>(
      std::calloc(std::max<int64_t>(*count, 1), sizeof(float))));
  if (!buffer.storage)
    return error(llvm::formatv("cannot allocate {0} bytes",
                               *count * int64_t(sizeof(float))));
  return buffer;
}

/// Reads the inputs and checks them against `signature`, binding the size
/// symbols; returns the error message, or the buffers.
llvm::Expected<SmallVector<Buffer>>
readInputs(const EntrySignature &signature, SmallVector<int64_t> &symbolValues) {
  auto error = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  if (inputPaths.size() != signature.inputs.size()) {
    std::string expected;
    for (const EntryTensor &tensor : signature.inputs)
      expected += (expected.empty() ? "" : ", ") + signature.describe(tensor);
    return error("@" + signature.function + " takes " +
                 llvm::Twine(signature.inputs.size()) + " inputs (" + expected +
                 "); got " + llvm::Twine(inputPaths.size()) + " --input");
  }
  symbolValues.assign(signature.symbols.size(), -1);
  SmallVector<std::string> boundBy(signature.symbols.size());
  SmallVector<Buffer> buffers;
  for (auto [index, tensor] : llvm::enumerate(signature.inputs)) {
    StringRef path = inputPaths[index];
    std::string what = llvm::formatv("input #{0} ({1})", index, tensor.name);
    llvm::Expected<NpyArray> array = readNpy(path);
    if (!array)
      return error(what + " " + llvm::toString(array.takeError()));
    if (array->dtype != "<f4")
      return error(what + " '" + path + "' has dtype '" + array->dtype +
                   "'; expected '<f4' (float32)");
    if (static_cast<int64_t>(array->shape.size()) != tensor.type.getRank())
      return error(what + " '" + path + "' has shape " +
                   formatShape(array->shape) + "; expected " +
                   signature.describe(tensor));
    for (int64_t dim = 0; dim < tensor.type.getRank(); ++dim) {
      int64_t got = array->shape[dim];
      int symbol = tensor.symbols[dim];
      if (symbol < 0) {
        if (got != tensor.fixedSizes[dim])
          return error(what + " '" + path + "' has shape " +
                       formatShape(array->shape) + "; expected " +
                       signature.describe(tensor) + " (dimension " +
                       llvm::Twine(dim) + " must be " +
                       llvm::Twine(tensor.fixedSizes[dim]) + ")");
        continue;
      }
      const std::string &name = signature.symbols[symbol];
      if (got < 1)
        return error(what + " '" + path + "' has shape " +
                     formatShape(array->shape) + "; " + name +
                     " must be at least 1");
      if (symbolValues[symbol] < 0) {
        symbolValues[symbol] = got;
        boundBy[symbol] = tensor.name;
      } else if (symbolValues[symbol] != got) {
        return error(what + " '" + path + "' has shape " +
                     formatShape(array->shape) + "; expected " +
                     signature.describe(tensor) + " with " + name + " = " +
                     llvm::Twine(symbolValues[symbol]) + " (from " +
                     boundBy[symbol] + ")");
      }
    }
    llvm::Expected<Buffer> buffer = allocateBuffer(array->shape, what);
    if (!buffer)
      return buffer.takeError();
    std::memcpy(buffer->data(), array->bytes.data(), array->bytes.size());
    buffers.push_back(std::move(*buffer));
  }
  return buffers;
}

SmallVector<int64_t> resolveShape(const EntryTensor &tensor,
                                  ArrayRef<int64_t> symbolValues) {
  SmallVector<int64_t> shape;
  for (auto [symbol, fixed] : llvm::zip_equal(tensor.symbols, tensor.fixedSizes))
    shape.push_back(symbol < 0 ? fixed : symbolValues[symbol]);
  return shape;
}

/// Writes result<i>.npy for every output, all or nothing: each goes to a
/// temporary first and is renamed into place only once all are complete;
/// result files of an earlier run with more results are removed, so none is
/// mistaken for this run's.
llvm::Error writeResults(ArrayRef<Buffer> outputs) {
  auto error = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  if (std::error_code code = llvm::sys::fs::create_directories(outputDir))
    return error("cannot create output directory '" + outputDir +
                 "': " + code.message());
  auto pathOf = [](size_t index, StringRef suffix) {
    llvm::SmallString<128> path(outputDir);
    llvm::sys::path::append(path, "result" + std::to_string(index) + ".npy" +
                                      suffix);
    return std::string(path);
  };
  auto removeTemporaries = [&] {
    for (size_t index = 0; index < outputs.size(); ++index)
      llvm::sys::fs::remove(pathOf(index, ".pending"));
  };
  for (auto [index, buffer] : llvm::enumerate(outputs))
    if (llvm::Error failure =
            buffer.isInt32
                ? writeNpyInt32(pathOf(index, ".pending"), buffer.shape,
                                buffer.ints().data())
                : writeNpyFloat32(pathOf(index, ".pending"), buffer.shape,
                                  buffer.data())) {
      removeTemporaries();
      return failure;
    }
  for (size_t index = outputs.size();
       llvm::sys::fs::exists(pathOf(index, "")); ++index)
    if (std::error_code code = llvm::sys::fs::remove(pathOf(index, ""))) {
      removeTemporaries();
      return error("cannot remove the stale '" + pathOf(index, "") +
                   "': " + code.message());
    }
  for (size_t index = 0; index < outputs.size(); ++index)
    if (std::error_code code =
            llvm::sys::fs::rename(pathOf(index, ".pending"), pathOf(index, ""))) {
      removeTemporaries();
      return error("cannot write '" + pathOf(index, "") + "': " +
                   code.message());
    }
  return llvm::Error::success();
}

double percentile(std::vector<double> sorted, double fraction) {
  size_t index = std::min(sorted.size() - 1,
                          static_cast<size_t>(fraction * (sorted.size() - 1) + 0.5));
  return sorted[index];
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // LLVM itself registers a hidden "threads" option; this tool's --threads
  // is the one users mean.
  if (cl::Option *llvmThreads = cl::getRegisteredOptions().lookup("threads"))
    llvmThreads->setArgStr("llvm-threads");
  static cl::opt<unsigned> threadCount(
      "threads", cl::init(1),
      cl::desc("Threads each call runs on (0: one per available CPU); other "
               "than 1, the model is compiled multi-threaded"),
      cl::value_desc("N"));
  // --help lists this tool's options, not LLVM's backend flags (those are
  // still under --help-hidden).
  static cl::OptionCategory toolCategory("ht-run options");
  for (cl::Option *option : std::initializer_list<cl::Option *>{
           &modelPath, &pipelineOptions, &entryName, static_cast<cl::Option *>(std::addressof(inputPaths)), &outputDir, &benchmarkRuns, &warmupRuns, &threadCount, &target})
    option->addCategory(toolCategory);
  cl::HideUnrelatedOptions(toolCategory);
  setToolVersionPrinter("ht-run");
  cl::ParseCommandLineOptions(
      argc, argv,
      "ht-run: JIT-compile an ht model and run it on .npy inputs\n");

  bool cuda = target == Target::CUDA;
  std::unique_ptr<HTToCUDAOptions> cudaOptions;
  if (cuda) {
    if (threadCount.getNumOccurrences())
      return fail("--threads is for --target=cpu; a CUDA call runs on the "
                  "GPU");
    // Without a toolkit, PTX: the driver compiles it for the GPU there is.
    auto parsed = parseCUDAOptions(pipelineOptions, /*ptxWithoutToolkit=*/true);
    if (!parsed)
      return fail(llvm::toString(parsed.takeError()));
    cudaOptions = std::move(*parsed);
  }
  std::unique_ptr<HTToLLVMOptions> options = HTToLLVMOptions::createFromString(
      cuda ? StringRef() : StringRef(pipelineOptions));
  if (!options)
    return fail("invalid --pipeline-options '" + pipelineOptions + "'");
  // --threads other than 1 needs multi-threaded code; threads=N in the
  // pipeline options alone sets the calls' count too.
  std::string compileOptions = pipelineOptions;
  unsigned requested = threadCount.getNumOccurrences() == 0
                           ? options->threads.getValue()
                           : threadCount.getValue();
  if (requested > unsigned(INT32_MAX))
    return fail(llvm::Twine(threadCount.getNumOccurrences() ? "--threads "
                                                            : "threads=") +
                llvm::Twine(requested) +
                " is too large; expected at most 2^31 - 1");
  int32_t callThreads = static_cast<int32_t>(requested);
  if (threadCount.getNumOccurrences() && threadCount != 1 &&
      !options->isMultiThreaded())
    compileOptions += " threads=" + std::to_string(threadCount);
  if (callThreads != 1 && StringRef(HT_OPENMP_LIBRARY).empty())
    return fail("--threads " + llvm::Twine(callThreads) +
                " needs the OpenMP runtime, which this ht-mlir was built "
                "without (install libomp-22-dev and reconfigure)");

  DialectRegistry registry;
  registerModelDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = loadModel(modelPath, context);
  if (!module)
    return 1;

  auto entry = module->lookupSymbol<func::FuncOp>(entryName);
  if (!entry) {
    std::string available;
    for (auto func : module->getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        available += (available.empty() ? "@" : ", @") + func.getName().str();
    return fail("no function @" + entryName + " in '" + modelPath +
                "'; it defines " + (available.empty() ? "none" : available));
  }
  FailureOr<EntrySignature> signature = analyzeEntrySignature(entry);
  if (failed(signature))
    return 1;

  SmallVector<int64_t> symbolValues;
  llvm::Expected<SmallVector<Buffer>> inputs =
      readInputs(*signature, symbolValues);
  if (!inputs)
    return fail(llvm::toString(inputs.takeError()));
  SmallVector<Buffer> outputs;
  for (const EntryTensor &tensor : signature->outputs) {
    llvm::Expected<Buffer> buffer =
        allocateBuffer(resolveShape(tensor, symbolValues),
                       "result '" + tensor.name + "'");
    if (!buffer)
      return fail(llvm::toString(buffer.takeError()));
    buffer->isInt32 = tensor.isInt32();
    outputs.push_back(std::move(*buffer));
  }
  SmallVector<float *> tensorPointers;
  for (Buffer &buffer : *inputs)
    tensorPointers.push_back(buffer.data());
  for (Buffer &buffer : outputs)
    tensorPointers.push_back(buffer.data());
  std::function<llvm::Error()> call;
  // Kept alive for `call`.
  std::optional<llvm::Expected<std::unique_ptr<ExecutionEngine>>> engineHolder;
  int32_t status = 0;
  SmallVector<void *> args;
  if (cuda) {
    if (failed(lowerToCUDA(*module, *cudaOptions)))
      return fail("compiling '" + modelPath + "' for CUDA failed");
    llvm::Expected<int32_t (*)(void **)> entry =
        loadCudaLibrary(*module, *signature);
    if (!entry)
      return fail(llvm::toString(entry.takeError()));
    for (int64_t &size : symbolValues)
      args.push_back(&size);
    for (float *&pointer : tensorPointers)
      args.push_back(&pointer);
    call = [&, packed = *entry]() -> llvm::Error {
      int32_t result = packed(args.data());
      if (result != kCApiOk)
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       getCApiStatusMessage(result));
      return llvm::Error::success();
    };
  } else {
    if (failed(lowerToLLVMDialect(*module, compileOptions)))
      return fail("compiling '" + modelPath + "' failed");
    auto machine = createTargetMachine("", "", kJITCodeModel);
    if (!machine)
      return fail(llvm::toString(machine.takeError()));
    auto transformer =
        makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, machine->get());
    // The model is called through the same C API, runtime and checks as a
    // library from ht-compile (sizes, allocation failures as a status).
    llvm::TargetMachine *targetMachine = machine->get();
    std::string builderError;
    auto buildModule = [&](Operation *op, llvm::LLVMContext &llvmContext)
        -> std::unique_ptr<llvm::Module> {
      auto llvmModule =
          translateToLLVMIR(cast<ModuleOp>(op), llvmContext, *targetMachine);
      if (!llvmModule) {
        builderError = llvm::toString(llvmModule.takeError());
        return nullptr;
      }
      llvm::Expected<SmallVector<std::string>> exported =
          addCApi(**llvmModule, kCApiPrefix, {*signature}, /*defaultThreads=*/1);
      if (!exported) {
        builderError = llvm::toString(exported.takeError());
        return nullptr;
      }
      return std::move(*llvmModule);
    };
    ExecutionEngineOptions engineOptions;
    engineOptions.transformer = transformer;
    engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
    engineOptions.llvmModuleBuilder = buildModule;
    SmallVector<StringRef> sharedLibraries;
    if (!StringRef(HT_OPENMP_LIBRARY).empty())
      sharedLibraries.push_back(HT_OPENMP_LIBRARY);
    engineOptions.sharedLibPaths = sharedLibraries;
    engineHolder.emplace(
        ExecutionEngine::create(*module, engineOptions, std::move(*machine)));
    auto &engine = *engineHolder;
    if (!engine)
      return fail("JIT compilation failed: " +
                  (builderError.empty() ? llvm::toString(engine.takeError())
                                        : builderError));
    (*engine)->initialize();

    // The packed form of the C API function: a pointer to each argument (the
    // thread count, the sizes, then the tensor pointers), then one to the
    // status it returns.
    args.push_back(&callThreads);
    for (int64_t &size : symbolValues)
      args.push_back(&size);
    for (float *&pointer : tensorPointers)
      args.push_back(&pointer);
    args.push_back(&status);
    std::string function = getCApiThreadsName(kCApiPrefix, *signature);
    call = [&, function]() -> llvm::Error {
      if (llvm::Error error = (*engine)->invokePacked(function, args))
        return error;
      if (status != kCApiOk)
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       getCApiStatusMessage(status));
      return llvm::Error::success();
    };
  }

  if (llvm::Error error = call())
    return fail("running @" + entryName + " failed: " +
                llvm::toString(std::move(error)));

  if (benchmarkRuns > 0) {
    for (unsigned run = 0; run < warmupRuns; ++run)
      if (llvm::Error error = call())
        return fail(llvm::toString(std::move(error)));
    std::vector<double> milliseconds;
    for (unsigned run = 0; run < benchmarkRuns; ++run) {
      auto start = std::chrono::steady_clock::now();
      if (llvm::Error error = call())
        return fail(llvm::toString(std::move(error)));
      auto stop = std::chrono::steady_clock::now();
      milliseconds.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(milliseconds.begin(), milliseconds.end());
    llvm::outs() << llvm::formatv(
        "benchmark @{0}: {1} calls after {2} warm-up: median {3:F3} ms, "
        "min {4:F3}, p10 {5:F3}, p90 {6:F3}, max {7:F3}\n",
        entryName, benchmarkRuns, warmupRuns, percentile(milliseconds, 0.5),
        milliseconds.front(), percentile(milliseconds, 0.1),
        percentile(milliseconds, 0.9), milliseconds.back());
  }

  for (auto [index, buffer] : llvm::enumerate(outputs))
    llvm::outs() << llvm::formatv("result{0} {1} {2} sum {3:e6}\n", index,
                                  signature->outputs[index].name,
                                  formatShape(buffer.shape), buffer.sum());
  if (!outputDir.empty())
    if (llvm::Error error = writeResults(outputs))
      return fail(llvm::toString(std::move(error)));
  return 0;
}
