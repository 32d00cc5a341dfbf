// RUN: ht-opt %s --ht-compress="num-modes=2" --split-input-file | FileCheck %s
// RUN: ht-opt %s --ht-compress="num-modes=2" --split-input-file -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPORT
// RUN: ht-opt %s --ht-compress="num-modes=2 max-rank=1 weights=all" --split-input-file \
// RUN:   | FileCheck %s --check-prefix=CAPPED
// RUN: ht-opt %s --ht-compress="weights=W row-modes=4,1 col-modes=1,4 tree=(1,0) report=false" \
// RUN:   --split-input-file | FileCheck %s --check-prefix=MODES

// kron(A, B) with A = [[1, 2], [3, 4]], B = [[0.5, -1], [2, 0.25]]: with modes
// [2, 2] x [2, 2] it is exactly an HT matrix of ranks 1 (A in mode 0, B in
// mode 1), which the HSVD finds.

// CHECK-LABEL: func.func @kronecker
// CHECK-NOT: arith.constant
// CHECK: %[[W:.*]] = ht.constant leaves [dense<{{.*}}> : tensor<2x2x1xf32>, dense<{{.*}}> : tensor<2x2x1xf32>] transfers [dense<{{.*}}> : tensor<1x1x1xf32>]
// CHECK-SAME: !ht.matrix<[2, 2] x [2, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
// CHECK: ht.linear %{{.*}}, %[[W]] :

// REPORT: ht-compress: ht.linear in @kronecker: W 4 x 4 -> 9 parameters (compression 1.78x), relative error {{[0-9.]+}}e-0{{[89]}} (HSVD bound 0.000e+00)
// REPORT-NEXT: modes [2, 2] x [2, 2], tree (0, 1), leaf ranks [1, 1], node ranks [1]

// MODES-LABEL: func.func @kronecker
// MODES: ht.constant {{.*}} : !ht.matrix<[4, 1] x [1, 4], tree = (1, 0), leaf_ranks = [4, 4], node_ranks = [1], f32>

func.func @kronecker(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = arith.constant dense<[[0.5, -1.0, 1.0, -2.0], [2.0, 0.25, 4.0, 0.5],
                             [1.5, -3.0, 2.0, -4.0], [6.0, 0.75, 8.0, 1.0]]> : tensor<4x4xf32>
  %y = ht.linear %x, %w : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// By default only the input matrix of an LSTM is compressed; `weights=all`
// takes W_hh too. A constant shared by two ops is compressed once.

// CHECK-LABEL: func.func @lstm
// CHECK: %[[WIH:.*]] = ht.constant {{.*}} : !ht.matrix<[2, 2] x [2, 1], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
// CHECK-NOT: ht.constant
// CHECK: %[[WHH:.*]] = arith.constant {{.*}} : tensor<4x1xf32>
// CHECK: ht.lstm stacked %{{.*}} weights(%[[WIH]], %[[WHH]])
// CHECK: ht.lstm_cell stacked %{{.*}} weights(%[[WIH]], %[[WHH]])

// REPORT: ht-compress: ht.lstm in @lstm: W_ih 4 x 2 -> 16 parameters (compression 0.50x), relative error {{.*}} (HSVD bound 0.000e+00)
// REPORT-NOT: ht-compress:

// CAPPED-LABEL: func.func @lstm
// CAPPED-DAG: ht.constant {{.*}} : !ht.matrix<[2, 2] x [2, 1], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
// CAPPED-DAG: ht.constant {{.*}} : !ht.matrix<[2, 2] x [1, 1], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
// CAPPED-NOT: arith.constant

func.func @lstm(%x: tensor<3x1x2xf32>, %h0: tensor<1x1xf32>, %c0: tensor<1x1xf32>, %x1: tensor<1x2xf32>)
    -> (tensor<3x1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>) {
  %wih = arith.constant dense<[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.9]]> : tensor<4x2xf32>
  %whh = arith.constant dense<[[0.1], [0.2], [0.3], [0.4]]> : tensor<4x1xf32>
  %out, %hn, %cn = ht.lstm stacked %x, %h0, %c0 weights(%wih, %whh)
    : (tensor<3x1x2xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<4x2xf32>, tensor<4x1xf32>)
   -> (tensor<3x1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
  %h, %c = ht.lstm_cell stacked %x1, %hn, %cn weights(%wih, %whh)
    : (tensor<1x2xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<4x2xf32>, tensor<4x1xf32>)
   -> (tensor<1x1xf32>, tensor<1x1xf32>)
  return %out, %h, %c : tensor<3x1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>
}
