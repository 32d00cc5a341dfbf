// ht-to-llvm is the three stages in order (ht-optimize, ht-lower-to-linalg,
// ht-cpu-codegen): it takes an ht module all the way to the LLVM dialect,
// with a C-interface wrapper that takes results as out-parameters and no
// call into MLIR's runtime libraries.
// RUN: ht-opt %s --ht-to-llvm | FileCheck %s
// RUN: ht-opt %s --ht-to-llvm | FileCheck %s --check-prefix=NOT
// The NOT checks can fail: the same output with one unlowered op inserted
// at its end is rejected.
// RUN: ht-opt %s --ht-to-llvm > %t.ll.mlir
// RUN: echo '  %5 = ht.linear %x, %w : tensor<?x2xf32>, !w -> tensor<?x2xf32>' >> %t.ll.mlir
// RUN: not FileCheck %s --check-prefix=NOT < %t.ll.mlir
// RUN: ht-opt %s --ht-optimize --ht-lower-to-linalg --ht-cpu-codegen | FileCheck %s
// RUN: ht-opt %s --ht-to-llvm="order=left-to-right fold-weights=false choose-weight-format=false hoist-input-projection=false" | FileCheck %s --check-prefix=NOT
// CHECK-DAG: llvm.func @_mlir_ciface_forward(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// With threads, the independent loops are OpenMP regions (lowered to the
// LLVM dialect; the translation to LLVM IR outlines them) sized by the
// runtime's thread count; without, there is no OpenMP at all.
// RUN: ht-opt %s --ht-to-llvm="threads=2" | FileCheck %s --check-prefix=THREADS
// RUN: ht-opt %s --ht-to-llvm="threads=2" | FileCheck %s --check-prefix=NOT
// THREADS: llvm.call @__ht_threads()
// THREADS: omp.parallel num_threads(%{{.*}} : i32)
// THREADS: omp.wsloop
// THREADS-NOT: llvm.call @malloc
// THREADS: omp.terminator
// RUN: ht-opt %s --ht-to-llvm | FileCheck %s --check-prefix=SERIAL
// SERIAL-NOT: omp.
// SERIAL-NOT: __ht_threads
// CHECK-DAG: llvm.func @forward(
// CHECK-DAG: llvm.func @malloc
// CHECK-DAG: llvm.func @free
// CHECK-DAG: llvm.func @_mlir_ciface_lstm(
// Nothing of the ht dialect, or of any dialect but llvm, is left anywhere;
// and no runtime call. (NOT-NOT alone scans the whole output.)
// NOT-NOT: {{(^|[^a-z_])ht\.}}
// NOT-NOT: {{(linalg|tensor|memref|scf|arith|math|bufferization|func)\.}}
// NOT-NOT: memrefCopy

!w = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = ht.constant leaves [dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>, dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>] transfers [dense<5.0> : tensor<1x1x1xf32>] : !w
  %y = ht.linear %x, %w : tensor<?x2xf32>, !w -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

!r = !ht.matrix<[4, 2] x [1, 2], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @lstm(%x: tensor<?x?x2xf32>, %h: tensor<?x2xf32>, %c: tensor<?x2xf32>, %wih: tensor<8x2xf32>)
    -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %whh = ht.constant leaves [dense<0.5> : tensor<4x1x2xf32>, dense<0.25> : tensor<2x2x2xf32>]
                     transfers [dense<1.0> : tensor<2x2x1xf32>] : !r
  %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh)
    : (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<8x2xf32>, !r)
   -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>)
  return %o, %hn, %cn : tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}
