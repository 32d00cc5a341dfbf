// RUN: ht-opt %s --convert-ht-to-linalg --split-input-file | FileCheck %s
// RUN: ht-opt %s --convert-ht-to-linalg --split-input-file | FileCheck %s --check-prefix=NOHT

// ht.constant becomes one arith.constant per factor; ht.factors forwards
// them; each ht.contract step is one linalg.contract and nothing rebuilds
// the 2 x 2 matrix (the steps ht-order-contractions emits for this matrix).
// CHECK-LABEL: func.func @planned_linear
// CHECK-SAME: (%[[X:.*]]: tensor<?x2xf32>) -> tensor<?x2xf32>
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<2x1x1xf32>
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<1x2x1xf32>
// CHECK-DAG: arith.constant dense<5.000000e+00> : tensor<1x1x1xf32>
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] {{.*}} : tensor<?x2xf32> into tensor<?x1x2xf32>
// CHECK: %[[T0:.*]] = linalg.contract {{.*}} ins(%[[ROWS]], %{{.*}} : tensor<?x1x2xf32>, tensor<2x1x1xf32>)
// CHECK: %[[T1:.*]] = linalg.contract {{.*}} ins(%[[T0]], %{{.*}} : tensor<?x2x1x2xf32>, tensor<1x2x1xf32>)
// CHECK: %[[T2:.*]] = {{linalg.contract|linalg.generic}} {{.*}}ins(%[[T1]], %{{.*}} : tensor<?x2x1x1x1xf32>, tensor<1x1x1xf32>)
// CHECK: %[[Y:.*]] = tensor.collapse_shape %[[T2]]
// CHECK: return %[[Y]]
// NOHT-NOT: {{(^|[^a-z_])ht\.}}
// NOHT-NOT: tensor<2x2xf32>
!w = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @planned_linear(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = ht.constant leaves [dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>, dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>] transfers [dense<5.0> : tensor<1x1x1xf32>] : !w
  %u0, %u1, %b = ht.factors %w : !w -> tensor<2x1x1xf32>, tensor<1x2x1xf32>, tensor<1x1x1xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %rows = tensor.expand_shape %x [[0], [1, 2]] output_shape [%n, 1, 2] : tensor<?x2xf32> into tensor<?x1x2xf32>
  %t0 = ht.contract %rows [0, 2, 5], %u0 [1, 2, 3] -> [0, 1, 3, 5] : tensor<?x1x2xf32>, tensor<2x1x1xf32> -> tensor<?x2x1x2xf32>
  %t1 = ht.contract %t0 [0, 1, 3, 5], %u1 [4, 5, 6] -> [0, 1, 4, 3, 6] : tensor<?x2x1x2xf32>, tensor<1x2x1xf32> -> tensor<?x2x1x1x1xf32>
  %t2 = ht.contract %t1 [0, 1, 4, 3, 6], %b [3, 6, 7] -> [0, 1, 4] : tensor<?x2x1x1x1xf32>, tensor<1x1x1xf32> -> tensor<?x2x1xf32>
  %y = tensor.collapse_shape %t2 [[0], [1, 2]] : tensor<?x2x1xf32> into tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A dense ht.linear (as ht-choose-weight-format or hoisting leave it) is one
// contraction over the features, its leading dimensions collapsed into one
// of rows (which the CPU kernels block together), then the bias.
// CHECK-LABEL: func.func @dense_linear
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4xf32>, %[[W:.*]]: tensor<5x4xf32>, %[[B:.*]]: tensor<5xf32>)
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<?x3x4xf32> into tensor<?x4xf32>
// CHECK: %[[P:.*]] = linalg.contract {{.*}} ins(%[[ROWS]], %[[W]] : tensor<?x4xf32>, tensor<5x4xf32>) outs(%{{.*}} : tensor<?x5xf32>)
// CHECK: %[[Y:.*]] = tensor.expand_shape %[[P]] {{\[}}[0, 1], [2]] output_shape [%{{.*}}, 3, 5] : tensor<?x5xf32> into tensor<?x3x5xf32>
// CHECK: %[[YB:.*]] = linalg.generic {{.*}} ins(%[[Y]], %[[B]] : tensor<?x3x5xf32>, tensor<5xf32>)
// CHECK: return %[[YB]]
func.func @dense_linear(%x: tensor<?x3x4xf32>, %w: tensor<5x4xf32>, %b: tensor<5xf32>) -> tensor<?x3x5xf32> {
  %y = ht.linear %x, %w bias %b : tensor<?x3x4xf32>, tensor<5x4xf32>, tensor<5xf32> -> tensor<?x3x5xf32>
  return %y : tensor<?x3x5xf32>
}

// -----

// An HT matrix crossing a function boundary becomes its factor tensors:
// leaves by mode, then transfers in preorder.
// CHECK-LABEL: func.func @signature
// CHECK-SAME: (%{{.*}}: tensor<4x5x2xf32>, %{{.*}}: tensor<2x6x3xf32>, %{{.*}}: tensor<3x7x4xf32>, %{{.*}}: tensor<4x6x1xf32>, %{{.*}}: tensor<2x3x6xf32>)
// CHECK-SAME: -> (tensor<4x5x2xf32>, tensor<2x6x3xf32>, tensor<3x7x4xf32>, tensor<4x6x1xf32>, tensor<2x3x6xf32>)
// CHECK-NEXT: return
!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = (2, (0, 1)), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>
func.func @signature(%w: !w3) -> !w3 {
  return %w : !w3
}

// ht.assemble just forwards its operands; a call passes the factors.
// CHECK-LABEL: func.func @assemble_and_call
// CHECK-SAME: (%[[A:.*]]: tensor<4x5x2xf32>, %[[B:.*]]: tensor<2x6x3xf32>, %[[C:.*]]: tensor<3x7x4xf32>, %[[D:.*]]: tensor<4x6x1xf32>, %[[E:.*]]: tensor<2x3x6xf32>)
// CHECK: call @signature(%[[A]], %[[B]], %[[C]], %[[D]], %[[E]])
func.func @assemble_and_call(%u0: tensor<4x5x2xf32>, %u1: tensor<2x6x3xf32>, %u2: tensor<3x7x4xf32>,
                             %b0: tensor<4x6x1xf32>, %b1: tensor<2x3x6xf32>) -> !w3 {
  %w = ht.assemble leaves(%u0, %u1, %u2 : tensor<4x5x2xf32>, tensor<2x6x3xf32>, tensor<3x7x4xf32>)
                   transfers(%b0, %b1 : tensor<4x6x1xf32>, tensor<2x3x6xf32>) : !w3
  %r = func.call @signature(%w) : (!w3) -> !w3
  return %r : !w3
}

// -----

// ht.to_dense follows the node-frame definition: for each internal node,
// contract the left frame with the transfer tensor, then the right frame;
// then put the modes back in order and collapse to M x N.
// CHECK-LABEL: func.func @to_dense
// CHECK-COUNT-4: {{linalg.contract|linalg.generic}} 
// CHECK: linalg.transpose
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<4x2x3x5x6x7xf32> into tensor<24x210xf32>
!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = (2, (0, 1)), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>
func.func @to_dense(%w: !w3) -> tensor<24x210xf32> {
  %d = ht.to_dense %w : !w3 -> tensor<24x210xf32>
  return %d : tensor<24x210xf32>
}

// -----

// ht.contract becomes linalg.contract with the einsum's maps: the loops run
// the lhs's labels, then the rhs's others; the result keeps the order of its
// labels (its layout).
// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2)>
// CHECK-DAG: #[[$S:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4, d1, d5)>
// CHECK-DAG: #[[$R:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d2, d4, d5)>
// CHECK-LABEL: func.func @contract
// CHECK: linalg.contract indexing_maps = [#[[$X]], #[[$S]], #[[$R]]]
func.func @contract(%x: tensor<?x8x20xf32>, %s: tensor<4x16x8x4xf32>) -> tensor<?x4x20x16x4xf32> {
  %g = ht.contract %x [0, 1, 2], %s [5, 3, 1, 4] -> [0, 5, 2, 3, 4]
     : tensor<?x8x20xf32>, tensor<4x16x8x4xf32> -> tensor<?x4x20x16x4xf32>
  return %g : tensor<?x4x20x16x4xf32>
}
