// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-vectorize,canonicalize,cse))' | FileCheck %s
// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-vectorize{lanes=8 max-accumulators=12},canonicalize,cse))' | FileCheck %s --check-prefix=AVX2

// The first step of the UCF11 input projection at rank 4, packed: rows x
// [8, 20, K = 20, 18] times the leaf [K = 20, N = 16]. Register block: 9 of
// the 18 rows (16 accumulators allowed, one 16-lane register each) times the
// 16 lanes, the whole reduction unrolled: 20 x 9 FMAs of 16 lanes, each with
// one operand broadcast from the activation.
// CHECK-LABEL: func.func @ucf11_step1
// CHECK: scf.for {{.*}} step %c9
// CHECK-COUNT-2: vector.transfer_read
// CHECK-COUNT-180: vector.fma {{.*}} : vector<16xf32>
// CHECK-NOT: vector.fma
// CHECK-COUNT-9: vector.transfer_write {{.*}} : vector<16xf32>, tensor<1x1x1x9x16xf32>
// With 8 lanes and 12 registers: two registers a row, so 6 rows.
// AVX2-LABEL: func.func @ucf11_step1
// AVX2: scf.for {{.*}} step %c6
// AVX2-COUNT-120: vector.fma {{.*}} : vector<16xf32>
#a = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5, d3)>
#w = affine_map<(d0, d1, d2, d3, d4, d5) -> (d5, d4)>
#c = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4)>
func.func @ucf11_step1(%x: tensor<?x8x20x20x18xf32>, %u: tensor<20x16xf32>) -> tensor<?x8x20x18x16xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8x20x20x18xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?x8x20x18x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x8x20x18x16xf32>) -> tensor<?x8x20x18x16xf32>
  %r = linalg.contract indexing_maps = [#a, #w, #c] ins(%x, %u : tensor<?x8x20x20x18xf32>, tensor<20x16xf32>)
         outs(%f : tensor<?x8x20x18x16xf32>) -> tensor<?x8x20x18x16xf32>
  return %r : tensor<?x8x20x18x16xf32>
}

// -----

// The recurrent product of the UCF11 LSTM, h [B, 256] times W_hh^T packed as
// [256, 1024]: blocks of 32 lanes (two registers) by 8 rows of the dynamic
// batch (16 accumulators), the 256-long reduction in chunks of 16 so that a
// tile unrolls at most 256 register FMAs (8 rows x 2 registers x 16); the
// batch loop is peeled, the remainder rows done one at a time. Every row of
// accumulators is read before the chunks and written after them, the chunk
// loop carrying them as vectors.
// CHECK-LABEL: func.func @recurrent
// CHECK: scf.for {{.*}} step %c8
// CHECK: scf.for {{.*}} step %c32
// CHECK-COUNT-8: vector.transfer_read {{.*}} : tensor<8x32xf32>, vector<32xf32>
// CHECK: scf.for {{.*}} to %c256 step %c16 iter_args({{.*}}) -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK-COUNT-128: vector.fma {{.*}} : vector<32xf32>
// CHECK-COUNT-8: vector.transfer_write {{.*}} : vector<32xf32>, tensor<8x32xf32>
// CHECK: scf.for {{.*}} step %c8
// CHECK: scf.for {{.*}} step %c32
// CHECK: scf.for {{.*}} step %c1
// CHECK: scf.for {{.*}} to %c256 step %c16 iter_args(%{{.*}} = %{{.*}}) -> (vector<32xf32>)
// CHECK-COUNT-16: vector.fma {{.*}} : vector<32xf32>
// CHECK-NOT: vector.fma
// CHECK: return
#hx = affine_map<(b, n, k) -> (b, k)>
#hw = affine_map<(b, n, k) -> (k, n)>
#hc = affine_map<(b, n, k) -> (b, n)>
func.func @recurrent(%h: tensor<?x256xf32>, %w: tensor<256x1024xf32>, %init: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
  %r = linalg.contract indexing_maps = [#hx, #hw, #hc] ins(%h, %w : tensor<?x256xf32>, tensor<256x1024xf32>)
         outs(%init : tensor<?x1024xf32>) -> tensor<?x1024xf32>
  return %r : tensor<?x1024xf32>
}

// -----

// A long reduction over a weight too large for the caches (57600 x 64, 14 MB)
// runs in blocks of 256 by an outer loop, so each block's weight panel is
// reused by every block of rows instead of streamed once per block of rows;
// in a block, chunks of 16 (at most 256 register FMAs per tile: 8 rows x 2
// registers x 16); in the remainder rows too the accumulator stays in
// registers (the chunk loop carries a vector); no tile unrolls more than one
// chunk.
// CHECK-LABEL: func.func @long_reduction
// CHECK: scf.for {{.*}} to %c57600 step %c256
// CHECK: scf.for {{.*}} step %c8
// CHECK: scf.for {{.*}} to %c256 step %c16
// CHECK-COUNT-128: vector.fma {{.*}} : vector<32xf32>
// CHECK: scf.for {{.*}} to %c256 step %c16 iter_args(%{{.*}} = %{{.*}}) -> (vector<32xf32>)
// CHECK-COUNT-16: vector.fma {{.*}} : vector<32xf32>
// CHECK-NOT: vector.fma
// CHECK: return
#hx = affine_map<(b, n, k) -> (b, k)>
#hw = affine_map<(b, n, k) -> (k, n)>
#hc = affine_map<(b, n, k) -> (b, n)>
func.func @long_reduction(%x: tensor<?x57600xf32>, %w: tensor<57600x64xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = linalg.contract indexing_maps = [#hx, #hw, #hc] ins(%x, %w : tensor<?x57600xf32>, tensor<57600x64xf32>)
         outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

// -----

// The LSTM cell kernel: one row of 64 hidden units per tile, vectorised;
// exp and tanh become polynomials (no libm call on vectors).
// CHECK-LABEL: func.func @cell
// CHECK: vector.transfer_read {{.*}} : tensor<1x64xf32>, vector<64xf32>
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK: vector.transfer_write {{.*}} : vector<64xf32>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @cell(%z: tensor<?x256xf32>, %c: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %z, %c0 : tensor<?x256xf32>
  %e = tensor.empty(%n) : tensor<?x256xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z, %c : tensor<?x256xf32>, tensor<?x256xf32>) outs(%e : tensor<?x256xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = math.exp %a : f32
    %t = math.tanh %b : f32
    %m = arith.mulf %s, %t : f32
    linalg.yield %m : f32
  } -> tensor<?x256xf32>
  return %r : tensor<?x256xf32>
}

// -----

// Left to the scalar loops: lanes that only a gather could load (the
// weight's own label is not its innermost), and a dynamic innermost
// dimension.
// CHECK-LABEL: func.func @left_alone
// CHECK: linalg.contract
// CHECK: linalg.generic
// CHECK-NOT: vector.
#hx = affine_map<(b, n, k) -> (b, k)>
#hc = affine_map<(b, n, k) -> (b, n)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#wt = affine_map<(b, n, k) -> (n, k)>
func.func @left_alone(%h: tensor<?x256xf32>, %w: tensor<1024x256xf32>, %init: tensor<?x1024xf32>,
                      %d: tensor<4x?xf32>) -> (tensor<?x1024xf32>, tensor<4x?xf32>) {
  %r = linalg.contract indexing_maps = [#hx, #wt, #hc] ins(%h, %w : tensor<?x256xf32>, tensor<1024x256xf32>)
         outs(%init : tensor<?x1024xf32>) -> tensor<?x1024xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%d : tensor<4x?xf32>) outs(%d : tensor<4x?xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %a : f32
    linalg.yield %m : f32
  } -> tensor<4x?xf32>
  return %r, %g : tensor<?x1024xf32>, tensor<4x?xf32>
}

