// ht-gpu-prepare-kernels: a constant weight (and its views) moves into the
// launch that reads it, float arithmetic gets fastmath<contract>, and exp
// and tanh become polynomials (no libdevice call).
// RUN: ht-opt %s --ht-gpu-prepare-kernels | FileCheck %s
// RUN: ht-opt %s --ht-gpu-prepare-kernels --gpu-kernel-outlining | FileCheck %s --check-prefix=OUTLINED

memref.global "private" constant @weight : memref<2x4xf32> = dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]>

// CHECK-LABEL: func.func @cell
// CHECK: gpu.launch
// CHECK: %[[W:.*]] = memref.get_global @weight
// CHECK: memref.collapse_shape %[[W]]
// CHECK: arith.mulf %{{.*}}, %{{.*}} fastmath<contract> : f32
// CHECK: arith.addf %{{.*}}, %{{.*}} fastmath<nnan,contract> : f32
// CHECK-NOT: math.tanh
// CHECK-NOT: math.exp
// CHECK: gpu.terminator
// OUTLINED: gpu.module @cell_kernel
// OUTLINED: gpu.func @cell_kernel(%{{[^:]*}}: memref<8xf32>)
// OUTLINED: memref.global "private" constant @weight
func.func @cell(%out: memref<8xf32>) {
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %w = memref.get_global @weight : memref<2x4xf32>
  %flat = memref.collapse_shape %w [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c8, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %flat[%bx] : memref<8xf32>
    %p = arith.mulf %v, %v : f32
    %s = arith.addf %p, %v fastmath<nnan> : f32
    %t = math.tanh %s : f32
    %e = math.exp %t : f32
    memref.store %e, %out[%bx] : memref<8xf32>
    gpu.terminator
  }
  return
}
