//===- Passes.td - Conversions out of the ht dialect -------*- tablegen -*-===//

#ifndef HT_CONVERSION_PASSES_TD
#define HT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertHTToLinalg : Pass<"convert-ht-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower the planned ht dialect to linalg, tensor, arith and math";
  let description = [{
    A mechanical dialect conversion, with no cost model and no choices: the
    `ht-optimize` pipeline has planned every HT product (`ht.contract`
    steps) and expanded every LSTM and GRU (`ht.linear` + `ht.lstm_update` in an
    `scf.for`) before it runs. `!ht.matrix` values become their factor
    tensors (leaves by mode, then transfer tensors in preorder), including
    in function signatures, calls and returns; `ht.constant` becomes one
    `arith.constant` per factor and `ht.assemble` and `ht.factors`
    disappear.

    * `ht.contract` becomes one `linalg.contract` with its labels as
      indexing maps and its result labels as the result's layout
      (`linalg.generic` when a summed label is carried by one operand
      only); the lowering's one emitter of contractions.
    * `ht.linear` with a dense weight is one such contraction plus the bias.
    * `ht.to_dense` follows the node-frame definition bottom-up.
    * `ht.lstm_update` becomes one element-wise `linalg.generic` that sums
      the parts and the bias, applies the gate functions and updates `c`
      and `h`; `ht.gru_update` likewise.
    * `linalg.softmax` (a model head's) becomes the generics it stands
      for, since code generation works on generics.

    An `ht.linear` with an HT weight, an `ht.lstm`, `ht.gru` or one of their
    cells still in the input is an error naming the pass that prepares it.
    The same patterns and legality are public
    (`ht/Conversion/HTToLinalg/HTToLinalg.h`).
  }];
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
