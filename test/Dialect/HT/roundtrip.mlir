// RUN: ht-opt %s | ht-opt | FileCheck %s
// RUN: ht-opt %s --mlir-print-op-generic | ht-opt | FileCheck %s

// The worked example of semantics.md, W = [[15, 20], [30, 40]].
!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
// 24 x 210, an unbalanced tree with permuted leaves.
!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = (2, (0, 1)), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

// CHECK-LABEL: func.func @constant_and_to_dense
// CHECK: %[[W:.*]] = ht.constant leaves [dense<{{\[}}{{\[}}[1.000000e+00]], {{\[}}[2.000000e+00]]]> : tensor<2x1x1xf32>, dense<{{\[}}{{\[}}[3.000000e+00], [4.000000e+00]]]> : tensor<1x2x1xf32>] transfers [dense<5.000000e+00> : tensor<1x1x1xf32>] : !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
// CHECK: ht.to_dense %[[W]] : !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32> -> tensor<2x2xf32>
func.func @constant_and_to_dense() -> tensor<2x2xf32> {
  %w = ht.constant leaves [dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>,
                           dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>]
                   transfers [dense<5.0> : tensor<1x1x1xf32>] : !tiny
  %d = ht.to_dense %w : !tiny -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @resource_constant
// CHECK: ht.constant leaves [dense_resource<u0> : tensor<2x1x1xf32>, dense_resource<u1> : tensor<1x2x1xf32>] transfers [dense_resource<b0> : tensor<1x1x1xf32>]
func.func @resource_constant() -> !tiny {
  %w = ht.constant leaves [dense_resource<u0> : tensor<2x1x1xf32>,
                           dense_resource<u1> : tensor<1x2x1xf32>]
                   transfers [dense_resource<b0> : tensor<1x1x1xf32>] : !tiny
  return %w : !tiny
}

// CHECK-LABEL: func.func @assemble
// CHECK-SAME: (%[[U0:.*]]: tensor<4x5x2xf32>, %[[U1:.*]]: tensor<2x6x3xf32>, %[[U2:.*]]: tensor<3x7x4xf32>, %[[B0:.*]]: tensor<4x6x1xf32>, %[[B1:.*]]: tensor<2x3x6xf32>)
// CHECK: ht.assemble leaves(%[[U0]], %[[U1]], %[[U2]] : tensor<4x5x2xf32>, tensor<2x6x3xf32>, tensor<3x7x4xf32>) transfers(%[[B0]], %[[B1]] : tensor<4x6x1xf32>, tensor<2x3x6xf32>) : !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = (2, (0, 1)), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>
func.func @assemble(%u0: tensor<4x5x2xf32>, %u1: tensor<2x6x3xf32>,
                    %u2: tensor<3x7x4xf32>, %b0: tensor<4x6x1xf32>,
                    %b1: tensor<2x3x6xf32>) -> !w3 {
  %w = ht.assemble leaves(%u0, %u1, %u2 : tensor<4x5x2xf32>, tensor<2x6x3xf32>, tensor<3x7x4xf32>)
                   transfers(%b0, %b1 : tensor<4x6x1xf32>, tensor<2x3x6xf32>) : !w3
  return %w : !w3
}

// CHECK-LABEL: func.func @linear
// CHECK: ht.linear %{{.*}}, %{{.*}} : tensor<?x210xf32>, !ht.matrix<{{.*}}> -> tensor<?x24xf32>
// CHECK: ht.linear %{{.*}}, %{{.*}} bias %{{.*}} : tensor<3x?x210xf32>, !ht.matrix<{{.*}}>, tensor<24xf32> -> tensor<3x?x24xf32>
// CHECK: ht.linear %{{.*}}, %{{.*}} : tensor<210xf32>, !ht.matrix<{{.*}}> -> tensor<24xf32>
func.func @linear(%x: tensor<?x210xf32>, %x3: tensor<3x?x210xf32>, %v: tensor<210xf32>,
                  %w: !w3, %b: tensor<24xf32>) -> (tensor<?x24xf32>, tensor<3x?x24xf32>, tensor<24xf32>) {
  %y = ht.linear %x, %w : tensor<?x210xf32>, !w3 -> tensor<?x24xf32>
  %y3 = ht.linear %x3, %w bias %b : tensor<3x?x210xf32>, !w3, tensor<24xf32> -> tensor<3x?x24xf32>
  %yv = ht.linear %v, %w : tensor<210xf32>, !w3 -> tensor<24xf32>
  return %y, %y3, %yv : tensor<?x24xf32>, tensor<3x?x24xf32>, tensor<24xf32>
}

// H = 6, I = 210: W_ih is 24 x 210.
// CHECK-LABEL: func.func @lstm_stacked
// CHECK: ht.lstm stacked %{{.*}}, %{{.*}}, %{{.*}} weights(%{{.*}}, %{{.*}}) biases(%{{.*}}, %{{.*}}) : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !ht.matrix<{{.*}}>, tensor<24x6xf32>, tensor<24xf32>, tensor<24xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
// CHECK: ht.lstm stacked {{.*}} weights(%{{.*}}, %{{.*}}) gate_activation = hard_sigmoid : (tensor<5x2x210xf32>
// CHECK: ht.lstm stacked {{.*}} weights(%{{.*}}, %{{.*}}) gate_activation = hard_sigmoid reverse : (tensor<5x2x210xf32>
// CHECK: ht.lstm stacked {{.*}} weights(%{{.*}}, %{{.*}}) reverse batch_first : (tensor<2x5x210xf32>
func.func @lstm_stacked(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %c: tensor<?x6xf32>,
                        %wih: !w3, %whh: tensor<24x6xf32>, %b: tensor<24xf32>,
                        %xs: tensor<5x2x210xf32>, %hs: tensor<2x6xf32>) {
  %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh) biases(%b, %b)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>, tensor<24xf32>, tensor<24xf32>)
   -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  %o2, %hn2, %cn2 = ht.lstm stacked %xs, %hs, %hs weights(%wih, %whh) gate_activation = hard_sigmoid
    : (tensor<5x2x210xf32>, tensor<2x6xf32>, tensor<2x6xf32>, !w3, tensor<24x6xf32>)
   -> (tensor<5x2x6xf32>, tensor<2x6xf32>, tensor<2x6xf32>)
  %o3, %hn3, %cn3 = ht.lstm stacked %xs, %hs, %hs weights(%wih, %whh) gate_activation = hard_sigmoid reverse
    : (tensor<5x2x210xf32>, tensor<2x6xf32>, tensor<2x6xf32>, !w3, tensor<24x6xf32>)
   -> (tensor<5x2x6xf32>, tensor<2x6xf32>, tensor<2x6xf32>)
  %xb = tensor.empty() : tensor<2x5x210xf32>
  %o4, %hn4, %cn4 = ht.lstm stacked %xb, %hs, %hs weights(%wih, %whh) reverse batch_first
    : (tensor<2x5x210xf32>, tensor<2x6xf32>, tensor<2x6xf32>, !w3, tensor<24x6xf32>)
   -> (tensor<2x5x6xf32>, tensor<2x6xf32>, tensor<2x6xf32>)
  return
}

// The default gate activation is not printed.
// CHECK-LABEL: func.func @lstm_default_activation
// CHECK-NOT: gate_activation
// CHECK: return
func.func @lstm_default_activation(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh) gate_activation = sigmoid
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>)
   -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// Per-gate: four 6 x 210 HT matrices and an HT W_hh (24 x 6).
!gate = !ht.matrix<[2, 3] x [14, 15], tree = (1, 0), leaf_ranks = [2, 2], node_ranks = [1], f32>
!rec = !ht.matrix<[4, 6] x [2, 3], tree = (0, 1), leaf_ranks = [3, 3], node_ranks = [1], f32>
// CHECK-LABEL: func.func @lstm_per_gate
// CHECK: ht.lstm per_gate %{{.*}}, %{{.*}}, %{{.*}} weights(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) :
func.func @lstm_per_gate(%x: tensor<7x?x210xf32>, %h: tensor<?x6xf32>, %wi: !gate, %wf: !gate,
                         %wg: !gate, %wo: !gate, %whh: !rec) -> tensor<7x?x6xf32> {
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %h weights(%wi, %wf, %wg, %wo, %whh)
    : (tensor<7x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !gate, !gate, !gate, !gate, !rec)
   -> (tensor<7x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return %o : tensor<7x?x6xf32>
}

// Fused: one 24 x (210 + 6) = 24 x 216 matrix; and a dense fused weight.
!fused = !ht.matrix<[4, 6] x [12, 18], tree = (0, 1), leaf_ranks = [4, 4], node_ranks = [1], f32>
// CHECK-LABEL: func.func @lstm_fused
// CHECK: ht.lstm fused %{{.*}}, %{{.*}}, %{{.*}} weights(%{{.*}}) biases
// CHECK: ht.lstm fused %{{.*}}, %{{.*}}, %{{.*}} weights(%{{.*}}) : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, tensor<24x216xf32>)
func.func @lstm_fused(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %w: !fused, %wd: tensor<24x216xf32>, %b: tensor<24xf32>) {
  %o, %hn, %cn = ht.lstm fused %x, %h, %h weights(%w) biases(%b, %b)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !fused, tensor<24xf32>, tensor<24xf32>)
   -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  %o2, %hn2, %cn2 = ht.lstm fused %x, %h, %h weights(%wd)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, tensor<24x216xf32>)
   -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// CHECK-LABEL: func.func @lstm_cell
// CHECK: ht.lstm_cell stacked %{{.*}}, %{{.*}}, %{{.*}} weights(%{{.*}}, %{{.*}}) biases(%{{.*}}, %{{.*}}) : (tensor<?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !ht.matrix<{{.*}}>, tensor<24x6xf32>, tensor<24xf32>, tensor<24xf32>) -> (tensor<?x6xf32>, tensor<?x6xf32>)
// CHECK: ht.lstm_cell per_gate
// CHECK: ht.lstm_cell fused {{.*}} gate_activation = hard_sigmoid
func.func @lstm_cell(%x: tensor<?x210xf32>, %h: tensor<?x6xf32>, %c: tensor<?x6xf32>, %wih: !w3,
                     %whh: tensor<24x6xf32>, %b: tensor<24xf32>, %g: !gate, %rec: !rec, %f: !fused) {
  %h1, %c1 = ht.lstm_cell stacked %x, %h, %c weights(%wih, %whh) biases(%b, %b)
    : (tensor<?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>, tensor<24xf32>, tensor<24xf32>)
   -> (tensor<?x6xf32>, tensor<?x6xf32>)
  %h2, %c2 = ht.lstm_cell per_gate %x, %h1, %c1 weights(%g, %g, %g, %g, %rec)
    : (tensor<?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !gate, !gate, !gate, !gate, !rec)
   -> (tensor<?x6xf32>, tensor<?x6xf32>)
  %h3, %c3 = ht.lstm_cell fused %x, %h2, %c2 weights(%f) gate_activation = hard_sigmoid
    : (tensor<?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !fused) -> (tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// A dense weight in ht.linear; an LSTM over precomputed gate pre-activations.
// CHECK-LABEL: func.func @dense_linear_and_projected
// CHECK: ht.linear %{{.*}}, %{{.*}} bias %{{.*}} : tensor<?x?x210xf32>, tensor<24x210xf32>, tensor<24xf32> -> tensor<?x?x24xf32>
// CHECK: ht.lstm projected %{{.*}}, %{{.*}}, %{{.*}} weights(%{{.*}}) : (tensor<?x?x24xf32>, tensor<?x6xf32>, tensor<?x6xf32>, tensor<24x6xf32>)
func.func @dense_linear_and_projected(%x: tensor<?x?x210xf32>, %w: tensor<24x210xf32>, %b: tensor<24xf32>,
                                      %h: tensor<?x6xf32>, %whh: tensor<24x6xf32>) -> tensor<?x?x6xf32> {
  %z = ht.linear %x, %w bias %b : tensor<?x?x210xf32>, tensor<24x210xf32>, tensor<24xf32> -> tensor<?x?x24xf32>
  %o, %hn, %cn = ht.lstm projected %z, %h, %h weights(%whh)
    : (tensor<?x?x24xf32>, tensor<?x6xf32>, tensor<?x6xf32>, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return %o : tensor<?x?x6xf32>
}

// f64 is accepted as long as every operand agrees.
// CHECK-LABEL: func.func @f64_linear
// CHECK: !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f64>
func.func @f64_linear(%x: tensor<3x2xf64>, %w: !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f64>) -> tensor<3x2xf64> {
  %y = ht.linear %x, %w : tensor<3x2xf64>, !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f64> -> tensor<3x2xf64>
  return %y : tensor<3x2xf64>
}

// CHECK-LABEL: func.func @contract
// CHECK: ht.contract %{{.*}} [0, 1, 2], %{{.*}} [3, 1, 4] -> [0, 2, 3, 4] : tensor<?x8x20xf32>, tensor<16x8x4xf32> -> tensor<?x20x16x4xf32>
// CHECK: ht.contract %{{.*}} [0, 1, 2], %{{.*}} [5, 3, 1, 4] -> [0, 5, 2, 3, 4] : tensor<?x8x20xf32>, tensor<4x16x8x4xf32> -> tensor<?x4x20x16x4xf32>
func.func @contract(%x: tensor<?x8x20xf32>, %u: tensor<16x8x4xf32>, %s: tensor<4x16x8x4xf32>)
    -> (tensor<?x20x16x4xf32>, tensor<?x4x20x16x4xf32>) {
  %t = ht.contract %x [0, 1, 2], %u [3, 1, 4] -> [0, 2, 3, 4]
     : tensor<?x8x20xf32>, tensor<16x8x4xf32> -> tensor<?x20x16x4xf32>
  %g = ht.contract %x [0, 1, 2], %s [5, 3, 1, 4] -> [0, 5, 2, 3, 4]
     : tensor<?x8x20xf32>, tensor<4x16x8x4xf32> -> tensor<?x4x20x16x4xf32>
  return %t, %g : tensor<?x20x16x4xf32>, tensor<?x4x20x16x4xf32>
}

// CHECK-LABEL: func.func @lstm_update
// CHECK: ht.lstm_update(%{{.*}}, %{{.*}}), %{{.*}} bias %{{.*}} gate_activation = hard_sigmoid : (tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x2xf32>, tensor<8xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>)
// CHECK: ht.lstm_update(%{{.*}}), %{{.*}} : (tensor<3x8xf32>, tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>)
func.func @lstm_update(%zx: tensor<?x8xf32>, %zh: tensor<?x8xf32>, %c: tensor<?x2xf32>, %b: tensor<8xf32>,
                       %z: tensor<3x8xf32>, %c3: tensor<3x2xf32>) {
  %h, %c1 = ht.lstm_update(%zx, %zh), %c bias %b gate_activation = hard_sigmoid
    : (tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x2xf32>, tensor<8xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>)
  %h3, %c4 = ht.lstm_update(%z), %c3 : (tensor<3x8xf32>, tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>)
  return
}

{-#
  dialect_resources: {
    builtin: {
      u0: "0x040000000000803F00000040",
      u1: "0x040000000000404000008040",
      b0: "0x040000000000A040"
    }
  }
#-}

// CHECK-LABEL: func.func @gru
// CHECK: ht.gru stacked %{{.*}}, %{{.*}} weights(%{{.*}}, %{{.*}}) biases(%{{.*}}, %{{.*}}) : (tensor<?x?x210xf32>, tensor<?x6xf32>, !ht.matrix<{{.*}}>, tensor<18x6xf32>, tensor<18xf32>, tensor<18xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
// CHECK: ht.gru per_gate {{.*}} reverse batch_first : (tensor<2x5x210xf32>
// CHECK: ht.gru projected {{.*}} weights(%{{.*}}) biases(%{{.*}}) : (tensor<?x?x18xf32>
// CHECK: ht.gru_cell stacked {{.*}} -> tensor<?x6xf32>
// CHECK: ht.gru_update(%{{.*}}, %{{.*}}), %{{.*}} input_bias %{{.*}} hidden_bias %{{.*}} : (tensor<?x18xf32>, tensor<?x18xf32>, tensor<?x6xf32>, tensor<18xf32>, tensor<18xf32>) -> tensor<?x6xf32>
// CHECK: ht.gru_update(%{{.*}}, %{{.*}}), %{{.*}} hidden_bias %{{.*}} :
!gru_w = !ht.matrix<[3, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>
func.func @gru(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !gru_w, %whh: tensor<18x6xf32>,
               %b: tensor<18xf32>, %xb: tensor<2x5x210xf32>, %hs: tensor<2x6xf32>, %g: tensor<6x210xf32>,
               %p: tensor<?x?x18xf32>, %x1: tensor<?x210xf32>, %z: tensor<?x18xf32>) {
  %o, %hn = ht.gru stacked %x, %h weights(%wih, %whh) biases(%b, %b)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, !gru_w, tensor<18x6xf32>, tensor<18xf32>, tensor<18xf32>)
   -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  %o2, %hn2 = ht.gru per_gate %xb, %hs weights(%g, %g, %g, %whh) reverse batch_first
    : (tensor<2x5x210xf32>, tensor<2x6xf32>, tensor<6x210xf32>, tensor<6x210xf32>, tensor<6x210xf32>, tensor<18x6xf32>)
   -> (tensor<2x5x6xf32>, tensor<2x6xf32>)
  %o3, %hn3 = ht.gru projected %p, %h weights(%whh) biases(%b)
    : (tensor<?x?x18xf32>, tensor<?x6xf32>, tensor<18x6xf32>, tensor<18xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  %h1 = ht.gru_cell stacked %x1, %h weights(%wih, %whh)
    : (tensor<?x210xf32>, tensor<?x6xf32>, !gru_w, tensor<18x6xf32>) -> tensor<?x6xf32>
  %h2 = ht.gru_update(%z, %z), %h input_bias %b hidden_bias %b
    : (tensor<?x18xf32>, tensor<?x18xf32>, tensor<?x6xf32>, tensor<18xf32>, tensor<18xf32>) -> tensor<?x6xf32>
  %h3 = ht.gru_update(%z, %z), %h hidden_bias %b
    : (tensor<?x18xf32>, tensor<?x18xf32>, tensor<?x6xf32>, tensor<18xf32>) -> tensor<?x6xf32>
  return
}
