// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-choose-weight-format{report=true}))' 2>&1 | FileCheck %s
// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-choose-weight-format{report=true fold-weights=false}))' 2>&1 | FileCheck %s --check-prefix=NOFOLD
// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-choose-weight-format{fold-size-limit=4}))' | FileCheck %s --check-prefix=LIMIT
// RUN: ht-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(ht-expand-lstm,ht-choose-weight-format{report=true}))' 2>&1 | FileCheck %s --check-prefix=EXPANDED

// Each weight is costed with the plan ht-order-contractions will run for it.
// W_hh (8 x 2, ranks 2): with folding its best plan is to rebuild W at
// compile time, 16 multiply-adds per row, the same as a dense GEMM: it
// becomes the dense matrix (semantics section 2: row i = 2 i_0 + i_1 is
// 5 U0[i_0, 0, 0] U1[i_1, :, 0] = 5 (1 or 2) (3, 4) for i_1 = 0, and zero for
// i_1 = 1). W_ih (8 x 64, rank 1) costs 192 through its factors (its
// weight-only step folded) against 512 dense: it stays HT.
// CHECK: ht-choose-weight-format: ht.lstm in @small_recurrent: W_ih 8 x 64, 1 rows: HT 192, dense 512 -> HT
// CHECK: ht-choose-weight-format: ht.lstm in @small_recurrent: W_hh 8 x 2, 1 rows: HT 16, dense 16 -> dense
// Without folding the factors meet the activations every step: W_hh costs
// 32 in HT form, W_ih 200.
// NOFOLD: ht-choose-weight-format: ht.lstm in @small_recurrent: W_ih 8 x 64, 1 rows: HT 200, dense 512 -> HT
// NOFOLD: ht-choose-weight-format: ht.lstm in @small_recurrent: W_hh 8 x 2, 1 rows: HT 32, dense 16 -> dense
// After ht-expand-lstm (as in ht-optimize) the products are ht.linear ops
// in the time loop, with the batch as rows: the same choice.
// EXPANDED: ht-choose-weight-format: ht.linear in @small_recurrent: W 8 x 64, 1 rows: HT 192, dense 512 -> HT
// EXPANDED: ht-choose-weight-format: ht.linear in @small_recurrent: W 8 x 2, 1 rows: HT 16, dense 16 -> dense
// EXPANDED-LABEL: func.func @small_recurrent
// EXPANDED: %[[WHH:.*]] = arith.constant dense<{{.*}}> : tensor<8x2xf32>
// EXPANDED: scf.for
// EXPANDED: ht.linear %{{.*}}, %[[WHH]] : tensor<1x2xf32>, tensor<8x2xf32> -> tensor<1x8xf32>
// CHECK-LABEL: func.func @small_recurrent
// CHECK: %[[WIH:.*]] = ht.constant
// CHECK: %[[WHH:.*]] = arith.constant dense<{{\[}}[1.500000e+01, 2.000000e+01], [0.000000e+00, 0.000000e+00], [3.000000e+01, 4.000000e+01], [0.000000e+00, 0.000000e+00], [1.500000e+01, 2.000000e+01], [0.000000e+00, 0.000000e+00], [3.000000e+01, 4.000000e+01], [0.000000e+00, 0.000000e+00]]> : tensor<8x2xf32>
// CHECK-NOT: ht.constant
// CHECK: ht.lstm stacked %{{.*}} weights(%[[WIH]], %[[WHH]])

// A dense matrix larger than fold-size-limit is not built.
// LIMIT-LABEL: func.func @small_recurrent
// LIMIT-COUNT-2: ht.constant
// LIMIT-NOT: arith.constant dense<{{.*}}> : tensor<8x2xf32>
!wih = !ht.matrix<[4, 2] x [8, 8], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
!whh = !ht.matrix<[4, 2] x [1, 2], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @small_recurrent(%x: tensor<5x1x64xf32>, %h: tensor<1x2xf32>) -> tensor<5x1x2xf32> {
  %wih = ht.constant leaves [dense<0.5> : tensor<4x8x1xf32>, dense<0.25> : tensor<2x8x1xf32>]
                     transfers [dense<1.0> : tensor<1x1x1xf32>] : !wih
  %whh = ht.constant leaves [dense<[[[1.0, 0.0]], [[2.0, 0.0]], [[1.0, 0.0]], [[2.0, 0.0]]]> : tensor<4x1x2xf32>,
                             dense<[[[3.0, 0.0], [4.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]]> : tensor<2x2x2xf32>]
                     transfers [dense<[[[5.0], [0.0]], [[0.0], [0.0]]]> : tensor<2x2x1xf32>] : !whh
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<5x1x64xf32>, tensor<1x2xf32>, tensor<1x2xf32>, !wih, !whh)
   -> (tensor<5x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
  return %o : tensor<5x1x2xf32>
}
