//===- KernelMath.h - The arithmetic of the CUDA kernels --------*- C++ -*-===//
//
// What ht-gpu-prepare-kernels does to the arithmetic of every launch, and
// ht-gpu-map-linalg{map-to-gpu=false} to the host loops of the same
// schedule, so that the CPU run of the schedule computes what the kernels
// compute: exp and tanh as f32 polynomials, the remaining math (fma, abs,
// floor) in forms NVPTX compiles without libdevice, fastmath<contract> on
// float arithmetic.
//
//===----------------------------------------------------------------------===//

#ifndef HT_LIB_CODEGEN_GPU_KERNELMATH_H
#define HT_LIB_CODEGEN_GPU_KERNELMATH_H

#include "mlir/IR/Region.h"
#include "mlir/Support/LLVM.h"

namespace mlir::ht {

LogicalResult rewriteKernelMath(Region &region);

} // namespace mlir::ht

#endif // HT_LIB_CODEGEN_GPU_KERNELMATH_H
