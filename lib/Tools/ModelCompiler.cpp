//===- ModelCompiler.cpp - What ht-compile and ht-run share ---------------===//

#include "ht/Tools/ModelCompiler.h"
#include "ht/Dialect/HT/IR/HTDialect.h"
#include "ht/Dialect/HT/Utils/ConstantData.h"
#include "ht/Pipelines/Pipelines.h"
#include "ht/Support/ResourceCheck.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "ht/Version.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/Path.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;
using namespace mlir::ht;

void mlir::ht::registerModelDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registry.insert<HTDialect>();
  // All of them: the CUDA stage translates kernels (NVVM) inside the
  // pipeline and the host code's gpu.launch_func and gpu.binary after it.
  registerAllToLLVMIRTranslations(registry);
}

OwningOpRef<ModuleOp> mlir::ht::loadModel(StringRef path,
                                          MLIRContext &context) {
  // A device such as /dev/zero would be read until memory runs out.
  if (path != "-" && llvm::sys::fs::exists(path) &&
      !llvm::sys::fs::is_regular_file(path)) {
    llvm::errs() << "error: model '" << path
                 << "' is not a regular file; expected a .mlir file\n";
    return nullptr;
  }
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  std::string includedPath;
  if (!sourceMgr->AddIncludeFile(path.str(), llvm::SMLoc(), includedPath)) {
    llvm::errs() << "error: cannot open model '" << path << "'\n";
    return nullptr;
  }
  if (llvm::Error invalid = checkResourceBlobAlignments(
          sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID())->getBuffer(),
          path)) {
    llvm::errs() << "error: " << llvm::toString(std::move(invalid)) << "\n";
    return nullptr;
  }
  SourceMgrDiagnosticHandler handler(*sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  // Passes check the blobs they read; this catches those no pass reads,
  // which would reach the LLVM translation unchecked.
  if (module && failed(verifyConstantBlobs(*module)))
    return nullptr;
  return module;
}

LogicalResult mlir::ht::lowerToLLVMDialect(ModuleOp module,
                                           StringRef pipelineOptions) {
  std::unique_ptr<HTToLLVMOptions> options =
      HTToLLVMOptions::createFromString(pipelineOptions);
  if (!options) {
    llvm::errs() << "error: invalid --pipeline-options '" << pipelineOptions
                 << "'\n";
    return failure();
  }
  PassManager pm(module->getContext());
  buildHTToLLVMPipeline(pm, *options);
  return pm.run(module);
}

llvm::Expected<std::unique_ptr<HTToCUDAOptions>>
mlir::ht::parseCUDAOptions(StringRef pipelineOptions, bool ptxWithoutToolkit) {
  auto error = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  std::unique_ptr<HTToCUDAOptions> options =
      HTToCUDAOptions::createFromString(pipelineOptions);
  if (!options)
    return error("invalid --pipeline-options '" + pipelineOptions +
                 "' for --target=cuda (ht-optimize's and ht-cuda-codegen's "
                 "options)");
  if (options->blockSize < 1 || options->blockSize > 1024)
    return error("block-size=" + llvm::Twine(options->blockSize) +
                 " is not a CUDA block size; expected 1 to 1024");
  std::string toolkit = resolveCUDAToolkit(options->toolkit);
  if (ptxWithoutToolkit && toolkit.empty())
    options->format = CUDABinaryFormat::PTX;
  SmallString<128> ptxas(toolkit);
  llvm::sys::path::append(ptxas, "bin", "ptxas");
  if (options->format != CUDABinaryFormat::PTX &&
      (toolkit.empty() || !llvm::sys::fs::can_execute(ptxas)))
    return error(
        "format=" +
        llvm::Twine(options->format == CUDABinaryFormat::Fatbin ? "fatbin"
                                                                : "cubin") +
        " runs ptxas, and " +
        (toolkit.empty()
             ? llvm::Twine("no CUDA toolkit was found (set CUDA_HOME or "
                           "toolkit=DIR)")
             : "the toolkit '" + toolkit + "' has no bin/ptxas") +
        "; or pass format=ptx");
  return std::move(options);
}

LogicalResult mlir::ht::lowerToCUDA(ModuleOp module,
                                    const HTToCUDAOptions &options) {
  PassManager pm(module->getContext());
  buildHTToCUDAPipeline(pm, options);
  // gpu-module-to-binary reports some failures (a toolkit path that does
  // not exist, ptxas rejecting a kernel) and succeeds all the same.
  bool anyError = false;
  ScopedDiagnosticHandler noteErrors(
      module->getContext(), [&](Diagnostic &diagnostic) {
        anyError |= diagnostic.getSeverity() == DiagnosticSeverity::Error;
        return failure(); // and let the default handler print it
      });
  if (failed(pm.run(module)) || anyError)
    return failure();
  WalkResult leftover = module->walk([](gpu::GPUModuleOp kernels) {
    kernels.emitError("was not compiled to a binary");
    return WalkResult::interrupt();
  });
  return failure(leftover.wasInterrupted());
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
mlir::ht::createTargetMachine(StringRef cpu, StringRef features,
                              std::optional<llvm::CodeModel::Model> codeModel) {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no target for " + triple.str() + ": " +
                                       error);
  std::string cpuName = cpu.empty() ? llvm::sys::getHostCPUName().str()
                                    : cpu.str();
  std::string featureString = features.str();
  if (cpu.empty() && features.empty()) {
    llvm::SubtargetFeatures hostFeatures;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      hostFeatures.AddFeature(feature.first(), feature.second);
    featureString = hostFeatures.getString();
  }
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, cpuName, featureString));
  if (!subtarget || !subtarget->isCPUStringValid(cpuName))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "unknown CPU '" + cpuName + "' for " +
                                       triple.str());
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpuName, featureString, options, llvm::Reloc::PIC_, codeModel,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot create a target machine for " +
                                       triple.str());
  return machine;
}

llvm::Expected<std::unique_ptr<llvm::Module>>
mlir::ht::translateToLLVMIR(ModuleOp module, llvm::LLVMContext &context,
                            llvm::TargetMachine &machine) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "translation to LLVM IR failed");
  llvmModule->setDataLayout(machine.createDataLayout());
  llvmModule->setTargetTriple(machine.getTargetTriple());
  return llvmModule;
}

llvm::Error mlir::ht::optimizeLLVMModule(llvm::Module &module,
                                         llvm::TargetMachine &machine) {
  auto optimize = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                            &machine);
  return optimize(&module);
}

llvm::Error mlir::ht::writeObjectFile(llvm::Module &module,
                                      llvm::TargetMachine &machine,
                                      StringRef path) {
  std::error_code error;
  llvm::ToolOutputFile file(path, error, llvm::sys::fs::OF_None);
  if (error)
    return llvm::createStringError(error, "cannot write '" + path +
                                              "': " + error.message());
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, file.os(), nullptr,
                                  llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the target cannot emit object files");
  passes.run(module);
  file.os().close();
  if (file.os().has_error())
    return llvm::createStringError(file.os().error(),
                                   "cannot write '" + path + "'");
  file.keep();
  return llvm::Error::success();
}

llvm::Error mlir::ht::linkSharedLibrary(StringRef object, StringRef output,
                                        bool openMP) {
  llvm::ErrorOr<std::string> compiler = llvm::sys::findProgramByName("clang-22");
  if (!compiler)
    compiler = llvm::sys::findProgramByName("cc");
  if (!compiler)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no C compiler (clang-22 or cc) on PATH to "
                                   "link the shared library; use -o file.o");
  std::string message;
  SmallVector<StringRef> args = {*compiler, "-shared", "-o", output, object,
                                 "-lm"};
  std::string runPath = "-Wl,-rpath," + llvm::sys::path::parent_path(
                                            HT_OPENMP_LIBRARY).str();
  if (openMP) {
    args.push_back(HT_OPENMP_LIBRARY);
    args.push_back(runPath);
  }
  int status = llvm::sys::ExecuteAndWait(*compiler, args, std::nullopt, {}, 0,
                                         0, &message);
  if (status != 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "linking '" + output + "' with " +
                                       *compiler + " failed" +
                                       (message.empty() ? "" : ": " + message));
  return llvm::Error::success();
}

