// ht-parallelize runs a band of marked loops on an OpenMP team only when it
// can prove the iterations independent; the buffers an iteration allocates
// become slots of one scratch buffer allocated before the region.
// RUN: ht-opt %s --pass-pipeline='builtin.module(ht-parallelize{remarks})' -verify-diagnostics | FileCheck %s

// A 2-D band of tiles (rows x lanes): one region over both loops, the
// thread count asked of the runtime, no allocation inside the region.
// CHECK-LABEL: func.func @tiles
// CHECK: %[[THREADS:.*]] = call @__ht_threads() : () -> i64
// CHECK: %[[SLOTS:.*]] = arith.maxsi
// CHECK: %[[TEAM:.*]] = arith.index_cast %[[SLOTS]] : index to i32
// CHECK: omp.parallel num_threads(%[[TEAM]] : i32) {
// CHECK: omp.wsloop {
// CHECK: omp.loop_nest (%[[SLOT:.*]]) : index = (%{{.*}}) to (%[[SLOTS]]) step (%{{.*}}) {
// CHECK: scf.for
// CHECK-NOT: scf.for
// CHECK: memref.subview
// CHECK: vector.transfer_write
// CHECK: omp.terminator
// CHECK-NOT: ht.parallel
func.func @tiles(%out: memref<64x256xf32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  %v = arith.constant dense<1.0> : vector<8x32xf32>
  // expected-remark @below {{ht-parallelize: parallel band of 2 loop(s), 0 private buffer(s)}}
  scf.for %i = %c0 to %c64 step %c8 {
    scf.for %j = %c0 to %c256 step %c32 {
      %tile = memref.subview %out[%i, %j] [8, 32] [1, 1]
          : memref<64x256xf32> to memref<8x32xf32, strided<[256, 1], offset: ?>>
      vector.transfer_write %v, %tile[%c0, %c0] {in_bounds = [true, true]}
          : vector<8x32xf32>, memref<8x32xf32, strided<[256, 1], offset: ?>>
    } {ht.parallel = 1 : i64}
  } {ht.parallel = 1 : i64}
  return
}

// Blocks of rows with intermediates of at most 5 rows: each is a view of
// the slot's part of one scratch buffer, freed after the region.
// CHECK-LABEL: func.func @row_blocks
// CHECK: %[[SCRATCH:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xi8>
// CHECK: omp.parallel
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: memref.view %[[SCRATCH]][%{{.*}}][%{{.*}}] : memref<?xi8> to memref<?x16xf32>
// CHECK: omp.terminator
// CHECK: memref.dealloc %[[SCRATCH]] : memref<?xi8>
func.func @row_blocks(%x: memref<?x16xf32>, %out: memref<?x16xf32>) {
  %c0 = arith.constant 0 : index
  %c5 = arith.constant 5 : index
  %n = memref.dim %x, %c0 : memref<?x16xf32>
  // expected-remark @below {{ht-parallelize: parallel band of 1 loop(s), 1 private buffer(s)}}
  scf.for %i = %c0 to %n step %c5 {
    %left = arith.subi %n, %i : index
    %rows = arith.minsi %left, %c5 : index
    %in = memref.subview %x[%i, 0] [%rows, 16] [1, 1]
        : memref<?x16xf32> to memref<?x16xf32, strided<[16, 1], offset: ?>>
    %tmp = memref.alloc(%rows) {alignment = 64 : i64} : memref<?x16xf32>
    memref.copy %in, %tmp : memref<?x16xf32, strided<[16, 1], offset: ?>> to memref<?x16xf32>
    %dst = memref.subview %out[%i, 0] [%rows, 16] [1, 1]
        : memref<?x16xf32> to memref<?x16xf32, strided<[16, 1], offset: ?>>
    memref.copy %tmp, %dst : memref<?x16xf32> to memref<?x16xf32, strided<[16, 1], offset: ?>>
    memref.dealloc %tmp : memref<?x16xf32>
  } {ht.parallel = 1 : i64}
  return
}

// Tiles twice the step wide overlap their neighbours: sequential.
// CHECK-LABEL: func.func @overlapping
// CHECK-NOT: omp.parallel
func.func @overlapping(%out: memref<80xf32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %v = arith.constant dense<1.0> : vector<16xf32>
  // expected-remark @below {{ht-parallelize: sequential: 'vector.transfer_write' writes outside the iteration's tile}}
  scf.for %i = %c0 to %c64 step %c8 {
    %tile = memref.subview %out[%i] [16] [1]
        : memref<80xf32> to memref<16xf32, strided<[1], offset: ?>>
    vector.transfer_write %v, %tile[%c0] {in_bounds = [true]}
        : vector<16xf32>, memref<16xf32, strided<[1], offset: ?>>
  } {ht.parallel = 1 : i64}
  return
}

// Every iteration reads what the next one writes (a shift): sequential.
// CHECK-LABEL: func.func @shift
// CHECK-NOT: omp.parallel
func.func @shift(%buf: memref<65xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  // expected-remark @below {{ht-parallelize: sequential: 'memref.load' reads a buffer the loop writes, outside the tile}}
  scf.for %i = %c0 to %c64 step %c1 {
    %next = arith.addi %i, %c1 : index
    %value = memref.load %buf[%next] : memref<65xf32>
    %tile = memref.subview %buf[%i] [1] [1]
        : memref<65xf32> to memref<1xf32, strided<[1], offset: ?>>
    memref.store %value, %tile[%c0] : memref<1xf32, strided<[1], offset: ?>>
  } {ht.parallel = 1 : i64}
  return
}

// A store at the induction variable without a tile view is not proven
// disjoint: sequential.
// CHECK-LABEL: func.func @plain_store
// CHECK-NOT: omp.parallel
func.func @plain_store(%out: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %one = arith.constant 1.0 : f32
  // expected-remark @below {{ht-parallelize: sequential: 'memref.store' writes outside the iteration's tile}}
  scf.for %i = %c0 to %c64 step %c1 {
    memref.store %one, %out[%i] : memref<64xf32>
  } {ht.parallel = 1 : i64}
  return
}

// Calls have effects the pass cannot see; an unbounded allocation cannot
// get a slot; a loop carrying values is a recurrence: all sequential.
// CHECK-LABEL: func.func @opaque
// CHECK-NOT: omp.parallel
func.func private @unknown(memref<8xf32, strided<[1], offset: ?>>)
func.func @opaque(%out: memref<64xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  // expected-remark @below {{ht-parallelize: sequential: 'func.call' has unknown effects}}
  scf.for %i = %c0 to %c64 step %c8 {
    %tile = memref.subview %out[%i] [8] [1]
        : memref<64xf32> to memref<8xf32, strided<[1], offset: ?>>
    func.call @unknown(%tile) : (memref<8xf32, strided<[1], offset: ?>>) -> ()
  } {ht.parallel = 1 : i64}
  // expected-remark @below {{ht-parallelize: sequential: a buffer it allocates has no constant size bound}}
  scf.for %i = %c0 to %c64 step %c8 {
    %tmp = memref.alloc(%n) : memref<?xf32>
    %v = memref.load %tmp[%c0] : memref<?xf32>
    %tile = memref.subview %out[%i] [8] [1]
        : memref<64xf32> to memref<8xf32, strided<[1], offset: ?>>
    memref.store %v, %tile[%c0] : memref<8xf32, strided<[1], offset: ?>>
    memref.dealloc %tmp : memref<?xf32>
  } {ht.parallel = 1 : i64}
  // expected-remark @below {{ht-parallelize: sequential: the loop carries values}}
  %sum = scf.for %i = %c0 to %c64 step %c8 iter_args(%acc = %zero) -> f32 {
    %v = memref.load %out[%i] : memref<64xf32>
    %next = arith.addf %acc, %v : f32
    scf.yield %next : f32
  } {ht.parallel = 1 : i64}
  return %sum : f32
}
