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

llvm::Error mlir::ht::linkModelRuntime(llvm::Module &module) {
  // The model's own allocations go through the runtime; the runtime's calls
  // to the C library, linked in below, stay as they are.
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

  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char *>(kRuntimeBitcode),
                      sizeof(kRuntimeBitcode)),
      "ModelRuntime.bc");
  llvm::Expected<std::unique_ptr<llvm::Module>> runtime =
      llvm::parseBitcodeFile(buffer, module.getContext());
  if (!runtime)
    return runtime.takeError();
  (*runtime)->setDataLayout(module.getDataLayout());
  (*runtime)->setTargetTriple(module.getTargetTriple());
  llvm::StringSet<> runtimeSymbols;
  for (llvm::Function &function : **runtime)
    if (!function.isDeclaration())
      runtimeSymbols.insert(function.getName());
  if (llvm::Linker::linkModules(module, std::move(*runtime)))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot link the model runtime");
  for (const auto &symbol : runtimeSymbols)
    if (llvm::Function *function = module.getFunction(symbol.getKey()))
      function->setLinkage(llvm::GlobalValue::InternalLinkage);
  return llvm::Error::success();
}
