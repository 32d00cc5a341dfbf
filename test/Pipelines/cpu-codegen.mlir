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

// A weight product (what ht-lower-to-linalg emits for a dense ht.linear):
// the weight is packed, the product tiled and vectorised, and the LLVM
// dialect holds 16-lane FMAs; with vectorize=false it is scalar loops.
// RUN: ht-opt %s --ht-cpu-codegen | FileCheck %s --check-prefix=VEC
// RUN: ht-opt %s --ht-cpu-codegen="vectorize=false" | FileCheck %s --check-prefix=SCALAR
// VEC-LABEL: llvm.func @product
// VEC: llvm.intr.fmuladd({{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// SCALAR-LABEL: llvm.func @product
// SCALAR-NOT: vector<16xf32>
// SCALAR: llvm.return
#x = affine_map<(b, k, n) -> (b, k)>
#w = affine_map<(b, k, n) -> (n, k)>
#y = affine_map<(b, k, n) -> (b, n)>
func.func @product(%x: tensor<?x8xf32>) -> tensor<?x16xf32> {
  %w = arith.constant dense<0.5> : tensor<16x8xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x16xf32>) -> tensor<?x16xf32>
  %y = linalg.contract indexing_maps = [#x, #w, #y] ins(%x, %w : tensor<?x8xf32>, tensor<16x8xf32>)
         outs(%f : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %y : tensor<?x16xf32>
}
