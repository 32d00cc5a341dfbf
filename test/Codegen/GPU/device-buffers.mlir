// ht-gpu-device-buffers: the model's data buffers are gpu.allocs, the
// deallocation pipeline's bookkeeping (index and i1 buffers) stays on the
// host, and a host access to device memory is an error naming the op.
// RUN: ht-opt %s --split-input-file --ht-gpu-device-buffers -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @buffers
// CHECK: %[[DATA:.*]] = gpu.alloc (%{{.*}}) : memref<?xf32>
// CHECK: %[[CLASSES:.*]] = gpu.alloc () : memref<4xi32>
// CHECK: %[[FLAGS:.*]] = memref.alloc() : memref<2xi1>
// CHECK: memref.store %{{.*}}, %[[FLAGS]]
// CHECK: gpu.launch
// CHECK: memref.store %{{.*}}, %[[DATA]]
// CHECK: gpu.dealloc %[[DATA]] : memref<?xf32>
// CHECK: gpu.dealloc %[[CLASSES]] : memref<4xi32>
// CHECK: memref.dealloc %[[FLAGS]] : memref<2xi1>
func.func @buffers(%n: index, %x: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  %true = arith.constant true
  %data = memref.alloc(%n) : memref<?xf32>
  %classes = memref.alloc() : memref<4xi32>
  %flags = memref.alloc() : memref<2xi1>
  memref.store %true, %flags[%c0] : memref<2xi1>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %n, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %one, %data[%bx] : memref<?xf32>
    gpu.terminator
  }
  memref.dealloc %data : memref<?xf32>
  memref.dealloc %classes : memref<4xi32>
  memref.dealloc %flags : memref<2xi1>
  return
}

// -----

// A tensor argument is a device pointer: the host must not read it.
func.func @host_reads_argument(%x: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @below {{reads or writes a device buffer on the host}}
  %v = memref.load %x[%c0] : memref<4xf32>
  return %v : f32
}

// -----

// Nor an intermediate, through a view.
func.func @host_writes_view(%n: index) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %data = memref.alloc() : memref<4x4xf32>
  %row = memref.subview %data[0, 0] [1, 4] [1, 1] : memref<4x4xf32> to memref<4xf32, strided<[1]>>
  // expected-error @below {{reads or writes a device buffer on the host}}
  memref.store %zero, %row[%c0] : memref<4xf32, strided<[1]>>
  return
}
