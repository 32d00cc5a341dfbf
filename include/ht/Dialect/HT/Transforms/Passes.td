//===- Passes.td - Passes of the ht dialect ----------------*- tablegen -*-===//

#ifndef HT_DIALECT_HT_TRANSFORMS_PASSES_TD
#define HT_DIALECT_HT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Compression
//===----------------------------------------------------------------------===//

def HTCompress : Pass<"ht-compress", "::mlir::ModuleOp"> {
  let summary = "Replace dense constant weights by HT matrices (hierarchical SVD)";
  let description = [{
    Compresses the dense constant weights of `ht.lstm`, `ht.lstm_cell` and
    `ht.linear` ops into `ht.constant` HT matrices with the leaves-to-root
    hierarchical SVD, computed in double precision and stored in the
    weight's element type. `weights` selects which: `W_ih` (the input matrix
    of the stacked form, every gate's of the per-gate form), `W_hh` (the
    recurrent matrix), `W` (the fused `[W_ih|W_hh]` and the `ht.linear`
    weight), or `all`; by default `W_ih` and `W`, the published HT-LSTM.
    Weights already in HT form are left alone.

    The modes are `row-modes` x `col-modes` when given (both, equally long,
    multiplying to the rows and columns of every selected weight); otherwise
    each matrix's rows and columns are split into `num-modes` factors as
    evenly as their prime factorizations allow, largest first. `tree` is the
    dimension tree (default: balanced). Ranks are capped by `max-rank` and
    chosen as small as `tolerance` (relative Frobenius error of the whole
    matrix) allows; with neither, they are the numerical ranks and the
    compression is exact up to rounding.

    A budget, `max-parameters` or `ratio` (one or the other; `ratio=R`
    allows `rows * cols / R` parameters), makes the ranks as good as the
    budget allows: a probing sweep sees every node's singular values, the
    ranks are raised greedily where the next singular value removes the
    most squared error per parameter it adds, and the HSVD runs with them.
    The result never has more parameters than the budget; a budget below
    the smallest HT matrix of the modes (every rank 1) is an error naming
    that size. `max-rank` still caps every rank, and `tolerance` then stops
    early once met.

    `search` compresses each matrix with every candidate and keeps the one
    with the least error (with a budget) or the fewest parameters (without):
    the candidates are the mode counts 2 to `num-modes`, each size split as
    evenly as its prime factors allow (or the given `row-modes` x
    `col-modes` only), each with the balanced tree and the left-deep one
    `(((0, 1), 2), ...)`, which is the tensor-train (TT) shape. `tree` and
    `search` exclude each other.

    A result with more parameters than the dense matrix is a warning on the
    op naming the ranks. With `report`, prints one line per compressed
    matrix: modes, tree, ranks, parameters, compression ratio, the relative
    error of the stored factors (a recount against the dense weight) and the
    HSVD error bound. With `progress` (or on a terminal, for matrices of
    more than a million entries), each matrix's phases go to stderr as they
    start. A weight that is not a compile-time constant, or options that do
    not fit a matrix, are errors naming the op and the option.
  }];
  let options = [
    ListOption<"weights", "weights", "std::string",
               "Weights to compress: W_ih, W_hh, W, all (default W_ih,W)">,
    ListOption<"rowModes", "row-modes", "int64_t",
               "Row mode sizes m_k (default: automatic)">,
    ListOption<"colModes", "col-modes", "int64_t",
               "Column mode sizes n_k (default: automatic)">,
    Option<"numModes", "num-modes", "int64_t", /*default=*/"4",
           "Number of modes d of the automatic factorization (>= 2)">,
    Option<"tree", "tree", "std::string", /*default=*/"\"\"",
           "Dimension tree, e.g. ((0,1),(2,3)) (default: balanced)">,
    Option<"maxRank", "max-rank", "int64_t", /*default=*/"0",
           "Largest rank of any node (default: no cap)">,
    Option<"tolerance", "tolerance", "double", /*default=*/"0.0",
           "Relative Frobenius error allowed per matrix, in [0, 1)">,
    Option<"maxParameters", "max-parameters", "int64_t", /*default=*/"0",
           "Parameter budget per matrix; the ranks minimise the error within it (default: none)">,
    Option<"ratio", "ratio", "double", /*default=*/"0.0",
           "Target compression ratio per matrix (dense / HT parameters), a budget of rows*cols/ratio">,
    Option<"search", "search", "bool", /*default=*/"false",
           "Try every candidate mode count and tree, keep the best per matrix">,
    Option<"progress", "progress", "bool", /*default=*/"false",
           "Print each matrix's phases on stderr (always on a terminal for matrices past 1M entries)">,
    Option<"report", "report", "bool", /*default=*/"true",
           "Print a line per compressed matrix">,
  ];
  let dependentDialects = ["::mlir::ht::HTDialect"];
}

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

//===----------------------------------------------------------------------===//
// LSTM restructuring
//===----------------------------------------------------------------------===//

def HTHoistInputProjection
    : Pass<"ht-hoist-input-projection", "::mlir::func::FuncOp"> {
  let summary = "Compute the input projection of all time steps at once";
  let description = [{
    The input projection `x_t · W_ihᵀ` of an LSTM or GRU does not depend on the
    recurrence. This rewrites each `ht.lstm` in the `stacked` or `per_gate`
    form into one `ht.linear` over all `T x B` rows (per gate: four, joined
    by `tensor.concat`), with `b_ih + b_hh` as its bias, followed by an
    `ht.lstm` in the `projected` form whose loop only multiplies by `W_hh`
    and updates the cell. The HT contraction then runs once with `T x B`
    rows, so its weight-only steps are shared by every row and its order is
    chosen for that many rows. The `fused` form (one matrix over `[x, h]`)
    is left alone: its input half cannot be split off an HT matrix.

    An `ht.gru` is hoisted alike (three gates; per gate three `ht.linear`s),
    with `b_ih` alone as the projection's bias: `b_hh` stays with the loop,
    since the reset gate scales `b_hn`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def HTExpandLSTM : Pass<"ht-expand-lstm", "::mlir::func::FuncOp"> {
  let summary = "Make the recurrence explicit: LSTM steps as ht.linear products";
  let description = [{
    Rewrites every `ht.lstm` into an `scf.for` over its time steps (the
    output sequence built with `tensor.insert_slice`, `b_ih + b_hh` summed
    once before the loop), and every step, as well as every `ht.lstm_cell`,
    into one `ht.linear` per product and one `ht.lstm_update` for the
    element-wise rest:

    * `stacked`: `x_t · W_ihᵀ` and `h · W_hhᵀ`, two parts of the update;
    * `per_gate`: the four gates' `x_t · W_gᵀ` joined by `tensor.concat`,
      and `h · W_hhᵀ`;
    * `fused`: `[x_t, h] · Wᵀ` (a `tensor.concat` of `x_t` and `h`);
    * `projected`: the input itself and `h · W_hhᵀ`.

    Afterwards no HT product is hidden inside an op: `ht-order-contractions`
    plans the recurrent and fused products exactly like any `ht.linear`
    (their rows are the batch), `ht-fold-weights` folds their weight-only
    steps, and `ht-choose-weight-format` costs them with the same plan.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def HTExpandGRU : Pass<"ht-expand-gru", "::mlir::func::FuncOp"> {
  let summary = "Make the recurrence explicit: GRU steps as ht.linear products";
  let description = [{
    What `ht-expand-lstm` does for LSTMs, for `ht.gru` and `ht.gru_cell`:
    an `scf.for` over the steps, and per step one `ht.linear` per product
    and one `ht.gru_update`:

    * `stacked`: `x_t · W_ihᵀ` and `h · W_hhᵀ`;
    * `per_gate`: the three gates' `x_t · W_gᵀ` joined by `tensor.concat`,
      and `h · W_hhᵀ`;
    * `projected`: the input itself and `h · W_hhᵀ`.

    `b_ih` and `b_hh` stay apart (the update adds them where PyTorch does:
    `b_hn` inside the reset product).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

//===----------------------------------------------------------------------===//
// Contraction order
//===----------------------------------------------------------------------===//

defvar HTCostOptions = [
  Option<"costModel", "cost-model", "::mlir::ht::CostModel",
         /*default=*/"::mlir::ht::CostModel::Macs",
         "What a contraction step costs",
         [{::llvm::cl::values(
           clEnumValN(::mlir::ht::CostModel::Macs, "macs", "multiply-adds"),
           clEnumValN(::mlir::ht::CostModel::MacsPlusWrites, "macs-plus-writes",
                      "multiply-adds plus write-weight times elements written"))}]>,
  Option<"writeWeight", "write-weight", "double", /*default=*/"8.0",
         "alpha in MACs + alpha * elements written">,
  Option<"expectedRows", "expected-rows", "int64_t", /*default=*/"1",
         "Rows (batch x time) assumed where the number of rows is dynamic">,
  Option<"foldWeights", "fold-weights", "bool", /*default=*/"true",
         "Count steps that only combine constant weights as done at compile "
         "time (ht-fold-weights folds them)">,
  Option<"foldSizeLimit", "fold-size-limit", "int64_t", /*default=*/"1048576",
         "Largest folded result, in elements">,
];

defvar HTOrderOptions = [
    Option<"strategy", "strategy", "::mlir::ht::OrderStrategy",
           /*default=*/"::mlir::ht::OrderStrategy::Optimal",
           "How to order the contractions",
           [{::llvm::cl::values(
             clEnumValN(::mlir::ht::OrderStrategy::Optimal, "optimal",
                        "least cost over all contraction trees"),
             clEnumValN(::mlir::ht::OrderStrategy::Greedy, "greedy",
                        "cheapest next step first"),
             clEnumValN(::mlir::ht::OrderStrategy::LeftToRight, "left-to-right",
                        "leaf by leaf in tree postorder"),
             clEnumValN(::mlir::ht::OrderStrategy::Dense, "dense",
                        "rebuild W, then one GEMM"))}]>,
    Option<"maxExactTensors", "max-exact-tensors", "unsigned",
           /*default=*/"18",
           "Largest network (in tensors) searched exactly">,
];

def HTOrderContractions
    : Pass<"ht-order-contractions", "::mlir::func::FuncOp"> {
  let summary = "Rewrite each ht.linear into ht.contract steps in a chosen order";
  let description = [{
    Describes `x · Wᵀ` of every `ht.linear` as a tensor network (the input,
    the leaf frames and the transfer tensors), chooses the order of pairwise
    contractions with `strategy`, and emits it as `ht.factors` plus one
    `ht.contract` per step, between the reshapes that bring the input to
    `[rows, n_0, ..., n_(d-1)]` and the result back. That includes the
    recurrent and fused products of LSTMs once `ht-expand-lstm` has made
    them `ht.linear` ops inside the time loop.

    The plan also fixes each intermediate's layout (the order of its
    labels), as the output `C[M, N]` of a matrix product: the activation's
    labels, then the weight's own (innermost, the vector lanes of the code
    generator); the last step is transposed into the output's order.

    When the plan's largest run-time intermediate for all the rows (1,024
    where they are dynamic) would exceed `max-intermediate-bytes`, the rows
    are processed in blocks: an
    `scf.for` over every leading dimension but the last, and over the last in
    blocks of as many rows as fit, each block one planned network on a
    `[rows, N]` slice. Rows are independent, so the values are the same; the
    intermediates stay in cache and are not fresh memory on every call.

    * `optimal`: the least total cost over all contraction trees (exact
      dynamic programme over connected sub-networks, greedy past
      `max-exact-tensors` tensors);
    * `greedy`: cheapest next step first;
    * `left-to-right`: each leaf into the input in tree postorder, each
      transfer when both children are in (a naive implementation's order);
    * `dense`: rebuild `W` from the factors, then one GEMM.

    The number of rows is the product of the input's leading dimensions, or
    `expected-rows` where one is dynamic. With `fold-weights`, steps whose
    operands are all weights cost nothing (they are folded at compile time),
    so reconstructing `W` (the `dense` plan) competes with the HT orders, and
    `optimal` picks whichever is cheaper: the dense-or-HT choice per matrix.
  }];
  let options = !listconcat(HTOrderOptions, HTCostOptions, [
    Option<"maxIntermediateBytes", "max-intermediate-bytes", "int64_t",
           /*default=*/"1048576",
           "Largest run-time intermediate, in bytes, before the rows are "
           "processed in blocks (0: never)">,
  ]);
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def HTChooseWeightFormat
    : Pass<"ht-choose-weight-format", "::mlir::func::FuncOp"> {
  let summary = "Keep each constant HT weight in HT form or make it dense, whichever is cheaper";
  let description = [{
    For every constant HT weight of an op that multiplies weights
    (`ht.linear`; `ht.lstm` and `ht.lstm_cell` when they have not been
    expanded), plans the product `[rows, N] x Wᵀ` exactly as
    `ht-order-contractions` will (the same `strategy`, cost model, folding
    and `expected-rows`) and compares its run-time cost with one dense GEMM
    for the same rows: the product's rows, the batch of an LSTM step, or
    `expected-rows` where they are dynamic. When dense costs as much or
    less and `W` has at most `fold-size-limit` elements, `W` is
    reconstructed at compile time (double precision, rounded to the element
    type) and the op takes the dense constant. Typical of small recurrent
    matrices at higher ranks, or of any HT weight under a naive order.

    In the `ht-optimize` pipeline it runs after `ht-expand-lstm`, so the
    recurrent products it sees are `ht.linear` ops inside the time loop.
    With `report`, prints one line per weight with both costs and the choice.
  }];
  let options = !listconcat(HTOrderOptions, HTCostOptions, [
    Option<"report", "report", "bool", /*default=*/"false",
           "Print the costs and the choice for each weight">,
  ]);
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def HTFuseGates : Pass<"ht-fuse-gates", "::mlir::func::FuncOp"> {
  let summary = "Compute the gates' HT input projections as one network";
  let description = [{
    Finds `ht.linear` ops that share their input, whose constant HT weights
    have one shape, and whose results are concatenated along the last
    dimension: the four gates of a per-gate LSTM once
    `ht-hoist-input-projection` has run (`W_ih[i]`, `W_ih[f]`, `W_ih[g]`,
    `W_ih[o]`). It stacks each factor of the matrices at compile time
    (`U_k` becomes `[4, m_k, n_k, r_k]`) and emits one ht.contract network
    batched over the gate, ordered like `ht-order-contractions` would order
    one gate: the same multiply-adds as four networks, in a quarter of the
    steps, and the result is the stacked `[i; f; g; o]` pre-activation
    directly, without a concatenation. The biases are concatenated and added
    once.

    Weights that are not constants, differ in shape, or results used
    elsewhere than the concatenation are left to `ht-order-contractions`.

    Each result is laid out as for one matrix (the activation's labels, then
    the stacked factor's own, the gate label among them); the last one is
    transposed into `[rows, gate, ...]`. Off by default in `ht-optimize`:
    with the vector kernels the fused network measured slower than four.
    (The other half of gate fusion, bias + sigma/tanh + the cell and hidden
    update of a step in one element-wise kernel, is how
    `convert-ht-to-linalg` always lowers `ht.lstm_update`.)
  }];
  let options = !listconcat(HTOrderOptions, HTCostOptions);
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def HTFoldWeights : Pass<"ht-fold-weights", "::mlir::func::FuncOp"> {
  let summary = "Evaluate ht.contract steps between constants at compile time";
  let description = [{
    Folds `ht.factors` of constant HT matrices into their constants, then
    replaces every `ht.contract` whose operands are both constants (inline
    `dense` or `dense_resource`) by the constant it computes (in double
    precision, rounded to the element type), when the result has at most
    `size-limit` elements. After `ht-order-contractions` this leaves only
    the steps that touch activations.
  }];
  let options = [
    Option<"sizeLimit", "size-limit", "int64_t", /*default=*/"1048576",
           "Largest result to fold, in elements">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def HTReport : Pass<"ht-report", "::mlir::ModuleOp"> {
  let summary = "Print the contraction order chosen for each ht.linear";
  let description = [{
    For every `ht.linear`, prints the order the `optimal` strategy chooses as
    a tree of factor names (`X` the input, `U<k>` the leaf of mode `k`,
    `B<i>` the transfer tensor of internal node `i`), its run-time
    multiply-adds per row, the multiply-adds per row of the `left-to-right`,
    `greedy` and `dense` plans, and the multiply-adds moved to compile time
    by folding. The IR is left unchanged.
  }];
  let options = HTCostOptions;
}

#endif // HT_DIALECT_HT_TRANSFORMS_PASSES_TD
