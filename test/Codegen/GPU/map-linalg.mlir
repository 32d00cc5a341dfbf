// ht-gpu-map-linalg: every linalg op on buffers becomes one 1-D grid over
// its result elements (parallel dimensions first, collapsed row-major,
// tiled by block-size with a guard on the last tile), the reductions as
// loops inside each thread in their original order.
// RUN: ht-opt %s --ht-gpu-map-linalg | FileCheck %s
// RUN: ht-opt %s --ht-gpu-map-linalg=block-size=128 | FileCheck %s --check-prefix=BLOCK
// RUN: ht-opt %s --ht-gpu-map-linalg=map-to-gpu=false | FileCheck %s --check-prefix=HOST
// RUN: ht-opt %s --ht-gpu-map-linalg --convert-parallel-loops-to-gpu | FileCheck %s --check-prefix=LAUNCH
// RUN: not ht-opt %s --ht-gpu-map-linalg=block-size=2048 2>&1 | FileCheck %s --check-prefix=BAD

// A matmul whose reduction comes first in its loop order: the two result
// dimensions (4 x 6 = 24 elements) are one loop, k a loop inside.
// CHECK-LABEL: func.func @reduction_first
// CHECK: %[[C24:.*]] = arith.constant 24 : index
// CHECK: %[[C256:.*]] = arith.constant 256 : index
// CHECK: scf.parallel (%[[B:.*]]) = (%{{.*}}) to (%[[C24]]) step (%[[C256]])
// CHECK: scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[C256]])
// CHECK: arith.cmpi ult, %{{.*}}, %[[C24]]
// CHECK: scf.if
// The accumulator is a register: loaded once, stored once.
// CHECK: %[[INIT:.*]] = memref.load %{{.*}} : memref<4x6xf32>
// CHECK: %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]])
// CHECK-NOT: memref.store
// CHECK: arith.mulf
// CHECK: arith.addf %[[ACC]]
// CHECK: scf.yield
// CHECK: memref.store %[[SUM]]
// CHECK: mapping = [#gpu.loop_dim_map<processor = thread_x
// CHECK: mapping = [#gpu.loop_dim_map<processor = block_x
// CHECK-NOT: linalg.
// BLOCK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step (%c128)
// HOST-LABEL: func.func @reduction_first
// HOST: scf.parallel
// HOST-NOT: mapping
// HOST: return
// LAUNCH-LABEL: func.func @reduction_first
// LAUNCH: gpu.launch blocks({{.*}}) in ({{.*}} = %{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}})
// LAUNCH-NOT: scf.parallel
// LAUNCH: gpu.terminator
// BAD: block-size 2048 is not a CUDA block size; expected 1 to 1024
#k_first_a = affine_map<(k, i, j) -> (i, k)>
#k_first_b = affine_map<(k, i, j) -> (k, j)>
#k_first_c = affine_map<(k, i, j) -> (i, j)>
func.func @reduction_first(%a: memref<4x5xf32>, %b: memref<5x6xf32>, %c: memref<4x6xf32>) {
  linalg.generic {indexing_maps = [#k_first_a, #k_first_b, #k_first_c],
                  iterator_types = ["reduction", "parallel", "parallel"]}
      ins(%a, %b : memref<4x5xf32>, memref<5x6xf32>) outs(%c : memref<4x6xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// An output that an input aliases stays in memory: each step must see the
// last one's store.
// CHECK-LABEL: func.func @aliased_accumulator
// CHECK: scf.for
// CHECK-NOT: iter_args
// CHECK: memref.store
// CHECK: }
#row = affine_map<(i, k) -> (k)>
#acc = affine_map<(i, k) -> (i)>
func.func @aliased_accumulator(%buf: memref<4xf32>) {
  linalg.generic {indexing_maps = [#row, #acc], iterator_types = ["parallel", "reduction"]}
      ins(%buf : memref<4xf32>) outs(%buf : memref<4xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}

// A fill of the accumulator right before the reduction is folded into the
// reduction's kernel: the sum starts from the fill's value, and there is no
// fill kernel.
// CHECK-LABEL: func.func @filled_accumulator
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: scf.parallel
// CHECK: scf.for %{{.*}} iter_args(%{{.*}} = %[[ZERO]])
// CHECK: memref.store
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @filled_accumulator(%a: memref<4x5xf32>, %b: memref<5x6xf32>, %c: memref<4x6xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x6xf32>)
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x6xf32>) outs(%c : memref<4x6xf32>)
  return
}

// Where the reduction also reads the filled buffer, the fill stays a kernel.
// CHECK-LABEL: func.func @filled_and_read
// CHECK: memref.store %{{.*}} : memref<4xf32>
// CHECK: scf.for
// CHECK: return
func.func @filled_and_read(%buf: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%buf : memref<4xf32>)
  linalg.generic {indexing_maps = [#row, #acc], iterator_types = ["parallel", "reduction"]}
      ins(%buf : memref<4xf32>) outs(%buf : memref<4xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  }
  return
}

// A copy of an element-wise op's result (past pure view ops) is stored by
// the same threads: one kernel, two stores per element.
// CHECK-LABEL: func.func @copied_result
// CHECK: %[[VIEW:.*]] = memref.subview %[[OUT:.*]][0, 0] [2, 8] [1, 1]
// CHECK: scf.parallel
// CHECK: %[[V:.*]] = arith.addf
// CHECK: memref.store %[[V]], %{{.*}}[%{{.*}}, %{{.*}}] : memref<2x8xf32>
// CHECK: memref.store %[[V]], %[[VIEW]][%{{.*}}, %{{.*}}] : memref<2x8xf32, strided<[8, 1]>>
// CHECK-NOT: scf.parallel
// CHECK: return
#id = affine_map<(i, j) -> (i, j)>
func.func @copied_result(%a: memref<2x8xf32>, %h: memref<2x8xf32>, %out: memref<4x8xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<2x8xf32>) outs(%h : memref<2x8xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  }
  %view = memref.subview %out[0, 0] [2, 8] [1, 1] : memref<4x8xf32> to memref<2x8xf32, strided<[8, 1]>>
  linalg.copy ins(%h : memref<2x8xf32>) outs(%view : memref<2x8xf32, strided<[8, 1]>>)
  return
}

// Not into a buffer the op reads: the copy stays its own kernel.
// CHECK-LABEL: func.func @copy_into_input
// CHECK: scf.parallel
// CHECK: scf.parallel
// CHECK: return
func.func @copy_into_input(%a: memref<2x8xf32>, %h: memref<2x8xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<2x8xf32>) outs(%h : memref<2x8xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  }
  linalg.copy ins(%h : memref<2x8xf32>) outs(%a : memref<2x8xf32>)
  return
}

// Named ops are generalised; dynamic sizes give a dynamic grid.
// CHECK-LABEL: func.func @fill_dynamic
// CHECK: %[[N:.*]] = arith.muli
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[N]])
// CHECK: memref.store
func.func @fill_dynamic(%out: memref<?x?xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<?x?xf32>)
  return
}

// A full reduction has no parallel dimension: one thread runs it.
// CHECK-LABEL: func.func @sum_all
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%c1) step (%c256)
// CHECK: scf.for
func.func @sum_all(%in: memref<8xf32>, %out: memref<f32>) {
  linalg.reduce ins(%in : memref<8xf32>) outs(%out : memref<f32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  return
}

// Ops already in a launch are the caller's business.
// CHECK-LABEL: func.func @inside_launch
// CHECK: gpu.launch
// CHECK: linalg.fill
func.func @inside_launch(%out: memref<4xf32>) {
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    linalg.fill ins(%zero : f32) outs(%out : memref<4xf32>)
    gpu.terminator
  }
  return
}
