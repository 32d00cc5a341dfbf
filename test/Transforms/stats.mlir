// RUN: ht-opt %s --ht-stats -o /dev/null 2>&1 | FileCheck %s
// RUN: ht-opt %s --ht-stats="remarks=true table=false" -verify-diagnostics -o /dev/null | count 0
// RUN: ht-opt %s --ht-stats 2>/dev/null | FileCheck %s --check-prefix=IR

// The pass leaves the IR alone.
// IR-LABEL: func.func @linear
// IR: ht.linear

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = (2, (0, 1)), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

// Leaves 4*5*2 + 2*6*3 + 3*7*4 = 40 + 36 + 84 = 160; transfers root
// 4*6*1 = 24 and node 1 2*3*6 = 36: P = 220 for a 24 x 210 = 5040 matrix.
// CHECK-LABEL: ht.linear in @linear
// CHECK-NEXT: weight kind shape params dense params compression dense MACs/row
// CHECK-NEXT: W ht 24 x 210 220 5040 22.91x 5040
// CHECK-NEXT: modes [4, 2, 3] x [5, 6, 7], tree (2, (0, 1)), leaf ranks [2, 3, 4], node ranks [1, 6]
// CHECK-NEXT: b dense 1 x 24 24 24 1.00x -
// CHECK-NEXT: total 244 5064 20.75x 5040
func.func @linear(%x: tensor<?x210xf32>, %w: !w3, %b: tensor<24xf32>) -> tensor<?x24xf32> {
  // expected-remark @+1 {{W: 220 parameters, 5040 dense, compression 22.91x, dense MACs/row 5040}}
  %y = ht.linear %x, %w bias %b : tensor<?x210xf32>, !w3, tensor<24xf32> -> tensor<?x24xf32>
  return %y : tensor<?x24xf32>
}

// The worked example of semantics.md: 5 parameters for 4 dense ones.
// CHECK-LABEL: ht.to_dense in @to_dense
// CHECK-NEXT: weight
// CHECK-NEXT: W ht 2 x 2 5 4 0.80x 4
// CHECK-NOT: total
!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @to_dense(%w: !tiny) -> tensor<2x2xf32> {
  // expected-remark @+1 {{W: 5 parameters, 4 dense, compression 0.80x, dense MACs/row 4}}
  %d = ht.to_dense %w : !tiny -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// Per-gate: four HT gates of 6 x 210 (2*14*2 + 3*15*2 + 2*2*1 = 56 + 90 + 4
// = 150 each), a dense W_hh (24 x 6) and two biases of 24.
!gate = !ht.matrix<[2, 3] x [14, 15], tree = (1, 0), leaf_ranks = [2, 2], node_ranks = [1], f32>
// CHECK-LABEL: ht.lstm in @lstm_per_gate
// CHECK-NEXT: weight
// CHECK-NEXT: W_ih[i] ht 6 x 210 150 1260 8.40x 1260
// CHECK-NEXT: modes [2, 3] x [14, 15], tree (1, 0)
// CHECK-NEXT: W_ih[f] ht 6 x 210 150 1260
// CHECK: W_ih[g] ht
// CHECK: W_ih[o] ht
// CHECK: W_hh dense 24 x 6 144 144 1.00x 144
// CHECK-NEXT: biases dense 2 x 24 48 48 1.00x -
// CHECK-NEXT: total 792 5232 6.61x 5184
func.func @lstm_per_gate(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %g: !gate, %whh: tensor<24x6xf32>, %b: tensor<24xf32>) {
  // expected-remark @+4 {{W_ih[i]: 150 parameters}}
  // expected-remark @+3 {{W_ih[f]: 150 parameters}}
  // expected-remark @+2 {{W_ih[g]: 150 parameters}}
  // expected-remark @+1 {{W_ih[o]: 150 parameters}}
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %h weights(%g, %g, %g, %g, %whh) biases(%b, %b)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !gate, !gate, !gate, !gate, tensor<24x6xf32>, tensor<24xf32>, tensor<24xf32>)
   -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// A dense-only cell still gets a table; it has no HT weight, so no remark.
// CHECK-LABEL: ht.lstm_cell in @dense_cell
// CHECK-NEXT: weight
// CHECK-NEXT: [W_ih|W_hh] dense 24 x 216 5184 5184 1.00x 5184
func.func @dense_cell(%x: tensor<?x210xf32>, %h: tensor<?x6xf32>, %w: tensor<24x216xf32>) {
  %h1, %c1 = ht.lstm_cell fused %x, %h, %h weights(%w)
    : (tensor<?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, tensor<24x216xf32>) -> (tensor<?x6xf32>, tensor<?x6xf32>)
  return
}
