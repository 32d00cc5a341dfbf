// ht-compress with a parameter budget or a target ratio, the search over
// candidate modes and trees, the larger-than-dense warning and the progress
// lines (on stderr: the IR on stdout stays clean).
// RUN: ht-opt %s --ht-compress="num-modes=2 max-parameters=26" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BUDGET26
// RUN: ht-opt %s --ht-compress="num-modes=2 max-parameters=36" 2>/dev/null | FileCheck %s --check-prefix=IR36
// RUN: ht-opt %s --ht-compress="num-modes=2 ratio=1.8" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RATIO
// RUN: ht-opt %s --ht-compress="num-modes=2" -o /dev/null 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: ht-opt %s --ht-compress="num-modes=4 max-parameters=40 search=true progress=true" -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SEARCH
// RUN: ht-opt %s --ht-compress="num-modes=4 max-parameters=40 search=true progress=true" 2>/dev/null \
// RUN:   | FileCheck %s --check-prefix=CLEAN
// RUN: not ht-opt %s --ht-compress="num-modes=2 max-parameters=16" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: not ht-opt %s --ht-compress="max-parameters=-1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not ht-opt %s --ht-compress="ratio=-2" 2>&1 | FileCheck %s --check-prefix=BADRATIO
// RUN: not ht-opt %s --ht-compress="ratio=2 max-parameters=20" 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: not ht-opt %s --ht-compress="search=true tree=((0,1),(2,3))" 2>&1 | FileCheck %s --check-prefix=TREE
// RUN: not ht-opt %s --ht-compress="num-modes=2 ratio=100" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TINY

// A 4 x 16 matrix of rank 4 over modes [2, 2] x [4, 4]: every rank 1 is
// 8 + 8 + 1 = 17 parameters; ranks [2, 2] are 16 + 16 + 4 = 36. A budget of
// 26 cannot pay for both leaves, and one leaf alone gains nothing (the
// root's core is r0 x r1), so it stays at ranks 1; 36 buys [2, 2].
// BUDGET26: ht-compress: ht.linear in @rows: W 4 x 16 -> 17 parameters (compression 3.76x), relative error 5.31{{[0-9]}}e-01 (HSVD bound 5.31{{[0-9]}}e-01)
// BUDGET26-NEXT: modes [2, 2] x [4, 4], tree (0, 1), leaf ranks [1, 1], node ranks [1], budget 26 parameters
// IR36: ht.constant {{.*}} : !ht.matrix<[2, 2] x [4, 4], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>
// ratio=1.8: a budget of floor(64 / 1.8) = 35 parameters.
// RATIO: leaf ranks [1, 1], node ranks [1], budget 35 parameters

// Without a budget the exact form (ranks [7, 7]) is larger than the matrix.
// WARN: warning: ht-compress: W in HT form has 161 parameters, more than its 64 dense ones (modes [2, 2] x [4, 4], tree (0, 1), leaf ranks [7, 7], node ranks [1]); a smaller max-rank, a tolerance or a budget (max-parameters, ratio) makes it smaller

// The search: mode counts 2 to 4, balanced and left-deep (TT-shaped) trees,
// the least error within the budget kept.
// SEARCH: ht-compress: W of ht.linear in @rows (4 x 16), candidate 1/4: modes [2, 2] x [4, 4], tree (0, 1): probing ranks within the budget
// SEARCH-NEXT: ht-compress: W of ht.linear in @rows (4 x 16), candidate 1/4: modes [2, 2] x [4, 4], tree (0, 1): compressing
// SEARCH: candidate 2/4: modes [2, 2, 1] x [4, 2, 2], tree ((0, 1), 2): compressing
// SEARCH: candidate 3/4: modes [2, 2, 1, 1] x [2, 2, 2, 2], tree ((0, 1), (2, 3)): compressing
// SEARCH: candidate 4/4: modes [2, 2, 1, 1] x [2, 2, 2, 2], tree (((0, 1), 2), 3): compressing
// SEARCH: ht-compress: ht.linear in @rows: W 4 x 16 -> {{[0-9]+}} parameters
// SEARCH-NEXT: budget 40 parameters
// CLEAN-NOT: ht-compress:
// CLEAN: ht.constant
// CLEAN-NOT: ht-compress:

// SMALL: error: ht-compress: cannot compress W (4 x 16): a budget of 16 parameters is below the smallest HT matrix of row modes [2, 2], column modes [4, 4] and tree (0, 1): 17 parameters (every rank 1)
// NEGATIVE: error: ht-compress: max-parameters=-1; expected a budget >= 1 (or 0 for none)
// BADRATIO: error: ht-compress: ratio=-2.000e+00; expected a compression ratio > 0 (or 0 for none)
// BOTH: error: ht-compress: max-parameters and ratio both set a budget: give one
// TREE: error: ht-compress: search tries the candidate trees and tree= fixes one: give one or the other
// TINY: error: ht-compress: ratio=1.000e+02 leaves W (4 x 16) less than one parameter
func.func @rows(%x: tensor<?x16xf32>) -> tensor<?x4xf32> {
  %w = arith.constant dense<[[1.0, 0.5, 0.25, 0.125, 2.0, 1.0, 0.5, 0.25, 1.0, 0.5, 0.25, 0.125, 2.0, 1.0, 0.5, 0.3],
  [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6],
  [1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0],
  [0.3, 0.1, 0.4, 0.1, 0.5, 0.9, 0.2, 0.6, 0.5, 0.3, 0.5, 0.8, 0.9, 0.7, 0.9, 0.3]]> : tensor<4x16xf32>
  %y = ht.linear %x, %w : tensor<?x16xf32>, tensor<4x16xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
