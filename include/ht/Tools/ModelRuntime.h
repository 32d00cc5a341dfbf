//===- ModelRuntime.h - The runtime linked into compiled models -*- C++ -*-===//
//
// lib/Runtime/ModelRuntime.c, compiled to bitcode at build time: checked
// allocation for the model's intermediates and the guard the C API runs the
// model under, so that a failed malloc is a status, not a crash.
//
//===----------------------------------------------------------------------===//

#ifndef HT_TOOLS_MODELRUNTIME_H
#define HT_TOOLS_MODELRUNTIME_H

#include "llvm/Support/Error.h"

namespace llvm {
class Module;
} // namespace llvm

namespace mlir::ht {

/// The guard: `int32_t __ht_run_guarded(void (*body)(void **), void **args,
/// int32_t threads)` (threads >= 0; 0: one per CPU the caller may use).
inline constexpr const char *kRunGuardedName = "__ht_run_guarded";

/// Routes `module`'s malloc and free through the runtime and links the
/// runtime in, with internal linkage. Call after the C API functions exist.
llvm::Error linkModelRuntime(llvm::Module &module);

/// Links the CUDA runtime (lib/Runtime/CudaRuntime.c: the mgpu* functions
/// of ht-cuda-codegen's host code, on the driver reached by dlopen) and the
/// model runtime into `module`, with internal linkage.
llvm::Error linkCudaRuntime(llvm::Module &module);

} // namespace mlir::ht

#endif // HT_TOOLS_MODELRUNTIME_H
