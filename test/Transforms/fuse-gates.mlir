// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-hoist-input-projection,ht-fuse-gates{fold-weights=false}))' | FileCheck %s
// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-hoist-input-projection,ht-fuse-gates))' | FileCheck %s --check-prefix=FOLD
// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-hoist-input-projection,ht-fuse-gates))' | FileCheck %s --check-prefix=GONE

// Four per-gate HT matrices of one shape: their factors are stacked at
// compile time ([4, ...] constants, gate i's values first) and the gates'
// projection is one network batched over the gate label (2 here, right
// after the rows 0 and 1): the output labels are [rows, gate, i_0, i_1], so
// its result is the stacked
// [i; f; g; o] projection: no concatenation. The gate biases, slices of
// b_ih + b_hh, are added once as that sum.
// CHECK-LABEL: func.func @per_gate
// CHECK: %[[B:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<8xf32>, tensor<8xf32>)
// CHECK-DAG: %[[U0:.*]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00]], {{\[}}[2.000000e+00]]], [{{\[}}[1.000000e+01]], {{\[}}[2.000000e+01]]], {{.*}}> : tensor<4x2x1x1xf32>
// CHECK-DAG: %[[U1:.*]] = arith.constant dense<{{.*}}> : tensor<4x1x2x1xf32>
// CHECK-DAG: %[[B0:.*]] = arith.constant dense<{{.*}}> : tensor<4x1x1x1xf32>
// CHECK: %[[X:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3]] {{.*}} : tensor<3x1x2xf32> into tensor<3x1x1x2xf32>
// Each result is a matrix product's output: the activation's labels, then
// the stacked factor's own (the gate label among them); the last one is
// transposed into the output's [rows, gate, i_0, i_1].
// CHECK: %[[T0:.*]] = ht.contract %[[U1]] [2, 6, 7, 8], %[[B0]] [2, 5, 8, 9] -> [2, 6, 7, 5] :
// CHECK: %[[T1:.*]] = ht.contract %[[X]] [0, 1, 4, 7], %[[T0]] [2, 6, 7, 5] -> [0, 1, 4, 2, 6, 5] :
// CHECK: %[[T2:.*]] = ht.contract %[[T1]] [0, 1, 4, 2, 6, 5], %[[U0]] [2, 3, 4, 5] -> [0, 1, 2, 6, 3] : {{.*}} -> tensor<3x1x4x1x2xf32>
// CHECK: %[[T3:.*]] = linalg.transpose ins(%[[T2]] : tensor<3x1x4x1x2xf32>) outs(%{{.*}} : tensor<3x1x4x2x1xf32>) permutation = [0, 1, 2, 4, 3]
// CHECK: %[[Z:.*]] = tensor.collapse_shape %[[T3]] {{\[}}[0], [1], [2, 3, 4]] : tensor<3x1x4x2x1xf32> into tensor<3x1x8xf32>
// CHECK-NOT: tensor.concat
// CHECK: %[[ZB:.*]] = linalg.generic {{.*}} ins(%[[Z]], %[[B]] :
// CHECK-NOT: tensor.concat dim(2)
// CHECK: ht.lstm projected %[[ZB]]

// With folding, the weight-only steps the plan chooses are free, so the
// order may differ; still one network.
// FOLD-LABEL: func.func @per_gate
// FOLD: ht.contract
// FOLD: ht.lstm projected
// Nowhere in the function is a per-gate product, an HT constant or the
// concatenation left (GONE-NOT between the label and the return scans it
// all).
// GONE-LABEL: func.func @per_gate
// GONE-NOT: {{ht\.linear|ht\.constant|tensor\.concat}}
// GONE: return
!g = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @per_gate(%x: tensor<3x1x2xf32>, %h: tensor<1x2xf32>, %whh: tensor<8x2xf32>,
                    %bih: tensor<8xf32>, %bhh: tensor<8xf32>) -> tensor<3x1x2xf32> {
  %wi = ht.constant leaves [dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>, dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>]
                    transfers [dense<5.0> : tensor<1x1x1xf32>] : !g
  %wf = ht.constant leaves [dense<[[[10.0]], [[20.0]]]> : tensor<2x1x1xf32>, dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>]
                    transfers [dense<0.5> : tensor<1x1x1xf32>] : !g
  %wg = ht.constant leaves [dense<[[[1.0]], [[-2.0]]]> : tensor<2x1x1xf32>, dense<[[[3.0], [-4.0]]]> : tensor<1x2x1xf32>]
                    transfers [dense<1.0> : tensor<1x1x1xf32>] : !g
  %wo = ht.constant leaves [dense<[[[0.1]], [[0.2]]]> : tensor<2x1x1xf32>, dense<[[[0.3], [0.4]]]> : tensor<1x2x1xf32>]
                    transfers [dense<2.0> : tensor<1x1x1xf32>] : !g
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %h weights(%wi, %wf, %wg, %wo, %whh) biases(%bih, %bhh)
    : (tensor<3x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, !g, !g, !g, !g, tensor<8x2xf32>, tensor<8xf32>, tensor<8xf32>)
   -> (tensor<3x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
  return %o : tensor<3x1x2xf32>
}

// -----

// Gates of different shapes (here: ranks) are left to ht-order-contractions.
// CHECK-LABEL: func.func @different_shapes
// CHECK-COUNT-4: ht.linear
// CHECK: tensor.concat dim(2)
!a = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
!b = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [2, 1], node_ranks = [1], f32>
func.func @different_shapes(%x: tensor<3x1x2xf32>, %h: tensor<1x2xf32>, %whh: tensor<8x2xf32>, %wb: !b) -> tensor<3x1x2xf32> {
  %wa = ht.constant leaves [dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>, dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>]
                    transfers [dense<5.0> : tensor<1x1x1xf32>] : !a
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %h weights(%wa, %wa, %wa, %wb, %whh)
    : (tensor<3x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, !a, !a, !a, !b, tensor<8x2xf32>)
   -> (tensor<3x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
  return %o : tensor<3x1x2xf32>
}

// -----

// Weights that are not constants cannot be stacked at compile time.
// CHECK-LABEL: func.func @arguments
// CHECK-COUNT-4: ht.linear
!c = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @arguments(%x: tensor<3x1x2xf32>, %h: tensor<1x2xf32>, %whh: tensor<8x2xf32>, %w: !c) -> tensor<3x1x2xf32> {
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %h weights(%w, %w, %w, %w, %whh)
    : (tensor<3x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, !c, !c, !c, !c, tensor<8x2xf32>)
   -> (tensor<3x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
  return %o : tensor<3x1x2xf32>
}
