// RUN: ht-opt %s --split-input-file --ht-legalize-expand-shapes | FileCheck %s

// Two dynamic sizes in one group (the [T * B, N] -> [T, B, N] of a dense
// input projection): a reinterpret_cast with row-major strides, which
// expand-strided-metadata of LLVM 22 lowers (it crashes on the expand_shape;
// the dense LSTMs of test/Integration go through this).
// CHECK-LABEL: func.func @rows_to_steps
// CHECK-SAME: (%[[A:.*]]: memref<?x1024xf32>, %[[T:.*]]: index, %[[B:.*]]: index)
// CHECK: %[[STRIDE:.*]] = affine.apply #{{.*}}()[%[[B]]]
// CHECK: memref.reinterpret_cast %[[A]] to offset: [0], sizes: [%[[T]], %[[B]], 1024], strides: [%[[STRIDE]], 1024, 1]
// CHECK-NOT: memref.expand_shape
func.func @rows_to_steps(%a: memref<?x1024xf32>, %t: index, %b: index) -> memref<?x?x1024xf32> {
  %e = memref.expand_shape %a [[0, 1], [2]] output_shape [%t, %b, 1024] : memref<?x1024xf32> into memref<?x?x1024xf32>
  return %e : memref<?x?x1024xf32>
}

// -----

// One dynamic size a group: left to upstream's own lowering.
// CHECK-LABEL: func.func @one_dynamic_size
// CHECK: memref.expand_shape
func.func @one_dynamic_size(%a: memref<?x8xf32>, %n: index) -> memref<?x4x8xf32> {
  %e = memref.expand_shape %a [[0, 1], [2]] output_shape [%n, 4, 8] : memref<?x8xf32> into memref<?x4x8xf32>
  return %e : memref<?x4x8xf32>
}

// -----

// A strided source is left as it is.
// CHECK-LABEL: func.func @strided_source
// CHECK: memref.expand_shape
func.func @strided_source(%a: memref<?x8xf32, strided<[16, 1]>>, %t: index, %b: index) -> memref<?x?x8xf32, strided<[?, 16, 1]>> {
  %e = memref.expand_shape %a [[0, 1], [2]] output_shape [%t, %b, 8] : memref<?x8xf32, strided<[16, 1]>> into memref<?x?x8xf32, strided<[?, 16, 1]>>
  return %e : memref<?x?x8xf32, strided<[?, 16, 1]>>
}
