//===- Passes.td - Conversions out of the ht dialect -------*- tablegen -*-===//

#ifndef HT_CONVERSION_PASSES_TD
#define HT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertHTToLinalg : Pass<"convert-ht-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower every ht op to linalg, tensor, arith, math and scf";
  let description = [{
    A dialect conversion. `!ht.matrix` values become their factor tensors
    (leaves by mode, then transfer tensors in preorder), including in
    function signatures, calls and returns; `ht.constant` becomes one
    `arith.constant` per factor and `ht.assemble` disappears.

    * `ht.contract` becomes one `linalg.contract` with its labels as
      indexing maps (`linalg.generic` when a summed label is carried by one
      operand only), its `outer` labels as the outermost loops.
    * `ht.linear` contracts the input with the factors pairwise, one
      `linalg.contract` per contraction, in tree postorder: each leaf frame
      as soon as it is reached, each transfer tensor once both its children
      are in. It never rebuilds the dense `W`. Leading batch dimensions are
      folded into one row dimension and restored afterwards.
    * `ht.to_dense` follows the node-frame definition bottom-up.
    * `ht.lstm_cell` computes the gate pre-activations `[B, 4H]` (per weight
      form: stacked, per-gate into column slices, or fused on `[x, h]`) and
      then one element-wise `linalg.generic` adds the biases, applies the
      gate functions and updates `c` and `h`.
    * `ht.lstm` runs that step in an `scf.for` over time and inserts each
      `h_t` into the output.
  }];
  let options = [
    Option<"order", "order", "::mlir::ht::OrderStrategy",
           /*default=*/"::mlir::ht::OrderStrategy::LeftToRight",
           "Contraction order of the HT products still in ht ops (LSTM "
           "weights; ht.linear is ordered by ht-order-contractions)",
           [{::llvm::cl::values(
             clEnumValN(::mlir::ht::OrderStrategy::Optimal, "optimal",
                        "least cost over all contraction trees"),
             clEnumValN(::mlir::ht::OrderStrategy::Greedy, "greedy",
                        "cheapest next step first"),
             clEnumValN(::mlir::ht::OrderStrategy::LeftToRight, "left-to-right",
                        "leaf by leaf in tree postorder"),
             clEnumValN(::mlir::ht::OrderStrategy::Dense, "dense",
                        "rebuild W, then one GEMM"))}]>,
    Option<"expectedRows", "expected-rows", "int64_t", /*default=*/"1",
           "Rows the cost model assumes where the batch is dynamic">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ExpandMemRefCopies : Pass<"ht-expand-memref-copies", "::mlir::func::FuncOp"> {
  let summary = "Rewrite memref.copy into linalg.copy so it becomes loops";
  let description = [{
    `memref.copy` between memrefs that are not both contiguous lowers to a
    call to `memrefCopy` from MLIR's C runner utilities, which a compiled
    model must not depend on. As `linalg.copy` it becomes ordinary loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // HT_CONVERSION_PASSES_TD
