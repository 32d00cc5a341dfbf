// Cost options no plan can be made with were accepted: expected-rows=-5 made
// the "optimal" order 5.7x worse than the naive one. Each planning pass now
// refuses them in `initialize`, before anything runs, in every pipeline.
// RUN: not ht-opt %s --ht-to-llvm="expected-rows=-5" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ROWS
// RUN: not ht-opt %s --ht-optimize="expected-rows=0" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ROWS
// RUN: not ht-opt %s --pass-pipeline='builtin.module(func.func(ht-order-contractions{expected-rows=-1}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=ORDER
// RUN: not ht-opt %s --ht-report="write-weight=-1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=WEIGHT
// RUN: not ht-opt %s --ht-report="write-weight=inf" -o /dev/null 2>&1 | FileCheck %s --check-prefix=WEIGHT
// RUN: not ht-opt %s --pass-pipeline='builtin.module(func.func(ht-fuse-gates{fold-size-limit=-1}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=FOLD
// RUN: not ht-compile %s -o %t.so --pipeline-options="expected-rows=0" 2>&1 | FileCheck %s --check-prefix=ROWS
// RUN: not ls %t.so
// RUN: not ht-opt %s --ht-optimize="max-intermediate-bytes=-1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BLOCK
// RUN: not ht-compile %s -o %t.so --pipeline-options="threads=-2" 2>&1 | FileCheck %s --check-prefix=THREADS
// RUN: not ht-compile %s -o %t.so --pipeline-options="threads=3000000000" 2>&1 | FileCheck %s --check-prefix=MANY
// RUN: not ht-run %s --pipeline-options="threads=3000000000" 2>&1 | FileCheck %s --check-prefix=MANY
// RUN: not ls %t.so
// ROWS: error: ht-{{[a-z-]+}}: expected-rows={{-5|0}}; expected at least 1 (rows assumed where they are dynamic)
// ORDER: error: ht-order-contractions: expected-rows=-1; expected at least 1
// WEIGHT: error: ht-report: write-weight={{.*}}; expected a finite value >= 0
// FOLD: error: ht-fuse-gates: fold-size-limit=-1; expected at least 0 elements
// BLOCK: error: ht-order-contractions: max-intermediate-bytes=-1; expected at least 0
// THREADS: invalid --pipeline-options 'threads=-2'
// MANY: error: threads=3000000000 is too large; expected at most 2^31 - 1
!m = !ht.matrix<[2, 2] x [2, 2], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = ht.constant leaves [dense<1.0> : tensor<2x2x2xf32>, dense<0.5> : tensor<2x2x2xf32>]
                   transfers [dense<0.25> : tensor<2x2x1xf32>] : !m
  %y = ht.linear %x, %w : tensor<?x4xf32>, !m -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
