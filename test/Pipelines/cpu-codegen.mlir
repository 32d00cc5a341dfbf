// ht-cpu-codegen alone, on linalg/tensor code with no ht op: bufferization,
// the calling convention and loops down to the LLVM dialect. Its options
// are the calling convention only.
// RUN: ht-opt %s --ht-cpu-codegen | FileCheck %s
// RUN: ht-opt %s --ht-cpu-codegen="c-wrappers=false results-to-out-params=false" | FileCheck %s --check-prefix=PLAIN
// RUN: ht-opt %s --ht-cpu-codegen | FileCheck %s --check-prefix=NOT
// RUN: not ht-opt %s --ht-cpu-codegen="order=greedy" 2>&1 | FileCheck %s --check-prefix=BADOPT
// The result becomes an out-parameter (a second descriptor pointer) of the
// C wrapper.
// CHECK: llvm.func @_mlir_ciface_matvec(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// PLAIN-NOT: _mlir_ciface_
// PLAIN: llvm.func @matvec({{.*}}) -> !llvm.struct<
// NOT-NOT: {{(linalg|tensor|memref|scf|bufferization)\.}}
// BADOPT: no such option order
func.func @matvec(%w: tensor<8x4xf32>, %x: tensor<4xf32>) -> tensor<8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<8xf32>) -> tensor<8xf32>
  %y = linalg.matvec ins(%w, %x : tensor<8x4xf32>, tensor<4xf32>) outs(%init : tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}
