//===- CApi.cpp - The plain C API of a compiled model ---------------------===//

#include "ht/Tools/CApi.h"
#include "CApiBuilder.h"

#include "llvm/Support/JSON.h"
#include "ht/Tools/ModelRuntime.h"
#include "ht/Version.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::ht;

std::string mlir::ht::getCApiName(StringRef prefix,
                                  const EntrySignature &signature) {
  return (prefix + "_" + signature.function).str();
}

std::string mlir::ht::getCApiThreadsName(StringRef prefix,
                                         const EntrySignature &signature) {
  return getCApiName(prefix, signature) + "_with_threads";
}

/// Fills an alloca'd memref descriptor {ptr, ptr, i64, [r x i64], [r x i64]}
/// for a row-major buffer and returns it.
static llvm::Value *buildDescriptor(llvm::IRBuilder<> &builder, llvm::Value *data,
                             ArrayRef<llvm::Value *> sizes) {
  llvm::LLVMContext &context = builder.getContext();
  llvm::Type *i64 = builder.getInt64Ty();
  llvm::Type *ptr = builder.getPtrTy();
  auto *dims = llvm::ArrayType::get(i64, sizes.size());
  auto *type =
      llvm::StructType::get(context, {ptr, ptr, i64, dims, dims});
  llvm::Value *descriptor = builder.CreateAlloca(type);
  builder.CreateStore(data, builder.CreateStructGEP(type, descriptor, 0));
  builder.CreateStore(data, builder.CreateStructGEP(type, descriptor, 1));
  builder.CreateStore(builder.getInt64(0),
                      builder.CreateStructGEP(type, descriptor, 2));
  auto field = [&](unsigned index, int64_t dim) {
    return builder.CreateGEP(type, descriptor,
                             {builder.getInt32(0), builder.getInt32(index),
                              builder.getInt32(dim)});
  };
  llvm::Value *stride = builder.getInt64(1);
  for (int64_t dim = sizes.size() - 1; dim >= 0; --dim) {
    builder.CreateStore(sizes[dim], field(3, dim));
    builder.CreateStore(stride, field(4, dim));
    stride = builder.CreateMul(stride, sizes[dim]);
  }
  return descriptor;
}

/// The status codes with their meaning, for the header and status_string.
static constexpr std::pair<CApiStatus, const char *> kStatusMessages[] = {
    {kCApiOk, "success"},
    {kCApiNullPointer, "a tensor pointer is NULL"},
    {kCApiInvalidSize,
     "a size is < 1 or > 2^31, or a tensor has more than 2^40 elements"},
    {kCApiOutOfMemory,
     "an allocation failed; the outputs' contents are unspecified"},
    {kCApiInvalidThreads, "the thread count is negative"},
    {kCApiNoCudaDriver,
     "libcuda.so.1 cannot be loaded or lacks the driver API (no NVIDIA "
     "driver)"},
    {kCApiNoCudaDevice,
     "the CUDA driver has no usable device (cuInit or device 0 failed; a "
     "stub libcuda gives this)"},
    {kCApiCudaFailed,
     "a CUDA driver call failed (module load, launch or copy); the outputs' "
     "contents are unspecified"},
    {kCApiWorkspaceTooSmall,
     "the workspace is smaller than <prefix>_<entry>_workspace_bytes says"},
};

static constexpr const char *kStatusNames[] = {
    "HT_OK",
    "HT_ERROR_NULL_POINTER",
    "HT_ERROR_INVALID_SIZE",
    "HT_ERROR_OUT_OF_MEMORY",
    "HT_ERROR_INVALID_THREADS",
    "HT_ERROR_NO_CUDA_DRIVER",
    "HT_ERROR_NO_CUDA_DEVICE",
    "HT_ERROR_CUDA_FAILED",
    "HT_ERROR_WORKSPACE_TOO_SMALL"};
static_assert(std::size(kStatusNames) == std::size(kStatusMessages));

ArrayRef<std::pair<const char *, const char *>> mlir::ht::getCApiStatusNames() {
  static const auto names = [] {
    SmallVector<std::pair<const char *, const char *>> names;
    for (auto [name, entry] : llvm::zip_equal(kStatusNames, kStatusMessages))
      names.push_back({name, entry.second});
    return names;
  }();
  return names;
}

StringRef mlir::ht::getCApiStatusMessage(int32_t status) {
  for (auto [code, message] : kStatusMessages)
    if (code == status)
      return message;
  return "unknown status code";
}

llvm::Function *mlir::ht::capi::emitBodyFunction(
    llvm::Module &module, StringRef name, const EntrySignature &signature) {
  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> builder(context);
  llvm::Type *ptr = builder.getPtrTy();
  size_t numTensors = signature.inputs.size() + signature.outputs.size();
  SmallVector<llvm::Type *> calleeTypes(numTensors, ptr);
  llvm::FunctionCallee callee = module.getOrInsertFunction(
      "_mlir_ciface_" + signature.function,
      llvm::FunctionType::get(builder.getVoidTy(), calleeTypes, false));
  auto *body = llvm::Function::Create(
      llvm::FunctionType::get(builder.getVoidTy(), {ptr}, false),
      llvm::GlobalValue::InternalLinkage, name, module);
  builder.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", body));
  SmallVector<llvm::Value *> descriptorArgs;
  for (size_t index = 0; index < numTensors; ++index)
    descriptorArgs.push_back(builder.CreateLoad(
        ptr, builder.CreateConstGEP1_64(ptr, body->getArg(0), index)));
  builder.CreateCall(callee, descriptorArgs);
  builder.CreateRetVoid();
  return body;
}

StringRef mlir::ht::capi::getParameterName(const EntrySignature &signature,
                                           size_t index) {
  if (index < signature.symbols.size())
    return signature.symbols[index];
  size_t tensor = index - signature.symbols.size();
  return tensor < signature.inputs.size()
             ? StringRef(signature.inputs[tensor].name)
             : StringRef(
                   signature.outputs[tensor - signature.inputs.size()].name);
}

SmallVector<llvm::Value *>
mlir::ht::capi::getTensorSizes(llvm::IRBuilder<> &builder,
                               const EntryTensor &tensor,
                               ArrayRef<llvm::Value *> symbols) {
  SmallVector<llvm::Value *> sizes;
  for (auto [symbol, fixed] : llvm::zip_equal(tensor.symbols, tensor.fixedSizes))
    sizes.push_back(symbol < 0 ? builder.getInt64(fixed) : symbols[symbol]);
  return sizes;
}

void mlir::ht::capi::emitArgumentChecks(llvm::IRBuilder<> &builder,
                                        const EntrySignature &signature,
                                        ArrayRef<llvm::Value *> symbols,
                                        ArrayRef<llvm::Value *> tensors) {
  llvm::Function *function = builder.GetInsertBlock()->getParent();
  llvm::LLVMContext &context = function->getContext();
  auto returning = [&](StringRef name, CApiStatus status) {
    auto *block = llvm::BasicBlock::Create(context, name, function);
    llvm::IRBuilder<> exit(block);
    exit.CreateRet(exit.getInt32(status));
    return block;
  };
  llvm::BasicBlock *nullPointer = returning("null_pointer", kCApiNullPointer);
  llvm::BasicBlock *invalidSize = returning("invalid_size", kCApiInvalidSize);
  auto *checkSizes = llvm::BasicBlock::Create(context, "check_sizes", function);
  auto *checkCounts =
      llvm::BasicBlock::Create(context, "check_counts", function);
  auto *checked = llvm::BasicBlock::Create(context, "checked", function);

  llvm::Value *anyNull = builder.getFalse();
  for (llvm::Value *tensor : tensors)
    anyNull = builder.CreateOr(anyNull, builder.CreateIsNull(tensor));
  builder.CreateCondBr(anyNull, nullPointer, checkSizes);

  builder.SetInsertPoint(checkSizes);
  llvm::Value *anyBadSize = builder.getFalse();
  for (llvm::Value *symbol : symbols) {
    anyBadSize = builder.CreateOr(
        anyBadSize, builder.CreateICmpSLT(symbol, builder.getInt64(1)));
    anyBadSize = builder.CreateOr(
        anyBadSize,
        builder.CreateICmpSGT(symbol, builder.getInt64(kCApiMaxSize)));
  }
  builder.CreateCondBr(anyBadSize, invalidSize, checkCounts);

  // Each size is in range now; their products need not be.
  builder.SetInsertPoint(checkCounts);
  llvm::Value *anyBadCount = builder.getFalse();
  auto checkCount = [&](const EntryTensor &tensor) {
    llvm::Value *count = builder.getInt64(1);
    for (llvm::Value *size : getTensorSizes(builder, tensor, symbols)) {
      llvm::Value *product = builder.CreateBinaryIntrinsic(
          llvm::Intrinsic::umul_with_overflow, count, size);
      count = builder.CreateExtractValue(product, 0);
      anyBadCount =
          builder.CreateOr(anyBadCount, builder.CreateExtractValue(product, 1));
    }
    anyBadCount = builder.CreateOr(
        anyBadCount,
        builder.CreateICmpUGT(count, builder.getInt64(kCApiMaxElements)));
  };
  for (const EntryTensor &tensor : signature.inputs)
    checkCount(tensor);
  for (const EntryTensor &tensor : signature.outputs)
    checkCount(tensor);
  builder.CreateCondBr(anyBadCount, invalidSize, checked);
  builder.SetInsertPoint(checked);
}

llvm::Value *mlir::ht::capi::emitDescriptorArray(
    llvm::IRBuilder<> &builder, const EntrySignature &signature,
    ArrayRef<llvm::Value *> symbols, ArrayRef<llvm::Value *> tensors) {
  llvm::Type *ptr = builder.getPtrTy();
  size_t numTensors = signature.inputs.size() + signature.outputs.size();
  auto *pointers = builder.CreateAlloca(ptr, builder.getInt64(numTensors));
  size_t slot = 0;
  auto addTensor = [&](const EntryTensor &tensor) {
    llvm::Value *data = tensors.empty()
                            ? llvm::ConstantPointerNull::get(builder.getPtrTy())
                            : tensors[slot];
    builder.CreateStore(
        buildDescriptor(builder, data, getTensorSizes(builder, tensor, symbols)),
        builder.CreateConstGEP1_64(ptr, pointers, slot));
    ++slot;
  };
  for (const EntryTensor &tensor : signature.inputs)
    addTensor(tensor);
  for (const EntryTensor &tensor : signature.outputs)
    addTensor(tensor);
  return pointers;
}

void mlir::ht::emitCApiFunction(llvm::Module &module, StringRef prefix,
                                const EntrySignature &signature,
                                unsigned defaultThreads) {
  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> builder(context);
  llvm::Type *i32 = builder.getInt32Ty();
  llvm::Type *i64 = builder.getInt64Ty();
  llvm::Type *ptr = builder.getPtrTy();
  size_t numTensors = signature.inputs.size() + signature.outputs.size();
  std::string name = getCApiName(prefix, signature);
  llvm::Function *body =
      capi::emitBodyFunction(module, name + ".body", signature);

  // <name>_with_threads(threads, sizes..., tensors...) does the work;
  // <name>(sizes..., tensors...) calls it with the compiled-in default.
  SmallVector<llvm::Type *> parameterTypes(signature.symbols.size(), i64);
  parameterTypes.append(numTensors, ptr);
  SmallVector<llvm::Type *> threadedTypes = {i32};
  threadedTypes.append(parameterTypes);
  auto *function = llvm::Function::Create(
      llvm::FunctionType::get(i32, threadedTypes, false),
      llvm::GlobalValue::ExternalLinkage, getCApiThreadsName(prefix, signature),
      module);
  auto *plain = llvm::Function::Create(
      llvm::FunctionType::get(i32, parameterTypes, false),
      llvm::GlobalValue::ExternalLinkage, name, module);
  {
    builder.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", plain));
    SmallVector<llvm::Value *> forwarded = {builder.getInt32(defaultThreads)};
    for (llvm::Argument &argument : plain->args())
      forwarded.push_back(&argument);
    llvm::CallInst *call = builder.CreateCall(function, forwarded);
    call->setTailCall();
    builder.CreateRet(call);
  }

  llvm::Value *threads = function->getArg(0);
  threads->setName("threads");
  for (auto [index, argument] : llvm::enumerate(plain->args()))
    argument.setName(capi::getParameterName(signature, index));
  SmallVector<llvm::Value *> symbols, tensors;
  for (auto [position, argument] : llvm::enumerate(function->args())) {
    if (position == 0)
      continue;
    size_t index = position - 1;
    argument.setName(capi::getParameterName(signature, index));
    (index < signature.symbols.size() ? symbols : tensors).push_back(&argument);
  }

  auto *entry = llvm::BasicBlock::Create(context, "entry", function);
  auto *checkArguments =
      llvm::BasicBlock::Create(context, "check_arguments", function);
  auto *invalidThreads =
      llvm::BasicBlock::Create(context, "invalid_threads", function);
  builder.SetInsertPoint(invalidThreads);
  builder.CreateRet(builder.getInt32(kCApiInvalidThreads));
  builder.SetInsertPoint(entry);
  builder.CreateCondBr(builder.CreateICmpSLT(threads, builder.getInt32(0)),
                       invalidThreads, checkArguments);
  builder.SetInsertPoint(checkArguments);
  capi::emitArgumentChecks(builder, signature, symbols, tensors);
  llvm::Value *pointers =
      capi::emitDescriptorArray(builder, signature, symbols, tensors);
  llvm::FunctionCallee guard = module.getOrInsertFunction(
      kRunGuardedName,
      llvm::FunctionType::get(i32, {ptr, ptr, i32}, false));
  builder.CreateRet(builder.CreateCall(guard, {body, pointers, threads}));
}

void mlir::ht::emitCApiSupportFunctions(llvm::Module &module,
                                        StringRef prefix) {
  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> builder(context);
  llvm::Type *ptr = builder.getPtrTy();

  auto *statusString = llvm::Function::Create(
      llvm::FunctionType::get(ptr, {builder.getInt32Ty()}, false),
      llvm::GlobalValue::ExternalLinkage, (prefix + "_status_string").str(),
      module);
  auto *entry = llvm::BasicBlock::Create(context, "entry", statusString);
  auto *unknown = llvm::BasicBlock::Create(context, "unknown", statusString);
  builder.SetInsertPoint(unknown);
  builder.CreateRet(builder.CreateGlobalString(getCApiStatusMessage(-1)));
  builder.SetInsertPoint(entry);
  llvm::SwitchInst *dispatch = builder.CreateSwitch(
      statusString->getArg(0), unknown, std::size(kStatusMessages));
  for (auto [code, message] : kStatusMessages) {
    auto *block = llvm::BasicBlock::Create(context, "", statusString);
    builder.SetInsertPoint(block);
    builder.CreateRet(builder.CreateGlobalString(message));
    dispatch->addCase(builder.getInt32(code), block);
  }

  auto *version = llvm::Function::Create(
      llvm::FunctionType::get(ptr, {}, false),
      llvm::GlobalValue::ExternalLinkage, (prefix + "_version").str(), module);
  builder.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", version));
  builder.CreateRet(builder.CreateGlobalString(HT_MLIR_VERSION));
}

llvm::Expected<SmallVector<std::string>>
mlir::ht::addCApi(llvm::Module &module, StringRef prefix,
                  ArrayRef<EntrySignature> signatures, unsigned defaultThreads) {
  SmallVector<std::string> exported = {(prefix + "_status_string").str(),
                                       (prefix + "_version").str()};
  SmallVector<std::string> created(exported);
  for (const EntrySignature &signature : signatures) {
    exported.push_back(getCApiName(prefix, signature));
    exported.push_back(getCApiThreadsName(prefix, signature));
    created.push_back(getCApiName(prefix, signature));
    created.push_back(getCApiThreadsName(prefix, signature));
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
    emitCApiFunction(module, prefix, signature, defaultThreads);
  emitCApiSupportFunctions(module, prefix);
  if (llvm::Error error = linkModelRuntime(module))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "linking the model runtime: " +
                                       llvm::toString(std::move(error)));
  return exported;
}

/// "the calling thread" / "up to 4 threads" / "one thread per CPU...".
static std::string describeThreads(unsigned threads) {
  if (threads == 1)
    return "the calling thread";
  if (threads == 0)
    return "one thread per CPU the calling thread may run on";
  return "up to " + std::to_string(threads) + " threads";
}

void mlir::ht::emitCApiSignatureJSON(llvm::raw_ostream &os, StringRef prefix,
                                     ArrayRef<EntrySignature> signatures,
                                     unsigned defaultThreads,
                                     bool multiThreaded, bool cuda) {
  llvm::json::OStream json(os, /*IndentSize=*/1);
  json.object([&] {
    json.attribute("prefix", prefix);
    json.attribute("target", cuda ? "cuda" : "cpu");
    json.attribute("version", HT_MLIR_VERSION);
    json.attribute("default_threads", int64_t(defaultThreads));
    json.attribute("multi_threaded", multiThreaded);
    json.attribute("status_function", (prefix + "_status_string").str());
    json.attributeArray("entries", [&] {
      for (const EntrySignature &signature : signatures)
        json.object([&] {
          json.attribute("entry", signature.function);
          json.attribute("function", getCApiName(prefix, signature));
          if (cuda) {
            json.attribute("cuda_function",
                           getCApiName(prefix, signature) + "_cuda");
            json.attribute("workspace_function",
                           getCApiName(prefix, signature) + "_workspace_bytes");
          } else {
            json.attribute("threads_function",
                           getCApiThreadsName(prefix, signature));
          }
          json.attributeArray("sizes", [&] {
            for (const std::string &symbol : signature.symbols)
              json.value(symbol);
          });
          auto tensors = [&](StringRef key, ArrayRef<EntryTensor> list) {
            json.attributeArray(key, [&] {
              for (const EntryTensor &tensor : list)
                json.object([&] {
                  json.attribute("name", tensor.name);
                  json.attribute("dtype", tensor.getDType());
                  json.attributeArray("shape", [&] {
                    for (auto [symbol, fixed] : llvm::zip_equal(
                             tensor.symbols, tensor.fixedSizes)) {
                      if (symbol < 0)
                        json.value(fixed);
                      else
                        json.value(signature.symbols[symbol]);
                    }
                  });
                });
            });
          };
          tensors("inputs", signature.inputs);
          tensors("outputs", signature.outputs);
        });
    });
  });
  os << "\n";
}

static std::string headerGuard(StringRef prefix) {
  return "HT_MODEL_" + prefix.upper() + "_H";
}

void mlir::ht::capi::emitHeaderPreamble(llvm::raw_ostream &os,
                                        StringRef prefix, StringRef firstLine,
                                        StringRef intro) {
  std::string guard = headerGuard(prefix);
  os << "/* " << firstLine << "\n" << intro << "#ifndef " << guard
     << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n"
     << "#ifndef HT_MLIR_VERSION\n#define HT_MLIR_VERSION \"" << HT_MLIR_VERSION
     << "\"\n#endif\n\n"
     << "#ifndef HT_STATUS_CODES\n#define HT_STATUS_CODES\n"
     << "enum {\n";
  for (auto [index, entry] : llvm::enumerate(kStatusMessages))
    os << "  " << kStatusNames[index] << " = " << entry.first
       << (index + 1 < std::size(kStatusMessages) ? "," : "") << " /* "
       << entry.second << " */\n";
  os << "};\n#endif\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "/* What a status code means, as a static string. */\n"
     << "const char *" << prefix << "_status_string(int32_t status);\n"
     << "/* The ht-mlir version that compiled this library. */\n"
     << "const char *" << prefix << "_version(void);\n";
}

void mlir::ht::capi::emitEntryDescription(llvm::raw_ostream &os,
                                          const EntrySignature &signature) {
  if (!signature.symbols.empty()) {
    os << " * Sizes:";
    for (const std::string &symbol : signature.symbols)
      os << " " << symbol;
    os << " (each from 1 to 2^31; each tensor at most 2^40 "
          "elements).\n";
  }
  auto describe = [&](const EntryTensor &tensor, StringRef role) {
    os << " *   " << tensor.name << ": " << tensor.getCType();
    for (auto [symbol, fixed] :
         llvm::zip_equal(tensor.symbols, tensor.fixedSizes))
      os << "[" << (symbol < 0 ? std::to_string(fixed)
                               : signature.symbols[symbol])
         << "]";
    os << " (" << role << ")\n";
  };
  for (const EntryTensor &tensor : signature.inputs)
    describe(tensor, "read");
  for (const EntryTensor &tensor : signature.outputs)
    describe(tensor, "written");
}

SmallVector<std::string>
mlir::ht::capi::getCParameters(const EntrySignature &signature) {
  SmallVector<std::string> parameters;
  for (const std::string &symbol : signature.symbols)
    parameters.push_back("int64_t " + symbol);
  for (const EntryTensor &tensor : signature.inputs)
    parameters.push_back(std::string("const ") + tensor.getCType() + " *" +
                         tensor.name);
  for (const EntryTensor &tensor : signature.outputs)
    parameters.push_back(std::string(tensor.getCType()) + " *" + tensor.name);
  return parameters;
}

void mlir::ht::capi::emitHeaderEpilogue(llvm::raw_ostream &os,
                                        StringRef prefix) {
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << headerGuard(prefix)
     << " */\n";
}

void mlir::ht::emitCApiHeader(llvm::raw_ostream &os, StringRef prefix,
                              StringRef modelName,
                              ArrayRef<EntrySignature> signatures,
                              unsigned defaultThreads, bool multiThreaded) {
  capi::emitHeaderPreamble(
      os, prefix,
      (prefix + ".h: the C API of " + modelName +
       ", generated by ht-compile. Do not edit.")
          .str(),
      " *\n"
      " * Tensors are dense, row-major arrays (float, or int32_t class\n"
      " * indices where the model's head gives its argmax). Every function checks\n"
      " * its arguments and returns HT_OK or an HT_ERROR_* code: a bad\n"
      " * argument writes nothing; after HT_ERROR_OUT_OF_MEMORY the outputs'\n"
      " * contents are unspecified (no memory is leaked). The functions keep\n"
      " * no state between calls and may be called from several threads at\n"
      " * once. */\n");
  os << "\n";
  for (const EntrySignature &signature : signatures) {
    os << "/* " << getCApiName(prefix, signature) << ": @"
       << signature.function << " of " << modelName << ".\n";
    capi::emitEntryDescription(os, signature);
    SmallVector<std::string> parameters = capi::getCParameters(signature);
    os << " * Runs on " << describeThreads(defaultThreads) << ".\n */\n"
       << "int32_t " << getCApiName(prefix, signature) << "("
       << llvm::join(parameters, ", ") << ");\n";
    os << "/* The same on `threads` threads at most (0: one per CPU the "
          "calling\n * thread may run on); the results are bit-identical "
          "for every count.";
    if (!multiThreaded)
      os << "\n * This library was compiled single-threaded (threads=1): "
            "it runs on the\n * calling thread whatever the count.";
    os << " */\nint32_t " << getCApiThreadsName(prefix, signature)
       << "(int32_t threads, " << llvm::join(parameters, ", ") << ");\n\n";
  }
  capi::emitHeaderEpilogue(os, prefix);
}
