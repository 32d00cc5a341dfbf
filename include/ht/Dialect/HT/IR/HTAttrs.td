//===- HTAttrs.td - Attributes and enums of the ht dialect -*- tablegen -*-===//

#ifndef HT_DIALECT_HT_IR_HTATTRS_TD
#define HT_DIALECT_HT_IR_HTATTRS_TD

include "ht/Dialect/HT/IR/HTDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Dimension tree
//===----------------------------------------------------------------------===//

def HT_DimensionTreeAttr : AttrDef<HT_Dialect, "DimensionTree"> {
  let mnemonic = "tree";
  let summary = "A full binary tree whose leaves are the modes of an HT matrix";
  let description = [{
    Written as nested pairs of mode indices, for example
    `#ht.tree<((0, 1), (2, 3))>`, `#ht.tree<(0, (1, (2, 3)))>` or
    `#ht.tree<((2, 0), (3, 1))>`. Every internal node has exactly two
    children and every mode `0..d-1` appears exactly once, in any order.

    The tree is stored as its preorder encoding: a leaf is its mode index, an
    internal node is `-1` followed by the encodings of its two children.
  }];
  let parameters = (ins ArrayRefParameter<"int64_t", "preorder encoding">:$encoding);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The structural view of this tree (children, parents, modes below a node).
    ::mlir::ht::TreeStructure getStructure() const;
    /// The number of modes (leaves).
    int64_t getNumModes() const { return (getEncoding().size() + 1) / 2; }
  }];
}

//===----------------------------------------------------------------------===//
// Enums
//
// Plain integer-backed enum attributes: ops print them as bare keywords
// (`ht.lstm per_gate ...`) and the generic form stays parseable.
//===----------------------------------------------------------------------===//

def HT_WeightForm : I32EnumAttr<"WeightForm",
    "how the weights of an LSTM are given", [
      I32EnumAttrCase<"Stacked", 0, "stacked">,
      I32EnumAttrCase<"PerGate", 1, "per_gate">,
      I32EnumAttrCase<"Fused", 2, "fused">,
      I32EnumAttrCase<"Projected", 3, "projected">]> {
  let cppNamespace = "::mlir::ht";
}

def HT_GateActivation : I32EnumAttr<"GateActivation",
    "the squashing function of the i, f and o gates", [
      I32EnumAttrCase<"Sigmoid", 0, "sigmoid">,
      I32EnumAttrCase<"HardSigmoid", 1, "hard_sigmoid">]> {
  let cppNamespace = "::mlir::ht";
}

def HT_WeightRole : I32EnumAttr<"WeightRole",
    "what a weight of an op multiplies", [
      // W_ih (stacked, or one gate's rows of it): the input x_t.
      I32EnumAttrCase<"Input", 0, "input">,
      // W_hh: the previous hidden state h_(t-1).
      I32EnumAttrCase<"Recurrent", 1, "recurrent">,
      // [W_ih|W_hh] of the fused form: [x_t, h_(t-1)].
      I32EnumAttrCase<"InputRecurrent", 2, "input_recurrent">,
      // The W of ht.linear: its input rows.
      I32EnumAttrCase<"Linear", 3, "linear">]> {
  let cppNamespace = "::mlir::ht";
}

#endif // HT_DIALECT_HT_IR_HTATTRS_TD
