//===- CApi.h - The plain C API of a compiled model -------------*- C++ -*-===//
//
// ht-compile gives every entry point a C function that takes the dynamic
// sizes as integers and the tensors as bare float pointers (row-major):
//
//   int32_t ucf11_forward(int64_t seq_len, int64_t batch,
//                         const float *x, const float *h0, const float *c0,
//                         float *output, float *h_n, float *c_n);
//
// It checks its arguments (pointers, each size, each tensor's element
// count), builds the memref descriptors the compiled code expects, runs it
// under the model runtime's allocation guard, and returns HT_OK or an
// HT_ERROR_* code. It keeps no state. `ucf11_forward_with_threads(int32_t
// threads, ...)` is the same with a thread count for the call; the plain
// function passes the `threads` pipeline option's value.
//
//===----------------------------------------------------------------------===//

#ifndef HT_TOOLS_CAPI_H
#define HT_TOOLS_CAPI_H

#include "ht/Dialect/HT/Analysis/EntrySignature.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace llvm {
class Module;
class raw_ostream;
} // namespace llvm

namespace mlir::ht {

/// Status codes of the generated functions.
enum CApiStatus : int32_t {
  kCApiOk = 0,
  kCApiNullPointer = 1,
  kCApiInvalidSize = 2,
  kCApiOutOfMemory = 3,
  kCApiInvalidThreads = 4,
  kCApiNoCudaDriver = 5,
  kCApiNoCudaDevice = 6,
  kCApiCudaFailed = 7,
  kCApiWorkspaceTooSmall = 8,
};

/// The largest size a symbol may take.
constexpr int64_t kCApiMaxSize = int64_t(1) << 31;
/// The most elements one tensor of a call may have (2^40 floats are 4 TiB):
/// far from int64's range, so the compiled code's own size products, a
/// small multiple of a tensor's, cannot overflow either.
constexpr int64_t kCApiMaxElements = int64_t(1) << 40;

/// What `status` means, as `<prefix>_status_string` says it.
StringRef getCApiStatusMessage(int32_t status);

/// The C name of `signature`'s function: `<prefix>_<entry>`.
std::string getCApiName(StringRef prefix, const EntrySignature &signature);

/// The C name of its variant with a thread count:
/// `<prefix>_<entry>_with_threads`.
std::string getCApiThreadsName(StringRef prefix,
                               const EntrySignature &signature);

/// Adds the C API functions of `signature` to `module` (the plain one runs
/// on `defaultThreads`), calling `_mlir_ciface_<entry>` (which must be in
/// `module`).
void emitCApiFunction(llvm::Module &module, StringRef prefix,
                      const EntrySignature &signature,
                      unsigned defaultThreads);

/// Adds `<prefix>_status_string(int32_t)` and `<prefix>_version(void)`.
void emitCApiSupportFunctions(llvm::Module &module, StringRef prefix);

/// The whole C API of a library: the functions of `signatures`, the support
/// functions, and the model runtime linked in. Fails, naming it, if a C API
/// name is already a symbol of `module` (a model defining @<prefix>_forward
/// would otherwise be exported in place of the function the header
/// declares). Returns the exported names.
llvm::Expected<SmallVector<std::string>>
addCApi(llvm::Module &module, StringRef prefix,
        ArrayRef<EntrySignature> signatures, unsigned defaultThreads);

/// Writes the C API of `signatures` as JSON, for tools that call the library
/// without a C compiler (the Python runtime, ht_mlir.runtime): per entry its
/// C functions, the size parameters in order and every tensor's name and
/// shape (an integer, or the name of a size), inputs then outputs in
/// argument order. For a CUDA library (`cuda`), `"target": "cuda"`, no
/// threads function, and the `_cuda` and `_workspace_bytes` functions.
void emitCApiSignatureJSON(llvm::raw_ostream &os, StringRef prefix,
                           ArrayRef<EntrySignature> signatures,
                           unsigned defaultThreads, bool multiThreaded,
                           bool cuda = false);

/// Writes a C header declaring the C API functions of `signatures`.
void emitCApiHeader(llvm::raw_ostream &os, StringRef prefix,
                    StringRef modelName, ArrayRef<EntrySignature> signatures,
                    unsigned defaultThreads, bool multiThreaded);

/// The C API of a CUDA library (ht-compile --target=cuda), per entry:
///
///   int32_t <p>_<e>_cuda(void *stream, sizes..., device pointers...,
///                        void *workspace, uint64_t workspace_bytes);
///   int32_t <p>_<e>_workspace_bytes(sizes..., uint64_t *bytes);
///   int32_t <p>_<e>(sizes..., host pointers...);
///
/// and `<p>_status_string`, `<p>_version`, `<p>_cuda_last_error`. The CUDA
/// runtime (lib/Runtime/CudaRuntime.c) and the model runtime are linked in.
/// Returns the exported names.
llvm::Expected<SmallVector<std::string>>
addCudaCApi(llvm::Module &module, StringRef prefix,
            ArrayRef<EntrySignature> signatures);

/// Writes the C header of a CUDA library.
void emitCudaCApiHeader(llvm::raw_ostream &os, StringRef prefix,
                        StringRef modelName,
                        ArrayRef<EntrySignature> signatures,
                        StringRef chip);

/// The status codes' C names and meanings, in order.
ArrayRef<std::pair<const char *, const char *>> getCApiStatusNames();

} // namespace mlir::ht

#endif // HT_TOOLS_CAPI_H
