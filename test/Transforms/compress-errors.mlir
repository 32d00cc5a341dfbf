// Weights ht-compress cannot compress, and options that do not fit.
// RUN: ht-opt %s --ht-compress --split-input-file --verify-diagnostics
// RUN: not ht-opt %s --ht-compress="max-rank=0" 2>&1 | FileCheck %s --check-prefix=RANK0
// RUN: not ht-opt %s --ht-compress="tolerance=1.5" 2>&1 | FileCheck %s --check-prefix=TOL
// RUN: not ht-opt %s --ht-compress="weights=W_xx" 2>&1 | FileCheck %s --check-prefix=WEIGHTS
// RUN: not ht-opt %s --ht-compress="row-modes=2,2" 2>&1 | FileCheck %s --check-prefix=PAIR
// RUN: not ht-opt %s --ht-compress="row-modes=2,2 col-modes=2,2,1" 2>&1 | FileCheck %s --check-prefix=LENGTHS
// RUN: not ht-opt %s --ht-compress="row-modes=4 col-modes=4" 2>&1 | FileCheck %s --check-prefix=ONEMODE
// RUN: not ht-opt %s --ht-compress="row-modes=0,4 col-modes=2,2" 2>&1 | FileCheck %s --check-prefix=ZEROMODE
// RUN: not ht-opt %s --ht-compress="num-modes=1" 2>&1 | FileCheck %s --check-prefix=NUMMODES
// RUN: not ht-opt %s --ht-compress="tree=((0,1),2)" 2>&1 | FileCheck %s --check-prefix=TREEMODES
// RUN: not ht-opt %s --ht-compress="tree=((0,1),(1,2))" 2>&1 | FileCheck %s --check-prefix=TREEBAD
// RUN: not ht-opt %s --ht-compress="weights=W row-modes=2,3 col-modes=2,2" --split-input-file 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PRODUCT

// RANK0: error: ht-compress: max-rank=0; a rank is at least 1
// TOL: error: ht-compress: tolerance=1.500e+00; expected a relative error in [0, 1)
// WEIGHTS: error: ht-compress: unknown weight 'W_xx' in weights=; expected W_ih, W_hh, W or all
// PAIR: error: ht-compress: row-modes and col-modes go together: give both or neither
// LENGTHS: error: ht-compress: row-modes [2, 2] and col-modes [2, 2, 1] have different numbers of modes
// ONEMODE: error: ht-compress: row-modes has 1 mode; an HT matrix needs at least 2
// ZEROMODE: error: ht-compress: row-modes [0, 4] must all be >= 1
// NUMMODES: error: ht-compress: num-modes=1; expected 2 to 256
// TREEMODES: error: ht-compress: tree '((0,1),2)' is over 3 modes, but the matrices have 4 modes (num-modes)
// TREEBAD: error: ht-compress: tree '((0,1),(1,2))': {{.*}}mode 1{{.*}}
// PRODUCT: error: ht-compress: cannot compress W (4 x 4): row modes [2, 3] multiply to 6, expected 4 (the matrix's rows)

func.func @argument_weight(%x: tensor<?x4xf32>, %w: tensor<4x4xf32>) -> tensor<?x4xf32> {
  // expected-error @below {{ht-compress: W is not a compile-time constant; only constant weights can be compressed}}
  %y = ht.linear %x, %w : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @fused_argument(%x: tensor<?x?x2xf32>, %h0: tensor<?x1xf32>, %c0: tensor<?x1xf32>,
                          %w: tensor<4x3xf32>)
    -> (tensor<?x?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>) {
  // expected-error @below {{ht-compress: [W_ih|W_hh] is not a compile-time constant}}
  %out, %hn, %cn = ht.lstm fused %x, %h0, %c0 weights(%w)
    : (tensor<?x?x2xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<4x3xf32>)
   -> (tensor<?x?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>)
  return %out, %hn, %cn : tensor<?x?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>
}

// -----

// Compresses with the default options; with row-modes=2,3 it cannot (PRODUCT).
func.func @constant_weight(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = arith.constant dense<1.0> : tensor<4x4xf32>
  %y = ht.linear %x, %w : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
