//===- CApi.cpp - The plain C API of a compiled model ---------------------===//

#include "ht/Tools/CApi.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::ht;

std::string mlir::ht::getCApiName(StringRef prefix,
                                  const EntrySignature &signature) {
  return (prefix + "_" + signature.function).str();
}

namespace {

/// Fills an alloca'd memref descriptor {ptr, ptr, i64, [r x i64], [r x i64]}
/// for a row-major buffer and returns it.
llvm::Value *buildDescriptor(llvm::IRBuilder<> &builder, llvm::Value *data,
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

} // namespace

void mlir::ht::emitCApiFunction(llvm::Module &module, StringRef prefix,
                                const EntrySignature &signature) {
  llvm::LLVMContext &context = module.getContext();
  llvm::IRBuilder<> builder(context);
  llvm::Type *i64 = builder.getInt64Ty();
  llvm::Type *ptr = builder.getPtrTy();

  SmallVector<llvm::Type *> parameterTypes(signature.symbols.size(), i64);
  size_t numTensors = signature.inputs.size() + signature.outputs.size();
  parameterTypes.append(numTensors, ptr);
  auto *functionType =
      llvm::FunctionType::get(builder.getInt32Ty(), parameterTypes, false);
  auto *function = llvm::Function::Create(
      functionType, llvm::GlobalValue::ExternalLinkage,
      getCApiName(prefix, signature), module);

  SmallVector<llvm::Value *> symbols, tensors;
  for (auto [index, argument] : llvm::enumerate(function->args())) {
    if (index < signature.symbols.size()) {
      argument.setName(signature.symbols[index]);
      symbols.push_back(&argument);
      continue;
    }
    size_t tensor = index - signature.symbols.size();
    argument.setName(tensor < signature.inputs.size()
                         ? signature.inputs[tensor].name
                         : signature.outputs[tensor - signature.inputs.size()]
                               .name);
    tensors.push_back(&argument);
  }

  auto *entry = llvm::BasicBlock::Create(context, "entry", function);
  auto *nullPointer = llvm::BasicBlock::Create(context, "null_pointer", function);
  auto *invalidSize = llvm::BasicBlock::Create(context, "invalid_size", function);
  auto *call = llvm::BasicBlock::Create(context, "call", function);

  builder.SetInsertPoint(nullPointer);
  builder.CreateRet(builder.getInt32(kCApiNullPointer));
  builder.SetInsertPoint(invalidSize);
  builder.CreateRet(builder.getInt32(kCApiInvalidSize));

  builder.SetInsertPoint(entry);
  llvm::Value *anyNull = builder.getFalse();
  for (llvm::Value *tensor : tensors)
    anyNull = builder.CreateOr(anyNull, builder.CreateIsNull(tensor));
  llvm::Value *anyBadSize = builder.getFalse();
  for (llvm::Value *symbol : symbols) {
    anyBadSize = builder.CreateOr(
        anyBadSize, builder.CreateICmpSLT(symbol, builder.getInt64(1)));
    anyBadSize = builder.CreateOr(
        anyBadSize,
        builder.CreateICmpSGT(symbol, builder.getInt64(kCApiMaxSize)));
  }
  auto *checkSizes = llvm::BasicBlock::Create(context, "check_sizes", function,
                                              call);
  builder.CreateCondBr(anyNull, nullPointer, checkSizes);
  builder.SetInsertPoint(checkSizes);
  builder.CreateCondBr(anyBadSize, invalidSize, call);

  builder.SetInsertPoint(call);
  SmallVector<llvm::Value *> descriptors;
  auto addTensor = [&](const EntryTensor &tensor, llvm::Value *data) {
    SmallVector<llvm::Value *> sizes;
    for (auto [symbol, fixed] :
         llvm::zip_equal(tensor.symbols, tensor.fixedSizes))
      sizes.push_back(symbol < 0 ? builder.getInt64(fixed) : symbols[symbol]);
    descriptors.push_back(buildDescriptor(builder, data, sizes));
  };
  for (auto [index, tensor] : llvm::enumerate(signature.inputs))
    addTensor(tensor, tensors[index]);
  for (auto [index, tensor] : llvm::enumerate(signature.outputs))
    addTensor(tensor, tensors[signature.inputs.size() + index]);

  SmallVector<llvm::Type *> calleeTypes(descriptors.size(), ptr);
  llvm::FunctionCallee callee = module.getOrInsertFunction(
      "_mlir_ciface_" + signature.function,
      llvm::FunctionType::get(builder.getVoidTy(), calleeTypes, false));
  builder.CreateCall(callee, descriptors);
  builder.CreateRet(builder.getInt32(kCApiOk));
}

void mlir::ht::emitCApiHeader(llvm::raw_ostream &os, StringRef prefix,
                              StringRef modelName,
                              ArrayRef<EntrySignature> signatures) {
  std::string guard = "HT_MODEL_" + prefix.upper() + "_H";
  os << "/* " << prefix << ".h: the C API of " << modelName
     << ", generated by ht-compile. Do not edit.\n"
     << " *\n"
     << " * Tensors are dense, row-major float arrays. Every function checks\n"
     << " * its arguments and returns HT_OK, or an HT_ERROR_* code without\n"
     << " * writing anything. The functions keep no state between calls and\n"
     << " * may be called from several threads at once. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n"
     << "#ifndef HT_STATUS_CODES\n#define HT_STATUS_CODES\n"
     << "enum {\n"
     << "  HT_OK = " << kCApiOk << ",\n"
     << "  HT_ERROR_NULL_POINTER = " << kCApiNullPointer
     << ", /* a tensor pointer is NULL */\n"
     << "  HT_ERROR_INVALID_SIZE = " << kCApiInvalidSize
     << "  /* a size is < 1 or > 2^31 */\n"
     << "};\n#endif\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  for (const EntrySignature &signature : signatures) {
    os << "/* " << getCApiName(prefix, signature) << ": @"
       << signature.function << " of " << modelName << ".\n";
    if (!signature.symbols.empty()) {
      os << " * Sizes:";
      for (const std::string &symbol : signature.symbols)
        os << " " << symbol;
      os << " (each from 1 to 2^31).\n";
    }
    auto describe = [&](const EntryTensor &tensor, StringRef role) {
      os << " *   " << tensor.name << ": float";
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
    os << " */\nint32_t " << getCApiName(prefix, signature) << "(";
    SmallVector<std::string> parameters;
    for (const std::string &symbol : signature.symbols)
      parameters.push_back("int64_t " + symbol);
    for (const EntryTensor &tensor : signature.inputs)
      parameters.push_back("const float *" + tensor.name);
    for (const EntryTensor &tensor : signature.outputs)
      parameters.push_back("float *" + tensor.name);
    os << llvm::join(parameters, ", ") << ");\n\n";
  }
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}
