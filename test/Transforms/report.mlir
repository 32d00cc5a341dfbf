// RUN: ht-opt %s --ht-report -o /dev/null 2>&1 | FileCheck %s
// RUN: ht-opt %s --ht-report="expected-rows=16 fold-size-limit=100000000" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ROWS

// The UCF11 input matrix at rank 4 (factors as arguments: nothing folds).
// peers.md quotes 15.5 M MACs for the naive order, 1.87 M for the optimal
// one and 59.0 M for dense, for one sample.
!ucf11 = !ht.matrix<[16, 4, 4, 4] x [8, 20, 20, 18], tree = ((0, 1), (2, 3)), leaf_ranks = [4, 4, 4, 4], node_ranks = [1, 4, 4], f32>

// CHECK-LABEL: ht.linear in @ucf11, W: 1024 x 57600, tree ((0, 1), (2, 3)), 1 row(s)
// CHECK-NEXT: chosen order   ((((X * U2) * (U3 * (B0 * B2))) * (U1 * B1)) * U0)
// CHECK-NEXT: MACs per row   optimal 1865472.0, left-to-right 15466496.0, greedy 2445568.0, dense 295345152.0
// CHECK-NEXT: folded         0 of 7 steps, 0 MACs at compile time
// With 16 expected rows, the weight-only steps are shared by 16 rows: the
// optimum per row drops, and rebuilding W costs 16 times less per row.
// ROWS-LABEL: ht.linear in @ucf11_batched, W: 1024 x 57600, tree ((0, 1), (2, 3)), 16 row(s)
// ROWS-NEXT: chosen order   ((((X * U2) * (U3 * (B0 * B2))) * (U1 * B1)) * U0)
// ROWS-NEXT: MACs per row   optimal 1856112.0, left-to-right 15466496.0, greedy 2445328.0, dense 73755072.0
func.func @ucf11(%x: tensor<1x57600xf32>, %w: !ucf11) -> tensor<1x1024xf32> {
  %y = ht.linear %x, %w : tensor<1x57600xf32>, !ucf11 -> tensor<1x1024xf32>
  return %y : tensor<1x1024xf32>
}
func.func @ucf11_batched(%x: tensor<?x57600xf32>, %w: !ucf11) -> tensor<?x1024xf32> {
  %y = ht.linear %x, %w : tensor<?x57600xf32>, !ucf11 -> tensor<?x1024xf32>
  return %y : tensor<?x1024xf32>
}

// Constant factors: weight-only steps are folded at compile time.
// CHECK-LABEL: ht.lstm in @lstm, W_ih: 24 x 6, tree (0, 1), 1 row(s)
// CHECK-NEXT: chosen order   (X * ((U0 * B0) * U1))
// CHECK-NEXT: MACs per row   optimal 144.0, left-to-right 432.0, greedy 168.0, dense 144.0
// CHECK-NEXT: folded         2 of 3 steps, 320 MACs at compile time
!small = !ht.matrix<[4, 6] x [2, 3], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @lstm(%x: tensor<3x1x6xf32>, %h: tensor<1x6xf32>, %whh: tensor<24x6xf32>) -> tensor<3x1x6xf32> {
  %w = ht.constant leaves [dense<1.0> : tensor<4x2x2xf32>, dense<1.0> : tensor<6x3x2xf32>] transfers [dense<1.0> : tensor<2x2x1xf32>] : !small
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%w, %whh)
    : (tensor<3x1x6xf32>, tensor<1x6xf32>, tensor<1x6xf32>, !small, tensor<24x6xf32>) -> (tensor<3x1x6xf32>, tensor<1x6xf32>, tensor<1x6xf32>)
  return %o : tensor<3x1x6xf32>
}
