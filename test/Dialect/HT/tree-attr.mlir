// RUN: ht-opt %s | FileCheck %s
// RUN: ht-opt %s --mlir-print-op-generic | ht-opt | FileCheck %s

// Every spelling is printed canonically, with ", " between children.
// CHECK-LABEL: func.func @trees
// CHECK-SAME: balanced = #ht.tree<((0, 1), (2, 3))>
// CHECK-SAME: degenerate = #ht.tree<(0, (1, (2, 3)))>
// CHECK-SAME: left_deep = #ht.tree<(((0, 1), 2), 3)>
// CHECK-SAME: pair = #ht.tree<(1, 0)>
// CHECK-SAME: permuted = #ht.tree<((2, 0), (3, 1))>
func.func @trees() attributes {
    balanced = #ht.tree<((0,1),(2,3))>,
    degenerate = #ht.tree<(0, (1, (2, 3)))>,
    left_deep = #ht.tree<( ( (0 , 1) , 2 ) , 3 )>,
    pair = #ht.tree<(1, 0)>,
    permuted = #ht.tree<((2, 0), (3, 1))>} {
  return
}
