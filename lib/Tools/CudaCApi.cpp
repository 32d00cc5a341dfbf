//===- CudaCApi.cpp - The C API of a CUDA library -------------------------===//
//
// The functions of ht-compile --target=cuda (see addCudaCApi in CApi.h).
// Each checks its arguments as the CPU functions do, builds the memref
// descriptors, and hands the compiled host code to the CUDA runtime
// (lib/Runtime/CudaRuntime.c), which runs it once to measure the workspace
// and once on the device.
//
//===----------------------------------------------------------------------===//

#include "CApiBuilder.h"
#include "ht/Tools/CApi.h"
#include "ht/Tools/ModelRuntime.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::ht;

namespace {

std::string cudaName(StringRef prefix, const EntrySignature &signature) {
  return getCApiName(prefix, signature) + "_cuda";
}

std::string workspaceName(StringRef prefix, const EntrySignature &signature) {
  return getCApiName(prefix, signature) + "_workspace_bytes";
}

size_t numTensorsOf(const EntrySignature &signature) {
  return signature.inputs.size() + signature.outputs.size();
}

/// Creates `name(leading..., sizes..., tensors..., trailing...)` returning
/// int32_t, names its parameters, and splits them into sizes and tensors.
llvm::Function *createFunction(llvm::Module &module, StringRef name,
                               const EntrySignature &signature,
                               ArrayRef<std::pair<llvm::Type *, StringRef>> leading,
                               bool withTensors,
                               ArrayRef<std::pair<llvm::Type *, StringRef>> trailing,
                               SmallVectorImpl<llvm::Value *> &symbols,
                               SmallVectorImpl<llvm::Value *> &tensors) {
  llvm::IRBuilder<> builder(module.getContext());
  SmallVector<llvm::Type *> types;
  for (auto [type, parameter] : leading)
    types.push_back(type);
  types.append(signature.symbols.size(), builder.getInt64Ty());
  if (withTensors)
    types.append(numTensorsOf(signature), builder.getPtrTy());
  for (auto [type, parameter] : trailing)
    types.push_back(type);
  auto *function = llvm::Function::Create(
      llvm::FunctionType::get(builder.getInt32Ty(), types, false),
      llvm::GlobalValue::ExternalLinkage, name, module);
  size_t position = 0;
  for (auto [type, parameter] : leading)
    function->getArg(position++)->setName(parameter);
  size_t numParameters =
      signature.symbols.size() + (withTensors ? numTensorsOf(signature) : 0);
  for (size_t index = 0; index < numParameters; ++index) {
    llvm::Argument *argument = function->getArg(position++);
    argument->setName(capi::getParameterName(signature, index));
    (index < signature.symbols.size() ? symbols : tensors).push_back(argument);
  }
  for (auto [type, parameter] : trailing)
    function->getArg(position++)->setName(parameter);
  return function;
}

void emitCudaFunctions(llvm::Module &module, StringRef prefix,
                       const EntrySignature &signature) {
  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> builder(context);
  llvm::Type *i32 = builder.getInt32Ty();
  llvm::Type *i64 = builder.getInt64Ty();
  llvm::Type *ptr = builder.getPtrTy();
  llvm::Function *body = capi::emitBodyFunction(
      module, getCApiName(prefix, signature) + ".body", signature);

  // <name>_cuda(stream, sizes..., device pointers..., workspace, bytes)
  {
    SmallVector<llvm::Value *> symbols, tensors;
    llvm::Function *function = createFunction(
        module, cudaName(prefix, signature), signature, {{ptr, "stream"}},
        /*withTensors=*/true, {{ptr, "workspace"}, {i64, "workspace_bytes"}},
        symbols, tensors);
    builder.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", function));
    capi::emitArgumentChecks(builder, signature, symbols, tensors);
    llvm::Value *pointers =
        capi::emitDescriptorArray(builder, signature, symbols, tensors);
    llvm::FunctionCallee call = module.getOrInsertFunction(
        "__ht_cuda_call",
        llvm::FunctionType::get(i32, {ptr, ptr, ptr, ptr, i64}, false));
    size_t last = function->arg_size();
    builder.CreateRet(builder.CreateCall(
        call, {body, pointers, function->getArg(0),
               function->getArg(last - 2), function->getArg(last - 1)}));
  }

  // <name>_workspace_bytes(sizes..., uint64_t *bytes)
  {
    SmallVector<llvm::Value *> symbols, tensors;
    llvm::Function *function =
        createFunction(module, workspaceName(prefix, signature), signature, {},
                       /*withTensors=*/false, {{ptr, "bytes"}}, symbols,
                       tensors);
    llvm::Value *bytes = function->getArg(function->arg_size() - 1);
    builder.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", function));
    capi::emitArgumentChecks(builder, signature, symbols, {bytes});
    llvm::Value *pointers =
        capi::emitDescriptorArray(builder, signature, symbols, {});
    llvm::FunctionCallee measure = module.getOrInsertFunction(
        "__ht_cuda_measure", llvm::FunctionType::get(i32, {ptr, ptr, ptr}, false));
    builder.CreateRet(builder.CreateCall(measure, {body, pointers, bytes}));
  }

  // <name>(sizes..., host pointers...)
  {
    SmallVector<llvm::Value *> symbols, tensors;
    llvm::Function *function =
        createFunction(module, getCApiName(prefix, signature), signature, {},
                       /*withTensors=*/true, {}, symbols, tensors);
    builder.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", function));
    capi::emitArgumentChecks(builder, signature, symbols, tensors);
    llvm::Value *pointers =
        capi::emitDescriptorArray(builder, signature, symbols, tensors);
    size_t numTensors = numTensorsOf(signature);
    auto *bytes = builder.CreateAlloca(i64, builder.getInt64(numTensors));
    size_t slot = 0;
    auto addBytes = [&](const EntryTensor &tensor) {
      // Every element type of the C API (float, int32_t) has 4 bytes; the
      // checks bound the count by 2^40.
      llvm::Value *count = builder.getInt64(4);
      for (llvm::Value *size : capi::getTensorSizes(builder, tensor, symbols))
        count = builder.CreateMul(count, size);
      builder.CreateStore(count, builder.CreateConstGEP1_64(i64, bytes, slot++));
    };
    for (const EntryTensor &tensor : signature.inputs)
      addBytes(tensor);
    for (const EntryTensor &tensor : signature.outputs)
      addBytes(tensor);
    llvm::FunctionCallee callHost = module.getOrInsertFunction(
        "__ht_cuda_call_host",
        llvm::FunctionType::get(i32, {ptr, ptr, i32, i32, ptr}, false));
    builder.CreateRet(builder.CreateCall(
        callHost, {body, pointers, builder.getInt32(signature.inputs.size()),
                   builder.getInt32(numTensors), bytes}));
  }
}

} // namespace

llvm::Expected<SmallVector<std::string>>
mlir::ht::addCudaCApi(llvm::Module &module, StringRef prefix,
                      ArrayRef<EntrySignature> signatures) {
  std::string lastError = (prefix + "_cuda_last_error").str();
  SmallVector<std::string> exported = {(prefix + "_status_string").str(),
                                       (prefix + "_version").str(), lastError};
  SmallVector<std::string> created(exported);
  for (const EntrySignature &signature : signatures) {
    for (std::string name :
         {getCApiName(prefix, signature), cudaName(prefix, signature),
          workspaceName(prefix, signature)}) {
      exported.push_back(name);
      created.push_back(name);
    }
    created.push_back(getCApiName(prefix, signature) + ".body");
  }
  for (const std::string &name : created)
    if (module.getNamedValue(name))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "the C API function '" + name +
              "' clashes with a symbol the model defines; choose another "
              "--prefix");
  for (const EntrySignature &signature : signatures)
    emitCudaFunctions(module, prefix, signature);
  emitCApiSupportFunctions(module, prefix);
  {
    llvm::IRBuilder<> builder(module.getContext());
    llvm::FunctionCallee runtime = module.getOrInsertFunction(
        "__ht_cuda_last_error",
        llvm::FunctionType::get(builder.getPtrTy(), {}, false));
    auto *function = llvm::Function::Create(
        llvm::FunctionType::get(builder.getPtrTy(), {}, false),
        llvm::GlobalValue::ExternalLinkage, lastError, module);
    builder.SetInsertPoint(
        llvm::BasicBlock::Create(module.getContext(), "entry", function));
    builder.CreateRet(builder.CreateCall(runtime));
  }
  if (llvm::Error error = linkCudaRuntime(module))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "linking the CUDA runtime: " +
                                       llvm::toString(std::move(error)));
  return exported;
}

void mlir::ht::emitCudaCApiHeader(llvm::raw_ostream &os, StringRef prefix,
                                  StringRef modelName,
                                  ArrayRef<EntrySignature> signatures,
                                  StringRef chip) {
  capi::emitHeaderPreamble(
      os, prefix,
      (prefix + ".h: the CUDA C API of " + modelName +
       ", generated by ht-compile --target=cuda")
          .str(),
      (" * (kernels for " + chip + "). Do not edit.\n" +
       " *\n"
       " * Tensors are dense, row-major arrays (float, or int32_t class\n"
       " * indices where the model's head gives its argmax). Every function\n"
       " * checks its arguments and returns HT_OK or an HT_ERROR_* code; a bad\n"
       " * argument launches nothing. The library needs only libc and, at run\n"
       " * time, the NVIDIA driver (libcuda.so.1, loaded on the first call):\n"
       " * without one every call returns HT_ERROR_NO_CUDA_DRIVER. Calls use\n"
       " * the calling thread's current CUDA context, else device 0's primary\n"
       " * context, and may be made from several threads at once. */\n")
          .str());
  os << "/* The last CUDA failure of any call in this process, with the\n"
     << " * driver's error name (for logs; not thread-specific). */\n"
     << "const char *" << prefix << "_cuda_last_error(void);\n\n";
  for (const EntrySignature &signature : signatures) {
    os << "/* @" << signature.function << " of " << modelName << ".\n";
    capi::emitEntryDescription(os, signature);
    SmallVector<std::string> parameters = capi::getCParameters(signature);
    ArrayRef<std::string> sizes =
        ArrayRef(parameters).take_front(signature.symbols.size());
    SmallVector<std::string> cudaParameters = {"void *stream"};
    cudaParameters.append(parameters);
    cudaParameters.push_back("void *workspace");
    cudaParameters.push_back("uint64_t workspace_bytes");
    os << " *\n * " << cudaName(prefix, signature)
       << ": device pointers, asynchronous on `stream` (a CUstream;\n"
       << " * NULL: the default stream). With a workspace of at least\n"
       << " * " << workspaceName(prefix, signature)
       << " bytes (256-byte aligned device memory) the\n"
       << " * call allocates and synchronises nothing, so it can be captured "
          "in a\n"
       << " * CUDA graph; with workspace NULL it allocates one and waits for "
          "the\n"
       << " * stream before freeing it. */\n"
       << "int32_t " << cudaName(prefix, signature) << "("
       << llvm::join(cudaParameters, ", ") << ");\n";
    SmallVector<std::string> workspaceParameters(sizes);
    workspaceParameters.push_back("uint64_t *bytes");
    os << "/* The device workspace a call with these sizes needs, exactly "
          "(no GPU\n * needed to ask). */\n"
       << "int32_t " << workspaceName(prefix, signature) << "("
       << llvm::join(workspaceParameters, ", ") << ");\n";
    os << "/* The same on host pointers: copies the inputs to the device, "
          "runs on\n * the default stream, copies the outputs back "
          "(synchronous). */\n"
       << "int32_t " << getCApiName(prefix, signature) << "("
       << llvm::join(parameters, ", ") << ");\n\n";
  }
  capi::emitHeaderEpilogue(os, prefix);
}
