// ht-compress read a 10^10-element splat into doubles (80 GB).
// ASan reserves more address space than ulimit -v allows:
// UNSUPPORTED: asan
// RUN: not sh -c 'ulimit -v 4000000; ht-opt %s --ht-compress' 2>&1 | FileCheck %s
// CHECK: error: ht-compress: cannot read the values of W: a constant of 10000000000 elements is larger than the 268435456 elements a compile-time pass expands
func.func @f(%x: tensor<2x100000xf32>) -> tensor<2x100000xf32> {
  %w = arith.constant dense<1.0> : tensor<100000x100000xf32>
  %y = ht.linear %x, %w : tensor<2x100000xf32>, tensor<100000x100000xf32> -> tensor<2x100000xf32>
  return %y : tensor<2x100000xf32>
}
