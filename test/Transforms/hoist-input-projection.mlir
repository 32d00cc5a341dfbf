// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-hoist-input-projection))' | FileCheck %s

// Stacked: one ht.linear over all T x B rows with b_ih + b_hh as its bias,
// then the recurrence alone.
// CHECK-LABEL: func.func @stacked
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x6xf32>, %[[H:.*]]: tensor<?x2xf32>, %[[C:.*]]: tensor<?x2xf32>, %[[WIH:.*]]: !ht.matrix<{{.*}}>, %[[WHH:.*]]: tensor<8x2xf32>, %[[BIH:.*]]: tensor<8xf32>, %[[BHH:.*]]: tensor<8xf32>)
// CHECK: %[[B:.*]] = linalg.generic {{.*}} ins(%[[BIH]], %[[BHH]] : tensor<8xf32>, tensor<8xf32>)
// CHECK: %[[Z:.*]] = ht.linear %[[X]], %[[WIH]] bias %[[B]] : tensor<?x?x6xf32>, !ht.matrix<{{.*}}>, tensor<8xf32> -> tensor<?x?x8xf32>
// CHECK: ht.lstm projected %[[Z]], %[[H]], %[[C]] weights(%[[WHH]]) gate_activation = hard_sigmoid : (tensor<?x?x8xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<8x2xf32>)
!w = !ht.matrix<[2, 4] x [2, 3], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @stacked(%x: tensor<?x?x6xf32>, %h: tensor<?x2xf32>, %c: tensor<?x2xf32>, %wih: !w,
                   %whh: tensor<8x2xf32>, %bih: tensor<8xf32>, %bhh: tensor<8xf32>) -> tensor<?x?x2xf32> {
  %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh) biases(%bih, %bhh) gate_activation = hard_sigmoid
    : (tensor<?x?x6xf32>, tensor<?x2xf32>, tensor<?x2xf32>, !w, tensor<8x2xf32>, tensor<8xf32>, tensor<8xf32>)
   -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>)
  return %o : tensor<?x?x2xf32>
}

// -----

// Per gate: four linears (no biases here), joined along the gate axis.
// CHECK-LABEL: func.func @per_gate
// CHECK-COUNT-4: ht.linear %{{.*}}, %{{.*}} : tensor<3x1x6xf32>, !ht.matrix<{{.*}}> -> tensor<3x1x2xf32>
// CHECK: %[[Z:.*]] = tensor.concat dim(2) %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3x1x2xf32>, tensor<3x1x2xf32>, tensor<3x1x2xf32>, tensor<3x1x2xf32>) -> tensor<3x1x8xf32>
// CHECK: ht.lstm projected %[[Z]]
!g = !ht.matrix<[1, 2] x [2, 3], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @per_gate(%x: tensor<3x1x6xf32>, %h: tensor<1x2xf32>, %g: !g, %whh: tensor<8x2xf32>) -> tensor<3x1x2xf32> {
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %h weights(%g, %g, %g, %g, %whh)
    : (tensor<3x1x6xf32>, tensor<1x2xf32>, tensor<1x2xf32>, !g, !g, !g, !g, tensor<8x2xf32>)
   -> (tensor<3x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
  return %o : tensor<3x1x2xf32>
}

// -----

// Fused weights cannot be split: left alone.
// CHECK-LABEL: func.func @fused
// CHECK-NOT: ht.linear
// CHECK: ht.lstm fused
func.func @fused(%x: tensor<3x1x6xf32>, %h: tensor<1x2xf32>, %w: tensor<8x8xf32>) -> tensor<3x1x2xf32> {
  %o, %hn, %cn = ht.lstm fused %x, %h, %h weights(%w)
    : (tensor<3x1x6xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<8x8xf32>)
   -> (tensor<3x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
  return %o : tensor<3x1x2xf32>
}

// -----

// The direction stays with the recurrence.
// CHECK-LABEL: func.func @reverse
// CHECK: ht.linear
// CHECK: ht.lstm projected {{.*}} reverse :
func.func @reverse(%x: tensor<?x?x6xf32>, %h: tensor<?x2xf32>, %c: tensor<?x2xf32>,
                   %wih: tensor<8x6xf32>, %whh: tensor<8x2xf32>)
    -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh) reverse
    : (tensor<?x?x6xf32>, tensor<?x2xf32>, tensor<?x2xf32>, tensor<8x6xf32>, tensor<8x2xf32>)
   -> (tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>)
  return %o, %hn, %cn : tensor<?x?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}

// -----

// A GRU: W_ih with b_ih alone over all steps; b_hh stays with the loop,
// since the reset gate scales b_hn.
// CHECK-LABEL: func.func @gru
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x6xf32>, %[[H:.*]]: tensor<?x2xf32>, %[[WIH:.*]]: tensor<6x6xf32>, %[[WHH:.*]]: tensor<6x2xf32>, %[[BIH:.*]]: tensor<6xf32>, %[[BHH:.*]]: tensor<6xf32>)
// CHECK: %[[P:.*]] = ht.linear %[[X]], %[[WIH]] bias %[[BIH]] : tensor<?x?x6xf32>, tensor<6x6xf32>, tensor<6xf32> -> tensor<?x?x6xf32>
// CHECK-NEXT: ht.gru projected %[[P]], %[[H]] weights(%[[WHH]]) biases(%[[BHH]]) batch_first :
func.func @gru(%x: tensor<?x?x6xf32>, %h: tensor<?x2xf32>, %wih: tensor<6x6xf32>, %whh: tensor<6x2xf32>,
               %bih: tensor<6xf32>, %bhh: tensor<6xf32>) -> (tensor<?x?x2xf32>, tensor<?x2xf32>) {
  %o, %hn = ht.gru stacked %x, %h weights(%wih, %whh) biases(%bih, %bhh) batch_first
    : (tensor<?x?x6xf32>, tensor<?x2xf32>, tensor<6x6xf32>, tensor<6x2xf32>, tensor<6xf32>, tensor<6xf32>)
   -> (tensor<?x?x2xf32>, tensor<?x2xf32>)
  return %o, %hn : tensor<?x?x2xf32>, tensor<?x2xf32>
}

// -----

// Per gate: three products joined along the features, each with its third
// of b_ih.
// CHECK-LABEL: func.func @gru_per_gate
// CHECK-COUNT-3: ht.linear %{{.*}}, %{{.*}} bias %{{.*}} : tensor<5x3x6xf32>, tensor<2x6xf32>, tensor<2xf32> -> tensor<5x3x2xf32>
// CHECK-NEXT: %[[P:.*]] = tensor.concat dim(2) {{.*}} -> tensor<5x3x6xf32>
// CHECK-NEXT: ht.gru projected %[[P]], %{{.*}} weights(%{{.*}}) biases(%{{.*}}) reverse :
func.func @gru_per_gate(%x: tensor<5x3x6xf32>, %h: tensor<3x2xf32>, %g: tensor<2x6xf32>, %whh: tensor<6x2xf32>,
                        %b: tensor<6xf32>) -> (tensor<5x3x2xf32>, tensor<3x2xf32>) {
  %o, %hn = ht.gru per_gate %x, %h weights(%g, %g, %g, %whh) biases(%b, %b) reverse
    : (tensor<5x3x6xf32>, tensor<3x2xf32>, tensor<2x6xf32>, tensor<2x6xf32>, tensor<2x6xf32>, tensor<6x2xf32>, tensor<6xf32>, tensor<6xf32>)
   -> (tensor<5x3x2xf32>, tensor<3x2xf32>)
  return %o, %hn : tensor<5x3x2xf32>, tensor<3x2xf32>
}
