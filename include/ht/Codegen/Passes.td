//===- Passes.td - CPU code generation passes --------------*- tablegen -*-===//
//
// The passes of the ht-cpu-codegen stage that make linalg on tensors fast:
// weights laid out for the kernels, contractions and element-wise kernels
// tiled to register blocks and vectorised.
//
//===----------------------------------------------------------------------===//

#ifndef HT_CODEGEN_PASSES_TD
#define HT_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def HTPackWeights : Pass<"ht-pack-weights", "::mlir::func::FuncOp"> {
  let summary = "Lay constant contraction operands out as [batch, K, N]";
  let description = [{
    Every `linalg.contract` with one constant operand (a weight) whose own
    labels (the `N` of `C[M, N] = A[M, K] · B[K, N]`) are the innermost
    dimensions of the result, which is how `ht-optimize` lays every step
    out, is rewritten into the form the vector kernels want: the constant is
    permuted at compile time to `[batch..., K..., N]` with its `N`
    dimensions merged into one, the result's `N` dimensions are merged the
    same way (a `tensor.collapse_shape` of the init and a
    `tensor.expand_shape` of the result, both over static dimensions only),
    and the loop order becomes `[result dimensions..., K...]`. The weight's
    rows are then contiguous vectors of `N` lanes: one load each, no
    gathers, whatever the plan's label order was. The values are unchanged
    (a permutation of the constant).

    A weight past 512 KiB whose reduction `ht-vectorize` runs in cache
    blocks (a dense input projection: UCF11's is `[57600, 1024]`), with
    more lanes than one register block (`N_t`, two registers of `lanes`),
    is then laid out in panels, `[N / N_t, K..., N_t]`, the contraction
    taking a loop over panels before the lanes (the result's `N` expanded
    to `[N / N_t, N_t]` and collapsed back): each block's panel is
    contiguous instead of rows `4 N` bytes apart.
  }];
  let options = [
    Option<"lanes", "lanes", "int64_t", /*default=*/"16",
           "f32 lanes of a vector register, as ht-vectorize's (the panel width is two)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def HTVectorize : Pass<"ht-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Tile contractions and element-wise kernels to register blocks and vectorise them";
  let description = [{
    On tensors, before bufferization. A `linalg.contract` whose result's
    innermost dimension is also the innermost dimension of exactly one
    operand (what `ht-pack-weights` makes of every weight product) is tiled
    to a register block: the innermost dimension to `N_t` lanes (the whole
    dimension up to `4 x lanes`, else its largest divisor up to that, a
    multiple of `lanes` where one exists), one more static result
    dimension of the other operand to `M_r` rows (as many as
    `max-accumulators` vector registers allow), every other result
    dimension to 1; the reduction stays whole when it has at most
    `max-unrolled-reduction` elements and the tile at most 256 register
    FMAs (rows x registers x reduction; more is slower code, which LLVM
    takes minutes to compile past a few thousand), and is tiled along its
    dimensions otherwise (the accumulator then stays in registers across
    the reduction loop). A contraction whose weight passes 512 KiB first
    runs its reduction in cache blocks of about 256 elements by an outer
    loop over the outermost summed dimension (the order of the sum, and so
    the bits, unchanged): each block's weight panel is reused by every
    block of rows instead of the whole weight being streamed once per block
    of rows. The `linalg.fill` of the accumulator is fused into the
    tile. Element-wise `linalg.generic`, `linalg.transpose` and `linalg.fill`
    ops are tiled to one row of up to `4 x lanes` elements of their
    innermost static dimension. Then every tile is vectorised
    (`vector.contract` for contractions), the contractions are unrolled to
    one reduction dimension and lowered to outer products, i.e. vector FMAs
    of `N_t` lanes with one operand broadcast, and `math.exp` / `math.tanh`
    on vectors become polynomial approximations (f32, within 2 ulp of libm
    for the LSTM cell's range; the accuracy tests check it).

    Ops that do not fit (a dynamic innermost dimension, a contraction whose
    lanes would be gathered, a summed label only one operand carries) are
    left to the scalar loops of `convert-linalg-to-loops`.
  }];
  let options = [
    Option<"lanes", "lanes", "int64_t", /*default=*/"16",
           "f32 lanes of a vector register (16: AVX-512, 8: AVX2)">,
    Option<"maxAccumulators", "max-accumulators", "int64_t", /*default=*/"16",
           "Vector registers a contraction tile may keep accumulators in">,
    Option<"maxUnrolledReduction", "max-unrolled-reduction", "int64_t",
           /*default=*/"512",
           "Largest reduction (elements) unrolled into one tile">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect"];
}

def HTParallelize : Pass<"ht-parallelize", "::mlir::ModuleOp"> {
  let summary = "Run independent tile loops on a team of threads (OpenMP)";
  let description = [{
    On buffers, after bufferization and deallocation. Each outermost band
    of perfectly nested `scf.for` loops marked `ht.parallel` (by
    `ht-order-contractions`' row blocks and `ht-vectorize`'s tiles of
    dimensions that are not summed) whose iterations are proven
    independent becomes one `omp.parallel` region: the band's iterations,
    in their sequential order, are split into `slots` contiguous ranges,
    `slots = max(1, min(__ht_threads(), iterations / grain, 4096))` (the mark's
    value is the grain), one range per thread of the team.

    Independent means: every write goes to a buffer the iteration
    allocates, or through a `memref.subview` taking `[iv, iv + size)` with
    `size <= step` along some dimension for each loop of the band; reads of
    buffers the band writes stay in the same tiles; no calls and no
    effects on unnamed memory. Buffers an iteration allocates, whose sizes
    must be bounded by constants, become views of one scratch buffer
    allocated on the calling thread (a slot per range): threads never
    allocate. A loop that fails a check stays sequential (`remarks=true`
    says why).

    `__ht_threads()` is the model runtime's: the thread count the C API
    call asked for. (A module pass: it declares that function.) The arithmetic does not depend on the split, so the
    results are bit-identical for every thread count.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::omp::OpenMPDialect",
                           "::mlir::scf::SCFDialect"];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark on every marked loop: parallel, or why not">,
  ];
}

def HTLegalizeExpandShapes
    : Pass<"ht-legalize-expand-shapes", "::mlir::func::FuncOp"> {
  let summary = "Contiguous memref.expand_shape with several dynamic sizes "
                "in one group as memref.reinterpret_cast";
  let description = [{
    LLVM 22's `expand-strided-metadata` crashes on a `memref.expand_shape`
    with more than one dynamic size in one reassociation group
    (llvm-project issue 186830, fixed for LLVM 23), such as the
    `[T * B, N] -> [T, B, N]` of a dense input projection over collapsed
    rows. On a source with the identity layout the expansion is a
    `memref.reinterpret_cast` to the output shape with row-major strides,
    which lowers everywhere. Other expand_shapes are left alone.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::memref::MemRefDialect"];
}


//===----------------------------------------------------------------------===//
// CUDA code generation (the ht-cuda-codegen stage)
//===----------------------------------------------------------------------===//

def HTGPUMapLinalg : Pass<"ht-gpu-map-linalg", "::mlir::func::FuncOp"> {
  let summary = "Give every linalg op on buffers one GPU thread per result element";
  let description = [{
    On buffers (after bufferization). Every linalg op outside a `gpu.launch`
    is generalised, its loops interchanged so that the parallel dimensions
    come first (the reductions stay in their order, so the sums' order, and
    the bits, are those of the CPU code's scalar loops), and lowered to one
    `scf.parallel` over all its parallel dimensions with the reductions as
    `scf.for` loops inside, each accumulator loaded once before them and
    stored once after (a register, not a global-memory round trip per
    step; not where an input aliases it). A `linalg.fill` of a reduction's
    output right before it becomes the accumulators' initial value in the
    reduction's kernel (one kernel fewer), when the reduction writes every
    element and reads the buffer nowhere else; and a copy of an element-wise
    op's whole result right after it (pure view ops between) becomes a
    second store in that op's kernel, when the copy's destination is none
    of the op's buffers. The parallel loop is collapsed to one dimension
    (row-major over the result: consecutive threads write consecutive
    elements, so stores coalesce) and tiled by `block-size`, the partial
    last tile guarded by an `scf.if`. With `map-to-gpu`, the tile loop is
    mapped to blocks and the loop inside it to threads, for
    `convert-parallel-loops-to-gpu`; without, the loops stay on the host:
    the same schedule, run by the CPU pipeline, checks its numbers on a
    machine without a GPU (its arithmetic rewritten as
    `ht-gpu-prepare-kernels` rewrites the kernels'). An op with no parallel dimension (a full
    reduction) runs on one thread.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block (1 to 1024)">,
    Option<"mapToGPU", "map-to-gpu", "bool", /*default=*/"true",
           "Map the loops to blocks and threads (off: leave them on the host)">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def HTGPUDeviceBuffers : Pass<"ht-gpu-device-buffers", "::mlir::ModuleOp"> {
  let summary = "Put the data buffers in device memory; check the host never touches them";
  let description = [{
    After `convert-parallel-loops-to-gpu`. Every `memref.alloc` of numbers
    (any element type but `index` and `i1`, which are the host bookkeeping
    of the buffer deallocation pipeline) becomes a `gpu.alloc`, and every
    `memref.dealloc` of one a `gpu.dealloc`; `gpu-async-region` then puts
    them on the call's stream, and the project's CUDA runtime serves them
    from the call's workspace.

    Then it checks that no op left outside a `gpu.launch` reads or writes a
    device buffer (a function argument, a constant, a `gpu.alloc`, or a view
    of one): in the CUDA calling convention every tensor argument is a
    device pointer, and a host access would fault. Such an op (one the GPU
    mapping did not handle) is an error naming it, not a crash at run time.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def HTGPUPrepareKernels : Pass<"ht-gpu-prepare-kernels", "::mlir::ModuleOp"> {
  let summary = "Move constant weights into the kernels that read them; allow FMAs";
  let description = [{
    Before `gpu-kernel-outlining`. A `memref.get_global` (a constant weight)
    used by a `gpu.launch`, with the views of it the launch uses, is cloned
    into the launch's body: outlining then copies the global into the
    kernel module, so the weights live in device memory, loaded with the
    module, instead of being host pointers passed to a kernel. Inside every
    launch, float arithmetic gets `fastmath<contract>`, so that NVPTX fuses
    multiplies and adds into FMAs (without it every product and sum is
    rounded on its own: `mul.rn.f32`, `add.rn.f32`). `math.exp` and
    `math.tanh` become the f32 polynomials the CPU kernels use, and what is
    left of `math` (the polynomials' `fma`, `floor`, `absf`) LLVM's fma and
    integer and select operations, so that the kernels call no libdevice
    function and their PTX is complete without a CUDA toolkit.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // HT_CODEGEN_PASSES_TD
