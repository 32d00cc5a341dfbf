// Splats of 10^10 elements: ht-fold-weights expanded both operands (80 GB)
// before any size check. A product this large is not folded at all now;
// the address-space limit makes an attempt fail fast.
// ASan reserves more address space than ulimit -v allows:
// UNSUPPORTED: asan
// RUN: (ulimit -v 4000000; ht-opt %s --ht-fold-weights) | FileCheck %s
// CHECK: ht.contract
func.func @f() -> tensor<1x1xf32> {
  %a = arith.constant dense<1.0> : tensor<1x10000000000xf32>
  %b = arith.constant dense<1.0> : tensor<10000000000x1xf32>
  %t = ht.contract %a [0, 1], %b [1, 2] -> [0, 2] : tensor<1x10000000000xf32>, tensor<10000000000x1xf32> -> tensor<1x1xf32>
  return %t : tensor<1x1xf32>
}
