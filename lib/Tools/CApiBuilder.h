//===- CApiBuilder.h - What the CPU and CUDA C APIs' functions share -*- C++ -*-===//
//
// The pieces of a generated C API function: the argument checks, the memref
// descriptors of the tensors and the body that calls the compiled entry.
// Internal to lib/Tools (CApi.cpp, CudaCApi.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_TOOLS_CAPIBUILDER_H
#define HT_LIB_TOOLS_CAPIBUILDER_H

#include "ht/Dialect/HT/Analysis/EntrySignature.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::ht::capi {

/// `void <name>(void **descriptors)`: calls `_mlir_ciface_<entry>` with the
/// descriptor pointers, inputs then outputs.
llvm::Function *emitBodyFunction(llvm::Module &module, StringRef name,
                                 const EntrySignature &signature);

/// The C name of parameter `index` (sizes, then inputs, then outputs).
StringRef getParameterName(const EntrySignature &signature, size_t index);

/// `tensor`'s sizes as i64 values.
SmallVector<llvm::Value *> getTensorSizes(llvm::IRBuilder<> &builder,
                                          const EntryTensor &tensor,
                                          ArrayRef<llvm::Value *> symbols);

/// Checks the pointers in `tensors` (none if empty), each size and each
/// tensor's element count, returning HT_ERROR_NULL_POINTER or
/// HT_ERROR_INVALID_SIZE from the function; leaves `builder` where all
/// passed.
void emitArgumentChecks(llvm::IRBuilder<> &builder,
                        const EntrySignature &signature,
                        ArrayRef<llvm::Value *> symbols,
                        ArrayRef<llvm::Value *> tensors);

/// An alloca'd array of pointers to row-major descriptors of the tensors
/// (NULL data pointers if `tensors` is empty), inputs then outputs.
llvm::Value *emitDescriptorArray(llvm::IRBuilder<> &builder,
                                 const EntrySignature &signature,
                                 ArrayRef<llvm::Value *> symbols,
                                 ArrayRef<llvm::Value *> tensors);

/// Writes the header's include guard, <stdint.h>, HT_MLIR_VERSION, the
/// status codes, the opening of extern "C" and the support functions'
/// declarations; `intro` is the opening comment's text after its first line.
void emitHeaderPreamble(llvm::raw_ostream &os, StringRef prefix,
                        StringRef firstLine, StringRef intro);

/// Writes the comment lines that list `signature`'s sizes and tensors.
void emitEntryDescription(llvm::raw_ostream &os,
                          const EntrySignature &signature);

/// The C parameters of the sizes, then of the tensors (inputs const).
SmallVector<std::string> getCParameters(const EntrySignature &signature);

/// Closes what emitHeaderPreamble opened.
void emitHeaderEpilogue(llvm::raw_ostream &os, StringRef prefix);

} // namespace mlir::ht::capi

#endif // HT_LIB_TOOLS_CAPIBUILDER_H
