// The registered CPU pipeline takes an ht module all the way to the LLVM
// dialect, with a C-interface wrapper that takes results as out-parameters
// and no call into MLIR's runtime libraries.
// RUN: ht-opt %s --ht-to-llvm | FileCheck %s
// CHECK-NOT: ht.
// CHECK-NOT: memrefCopy
// CHECK-DAG: llvm.func @_mlir_ciface_forward(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-DAG: llvm.func @forward(
// CHECK-DAG: llvm.func @malloc
// CHECK-DAG: llvm.func @free

!w = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = ht.constant leaves [dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>, dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>] transfers [dense<5.0> : tensor<1x1x1xf32>] : !w
  %y = ht.linear %x, %w : tensor<?x2xf32>, !w -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
