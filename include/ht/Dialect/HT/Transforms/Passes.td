//===- Passes.td - Passes of the ht dialect ----------------*- tablegen -*-===//

#ifndef HT_DIALECT_HT_TRANSFORMS_PASSES_TD
#define HT_DIALECT_HT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Reports
//===----------------------------------------------------------------------===//

def HTStatistics : Pass<"ht-stats", "::mlir::ModuleOp"> {
  let summary = "Report the size and cost of every weight of every ht op";
  let description = [{
    For every `ht.linear`, `ht.to_dense`, `ht.lstm` and `ht.lstm_cell`, in
    program order, prints a table with one row per weight: its role
    (`W_ih`, `W_hh`, `W_ih[f]`, `[W_ih|W_hh]`, ...), whether it is dense or
    HT, its shape, its parameter count, the parameters of the dense
    equivalent, the compression ratio and the multiply-adds one input row
    costs through the dense equivalent. HT weights also show their modes, tree
    and ranks. A last row sums the op (biases included).

    Parameters follow the project's semantics: `P = Σ m_k n_k r_k +
    Σ r_l r_r r_t` for an HT matrix; compression is `M N / P`.

    The IR is left unchanged. With `remarks`, each HT weight also gets a
    remark on its op, so tools that collect diagnostics see the figures.
  }];
  let options = [
    Option<"emitRemarks", "remarks", "bool", /*default=*/"false",
           "Also attach a remark with the figures of each HT weight to its op">,
    Option<"printTable", "table", "bool", /*default=*/"true",
           "Print the table to standard output">,
  ];
}

#endif // HT_DIALECT_HT_TRANSFORMS_PASSES_TD
