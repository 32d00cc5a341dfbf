// ht-optimize alone: every HT product planned into ht.contract steps (the
// LSTM's recurrent one inside the time loop too), LSTMs expanded into
// ht.linear + ht.lstm_update, weight-only steps folded. What is left is
// what ht-lower-to-linalg takes.
// RUN: ht-opt %s --ht-optimize | FileCheck %s
// RUN: ht-opt %s --ht-optimize | FileCheck %s --check-prefix=GONE
// RUN: ht-opt %s --ht-optimize="fold-weights=false choose-weight-format=false" | FileCheck %s --check-prefix=NOFOLD
// RUN: ht-opt %s --ht-optimize | ht-opt --convert-ht-to-linalg > /dev/null
// RUN: not ht-opt %s --ht-optimize="order=sideways" 2>&1 | FileCheck %s --check-prefix=BADOPT

// The input projection is hoisted over all T x B rows and planned; the loop
// multiplies h by W_hh through its own plan (rank-1 factors: input first),
// then updates the cell. Each result is laid out as a matrix product's
// output, so the last step of each is transposed into [rows, m_0, m_1].
// CHECK-LABEL: func.func @forward
// CHECK: %[[Z:.*]] = ht.contract %{{.*}} : tensor<?x?x8x8xf32>, tensor<4x8x1xf32> -> tensor<?x?x8x4x1xf32>
// CHECK-NEXT: %[[Z2:.*]] = ht.contract %[[Z]] {{.*}} -> tensor<?x?x4x4xf32>
// CHECK: linalg.transpose ins(%[[Z2]] : tensor<?x?x4x4xf32>) {{.*}} permutation = [0, 1, 3, 2]
// CHECK: scf.for
// CHECK-NOT: ht.linear
// CHECK: %[[ZH:.*]] = ht.contract %{{.*}} : tensor<?x1x4xf32>, tensor<4x4x1xf32> -> tensor<?x1x4x1xf32>
// CHECK-NEXT: ht.contract %[[ZH]]
// CHECK: ht.lstm_update
// CHECK: scf.yield
// CHECK: return
// Nothing in the whole function is left unplanned or unexpanded.
// GONE-LABEL: func.func @forward
// GONE-NOT: {{ht\.(linear|factors|constant|lstm |lstm_cell)}}
// GONE: return

// Without folding every step stays a run-time ht.contract on the factors.
// NOFOLD-LABEL: func.func @forward
// NOFOLD-COUNT-3: ht.contract
// NOFOLD: scf.for
// NOFOLD-COUNT-3: ht.contract
// NOFOLD: ht.lstm_update
// NOFOLD: scf.yield

// BADOPT: Cannot find option named 'sideways'

!wih = !ht.matrix<[4, 4] x [8, 8], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
!whh = !ht.matrix<[4, 4] x [1, 4], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @forward(%x: tensor<?x?x64xf32>, %h: tensor<?x4xf32>, %c: tensor<?x4xf32>,
                   %bih: tensor<16xf32>, %bhh: tensor<16xf32>)
    -> (tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %wih = ht.constant leaves [dense<0.5> : tensor<4x8x1xf32>, dense<0.25> : tensor<4x8x1xf32>]
                     transfers [dense<1.0> : tensor<1x1x1xf32>] : !wih
  %whh = ht.constant leaves [dense<0.5> : tensor<4x1x1xf32>, dense<0.25> : tensor<4x4x1xf32>]
                     transfers [dense<1.0> : tensor<1x1x1xf32>] : !whh
  %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh) biases(%bih, %bhh)
    : (tensor<?x?x64xf32>, tensor<?x4xf32>, tensor<?x4xf32>, !wih, !whh, tensor<16xf32>, tensor<16xf32>)
   -> (tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>)
  return %o, %hn, %cn : tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
