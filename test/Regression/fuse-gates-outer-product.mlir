// Per-gate rank-1 factors with fold-weights=false: the optimal plan of the
// fused gates multiplies two weight factors that share only the gate label
// (an outer product, step %3 below). linalg.contract needs a summed
// dimension, so the lowering failed ("'indexing_maps' do not specify a
// contracting dimension"); such steps are now linalg.generic, and every
// pipeline gives the same numbers.
// RUN: ht-opt %s --ht-optimize="fold-weights=false fuse-gates=true" | FileCheck %s --check-prefix=PLAN
// PLAN: ht.contract %{{.*}} [2, 3, 4, 5], %{{.*}} [2, 9, 10, 11] -> [2, 3, 4, 5, 9, 10, 11]
// RUN: ht-opt %s --ht-to-llvm="fold-weights=false fuse-gates=true" -o /dev/null
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as n; r = n.random.RandomState(0); n.save('%t/x.npy', r.randn(3, 1, 2).astype(n.float32)); n.save('%t/h.npy', r.randn(1, 4).astype(n.float32)); n.save('%t/w.npy', r.randn(16, 4).astype(n.float32))"
// RUN: ht-run %s --input %t/x.npy --input %t/h.npy --input %t/w.npy > %t/sums
// RUN: ht-run %s --input %t/x.npy --input %t/h.npy --input %t/w.npy --pipeline-options="fold-weights=false fuse-gates=true" >> %t/sums
// RUN: ht-run %s --input %t/x.npy --input %t/h.npy --input %t/w.npy --pipeline-options="fold-weights=false fuse-gates=true vectorize=false" >> %t/sums
// RUN: FileCheck %s --check-prefix=SAME < %t/sums
// SAME: result0 output [3, 1, 4] sum [[SUM:.*]]
// SAME: result0 output [3, 1, 4] sum [[SUM]]
// SAME: result0 output [3, 1, 4] sum [[SUM]]
!g = !ht.matrix<[2, 1, 2] x [1, 2, 1], tree = ((0, 1), 2), leaf_ranks = [1, 1, 1], node_ranks = [1, 1], f32>
func.func @forward(%x: tensor<3x1x2xf32>, %h: tensor<1x4xf32>, %whh: tensor<16x4xf32>) -> tensor<3x1x4xf32> {
  %wi = ht.constant leaves [dense<1.0> : tensor<2x1x1xf32>, dense<2.0> : tensor<1x2x1xf32>, dense<3.0> : tensor<2x1x1xf32>]
                    transfers [dense<5.0> : tensor<1x1x1xf32>, dense<0.5> : tensor<1x1x1xf32>] : !g
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %h weights(%wi, %wi, %wi, %wi, %whh)
    : (tensor<3x1x2xf32>, tensor<1x4xf32>, tensor<1x4xf32>, !g, !g, !g, !g, tensor<16x4xf32>)
   -> (tensor<3x1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>)
  return %o : tensor<3x1x4xf32>
}
