// ht.linear with extra leading batch dimensions and with a single row, on
// the worked example of semantics.md (W = [[15, 20], [30, 40]], b = [1, 2]):
// a row of ones gives [36, 72].
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as n; n.save('%t/x3.npy', n.ones((2, 3, 2), n.float32)); n.save('%t/x1.npy', n.ones((2,), n.float32))"
// RUN: ht-run %s --entry batched --input %t/x3.npy --output-dir %t/batched | FileCheck %s --check-prefix=BATCHED
// BATCHED: result0 y [2, 3, 2] sum 6.480000e+02
// RUN: ht-run %s --entry single --input %t/x1.npy --output-dir %t/single | FileCheck %s --check-prefix=SINGLE
// SINGLE: result0 y [2] sum 1.080000e+02
// RUN: %python -c "import numpy as n; print(n.load('%t/batched/result0.npy')[1, 2].tolist(), n.load('%t/single/result0.npy').tolist())" | FileCheck %s --check-prefix=VALUES
// VALUES: [36.0, 72.0] [36.0, 72.0]

!w = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @batched(%x: tensor<2x?x2xf32>) -> tensor<2x?x2xf32> {
  %w = ht.constant leaves [dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>, dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>] transfers [dense<5.0> : tensor<1x1x1xf32>] : !w
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = ht.linear %x, %w bias %b : tensor<2x?x2xf32>, !w, tensor<2xf32> -> tensor<2x?x2xf32>
  return %y : tensor<2x?x2xf32>
}

func.func @single(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = ht.constant leaves [dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>, dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>] transfers [dense<5.0> : tensor<1x1x1xf32>] : !w
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = ht.linear %x, %w bias %b : tensor<2xf32>, !w, tensor<2xf32> -> tensor<2xf32>
  return %y : tensor<2xf32>
}
