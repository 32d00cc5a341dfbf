//===- ht-compile.cpp - Compile an ht model to native code ----------------===//
//
//   ht-compile model.mlir -o libmodel.so --header model.h [--prefix NAME]
//              [--entry forward] [--emit=lib|obj|llvm|mlir|ptx]
//              [--target=cpu|cuda] [-mcpu=CPU] [-mattr=+feature,...]
//
// Lowers the model with the ht-to-llvm pipeline (ht-to-cuda for
// --target=cuda: host code plus embedded kernels, see docs/CUDA.md), adds a plain C function per
// entry point (see ht/Tools/CApi.h), optimises at -O3 for the host CPU (or
// -mcpu), and writes a position-independent object, a shared library linked
// with the system C compiler, LLVM IR or the lowered MLIR. Outputs are
// written only once everything succeeded.
//
//===----------------------------------------------------------------------===//

#include "ht/Dialect/HT/Analysis/EntrySignature.h"
#include "ht/Pipelines/Pipelines.h"
#include "ht/Tools/CApi.h"
#include "ht/Version.h"
#include "ht/Support/ToolSupport.h"
#include "ht/Tools/ModelCompiler.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

using namespace mlir;
using namespace mlir::ht;
namespace cl = llvm::cl;

namespace {
enum class EmitKind { Library, Object, LLVMIR, MLIR, PTX };
enum class Target { CPU, CUDA };
} // namespace

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"));
static cl::opt<std::string> pipelineOptions(
    "pipeline-options",
    cl::desc("Options of the ht-to-llvm pipeline, e.g. \"order=greedy "
             "fold-weights=false expected-rows=16\""),
    cl::value_desc("options"));
static cl::opt<std::string> outputPath("o", cl::Required,
                                       cl::desc("Output file"),
                                       cl::value_desc("file"));
static cl::opt<std::string> headerPath("header",
                                       cl::desc("Also write the C header"),
                                       cl::value_desc("file.h"));
static cl::opt<std::string> signaturePath(
    "signature",
    cl::desc("Also write the C API as JSON (what ht_mlir.runtime reads)"),
    cl::value_desc("file.json"));
static cl::list<std::string>
    entryNames("entry", cl::desc("Entry point to export (default: forward)"),
               cl::value_desc("name"));
static cl::opt<std::string>
    prefixOption("prefix",
                 cl::desc("Prefix of the C function names (default: the "
                          "output file's name without 'lib' and extension)"),
                 cl::value_desc("name"));
static cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to write (default: from the output's extension)"),
    cl::values(clEnumValN(EmitKind::Library, "lib", "a shared library"),
               clEnumValN(EmitKind::Object, "obj", "a relocatable object"),
               clEnumValN(EmitKind::LLVMIR, "llvm", "optimised LLVM IR"),
               clEnumValN(EmitKind::MLIR, "mlir",
                          "the module lowered to the LLVM dialect"),
               clEnumValN(EmitKind::PTX, "ptx",
                          "the kernels' PTX (--target=cuda)")));
static cl::opt<Target> target(
    "target", cl::desc("What the code runs on (default: cpu)"),
    cl::init(Target::CPU),
    cl::values(clEnumValN(Target::CPU, "cpu", "this machine's CPU"),
               clEnumValN(Target::CUDA, "cuda",
                          "an NVIDIA GPU: host code + kernels, needing only "
                          "the driver at run time")));
static cl::opt<std::string> cpuName("mcpu",
                                    cl::desc("Target CPU (default: the host)"),
                                    cl::value_desc("cpu"));
static cl::opt<std::string>
    cpuFeatures("mattr", cl::desc("Target features, e.g. +avx2,-avx512f"),
                cl::value_desc("features"));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "ht-compile: error: " << message << "\n";
  return 1;
}

/// The kind implied by the output's extension, when --emit is not given.
static std::optional<EmitKind> kindFromExtension(StringRef path) {
  StringRef extension = llvm::sys::path::extension(path);
  if (extension == ".so")
    return EmitKind::Library;
  if (extension == ".o")
    return EmitKind::Object;
  if (extension == ".ll")
    return EmitKind::LLVMIR;
  if (extension == ".mlir")
    return EmitKind::MLIR;
  if (extension == ".ptx")
    return EmitKind::PTX;
  return std::nullopt;
}

/// A C identifier from the output file name: "libucf11.so" -> "ucf11".
static std::string defaultPrefix(StringRef path) {
  StringRef stem = llvm::sys::path::stem(path);
  stem.consume_front("lib");
  std::string prefix;
  for (char c : stem)
    prefix += llvm::isAlnum(c) ? c : '_';
  if (prefix.empty() || llvm::isDigit(prefix.front()))
    prefix = "model_" + prefix;
  return prefix;
}

static bool isIdentifier(StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// Writes `contents` produced by `write` to `path` only if it succeeds.
static llvm::Error writeFile(StringRef path,
                             llvm::function_ref<void(llvm::raw_ostream &)> write) {
  std::error_code error;
  llvm::ToolOutputFile file(path, error, llvm::sys::fs::OF_None);
  if (error)
    return llvm::createStringError(error, "cannot write '" + path +
                                              "': " + error.message());
  write(file.os());
  file.os().close();
  if (file.os().has_error())
    return llvm::createStringError(file.os().error(),
                                   "cannot write '" + path + "'");
  file.keep();
  return llvm::Error::success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // --help lists this tool's options, not LLVM's backend flags (those are
  // still under --help-hidden).
  static cl::OptionCategory toolCategory("ht-compile options");
  for (cl::Option *option : std::initializer_list<cl::Option *>{
           &modelPath, &pipelineOptions, &outputPath, &headerPath, &signaturePath, static_cast<cl::Option *>(std::addressof(entryNames)), &prefixOption, &emitKind, &target, &cpuName, &cpuFeatures})
    option->addCategory(toolCategory);
  cl::HideUnrelatedOptions(toolCategory);
  setToolVersionPrinter("ht-compile");
  cl::ParseCommandLineOptions(
      argc, argv, "ht-compile: compile an ht model to native code\n");

  std::optional<EmitKind> kind =
      emitKind.getNumOccurrences() ? std::optional<EmitKind>(emitKind)
                                   : kindFromExtension(outputPath);
  if (!kind)
    return fail("cannot tell what to write from '" + outputPath +
                "'; name it .so, .o, .ll or .mlir, or pass --emit");
  std::string prefix =
      prefixOption.empty() ? defaultPrefix(outputPath) : prefixOption.getValue();
  if (!isIdentifier(prefix))
    return fail("--prefix '" + prefix + "' is not a C identifier");
  bool cuda = target == Target::CUDA;
  if (*kind == EmitKind::PTX && !cuda)
    return fail("--emit=ptx writes the kernels of --target=cuda; add it");
  std::unique_ptr<HTToCUDAOptions> cudaOptions;
  if (cuda) {
    // --emit=ptx needs no toolkit: the format is PTX whatever was asked.
    std::string text = pipelineOptions;
    if (*kind == EmitKind::PTX)
      text += " format=ptx";
    auto parsed = parseCUDAOptions(text, /*ptxWithoutToolkit=*/false);
    if (!parsed)
      return fail(llvm::toString(parsed.takeError()));
    cudaOptions = std::move(*parsed);
  }
  std::unique_ptr<HTToLLVMOptions> options =
      HTToLLVMOptions::createFromString(
          cuda ? StringRef() : StringRef(pipelineOptions));
  if (!options)
    return fail("invalid --pipeline-options '" + pipelineOptions + "'");
  if (options->threads > unsigned(INT32_MAX))
    return fail("threads=" + llvm::Twine(options->threads.getValue()) +
                " is too large; expected at most 2^31 - 1");
  if (options->isMultiThreaded() && StringRef(HT_OPENMP_LIBRARY).empty())
    return fail("threads=" + llvm::Twine(options->threads.getValue()) +
                " needs the OpenMP runtime, which this ht-mlir was built "
                "without (install libomp-22-dev and reconfigure); use "
                "threads=1");
  SmallVector<std::string> entries(entryNames.begin(), entryNames.end());
  if (entries.empty())
    entries.push_back("forward");
  for (const std::string &entry : entries)
    if (!isIdentifier(entry))
      return fail("--entry '" + entry +
                  "' is not a C identifier; the C API function is named "
                  "<prefix>_<entry>");
  if (StringRef(prefix).starts_with("__ht") ||
      StringRef(prefix).starts_with("_mlir"))
    return fail("--prefix '" + prefix +
                "' starts with '__ht' or '_mlir', which name the compiled "
                "code's own symbols; choose another prefix");
  if (llvm::sys::fs::equivalent(outputPath, modelPath) ||
      outputPath == modelPath)
    return fail("-o '" + outputPath + "' is the model itself");
  if (!headerPath.empty() &&
      (headerPath == outputPath ||
       llvm::sys::fs::equivalent(headerPath, outputPath)))
    return fail("--header '" + headerPath + "' is the -o output too");
  if (!headerPath.empty() && (headerPath == modelPath ||
                              llvm::sys::fs::equivalent(headerPath, modelPath)))
    return fail("--header '" + headerPath + "' is the model itself");
  if (!signaturePath.empty()) {
    for (const std::string *other : {&outputPath.getValue(), &headerPath.getValue()})
      if (!other->empty() && (signaturePath == *other ||
                              llvm::sys::fs::equivalent(signaturePath, *other)))
        return fail("--signature '" + signaturePath + "' is another output too");
    if (signaturePath == modelPath ||
        llvm::sys::fs::equivalent(signaturePath, modelPath))
      return fail("--signature '" + signaturePath + "' is the model itself");
  }

  DialectRegistry registry;
  registerModelDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = loadModel(modelPath, context);
  if (!module)
    return 1;

  std::vector<EntrySignature> signatures;
  for (const std::string &name : entries) {
    auto func = module->lookupSymbol<func::FuncOp>(name);
    if (!func)
      return fail("no function @" + name + " in '" + modelPath + "'");
    FailureOr<EntrySignature> signature = analyzeEntrySignature(func);
    if (failed(signature))
      return 1;
    signatures.push_back(std::move(*signature));
  }

  if (cuda ? failed(lowerToCUDA(*module, *cudaOptions))
           : failed(lowerToLLVMDialect(*module, pipelineOptions)))
    return fail("compiling '" + modelPath + "' failed");
  // Everything is written to temporaries first and renamed into place
  // once all succeeded: a failure leaves no output behind.
  std::string partialOutput = outputPath + ".partial";
  std::string partialHeader = headerPath + ".partial";
  llvm::FileRemover removeOutput(partialOutput);
  std::optional<llvm::FileRemover> removeHeader;
  if (!headerPath.empty())
    removeHeader.emplace(partialHeader);
  std::string partialSignature = signaturePath + ".partial";
  std::optional<llvm::FileRemover> removeSignature;
  if (!signaturePath.empty())
    removeSignature.emplace(partialSignature);
  if (*kind == EmitKind::MLIR) {
    if (llvm::Error error = writeFile(
            partialOutput, [&](llvm::raw_ostream &os) { module->print(os); }))
      return fail(llvm::toString(std::move(error)));
  } else if (*kind == EmitKind::PTX) {
    if (llvm::Error error = writeFile(partialOutput, [&](llvm::raw_ostream &os) {
          module->walk([&](gpu::BinaryOp binary) {
            for (Attribute object : binary.getObjects())
              os << "// kernel module @" << binary.getSymName() << "\n"
                 << cast<gpu::ObjectAttr>(object).getObject().getValue()
                 << "\n";
          });
        }))
      return fail(llvm::toString(std::move(error)));
  } else {
    auto machine = createTargetMachine(cpuName, cpuFeatures);
    if (!machine)
      return fail(llvm::toString(machine.takeError()));
    llvm::LLVMContext llvmContext;
    auto llvmModule = translateToLLVMIR(*module, llvmContext, **machine);
    if (!llvmModule)
      return fail(llvm::toString(llvmModule.takeError()));
    llvm::Expected<SmallVector<std::string>> exported =
        cuda ? addCudaCApi(**llvmModule, prefix, signatures)
             : addCApi(**llvmModule, prefix, signatures, options->threads);
    if (!exported)
      return fail(llvm::toString(exported.takeError()));
    // Only the C API is exported; everything else may be inlined into it.
    for (llvm::Function &function : **llvmModule)
      if (!function.isDeclaration() &&
          !llvm::is_contained(*exported, function.getName()))
        function.setLinkage(llvm::GlobalValue::InternalLinkage);
    if (llvm::Error error = optimizeLLVMModule(**llvmModule, **machine))
      return fail(llvm::toString(std::move(error)));

    llvm::Error written = llvm::Error::success();
    if (*kind == EmitKind::LLVMIR) {
      written = writeFile(partialOutput, [&](llvm::raw_ostream &os) {
        (*llvmModule)->print(os, nullptr);
      });
    } else if (*kind == EmitKind::Object) {
      written = writeObjectFile(**llvmModule, **machine, partialOutput);
    } else {
      llvm::SmallString<128> object;
      if (std::error_code error =
              llvm::sys::fs::createTemporaryFile("ht-compile", "o", object))
        return fail("cannot create a temporary file: " + error.message());
      llvm::FileRemover removeObject(object);
      bool openMP = (*llvmModule)->getFunction("__kmpc_fork_call") != nullptr;
      written = writeObjectFile(**llvmModule, **machine, object);
      if (!written)
        written = linkSharedLibrary(object, partialOutput, openMP);
    }
    if (written)
      return fail(llvm::toString(std::move(written)));
  }

  if (!headerPath.empty()) {
    if (llvm::Error error = writeFile(partialHeader, [&](llvm::raw_ostream &os) {
          if (cuda)
            emitCudaCApiHeader(os, prefix,
                               llvm::sys::path::filename(modelPath),
                               signatures, cudaOptions->chip);
          else
            emitCApiHeader(os, prefix, llvm::sys::path::filename(modelPath),
                           signatures, options->threads,
                           options->isMultiThreaded());
        }))
      return fail(llvm::toString(std::move(error)));
  }
  if (!signaturePath.empty()) {
    if (llvm::Error error =
            writeFile(partialSignature, [&](llvm::raw_ostream &os) {
              emitCApiSignatureJSON(os, prefix, signatures,
                                    cuda ? 1 : options->threads.getValue(),
                                    !cuda && options->isMultiThreaded(), cuda);
            }))
      return fail(llvm::toString(std::move(error)));
  }
  if (std::error_code error = llvm::sys::fs::rename(partialOutput, outputPath))
    return fail("cannot write '" + outputPath + "': " + error.message());
  if (!headerPath.empty())
    if (std::error_code error =
            llvm::sys::fs::rename(partialHeader, headerPath)) {
      llvm::sys::fs::remove(outputPath);
      return fail("cannot write '" + headerPath + "': " + error.message());
    }
  if (!signaturePath.empty())
    if (std::error_code error =
            llvm::sys::fs::rename(partialSignature, signaturePath)) {
      llvm::sys::fs::remove(outputPath);
      if (!headerPath.empty())
        llvm::sys::fs::remove(headerPath);
      return fail("cannot write '" + signaturePath + "': " + error.message());
    }
  return 0;
}
