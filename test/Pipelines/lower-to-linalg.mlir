// ht-lower-to-linalg alone, on what ht-optimize leaves: no ht op, no
// !ht.matrix type, one linalg.contract per ht.contract step and one
// element-wise kernel per LSTM step.
// RUN: ht-opt %s --ht-optimize > %t.planned.mlir
// RUN: ht-opt %t.planned.mlir --ht-lower-to-linalg | FileCheck %s
// RUN: ht-opt %t.planned.mlir --ht-lower-to-linalg | FileCheck %s --check-prefix=NOT
// An unplanned model is refused with the pass to run.
// RUN: not ht-opt %s --ht-lower-to-linalg 2>&1 | FileCheck %s --check-prefix=UNPLANNED
// CHECK-LABEL: func.func @forward
// CHECK-COUNT-2: linalg.contract
// CHECK: scf.for
// CHECK: linalg.contract
// CHECK: linalg.contract
// CHECK: linalg.generic
// CHECK: math.tanh
// CHECK: scf.yield
// NOT-NOT: {{(^|[^a-z_])ht\.}}
// UNPLANNED: error: ht.lstm reached the lowering unexpanded; run ht-expand-lstm (part of the ht-optimize pipeline) first

!wih = !ht.matrix<[4, 4] x [8, 8], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
!whh = !ht.matrix<[4, 4] x [1, 4], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @forward(%x: tensor<?x?x64xf32>, %h: tensor<?x4xf32>, %c: tensor<?x4xf32>)
    -> (tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %wih = ht.constant leaves [dense<0.5> : tensor<4x8x1xf32>, dense<0.25> : tensor<4x8x1xf32>]
                     transfers [dense<1.0> : tensor<1x1x1xf32>] : !wih
  %whh = ht.constant leaves [dense<0.5> : tensor<4x1x1xf32>, dense<0.25> : tensor<4x4x1xf32>]
                     transfers [dense<1.0> : tensor<1x1x1xf32>] : !whh
  %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh)
    : (tensor<?x?x64xf32>, tensor<?x4xf32>, tensor<?x4xf32>, !wih, !whh)
   -> (tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>)
  return %o, %hn, %cn : tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
