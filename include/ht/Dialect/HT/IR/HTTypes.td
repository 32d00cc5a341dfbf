//===- HTTypes.td - Types of the ht dialect ----------------*- tablegen -*-===//

#ifndef HT_DIALECT_HT_IR_HTTYPES_TD
#define HT_DIALECT_HT_IR_HTTYPES_TD

include "ht/Dialect/HT/IR/HTAttrs.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

def HT_MatrixType : TypeDef<HT_Dialect, "Matrix"> {
  let mnemonic = "matrix";
  let summary = "A matrix stored in Hierarchical-Tucker form";
  let description = [{
    The shape of an HT matrix: its row and column mode factors, its dimension
    tree, the rank of every node and its element type. The factors themselves
    are SSA values (`ht.assemble`) or constants (`ht.constant`).

    ```mlir
    !ht.matrix<[16, 4, 4, 4] x [8, 20, 20, 18], tree = ((0, 1), (2, 3)),
               leaf_ranks = [4, 4, 4, 4], node_ranks = [1, 4, 4], f32>
    ```

    is a `1024 x 57600` matrix. `leaf_ranks[k]` is the rank of mode `k`'s
    leaf; `node_ranks[i]` is the rank of internal node `i` in preorder (the
    `i`-th opening parenthesis of the tree), so `node_ranks[0]` is the root's
    and must be 1.
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t", "row mode sizes m_k">:$rowModes,
    ArrayRefParameter<"int64_t", "column mode sizes n_k">:$colModes,
    "::mlir::ht::DimensionTreeAttr":$tree,
    ArrayRefParameter<"int64_t", "leaf ranks, by mode">:$leafRanks,
    ArrayRefParameter<"int64_t", "internal node ranks, preorder">:$nodeRanks,
    "::mlir::Type":$elementType);
  let assemblyFormat = [{
    `<` `[` $rowModes `]` `x` ` ` `[` $colModes `]` `,`
        `tree` `=` custom<BareTree>($tree) `,`
        `leaf_ranks` `=` `[` $leafRanks `]` `,`
        `node_ranks` `=` `[` $nodeRanks `]` `,` $elementType `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The shape as a plain value for the analyses.
    ::mlir::ht::HTShape getShape() const;
    int64_t getNumModes() const { return getRowModes().size(); }
    /// M, the product of the row modes.
    int64_t getNumRows() const;
    /// N, the product of the column modes.
    int64_t getNumCols() const;
    /// The dense equivalent `tensor<M x N x elementType>`.
    ::mlir::RankedTensorType getDenseType() const;
    /// `tensor<m_k x n_k x r_k>`, the type of mode `k`'s leaf frame.
    ::mlir::RankedTensorType getLeafType(unsigned mode) const;
    /// `tensor<r_l x r_r x r_t>`, the type of internal node `i`'s transfer tensor.
    ::mlir::RankedTensorType getTransferType(unsigned node) const;
  }];
}

#endif // HT_DIALECT_HT_IR_HTTYPES_TD
