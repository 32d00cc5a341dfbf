//===- HTOps.td - Operations of the ht dialect -------------*- tablegen -*-===//

#ifndef HT_DIALECT_HT_IR_HTOPS_TD
#define HT_DIALECT_HT_IR_HTOPS_TD

include "ht/Dialect/HT/IR/HTDialect.td"
include "ht/Dialect/HT/IR/HTAttrs.td"
include "ht/Dialect/HT/IR/HTInterfaces.td"
include "ht/Dialect/HT/IR/HTTypes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def HT_FloatTensor : RankedTensorOf<[AnyFloat]>;
def HT_FloatVector : 1DTensorOf<[AnyFloat]>;
def HT_FloatMatrix : 2DTensorOf<[AnyFloat]>;
def HT_WeightLike : AnyTypeOf<[HT_FloatMatrix, HT_MatrixType],
                              "a dense 2-D float tensor or an HT matrix">;
def HT_ElementsArrayAttr : TypedArrayAttrBase<ElementsAttr,
                                              "array of elements attributes">;

//===----------------------------------------------------------------------===//
// Building HT matrices
//===----------------------------------------------------------------------===//

def HT_ConstantOp : HT_Op<"constant", [Pure]> {
  let summary = "An HT matrix whose factors are compile-time constants";
  let description = [{
    Holds constant weights: one elements attribute per leaf frame (by mode)
    and one per transfer tensor (internal nodes in preorder). Inline `dense`
    attributes and `dense_resource` blobs are both accepted.

    ```mlir
    %w = ht.constant leaves [dense<[[[1.0], [2.0]]]> : tensor<2x1x1xf32>,
                             dense<[[[3.0], [4.0]]]> : tensor<1x2x1xf32>]
                     transfers [dense<5.0> : tensor<1x1x1xf32>]
       : !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1],
                    node_ranks = [1], f32>
    ```
  }];
  let arguments = (ins HT_ElementsArrayAttr:$leaves,
                       HT_ElementsArrayAttr:$transfers);
  let results = (outs HT_MatrixType:$result);
  let assemblyFormat = [{
    `leaves` $leaves `transfers` $transfers attr-dict `:` qualified(type($result))
  }];
  let hasVerifier = 1;
}

def HT_AssembleOp : HT_Op<"assemble", [Pure, AttrSizedOperandSegments]> {
  let summary = "An HT matrix built from leaf-frame and transfer-tensor values";
  let description = [{
    Makes an HT matrix from SSA tensors: `leaves` by mode, `transfers` by
    internal node in preorder. Shapes must agree with the result type.

    ```mlir
    %w = ht.assemble leaves(%u0, %u1 : tensor<2x1x1xf32>, tensor<1x2x1xf32>)
                     transfers(%b : tensor<1x1x1xf32>)
       : !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1],
                    node_ranks = [1], f32>
    ```
  }];
  let arguments = (ins Variadic<HT_FloatTensor>:$leaves,
                       Variadic<HT_FloatTensor>:$transfers);
  let results = (outs HT_MatrixType:$result);
  let assemblyFormat = [{
    `leaves` `(` $leaves `:` type($leaves) `)`
    `transfers` `(` $transfers `:` type($transfers) `)`
    attr-dict `:` qualified(type($result))
  }];
  let hasVerifier = 1;
}

def HT_ToDenseOp : HT_Op<"to_dense", [Pure]> {
  let summary = "Reconstructs the dense matrix an HT matrix represents";
  let description = [{
    Returns `W` as a `tensor<M x N>`. This is the one op that materialises
    the dense matrix; `ht.linear` never does.

    ```mlir
    %d = ht.to_dense %w : !ht.matrix<...> -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins HT_MatrixType:$matrix);
  let results = (outs HT_FloatMatrix:$result);
  let assemblyFormat = [{
    $matrix attr-dict `:` qualified(type($matrix)) `->` type($result)
  }];
  let hasVerifier = 1;
}

def HT_FactorsOp : HT_Op<"factors", [Pure]> {
  let summary = "The leaf frames and transfer tensors of an HT matrix";
  let description = [{
    Unpacks an HT matrix: the leaves by mode, then the transfer tensors in
    preorder. Folds to the constants of an `ht.constant` and to the operands
    of an `ht.assemble`.

    ```mlir
    %u0, %u1, %b0 = ht.factors %w : !ht.matrix<...>
        -> tensor<2x1x1xf32>, tensor<1x2x1xf32>, tensor<1x1x1xf32>
    ```
  }];
  let arguments = (ins HT_MatrixType:$matrix);
  let results = (outs Variadic<HT_FloatTensor>:$factors);
  let assemblyFormat = [{
    $matrix attr-dict `:` qualified(type($matrix)) `->` type($factors)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def HT_ContractOp : HT_Op<"contract", [Pure]> {
  let summary = "One pairwise tensor contraction, einsum-style";
  let description = [{
    Every dimension of each operand and of the result carries an integer
    label. The result is the sum, over the labels of the operands that the
    result does not carry, of the products of the operands' elements: with
    labels `lhs = [0, 1, 2]`, `rhs = [3, 1, 4]`, `result = [0, 2, 3, 4]`,
    `R[a, c, d, e] = Σ_b L[a, b, c] · R'[d, b, e]`. A label names one size
    wherever it appears; a label appears at most once per operand.

    `ht-order-contractions` rewrites each `ht.linear` into a chain of these
    in the order its search chose; `ht-fold-weights` evaluates those whose
    operands are constants.

    The order of the result's labels is its memory layout: the planner
    (`ht-order-contractions`, `ht-fuse-gates`) lays each result out as a
    matrix product's output, the activation's labels then the weight's own
    (see `docs/Architecture.md`).

    ```mlir
    %t = ht.contract %x [0, 1, 2], %u0 [3, 1, 4] -> [0, 2, 3, 4]
       : tensor<?x8x20xf32>, tensor<16x8x4xf32> -> tensor<?x20x16x4xf32>
    ```
  }];
  let arguments = (ins HT_FloatTensor:$lhs, DenseI64ArrayAttr:$lhs_labels,
                       HT_FloatTensor:$rhs, DenseI64ArrayAttr:$rhs_labels,
                       DenseI64ArrayAttr:$result_labels);
  let results = (outs HT_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs $lhs_labels `,` $rhs $rhs_labels `->` $result_labels attr-dict `:`
    type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The labels summed over: in an operand but not in the result.
    ::llvm::SmallVector<int64_t> getSummedLabels();
  }];
}

//===----------------------------------------------------------------------===//
// Computations
//===----------------------------------------------------------------------===//

def HT_LinearOp : HT_Op<"linear", [Pure,
    DeclareOpInterfaceMethods<HT_WeightedOpInterface>]> {
  let summary = "`Y = X Wᵀ + b` with an HT (or dense) matrix `W`";
  let description = [{
    `X` is `[..., N]` with any number of leading batch dimensions (static or
    dynamic), `W` is an `M x N` HT matrix (or a dense `tensor<M x N>`, as
    left by the dense-or-HT choice or by hoisting a dense LSTM projection)
    and the optional bias is `[M]`. The result is `[..., M]`, PyTorch's
    `nn.Linear` convention.

    ```mlir
    %y = ht.linear %x, %w bias %b
       : tensor<?x57600xf32>, !ht.matrix<...>, tensor<1024xf32>
      -> tensor<?x1024xf32>
    ```
  }];
  let arguments = (ins HT_FloatTensor:$input, HT_WeightLike:$weight,
                       Optional<HT_FloatVector>:$bias);
  let results = (outs HT_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)? attr-dict `:` type($input) `,`
    qualified(type($weight)) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

/// `extraArguments` and `extraFormat` (after the gate activation) are what a
/// whole-sequence op has beyond a single step's.
class HT_LSTMBase<string mnemonic, dag extraArguments = (ins),
                  string extraFormat = "">
    : HT_Op<mnemonic, [Pure, AttrSizedOperandSegments,
        DeclareOpInterfaceMethods<HT_WeightedOpInterface, ["getWeightGate"]>]> {
  let arguments = !con((ins HT_WeightForm:$form,
                       HT_FloatTensor:$input,
                       HT_FloatMatrix:$h0,
                       HT_FloatMatrix:$c0,
                       Variadic<HT_WeightLike>:$weights,
                       Variadic<HT_FloatVector>:$biases,
                       DefaultValuedAttr<HT_GateActivation,
                           "::mlir::ht::GateActivation::Sigmoid">:$gate_activation),
                       extraArguments);
  let assemblyFormat = [{
    $form $input `,` $h0 `,` $c0 `weights` `(` $weights `)`
    (`biases` `(` $biases^ `)`)?
    (`gate_activation` `=` $gate_activation^)?
  }] # extraFormat # [{
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def HT_LSTMOp : HT_LSTMBase<"lstm", (ins UnitAttr:$reverse, UnitAttr:$batch_first),
                             "(`reverse` $reverse^)? (`batch_first` $batch_first^)?"> {
  let summary = "A one-layer, one-direction LSTM over a whole sequence";
  let description = [{
    PyTorch's `nn.LSTM` semantics: `input` is time-major `[T, B, I]`, `h0` and
    `c0` are `[B, H]`; the results are all hidden states `[T, B, H]` and the
    final `h_T`, `c_T`. Gates are in the order i, f, g, o. `T` and `B` may be
    dynamic.

    The weights come in one of three forms, each weight a dense tensor or an
    HT matrix:
    * `stacked`: `weights(W_ih, W_hh)` with `W_ih : 4H x I`, `W_hh : 4H x H`;
    * `per_gate`: `weights(W_i, W_f, W_g, W_o, W_hh)`, each input weight
      `H x I` (the rows of the stacked `W_ih`, gate by gate);
    * `fused`: `weights(W)` with `W : 4H x (I + H)` applied to `[x_t, h_(t-1)]`;
    * `projected`: `weights(W_hh)`, and `input` already holds the gate
      pre-activations `x_t · W_ihᵀ (+ biases)`, `[T, B, 4H]`: what
      `ht-hoist-input-projection` leaves after computing the input
      projection of all steps at once.

    `biases(b_ih, b_hh)`, each `[4H]`, are optional. `gate_activation` is
    `sigmoid` (default) or `hard_sigmoid` (`clamp(0.2 x + 0.5, 0, 1)`).

    With `batch_first` the input is `[B, T, I]` and the output `[B, T, H]`
    (PyTorch's `batch_first=True`; the states stay `[B, H]`): each step
    reads and writes a strided `[B, ...]` slice, so no transpose is ever
    made, and a hoisted projection is computed in that layout too.

    With `reverse` the steps run from `t = T - 1` down to 0: `output[t]` is
    the state after step `t` and `h_n`, `c_n` are those after step 0. This is
    the backward direction of PyTorch's bidirectional LSTM (a bidirectional
    layer is two `ht.lstm`s, one `reverse`, on the same input).

    ```mlir
    %out, %hT, %cT = ht.lstm stacked %x, %h0, %c0 weights(%wih, %whh)
        biases(%bih, %bhh)
      : (tensor<?x?x57600xf32>, tensor<?x256xf32>, tensor<?x256xf32>,
         !ht.matrix<...>, tensor<1024x256xf32>, tensor<1024xf32>,
         tensor<1024xf32>)
      -> (tensor<?x?x256xf32>, tensor<?x256xf32>, tensor<?x256xf32>)
    ```
  }];
  let results = (outs HT_FloatTensor:$output, HT_FloatMatrix:$h_n,
                      HT_FloatMatrix:$c_n);
}

def HT_LSTMCellOp : HT_LSTMBase<"lstm_cell"> {
  let summary = "One step of an LSTM";
  let description = [{
    One time step of `ht.lstm`: `input` is `[B, I]`, `h0` and `c0` are
    `[B, H]`; the results are the next `h` and `c`, each `[B, H]`. Weights,
    biases and `gate_activation` are as for `ht.lstm`.

    ```mlir
    %h, %c = ht.lstm_cell stacked %x, %h0, %c0 weights(%wih, %whh)
      : (tensor<?x64xf32>, tensor<?x16xf32>, tensor<?x16xf32>,
         !ht.matrix<...>, tensor<64x16xf32>)
      -> (tensor<?x16xf32>, tensor<?x16xf32>)
    ```
  }];
  let results = (outs HT_FloatMatrix:$h, HT_FloatMatrix:$c);
}

def HT_LSTMUpdateOp : HT_Op<"lstm_update", [Pure, AttrSizedOperandSegments]> {
  let summary = "The element-wise half of an LSTM step: gates, c and h";
  let description = [{
    What is left of an LSTM step once its products are computed:
    `z = Σ preactivations (+ bias)`, `[B, 4H]` in gate order i, f, g, o, then
    `i = σ(z_i)`, `f = σ(z_f)`, `g = tanh(z_g)`, `o = σ(z_o)`,
    `c = f ⊙ c0 + i ⊙ g`, `h = o ⊙ tanh(c)`. The results are `h` and `c`,
    `[B, H]` like `c0`. `gate_activation` is as for `ht.lstm`.

    `ht-expand-lstm` turns every `ht.lstm_cell` (and the body of every
    `ht.lstm`) into `ht.linear` products feeding one of these, so that the
    products are planned like any other `ht.linear`; the lowering makes it
    one element-wise kernel that also sums the parts and adds the bias.

    ```mlir
    %h, %c = ht.lstm_update(%zx, %zh), %c0 bias %b
      : (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x16xf32>, tensor<64xf32>)
      -> (tensor<?x16xf32>, tensor<?x16xf32>)
    ```
  }];
  let arguments = (ins Variadic<HT_FloatMatrix>:$preactivations,
                       HT_FloatMatrix:$c0,
                       Optional<HT_FloatVector>:$bias,
                       DefaultValuedAttr<HT_GateActivation,
                           "::mlir::ht::GateActivation::Sigmoid">:$gate_activation);
  let results = (outs HT_FloatMatrix:$h, HT_FloatMatrix:$c);
  let assemblyFormat = [{
    `(` $preactivations `)` `,` $c0 (`bias` $bias^)?
    (`gate_activation` `=` $gate_activation^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

/// The GRU ops' operands; `extraArguments` and `extraFormat` as for
/// HT_LSTMBase.
class HT_GRUBase<string mnemonic, dag extraArguments = (ins),
                 string extraFormat = "">
    : HT_Op<mnemonic, [Pure, AttrSizedOperandSegments,
        DeclareOpInterfaceMethods<HT_WeightedOpInterface,
                                  ["getWeightGate", "getGateNames"]>]> {
  let arguments = !con((ins HT_WeightForm:$form,
                       HT_FloatTensor:$input,
                       HT_FloatMatrix:$h0,
                       Variadic<HT_WeightLike>:$weights,
                       Variadic<HT_FloatVector>:$biases),
                       extraArguments);
  let assemblyFormat = [{
    $form $input `,` $h0 `weights` `(` $weights `)`
    (`biases` `(` $biases^ `)`)?
  }] # extraFormat # [{
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def HT_GRUOp : HT_GRUBase<"gru", (ins UnitAttr:$reverse, UnitAttr:$batch_first),
                           "(`reverse` $reverse^)? (`batch_first` $batch_first^)?"> {
  let summary = "A one-layer, one-direction GRU over a whole sequence";
  let description = [{
    PyTorch's `nn.GRU` semantics, gates in the order r, z, n:
    `r = σ(W_ir x + b_ir + W_hr h + b_hr)`,
    `z = σ(W_iz x + b_iz + W_hz h + b_hz)`,
    `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`,
    `h' = (1 - z) ⊙ n + z ⊙ h`. `input` is `[T, B, I]` (`[B, T, I]` with
    `batch_first`), `h0` is `[B, H]`; the results are all hidden states
    (in the input's layout) and the final `h_n`. `reverse` and
    `batch_first` are as for `ht.lstm`.

    The weights come in one of three forms, each weight dense or HT:
    * `stacked`: `weights(W_ih, W_hh)` with `W_ih : 3H x I`, `W_hh : 3H x H`;
    * `per_gate`: `weights(W_r, W_z, W_n, W_hh)`, each input weight `H x I`;
    * `projected`: `weights(W_hh)`, and `input` already holds
      `x_t · W_ihᵀ + b_ih`, `[T, B, 3H]` (what `ht-hoist-input-projection`
      leaves).
    There is no `fused` form: `b_hn` and the reset gate act on the recurrent
    product alone, so it cannot be summed with the input's.

    `biases(b_ih, b_hh)`, each `[3H]`, are optional; the projected form
    takes `biases(b_hh)` alone, since `b_ih` is in its input.

    ```mlir
    %out, %hT = ht.gru stacked %x, %h0 weights(%wih, %whh)
        biases(%bih, %bhh)
      : (tensor<?x?x64xf32>, tensor<?x16xf32>, tensor<48x64xf32>,
         tensor<48x16xf32>, tensor<48xf32>, tensor<48xf32>)
      -> (tensor<?x?x16xf32>, tensor<?x16xf32>)
    ```
  }];
  let results = (outs HT_FloatTensor:$output, HT_FloatMatrix:$h_n);
}

def HT_GRUCellOp : HT_GRUBase<"gru_cell"> {
  let summary = "One step of a GRU";
  let description = [{
    One time step of `ht.gru`: `input` is `[B, I]`, `h0` is `[B, H]`; the
    result is the next `h`. Weights and biases are as for `ht.gru`.

    ```mlir
    %h = ht.gru_cell stacked %x, %h0 weights(%wih, %whh)
      : (tensor<?x64xf32>, tensor<?x16xf32>, tensor<48x64xf32>,
         tensor<48x16xf32>) -> tensor<?x16xf32>
    ```
  }];
  let results = (outs HT_FloatMatrix:$h);
}

def HT_GRUUpdateOp : HT_Op<"gru_update", [Pure, AttrSizedOperandSegments]> {
  let summary = "The element-wise half of a GRU step: gates and h";
  let description = [{
    What is left of a GRU step once its two products are computed:
    `x_part = x_t · W_ihᵀ` and `h_part = h · W_hhᵀ`, each `[B, 3H]` in gate
    order r, z, n. With `a = x_part (+ input_bias)` and
    `b = h_part (+ hidden_bias)`: `r = σ(a_r + b_r)`, `z = σ(a_z + b_z)`,
    `n = tanh(a_n + r ⊙ b_n)`, `h' = (1 - z) ⊙ n + z ⊙ h0`. The result is
    `h'`, `[B, H]` like `h0`.

    `ht-expand-gru` turns every `ht.gru_cell` (and the body of every
    `ht.gru`) into `ht.linear` products feeding one of these; the lowering
    makes it one element-wise kernel.

    ```mlir
    %h = ht.gru_update(%zx, %zh), %h0 input_bias %bih hidden_bias %bhh
      : (tensor<?x48xf32>, tensor<?x48xf32>, tensor<?x16xf32>,
         tensor<48xf32>, tensor<48xf32>) -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins HT_FloatMatrix:$input_part,
                       HT_FloatMatrix:$hidden_part,
                       HT_FloatMatrix:$h0,
                       Optional<HT_FloatVector>:$input_bias,
                       Optional<HT_FloatVector>:$hidden_bias);
  let results = (outs HT_FloatMatrix:$h);
  let assemblyFormat = [{
    `(` $input_part `,` $hidden_part `)` `,` $h0
    (`input_bias` $input_bias^)? (`hidden_bias` $hidden_bias^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // HT_DIALECT_HT_IR_HTOPS_TD
