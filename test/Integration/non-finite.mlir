// Non-finite inputs (docs/Semantics.md): an Inf, -Inf or NaN in one batch
// element's input changes only that element's results, from that step on;
// every other element is bit-identical to a clean run, under every pipeline.
// The leaves have zero and opposite-signed entries, so the HT network meets
// Inf * 0 and Inf - Inf, which a dense product orders differently.
// RUN: rm -rf %t
// RUN: %python %S/check_non_finite.py --bin %ht_obj_root/bin --model %s --work %t --variants ';hoist-input-projection=false;order=dense;order=left-to-right;choose-weight-format=false;fuse-gates=true;vectorize=false;gpu-schedule=true' | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: non-finite inputs stay in their batch element under 8 pipelines
!g = !ht.matrix<[2, 2] x [2, 3], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @forward(%x: tensor<?x?x6xf32>, %h0: tensor<?x4xf32>, %c0: tensor<?x4xf32>)
    -> (tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %wi = ht.constant
      leaves [dense<[[[1.0, 0.0], [0.5, -1.0]], [[0.0, 2.0], [-0.5, 1.0]]]> : tensor<2x2x2xf32>,
              dense<[[[1.0, -1.0], [0.0, 0.5], [2.0, 0.0]], [[-1.0, 1.0], [0.5, 0.0], [0.0, -2.0]]]> : tensor<2x3x2xf32>]
      transfers [dense<[[[0.5], [-0.25]], [[1.0], [0.75]]]> : tensor<2x2x1xf32>] : !g
  %whh = arith.constant dense<0.125> : tensor<16x4xf32>
  %o, %hn, %cn = ht.lstm per_gate %x, %h0, %c0 weights(%wi, %wi, %wi, %wi, %whh)
    : (tensor<?x?x6xf32>, tensor<?x4xf32>, tensor<?x4xf32>, !g, !g, !g, !g, tensor<16x4xf32>)
   -> (tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>)
  return %o, %hn, %cn : tensor<?x?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
