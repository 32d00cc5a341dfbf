// RUN: ht-opt %s --pass-pipeline='builtin.module(func.func(ht-order-contractions{strategy=left-to-right}))' | FileCheck %s --check-prefix=LTR
// RUN: ht-opt %s --pass-pipeline='builtin.module(func.func(ht-order-contractions))' | FileCheck %s --check-prefix=OPT
// RUN: ht-opt %s --pass-pipeline='builtin.module(func.func(ht-order-contractions{strategy=dense},ht-fold-weights))' | FileCheck %s --check-prefix=DENSE
// RUN: ht-opt %s --ht-report=fold-weights=false -o /dev/null 2> %t.plan
// RUN: ht-opt %s --pass-pipeline='builtin.module(func.func(ht-order-contractions{fold-weights=false}),ht-report)' -o /dev/null 2>> %t.plan
// RUN: FileCheck %s --check-prefix=RECOUNT < %t.plan
// RUN: ht-opt %s --pass-pipeline='builtin.module(func.func(ht-order-contractions{max-intermediate-bytes=100}))' | FileCheck %s --check-prefix=BLOCKS

// A 3-mode HT matrix with constant factors, 2 rows.
// Labels: 0 rows; per mode k: 1+3k row factor, 2+3k column factor, 3+3k leaf
// rank; 10, 11 node ranks.
!w = !ht.matrix<[2, 3, 2] x [4, 5, 3], tree = ((0, 1), 2), leaf_ranks = [2, 3, 2], node_ranks = [1, 3], f32>

// Left to right: the input absorbs U0, U1, B1, U2, B0 in tree postorder.
// LTR-LABEL: func.func @linear
// LTR-DAG: %[[X:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2, 3]] output_shape [2, 4, 5, 3] : tensor<2x60xf32> into tensor<2x4x5x3xf32>
// LTR-DAG: %[[F:.*]]:5 = ht.factors %{{.*}} : !ht.matrix<{{.*}}> -> tensor<2x4x2xf32>, tensor<3x5x3xf32>, tensor<2x3x2xf32>, tensor<3x2x1xf32>, tensor<2x3x3xf32>
// Each intermediate is laid out as a matrix product's output: the labels
// kept from the activation first, in its order, then the factor's own (the
// weight's labels innermost, m0 = 1 and a0 = 3 after the first step).
// LTR: %[[S0:.*]] = ht.contract %[[X]] [0, 2, 5, 8], %[[F]]#0 [1, 2, 3] -> [0, 5, 8, 1, 3]
// LTR: %[[S1:.*]] = ht.contract %[[S0]] [0, 5, 8, 1, 3], %[[F]]#1 [4, 5, 6] -> [0, 8, 1, 3, 4, 6]
// LTR: %[[S2:.*]] = ht.contract %[[S1]] [0, 8, 1, 3, 4, 6], %[[F]]#4 [3, 6, 11] -> [0, 8, 1, 4, 11]
// LTR: %[[S3:.*]] = ht.contract %[[S2]] [0, 8, 1, 4, 11], %[[F]]#2 [7, 8, 9] -> [0, 1, 4, 11, 7, 9]
// LTR: %[[S4:.*]] = ht.contract %[[S3]] [0, 1, 4, 11, 7, 9], %[[F]]#3 [11, 9, 10] -> [0, 1, 4, 7]
// LTR: tensor.collapse_shape %[[S4]] {{\[}}[0], [1, 2, 3]] : tensor<2x2x3x2xf32> into tensor<2x12xf32>

// The optimal order is bushy: the input meets only U0; U1, B1, B0 and U2
// combine among themselves (free: they fold at compile time); then one step
// joins the two halves.
// OPT-LABEL: func.func @linear
// The last step is a matrix product of the two halves over a0, n1, n2
// (3, 5, 8).
// OPT: %[[XU0:.*]] = ht.contract %{{.*}} [0, 2, 5, 8], %[[F:.*]]#0 [1, 2, 3] -> [0, 5, 8, 1, 3]
// OPT: %[[W1:.*]] = ht.contract %[[F]]#1 [4, 5, 6], %[[F]]#4 [3, 6, 11] -> [4, 5, 3, 11]
// OPT: %[[W2:.*]] = ht.contract %[[W1]] [4, 5, 3, 11], %[[F]]#3 [11, 9, 10] -> [4, 5, 3, 9]
// OPT: %[[W3:.*]] = ht.contract %[[W2]] [4, 5, 3, 9], %[[F]]#2 [7, 8, 9] -> [4, 5, 3, 7, 8]
// OPT: ht.contract %[[XU0]] [0, 5, 8, 1, 3], %[[W3]] [4, 5, 3, 7, 8] -> [0, 1, 4, 7]

// Dense: all weight-only steps fold into the 12 x 60 matrix, as a constant
// over [m0, n0, m1, n1, m2, n2] (every entry 0.5*0.25*0.125*2*3*... = 1.125;
// the code generator lays constants out for itself); one contraction with
// the input remains.
// DENSE-LABEL: func.func @linear
// DENSE: %[[W:.*]] = arith.constant dense<1.125000e+00> : tensor<2x4x3x5x2x3xf32>
// DENSE-NOT: ht.factors
// DENSE: ht.contract %{{.*}} [0, 2, 5, 8], %[[W]] [1, 2, 4, 5, 7, 8] -> [0, 1, 4, 7] : tensor<2x4x5x3xf32>, tensor<2x4x3x5x2x3xf32> -> tensor<2x2x3x2xf32>
// DENSE-NOT: ht.contract

// The emitted steps cost what the search said: 780 MACs per row, 2 rows.
// RECOUNT: chosen order   (((X * U0) * (U1 * (B0 * B1))) * U2)
// RECOUNT-NEXT: MACs per row   optimal 780.0, left-to-right 1392.0, greedy 780.0, dense 2412.0
// RECOUNT: ht.contract in @linear: 5 steps, 1560.0 MACs per call
// Past max-intermediate-bytes (here 100 bytes, under one row's 240) the rows
// go through the network in blocks (one row each), each block planned alone.
// BLOCKS-LABEL: func.func @linear
// BLOCKS: scf.for %[[ROW:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[OUT:.*]] = %{{.*}}) -> (tensor<2x12xf32>)
// BLOCKS: %[[N:.*]] = arith.minsi
// BLOCKS: tensor.extract_slice %{{.*}}[%[[ROW]], 0] [%[[N]], 60] [1, 1] : tensor<2x60xf32> to tensor<?x60xf32>
// BLOCKS-COUNT-5: ht.contract
// BLOCKS: tensor.insert_slice %{{.*}} into %[[OUT]][%[[ROW]], 0] [%[[N]], 12] [1, 1] : tensor<?x12xf32> into tensor<2x12xf32>
func.func @linear(%x: tensor<2x60xf32>) -> tensor<2x12xf32> {
  %w = ht.constant leaves [dense<0.5> : tensor<2x4x2xf32>, dense<0.25> : tensor<3x5x3xf32>, dense<0.125> : tensor<2x3x2xf32>]
                   transfers [dense<1.0> : tensor<3x2x1xf32>, dense<2.0> : tensor<2x3x3xf32>] : !w
  %y = ht.linear %x, %w : tensor<2x60xf32>, !w -> tensor<2x12xf32>
  return %y : tensor<2x12xf32>
}
