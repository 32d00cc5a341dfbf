//===- ModelRuntime.cpp - Linking the runtime into compiled models --------===//

#include "ht/Tools/ModelRuntime.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;

static const unsigned char kRuntimeBitcode[] = {
#include "ht/Runtime/ModelRuntimeBitcode.inc"
};

static const unsigned char kCudaRuntimeBitcode[] = {
#include "ht/Runtime/CudaRuntimeBitcode.inc"
};

/// Links the bitcode `bytes` into `module`, adding its definitions to
/// `defined` (made internal once every runtime is in: one runtime may call
/// another).
static llvm::Error linkBitcode(llvm::Module &module, llvm::StringRef bytes,
                               llvm::StringRef name,
                               llvm::StringSet<> &defined) {
  llvm::MemoryBufferRef buffer(bytes, name);
  llvm::Expected<std::unique_ptr<llvm::Module>> runtime =
      llvm::parseBitcodeFile(buffer, module.getContext());
  if (!runtime)
    return runtime.takeError();
  (*runtime)->setDataLayout(module.getDataLayout());
  (*runtime)->setTargetTriple(module.getTargetTriple());
  for (llvm::Function &function : **runtime)
    if (!function.isDeclaration())
      defined.insert(function.getName());
  if (llvm::Linker::linkModules(module, std::move(*runtime)))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot link " + name);
  return llvm::Error::success();
}

static void internalize(llvm::Module &module, const llvm::StringSet<> &defined) {
  for (const auto &symbol : defined)
    if (llvm::Function *function = module.getFunction(symbol.getKey()))
      function->setLinkage(llvm::GlobalValue::InternalLinkage);
}

/// The model's own allocations go through the runtime; the runtimes' calls
/// to the C library, linked in after, stay as they are.
static void routeAllocations(llvm::Module &module) {
  for (auto [libraryName, runtimeName] :
       {std::pair("malloc", "__ht_malloc"), std::pair("free", "__ht_free")}) {
    llvm::Function *library = module.getFunction(libraryName);
    if (!library)
      continue;
    llvm::FunctionCallee runtime =
        module.getOrInsertFunction(runtimeName, library->getFunctionType());
    library->replaceAllUsesWith(runtime.getCallee());
    library->eraseFromParent();
  }
}

static llvm::StringRef modelRuntimeBitcode() {
  return llvm::StringRef(reinterpret_cast<const char *>(kRuntimeBitcode),
                         sizeof(kRuntimeBitcode));
}

llvm::Error mlir::ht::linkModelRuntime(llvm::Module &module) {
  routeAllocations(module);
  llvm::StringSet<> defined;
  if (llvm::Error error =
          linkBitcode(module, modelRuntimeBitcode(), "ModelRuntime.bc", defined))
    return error;
  internalize(module, defined);
  return llvm::Error::success();
}

llvm::Error mlir::ht::linkCudaRuntime(llvm::Module &module) {
  // The host code's malloc and free (the deallocation bookkeeping) go
  // through the model runtime's guard; the CUDA runtime's own, which pair
  // with calloc and realloc, must not, so it is linked after the routing.
  routeAllocations(module);
  llvm::StringSet<> defined;
  if (llvm::Error error =
          linkBitcode(module, modelRuntimeBitcode(), "ModelRuntime.bc", defined))
    return error;
  if (llvm::Error error = linkBitcode(
          module,
          llvm::StringRef(reinterpret_cast<const char *>(kCudaRuntimeBitcode),
                          sizeof(kCudaRuntimeBitcode)),
          "CudaRuntime.bc", defined))
    return error;
  internalize(module, defined);
  return llvm::Error::success();
}
