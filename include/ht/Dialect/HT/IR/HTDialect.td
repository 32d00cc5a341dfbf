//===- HTDialect.td - The ht dialect -----------------------*- tablegen -*-===//
//
// Hierarchical-Tucker (HT) matrices and the HT-LSTM computations built on them.
//
//===----------------------------------------------------------------------===//

#ifndef HT_DIALECT_HT_IR_HTDIALECT_TD
#define HT_DIALECT_HT_IR_HTDIALECT_TD

include "mlir/IR/OpBase.td"

def HT_Dialect : Dialect {
  let name = "ht";
  let cppNamespace = "::mlir::ht";
  let summary = "Hierarchical-Tucker matrices and HT-compressed LSTMs";
  let description = [{
    The `ht` dialect represents matrices stored in Hierarchical-Tucker (HT)
    form and the recurrent-network computations that use them.

    An HT matrix `W` of shape `M x N` has `d >= 2` modes: row factors
    `m_0..m_{d-1}` with `M = prod(m_k)` and column factors `n_0..n_{d-1}` with
    `N = prod(n_k)`, row-major multi-indices (mode 0 varies slowest). A full
    binary *dimension tree* over the modes says how the factors combine: every
    mode `k` has a *leaf frame* `U_k : [m_k, n_k, r_k]` and every internal node
    `t` with children `l`, `r` has a *transfer tensor* `B_t : [r_l, r_r, r_t]`.
    The root's rank is 1. The numerical contract is the project's
    `docs/Semantics.md`; the rationale is `docs/Rationale.md`.

    Conventions used by every op of the dialect:
    * leaf frames are listed by mode, `0..d-1`;
    * internal nodes, and so transfer tensors and node ranks, are listed in
      *preorder*: internal node `i` is the `i`-th opening parenthesis of the
      written tree, and the root is internal node 0.
  }];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    // Defined next to the storage classes they instantiate.
    void registerAttributes();
    void registerTypes();

    /// Marks an scf.for over tiles whose iterations are independent (tiles
    /// of dimensions that are not summed, or blocks of rows), for
    /// ht-parallelize; its value is the fewest iterations worth a thread.
    /// A hint: ht-parallelize proves the independence before it uses it.
    static constexpr ::llvm::StringLiteral getParallelLoopAttrName() {
      return "ht.parallel";
    }
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

class HT_Op<string mnemonic, list<Trait> traits = []>
    : Op<HT_Dialect, mnemonic, traits>;

#endif // HT_DIALECT_HT_IR_HTDIALECT_TD
