// A missing blob and a short one: ht-choose-weight-format's report
// reconstructed the dense matrix past the short blob (heap overflow).
// RUN: not ht-opt %s --ht-choose-weight-format=report=true 2>&1 | FileCheck %s
// CHECK-DAG: error: dense_resource 'wih' of type tensor<16x3xf32> has no data (it is missing from the file's dialect_resources section)
// CHECK-DAG: error: dense_resource 'r0' holds 61 bytes of data but its type tensor<4x2x2xf32> declares 64 bytes
!r = !ht.matrix<[4, 4] x [2, 2], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @forward(%x: tensor<?x2x3xf32>, %h: tensor<2x4xf32>, %c: tensor<2x4xf32>) -> (tensor<?x2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
 %wih = arith.constant dense_resource<wih> : tensor<16x3xf32>
 %whh = ht.constant leaves [dense_resource<r0> : tensor<4x2x2xf32>, dense_resource<r1> : tensor<4x2x2xf32>] transfers [dense_resource<rt> : tensor<2x2x1xf32>] : !r
 %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh)
 : (tensor<?x2x3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<16x3xf32>, !r)
 -> (tensor<?x2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
 return %o, %hn, %cn : tensor<?x2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}
{-#
 dialect_resources: {
 builtin: {
 r0: "0x04000000114BBB3EC9EA393FA01D7C3E2FCA193F770F7DBE84D67ABFD568C03C9683313ED16921BF8F2263BE5024BBBE982672BFCB6EC0BE46F36FBE9AC443BD30",
 r1: "0x0400000036A24EBE7BFB763FEA8C213FE607593F0A6FC53E9042AE3E2466963DD3EC183FC87E8CBE369A3F3ECFC4B73E05EE353DF701DDBE833158BF7D5153BF949793BE",
 rt: "0x04000000C8A6243EF4EB043F6C9BDB3E30D8C5BE"
 }
 }
#-}
