//===- HTInterfaces.td - Interfaces of the ht dialect ------*- tablegen -*-===//

#ifndef HT_DIALECT_HT_IR_HTINTERFACES_TD
#define HT_DIALECT_HT_IR_HTINTERFACES_TD

include "mlir/IR/OpBase.td"

def HT_WeightedOpInterface : OpInterface<"WeightedOpInterface"> {
  let cppNamespace = "::mlir::ht";
  let description = [{
    An op that multiplies activations by weight matrices (`ht.linear`,
    `ht.lstm`, `ht.lstm_cell`, `ht.gru`, `ht.gru_cell`). Each weight operand is a dense `tensor<M x N>`
    or an `!ht.matrix`; the interface says what it multiplies (its role, and
    for a per-gate weight the gate) and how many rows one execution of the
    op multiplies it with, so that compression, reports and the cost-driven
    passes treat every such op alike.
  }];
  let methods = [
    InterfaceMethod<"The number of weight operands.", "unsigned",
                    "getNumWeights">,
    InterfaceMethod<"Weight operand `index`.", "::mlir::OpOperand &",
                    "getWeightOperand", (ins "unsigned":$index)>,
    InterfaceMethod<"What weight `index` multiplies.", "::mlir::ht::WeightRole",
                    "getWeightRole", (ins "unsigned":$index)>,
    InterfaceMethod<[{The gate (an index into `getGateNames()`) whose rows
                      weight `index` holds, for the per-gate form; none
                      otherwise.}],
                    "std::optional<unsigned>", "getWeightGate",
                    (ins "unsigned":$index), "",
                    "return std::nullopt;">,
    InterfaceMethod<[{The rows one product `X · Wᵀ` of weight `index` has (an
                      LSTM's batch, an ht.linear's leading dimensions
                      multiplied), or `ShapedType::kDynamic`.}],
                    "int64_t", "getWeightRows", (ins "unsigned":$index)>,
    InterfaceMethod<[{One letter per gate, in the order the gates' rows are
                      stacked: "ifgo" for an LSTM, "rzn" for a GRU.}],
                    "::llvm::StringRef", "getGateNames", (ins), "",
                    "return \"ifgo\";">,
    InterfaceMethod<"The bias operands (none, `b`, or `b_ih, b_hh`).",
                    "::mlir::OperandRange", "getBiasOperands">,
  ];
  let extraClassDeclaration = [{
    ::mlir::Value getWeight(unsigned index) {
      return getWeightOperand(index).get();
    }
    /// The name reports and diagnostics use: "W_ih", "W_ih[f]", "W_hh",
    /// "[W_ih|W_hh]" or "W".
    std::string getWeightName(unsigned index);
  }];
}

#endif // HT_DIALECT_HT_IR_HTINTERFACES_TD
