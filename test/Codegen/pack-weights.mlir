// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-pack-weights))' | FileCheck %s

// A step of an HT product, C[r, n0, m, a] = X[r, n0, n1] . U[m, n1, a]: the
// factor is permuted at compile time to [K = n1, N = (m, a)] with N merged
// into one dimension of 6 lanes; the result's (m, a) are merged the same way
// and expanded back. Row k of the packed constant is U[:, k, :] flattened.
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @step
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x2xf32>)
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 1.000000e+00, 4.000000e+00, 5.000000e+00, 8.000000e+00, 9.000000e+00], [2.000000e+00, 3.000000e+00, 6.000000e+00, 7.000000e+00, 1.000000e+01, 1.100000e+01]]> : tensor<2x6xf32>
// CHECK: %[[C:.*]] = linalg.contract indexing_maps = [#[[$A]], #[[$W]], #[[$C]]] ins(%[[X]], %[[W]] : tensor<?x4x2xf32>, tensor<2x6xf32>) outs(%{{.*}} : tensor<?x4x6xf32>)
// CHECK: %[[R:.*]] = tensor.expand_shape %[[C]] {{\[}}[0], [1], [2, 3]] output_shape [%{{.*}}, 4, 3, 2] : tensor<?x4x6xf32> into tensor<?x4x3x2xf32>
// CHECK: return %[[R]]
#x = affine_map<(r, n0, n1, m, a) -> (r, n0, n1)>
#u = affine_map<(r, n0, n1, m, a) -> (m, n1, a)>
#c = affine_map<(r, n0, n1, m, a) -> (r, n0, m, a)>
func.func @step(%x: tensor<?x4x2xf32>) -> tensor<?x4x3x2xf32> {
  %u = arith.constant dense<[[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]], [[8.0, 9.0], [10.0, 11.0]]]> : tensor<3x2x2xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?x4x3x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x4x3x2xf32>) -> tensor<?x4x3x2xf32>
  %r = linalg.contract indexing_maps = [#x, #u, #c] ins(%x, %u : tensor<?x4x2xf32>, tensor<3x2x2xf32>)
         outs(%f : tensor<?x4x3x2xf32>) -> tensor<?x4x3x2xf32>
  return %r : tensor<?x4x3x2xf32>
}

// -----

// A dense weight W[M, N] (y = x . W^T) becomes W^T, [K, N].
// CHECK-LABEL: func.func @dense
// CHECK: arith.constant dense<{{\[}}[1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK: linalg.contract {{.*}} -> tensor<?x3xf32>
// CHECK-NOT: tensor.expand_shape
#xd = affine_map<(b, k, n) -> (b, k)>
#wd = affine_map<(b, k, n) -> (n, k)>
#yd = affine_map<(b, k, n) -> (b, n)>
func.func @dense(%x: tensor<?x2xf32>, %init: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %r = linalg.contract indexing_maps = [#xd, #wd, #yd] ins(%x, %w : tensor<?x2xf32>, tensor<3x2xf32>)
         outs(%init : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

// -----

// Left alone: no constant operand; the weight's labels not innermost.
// CHECK-LABEL: func.func @not_packed
// CHECK: linalg.contract indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}] ins(%{{.*}}, %{{.*}} : tensor<?x2xf32>, tensor<3x2xf32>)
// CHECK: linalg.contract indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}] ins(%{{.*}}, %{{.*}} : tensor<?x2xf32>, tensor<3x2xf32>)
#xd = affine_map<(b, k, n) -> (b, k)>
#wd = affine_map<(b, k, n) -> (n, k)>
#yd = affine_map<(b, k, n) -> (b, n)>
#nt = affine_map<(b, k, n) -> (n, b)>
func.func @not_packed(%x: tensor<?x2xf32>, %w: tensor<3x2xf32>, %init: tensor<?x3xf32>, %initT: tensor<3x?xf32>)
    -> (tensor<?x3xf32>, tensor<3x?xf32>) {
  %r = linalg.contract indexing_maps = [#xd, #wd, #yd] ins(%x, %w : tensor<?x2xf32>, tensor<3x2xf32>)
         outs(%init : tensor<?x3xf32>) -> tensor<?x3xf32>
  %c = arith.constant dense<1.0> : tensor<3x2xf32>
  %t = linalg.contract indexing_maps = [#xd, #wd, #nt] ins(%x, %c : tensor<?x2xf32>, tensor<3x2xf32>)
         outs(%initT : tensor<3x?xf32>) -> tensor<3x?xf32>
  return %r, %t : tensor<?x3xf32>, tensor<3x?xf32>
}

// -----

// A weight past 512 KiB whose reduction ht-vectorize blocks (K = 1024 > 256)
// and with more lanes than one register block (256 > 2 x 16): laid out in
// panels of 32 lanes, [256 / 32, K, 32], over a loop of panels before the
// lanes; the result's N expanded to [8, 32] and collapsed back.
// CHECK-LABEL: func.func @panels
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK: %[[P:.*]] = arith.constant dense<{{.*}}> : tensor<8x1024x32xf32>
// CHECK: %[[INIT:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 8, 32] : tensor<?x256xf32> into tensor<?x8x32xf32>
// CHECK: %[[R:.*]] = linalg.contract indexing_maps = [#[[X]], #[[W]], #[[Y]]] ins(%{{.*}}, %[[P]] : tensor<?x1024xf32>, tensor<8x1024x32xf32>) outs(%[[INIT]] : tensor<?x8x32xf32>)
// CHECK: tensor.collapse_shape %[[R]] {{\[}}[0], [1, 2]] : tensor<?x8x32xf32> into tensor<?x256xf32>
#xp = affine_map<(b, n, k) -> (b, k)>
#wp = affine_map<(b, n, k) -> (k, n)>
#yp = affine_map<(b, n, k) -> (b, n)>
func.func @panels(%x: tensor<?x1024xf32>, %init: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %w = arith.constant dense<0.5> : tensor<1024x256xf32>
  %r = linalg.contract indexing_maps = [#xp, #wp, #yp] ins(%x, %w : tensor<?x1024xf32>, tensor<1024x256xf32>)
         outs(%init : tensor<?x256xf32>) -> tensor<?x256xf32>
  return %r : tensor<?x256xf32>
}

// -----

// With AVX2's 8 lanes the panels are 16 wide.
// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-pack-weights{lanes=8}))' | FileCheck %s --check-prefix=AVX2
// AVX2-LABEL: func.func @panels_avx2
// AVX2: linalg.contract {{.*}} : tensor<?x1024xf32>, tensor<16x1024x16xf32>
func.func @panels_avx2(%x: tensor<?x1024xf32>, %init: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %w = arith.constant dense<0.5> : tensor<1024x256xf32>
  %r = linalg.contract indexing_maps = [affine_map<(b, n, k) -> (b, k)>, affine_map<(b, n, k) -> (k, n)>, affine_map<(b, n, k) -> (b, n)>]
         ins(%x, %w : tensor<?x1024xf32>, tensor<1024x256xf32>)
         outs(%init : tensor<?x256xf32>) -> tensor<?x256xf32>
  return %r : tensor<?x256xf32>
}
