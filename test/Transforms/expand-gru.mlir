// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-expand-gru))' | FileCheck %s

// ht.gru: an scf.for over time, each step one ht.linear per product and one
// ht.gru_update that keeps b_ih and b_hh apart (b_hn is scaled by r).
// CHECK-LABEL: func.func @stacked
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x6xf32>, %[[H0:.*]]: tensor<?x2xf32>, %[[WIH:.*]]: !ht.matrix<{{.*}}>, %[[WHH:.*]]: tensor<6x2xf32>, %[[BIH:.*]]: tensor<6xf32>, %[[BHH:.*]]: tensor<6xf32>)
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x?x6xf32>
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[STEP:.*]] = %{{.*}} to %[[T]] step %{{.*}} iter_args(%[[H:.*]] = %[[H0]], %[[OUT:.*]] = %{{.*}}) -> (tensor<?x2xf32>, tensor<?x?x2xf32>)
// CHECK-NEXT: %[[XT:.*]] = tensor.extract_slice %[[X]][%[[STEP]], 0, 0] [1, %{{.*}}, 6] [1, 1, 1] : tensor<?x?x6xf32> to tensor<?x6xf32>
// CHECK-NEXT: %[[ZX:.*]] = ht.linear %[[XT]], %[[WIH]] : tensor<?x6xf32>, !ht.matrix<{{.*}}> -> tensor<?x6xf32>
// CHECK-NEXT: %[[ZH:.*]] = ht.linear %[[H]], %[[WHH]] : tensor<?x2xf32>, tensor<6x2xf32> -> tensor<?x6xf32>
// CHECK-NEXT: %[[HN:.*]] = ht.gru_update(%[[ZX]], %[[ZH]]), %[[H]] input_bias %[[BIH]] hidden_bias %[[BHH]]
// CHECK-NEXT: %[[WRITTEN:.*]] = tensor.insert_slice %[[HN]] into %[[OUT]][%[[STEP]], 0, 0] [1, %{{.*}}, 2] [1, 1, 1]
// CHECK-NEXT: scf.yield %[[HN]], %[[WRITTEN]]
// CHECK: return %[[LOOP]]#1, %[[LOOP]]#0
!w = !ht.matrix<[2, 3] x [2, 3], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @stacked(%x: tensor<?x?x6xf32>, %h: tensor<?x2xf32>, %wih: !w,
                   %whh: tensor<6x2xf32>, %bih: tensor<6xf32>, %bhh: tensor<6xf32>)
    -> (tensor<?x?x2xf32>, tensor<?x2xf32>) {
  %o, %hn = ht.gru stacked %x, %h weights(%wih, %whh) biases(%bih, %bhh)
    : (tensor<?x?x6xf32>, tensor<?x2xf32>, !w, tensor<6x2xf32>, tensor<6xf32>, tensor<6xf32>)
   -> (tensor<?x?x2xf32>, tensor<?x2xf32>)
  return %o, %hn : tensor<?x?x2xf32>, tensor<?x2xf32>
}

// -----

// Reversed and batch-first: step T - 1 - i reads and writes [:, t, :].
// CHECK-LABEL: func.func @reverse_batch_first
// CHECK: scf.for %[[I:[^ ]*]] =
// CHECK: %[[T:.*]] = arith.subi %{{.*}}, %[[I]] : index
// CHECK-NEXT: tensor.extract_slice %{{.*}}[0, %[[T]], 0] [4, 1, 6] [1, 1, 1] : tensor<4x5x6xf32> to tensor<4x6xf32>
// CHECK: ht.gru_update
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, %[[T]], 0] [4, 1, 2] [1, 1, 1]
func.func @reverse_batch_first(%x: tensor<4x5x6xf32>, %h: tensor<4x2xf32>, %wih: tensor<6x6xf32>,
                               %whh: tensor<6x2xf32>) -> (tensor<4x5x2xf32>, tensor<4x2xf32>) {
  %o, %hn = ht.gru stacked %x, %h weights(%wih, %whh) reverse batch_first
    : (tensor<4x5x6xf32>, tensor<4x2xf32>, tensor<6x6xf32>, tensor<6x2xf32>) -> (tensor<4x5x2xf32>, tensor<4x2xf32>)
  return %o, %hn : tensor<4x5x2xf32>, tensor<4x2xf32>
}

// -----

// Per gate: the three gates' products joined, then the recurrent product;
// a projected cell's input is its input part, and b_hh its only bias.
// CHECK-LABEL: func.func @cells
// CHECK-SAME: (%[[X:.*]]: tensor<3x6xf32>, %[[H:.*]]: tensor<3x2xf32>, %[[G:.*]]: tensor<2x6xf32>, %[[WHH:.*]]: tensor<6x2xf32>, %[[B:.*]]: tensor<6xf32>)
// CHECK-COUNT-3: ht.linear %[[X]], %[[G]] : tensor<3x6xf32>, tensor<2x6xf32> -> tensor<3x2xf32>
// CHECK-NEXT: %[[ZX:.*]] = tensor.concat dim(1) %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x6xf32>
// CHECK-NEXT: %[[ZH:.*]] = ht.linear %[[H]], %[[WHH]]
// CHECK-NEXT: %[[H1:.*]] = ht.gru_update(%[[ZX]], %[[ZH]]), %[[H]] : (tensor<3x6xf32>, tensor<3x6xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
// CHECK-NEXT: %[[ZH2:.*]] = ht.linear %[[H1]], %[[WHH]]
// CHECK-NEXT: ht.gru_update(%[[X]], %[[ZH2]]), %[[H1]] hidden_bias %[[B]] :
// CHECK-NOT: ht.gru_cell
func.func @cells(%x: tensor<3x6xf32>, %h: tensor<3x2xf32>, %g: tensor<2x6xf32>, %whh: tensor<6x2xf32>,
                 %b: tensor<6xf32>) -> tensor<3x2xf32> {
  %h1 = ht.gru_cell per_gate %x, %h weights(%g, %g, %g, %whh)
    : (tensor<3x6xf32>, tensor<3x2xf32>, tensor<2x6xf32>, tensor<2x6xf32>, tensor<2x6xf32>, tensor<6x2xf32>) -> tensor<3x2xf32>
  %h2 = ht.gru_cell projected %x, %h1 weights(%whh) biases(%b)
    : (tensor<3x6xf32>, tensor<3x2xf32>, tensor<6x2xf32>, tensor<6xf32>) -> tensor<3x2xf32>
  return %h2 : tensor<3x2xf32>
}
