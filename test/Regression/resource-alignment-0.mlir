// A blob whose alignment header is 0 aborts MLIR 22's own parser ("Buffer
// allocation failed", mlir-opt-22 too); the tools refuse it before parsing.
// RUN: not ht-opt %s 2>&1 | FileCheck %s
// RUN: not ht-compile %s -o %t.so 2>&1 | FileCheck %s
// RUN: not ls %t.so
// CHECK: resource blob 'u1' declares alignment 0; expected a power of two (its first 4 bytes, little endian)
func.func @f() -> tensor<2xf32> {
  %c = arith.constant dense_resource<u1> : tensor<2xf32>
  return %c : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      u1: "0x000000000000404000008040"
    }
  }
#-}
