// A dense_resource blob longer than its type: ht-fuse-gates used to write
// past the stacked factor (heap overflow). Now every reading pass checks
// blob sizes first (verifyConstantBlobs).
// RUN: not ht-opt %s --pass-pipeline='builtin.module(func.func(ht-hoist-input-projection,ht-fuse-gates))' 2>&1 | FileCheck %s
// RUN: not ht-opt %s --ht-to-llvm 2>&1 | FileCheck %s
// RUN: not ht-compile %s -o %t.so 2>&1 | FileCheck %s
// RUN: not ls %t.so
// CHECK: error: dense_resource 'big' holds 256 bytes of data but its type tensor<2x1x1xf32> declares 8 bytes
!g = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @per_gate(%x: tensor<3x1x2xf32>, %h: tensor<1x2xf32>, %whh: tensor<8x2xf32>) -> tensor<3x1x2xf32> {
  %wi = ht.constant leaves [dense_resource<big> : tensor<2x1x1xf32>, dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>]
                    transfers [dense<5.0> : tensor<1x1x1xf32>] : !g
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %h weights(%wi, %wi, %wi, %wi, %whh)
    : (tensor<3x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, !g, !g, !g, !g, tensor<8x2xf32>)
   -> (tensor<3x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>)
  return %o : tensor<3x1x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      big: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F"
    }
  }
#-}
