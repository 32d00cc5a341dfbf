// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-expand-lstm))' | FileCheck %s

// ht.lstm: an scf.for over time. The biases are summed once, before the
// loop; each step is one ht.linear per product and one ht.lstm_update.
// CHECK-LABEL: func.func @stacked
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x6xf32>, %[[H0:.*]]: tensor<?x2xf32>, %[[C0:.*]]: tensor<?x2xf32>, %[[WIH:.*]]: !ht.matrix<{{.*}}>, %[[WHH:.*]]: tensor<8x2xf32>, %[[BIH:.*]]: tensor<8xf32>, %[[BHH:.*]]: tensor<8xf32>)
// CHECK: %[[B:.*]] = linalg.generic {{.*}} ins(%[[BIH]], %[[BHH]] : tensor<8xf32>, tensor<8xf32>)
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x?x6xf32>
// CHECK: %[[LOOP:.*]]:3 = scf.for %[[STEP:.*]] = %{{.*}} to %[[T]] step %{{.*}} iter_args(%[[H:.*]] = %[[H0]], %[[C:.*]] = %[[C0]], %[[OUT:.*]] = %{{.*}}) -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x?x2xf32>)
// CHECK-NEXT: %[[XT:.*]] = tensor.extract_slice %[[X]][%[[STEP]], 0, 0] [1, %{{.*}}, 6] [1, 1, 1] : tensor<?x?x6xf32> to tensor<?x6xf32>
// CHECK-NEXT: %[[ZX:.*]] = ht.linear %[[XT]], %[[WIH]] : tensor<?x6xf32>, !ht.matrix<{{.*}}> -> tensor<?x8xf32>
// CHECK-NEXT: %[[ZH:.*]] = ht.linear %[[H]], %[[WHH]] : tensor<?x2xf32>, tensor<8x2xf32> -> tensor<?x8xf32>
// CHECK-NEXT: %[[HN:.*]], %[[CN:.*]] = ht.lstm_update(%[[ZX]], %[[ZH]]), %[[C]] bias %[[B]] gate_activation = hard_sigmoid
// CHECK-NEXT: %[[WRITTEN:.*]] = tensor.insert_slice %[[HN]] into %[[OUT]][%[[STEP]], 0, 0] [1, %{{.*}}, 2] [1, 1, 1]
// CHECK-NEXT: scf.yield %[[HN]], %[[CN]], %[[WRITTEN]]
// CHECK: return %[[LOOP]]#2, %[[LOOP]]#0, %[[LOOP]]#1
!w = !ht.matrix<[2, 4] x [2, 3], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @stacked(%x: tensor<?x?x6xf32>, %h: tensor<?x2xf32>, %c: tensor<?x2xf32>, %wih: !w,
                   %whh: tensor<8x2xf32>, %bih: tensor<8xf32>, %bhh: tensor<8xf32>)
    -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh) biases(%bih, %bhh) gate_activation = hard_sigmoid
    : (tensor<?x?x6xf32>, tensor<?x2xf32>, tensor<?x2xf32>, !w, tensor<8x2xf32>, tensor<8xf32>, tensor<8xf32>)
   -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>)
  return %o, %hn, %cn : tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}

// -----

// Per gate: the four gates' products joined along the features, then the
// recurrent product; no biases.
// CHECK-LABEL: func.func @per_gate_cell
// CHECK-SAME: (%[[X:.*]]: tensor<3x6xf32>, %[[H:.*]]: tensor<3x2xf32>, %[[G:.*]]: !ht.matrix<{{.*}}>, %[[WHH:.*]]: tensor<8x2xf32>)
// CHECK-COUNT-4: ht.linear %[[X]], %[[G]] : tensor<3x6xf32>, !ht.matrix<{{.*}}> -> tensor<3x2xf32>
// CHECK-NEXT: %[[ZX:.*]] = tensor.concat dim(1) %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x8xf32>
// CHECK-NEXT: %[[ZH:.*]] = ht.linear %[[H]], %[[WHH]]
// CHECK-NEXT: ht.lstm_update(%[[ZX]], %[[ZH]]), %[[H]] : (tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>)
// CHECK-NOT: ht.lstm_cell
!g = !ht.matrix<[1, 2] x [2, 3], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @per_gate_cell(%x: tensor<3x6xf32>, %h: tensor<3x2xf32>, %g: !g, %whh: tensor<8x2xf32>)
    -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %h1, %c1 = ht.lstm_cell per_gate %x, %h, %h weights(%g, %g, %g, %g, %whh)
    : (tensor<3x6xf32>, tensor<3x2xf32>, tensor<3x2xf32>, !g, !g, !g, !g, tensor<8x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>)
  return %h1, %c1 : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// Fused: [x, h] (x cast to h's static batch first), then one product.
// CHECK-LABEL: func.func @fused_cell
// CHECK-SAME: (%[[X:.*]]: tensor<?x2xf32>, %[[H:.*]]: tensor<3x1xf32>, %[[W:.*]]: tensor<4x3xf32>)
// CHECK: %[[XS:.*]] = tensor.cast %[[X]] : tensor<?x2xf32> to tensor<3x2xf32>
// CHECK-NEXT: %[[XH:.*]] = tensor.concat dim(1) %[[XS]], %[[H]] : (tensor<3x2xf32>, tensor<3x1xf32>) -> tensor<3x3xf32>
// CHECK-NEXT: %[[Z:.*]] = ht.linear %[[XH]], %[[W]] : tensor<3x3xf32>, tensor<4x3xf32> -> tensor<3x4xf32>
// CHECK-NEXT: ht.lstm_update(%[[Z]]), %[[H]] :
func.func @fused_cell(%x: tensor<?x2xf32>, %h: tensor<3x1xf32>, %w: tensor<4x3xf32>)
    -> (tensor<3x1xf32>, tensor<3x1xf32>) {
  %h1, %c1 = ht.lstm_cell fused %x, %h, %h weights(%w)
    : (tensor<?x2xf32>, tensor<3x1xf32>, tensor<3x1xf32>, tensor<4x3xf32>) -> (tensor<3x1xf32>, tensor<3x1xf32>)
  return %h1, %c1 : tensor<3x1xf32>, tensor<3x1xf32>
}

// -----

// Projected: the input is already z_x; only the recurrent product is left.
// CHECK-LABEL: func.func @projected
// CHECK-SAME: (%[[Z:.*]]: tensor<5x2x8xf32>, %[[H0:.*]]: tensor<2x2xf32>, %[[WHH:.*]]: !ht.matrix<{{.*}}>)
// CHECK: scf.for
// CHECK: %[[ZT:.*]] = tensor.extract_slice %[[Z]]
// CHECK-NEXT: %[[ZH:.*]] = ht.linear %{{.*}}, %[[WHH]] : tensor<2x2xf32>, !ht.matrix<{{.*}}> -> tensor<2x8xf32>
// CHECK-NEXT: ht.lstm_update(%[[ZT]], %[[ZH]]), %{{.*}} : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x2xf32>)
// CHECK-NOT: ht.lstm
!r = !ht.matrix<[4, 2] x [1, 2], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @projected(%z: tensor<5x2x8xf32>, %h: tensor<2x2xf32>, %whh: !r) -> tensor<5x2x2xf32> {
  %o, %hn, %cn = ht.lstm projected %z, %h, %h weights(%whh)
    : (tensor<5x2x8xf32>, tensor<2x2xf32>, tensor<2x2xf32>, !r) -> (tensor<5x2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>)
  return %o : tensor<5x2x2xf32>
}

// -----

// Reversed: iteration i runs step T - 1 - i, reading x and writing the
// output there.
// CHECK-LABEL: func.func @reverse
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x6xf32>,
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x?x6xf32>
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[T]] step %[[ONE:.*]] iter_args(
// CHECK-NEXT: %[[LAST:.*]] = arith.subi %[[T]], %[[ONE]] : index
// CHECK-NEXT: %[[STEP:.*]] = arith.subi %[[LAST]], %[[I]] : index
// CHECK-NEXT: tensor.extract_slice %[[X]][%[[STEP]], 0, 0]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[%[[STEP]], 0, 0]
func.func @reverse(%x: tensor<?x?x6xf32>, %h: tensor<?x2xf32>, %c: tensor<?x2xf32>,
                   %wih: tensor<8x6xf32>, %whh: tensor<8x2xf32>)
    -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh) reverse
    : (tensor<?x?x6xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<8x6xf32>, tensor<8x2xf32>)
   -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>)
  return %o, %hn, %cn : tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}

// -----

// Batch-first: step t reads x[:, t, :] and writes output[:, t, :] (strided
// slices, no transpose).
// CHECK-LABEL: func.func @batch_first
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x6xf32>,
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %c1 : tensor<?x?x6xf32>
// CHECK: scf.for %[[STEP:.*]] = %{{.*}} to %[[T]] step
// CHECK-NEXT: tensor.extract_slice %[[X]][0, %[[STEP]], 0] [%{{.*}}, 1, 6] [1, 1, 1] : tensor<?x?x6xf32> to tensor<?x6xf32>
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, %[[STEP]], 0] [%{{.*}}, 1, 2] [1, 1, 1] : tensor<?x2xf32> into tensor<?x?x2xf32>
func.func @batch_first(%x: tensor<?x?x6xf32>, %h: tensor<?x2xf32>, %c: tensor<?x2xf32>,
                       %wih: tensor<8x6xf32>, %whh: tensor<8x2xf32>)
    -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh) batch_first
    : (tensor<?x?x6xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<8x6xf32>, tensor<8x2xf32>)
   -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>)
  return %o, %hn, %cn : tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}
