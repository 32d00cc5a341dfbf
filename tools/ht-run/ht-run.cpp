//===- ht-run.cpp - Run an ht model on .npy inputs ------------------------===//
//
//   ht-run model.mlir [--entry forward] --input x.npy [--input h0.npy ...]
//          [--output-dir out/] [--benchmark N [--warmup K]]
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
#include "ht/Support/Npy.h"
#include "ht/Tools/ModelCompiler.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>

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

int fail(const llvm::Twine &message) {
  llvm::errs() << "ht-run: error: " << message << "\n";
  return 1;
}

/// A strided memref descriptor of any rank, as the C interface expects:
/// {allocated, aligned, offset, sizes[rank], strides[rank]}.
class MemRefDescriptor {
public:
  MemRefDescriptor(float *data, ArrayRef<int64_t> shape) {
    static_assert(sizeof(void *) == sizeof(int64_t), "64-bit pointers");
    storage.resize(3 + 2 * shape.size());
    storage[0] = storage[1] = reinterpret_cast<intptr_t>(data);
    storage[2] = 0;
    int64_t stride = 1;
    for (int64_t dim = shape.size() - 1; dim >= 0; --dim) {
      storage[3 + dim] = shape[dim];
      storage[3 + shape.size() + dim] = stride;
      stride *= shape[dim];
    }
  }
  void *get() { return storage.data(); }

private:
  std::vector<int64_t> storage;
};

struct Buffer {
  SmallVector<int64_t> shape;
  std::vector<float> data;
};

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
    Buffer buffer;
    buffer.shape = array->shape;
    buffer.data.resize(array->getNumElements());
    std::memcpy(buffer.data.data(), array->bytes.data(), array->bytes.size());
    buffers.push_back(std::move(buffer));
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

double percentile(std::vector<double> sorted, double fraction) {
  size_t index = std::min(sorted.size() - 1,
                          static_cast<size_t>(fraction * (sorted.size() - 1) + 0.5));
  return sorted[index];
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "ht-run: JIT-compile an ht model and run it on .npy inputs\n");

  if (!HTToLLVMOptions::createFromString(pipelineOptions))
    return fail("invalid --pipeline-options '" + pipelineOptions + "'");

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
    Buffer buffer;
    buffer.shape = resolveShape(tensor, symbolValues);
    int64_t count = 1;
    for (int64_t dim : buffer.shape)
      count *= dim;
    buffer.data.assign(count, 0.0f);
    outputs.push_back(std::move(buffer));
  }
  if (failed(lowerToLLVMDialect(*module, pipelineOptions)))
    return fail("compiling '" + modelPath + "' failed");
  auto machine = createTargetMachine("", "");
  if (!machine)
    return fail(llvm::toString(machine.takeError()));
  auto transformer =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, machine->get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine =
      ExecutionEngine::create(*module, engineOptions, std::move(*machine));
  if (!engine)
    return fail("JIT compilation failed: " +
                llvm::toString(engine.takeError()));
  (*engine)->initialize();

  SmallVector<MemRefDescriptor> descriptors;
  for (Buffer &buffer : *inputs)
    descriptors.emplace_back(buffer.data.data(), buffer.shape);
  for (Buffer &buffer : outputs)
    descriptors.emplace_back(buffer.data.data(), buffer.shape);
  SmallVector<void *> descriptorPointers;
  for (MemRefDescriptor &descriptor : descriptors)
    descriptorPointers.push_back(descriptor.get());
  SmallVector<void *> args;
  for (void *&pointer : descriptorPointers)
    args.push_back(&pointer);
  std::string wrapper = "_mlir_ciface_" + entryName;
  auto call = [&]() { return (*engine)->invokePacked(wrapper, args); };

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

  for (auto [index, buffer] : llvm::enumerate(outputs)) {
    double sum = 0;
    for (float value : buffer.data)
      sum += value;
    llvm::outs() << llvm::formatv("result{0} {1} {2} sum {3:e6}\n", index,
                                  signature->outputs[index].name,
                                  formatShape(buffer.shape), sum);
  }
  if (!outputDir.empty()) {
    if (std::error_code error = llvm::sys::fs::create_directories(outputDir))
      return fail("cannot create output directory '" + outputDir +
                  "': " + error.message());
    for (auto [index, buffer] : llvm::enumerate(outputs)) {
      llvm::SmallString<128> path(outputDir);
      llvm::sys::path::append(path, "result" + std::to_string(index) + ".npy");
      if (llvm::Error error =
              writeNpyFloat32(path, buffer.shape, buffer.data.data()))
        return fail(llvm::toString(std::move(error)));
    }
  }
  return 0;
}
