// ht-to-cuda (ht-optimize, ht-lower-to-linalg, ht-cuda-codegen): host code
// in the LLVM dialect that launches one kernel per linalg op through the
// mgpu* functions, the kernels in gpu.binary ops, the C interface wrappers
// the C API calls. PTX needs no toolkit; a fatbin runs ptxas.
// RUN: env -u CUDA_HOME ht-opt %s --ht-to-cuda=format=ptx | FileCheck %s
// RUN: env -u CUDA_HOME ht-opt %s --ht-optimize --ht-lower-to-linalg --ht-cuda-codegen=format=ptx | FileCheck %s
// RUN: env -u CUDA_HOME ht-opt %s --ht-to-cuda="format=ptx chip=sm_80 ptx-version=78 block-size=64" | FileCheck %s --check-prefix=OPTIONS
// RUN: env -u CUDA_HOME ht-opt %s --ht-to-cuda=format=ptx | FileCheck %s --check-prefix=PTX
// gpu-module-to-binary reports a missing toolkit but does not fail (ht-compile
// does: tools/ht-compile-cuda-errors.test).
// RUN: ht-opt %s --ht-to-cuda="format=cubin toolkit=%t.none" -o /dev/null 2>&1 | FileCheck %s --check-prefix=NO-TOOLKIT
// RUN: not ht-opt %s --ht-to-cuda=format=bogus 2>&1 | FileCheck %s --check-prefix=BAD-FORMAT

// CHECK-DAG: llvm.func @_mlir_ciface_forward(
// CHECK-DAG: llvm.func @_mlir_ciface_lstm(
// CHECK-DAG: llvm.call @mgpuMemAlloc(
// CHECK-DAG: llvm.call @mgpuMemFree(
// CHECK-DAG: gpu.launch_func <%{{.*}} : !llvm.ptr> @lstm_kernel{{.*}} blocks in
// CHECK-DAG: gpu.binary @lstm_kernel{{.*}} [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// Nothing but llvm, gpu.binary and gpu.launch_func is left.
// CHECK-NOT: {{(linalg|tensor|memref|scf|arith|math|bufferization|func|ht)\.}}

// OPTIONS: gpu.binary @{{.*}} [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx78">
// OPTIONS: threads in (%{{.*}}, %{{.*}}, %{{.*}}) : i64
// OPTIONS: .maxntid 64, 1, 1

// Every kernel is an entry; none calls an external function (exp and
// tanh are polynomials); products and sums are fused.
// PTX: .visible .entry forward_kernel
// PTX-NOT: .extern
// PTX: fma.rn.f32

// NO-TOOLKIT: error: CUDA path: {{.*}}.none does not exist or is not a directory

// BAD-FORMAT: for the --format option: Cannot find option named 'bogus'

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
