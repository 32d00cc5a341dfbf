// num-modes beyond the tree limit crashed ht-compress (SIGSEGV), or ran out
// of memory building a tree of 10^8 leaves.
// ASan reserves more address space than ulimit -v allows:
// UNSUPPORTED: asan
// RUN: not ht-opt %s --ht-compress=num-modes=300 2>&1 | FileCheck %s --check-prefix=MODES
// RUN: not sh -c 'ulimit -v 4000000; ht-opt %s --ht-compress=num-modes=100000000' 2>&1 | FileCheck %s --check-prefix=HUGE
// MODES: error: ht-compress: num-modes=300; expected 2 to 256
// HUGE: error: ht-compress: num-modes=100000000; expected 2 to 256
func.func @f(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %w = arith.constant dense<1.0> : tensor<16x16xf32>
  %y = ht.linear %x, %w : tensor<2x16xf32>, tensor<16x16xf32> -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}
