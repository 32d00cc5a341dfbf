// An empty blob typed tensor<3x4xf32>: ht-fold-weights indexed it by the
// declared shape (heap overflow).
// RUN: not ht-opt %s --ht-fold-weights 2>&1 | FileCheck %s
// CHECK: error: dense_resource 'a' holds 0 bytes of data but its type tensor<3x4xf32> declares 48 bytes
func.func @forward() -> tensor<3x5xf32> {
 %a = arith.constant dense_resource<a> : tensor<3x4xf32>
 %b = arith.constant dense_resource<b> : tensor<4x5xf32>
 %t = ht.contract %a [-0, 1], %b [1, 2] -> [0, 2] : tensor<3x4xf32>, tensor<4x5xf32> -> tensor<3x5xf32>
 return %t : tensor<3x5xf32>
}
{-#
 dialect_resources: {
 builtin: {
 a: "0x04000000",
 b: "0x0400000027EF71BFC01366BF26613DBFB24792BE7737383F2100663F2A61653EA3AD09BF2F9B11BE11E48CBEF3B2ADBEB0A079BF1BE42C3E7562273FF346E83E3A354FBF7A51783D135928BFF475D63E6C4DDCBD"
 }
 }
#-}
