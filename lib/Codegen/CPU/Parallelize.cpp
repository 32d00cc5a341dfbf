//===- Parallelize.cpp - Tile loops run by a team of threads --------------===//
//
// On buffers, after bufferization and deallocation. Each outermost band of
// perfectly nested `ht.parallel` loops whose iterations provably write
// disjoint memory becomes one `omp.parallel` region:
//
//   slots   = max(1, min(__ht_threads(), iterations / grain, 4096))
//   scratch = alloc(slots * slot_bytes)         // on the calling thread
//   omp.parallel num_threads(slots) {
//     omp.wsloop for slot in [0, slots)            // static schedule
//       for i in [slot * iterations / slots, (slot + 1) * iterations / slots)
//         <the band's body at the band's indices for i>
//   }
//   dealloc(scratch)
//
// The buffers the body allocates per iteration become views of the slot's
// part of `scratch` (their sizes bounded by a constant), so no thread
// allocates: a failed allocation can only happen on the calling thread,
// where the model runtime's guard catches it, and the slots do not contend
// on malloc. Which thread runs which iteration changes nothing in the
// arithmetic: the results are bit-identical for every thread count.
//
//===----------------------------------------------------------------------===//

#include "ht/Codegen/Passes.h"
#include "ht/Dialect/HT/IR/HTDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTPARALLELIZE
#include "ht/Codegen/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

constexpr StringLiteral kThreadsFunction = "__ht_threads";
/// Each private buffer's part of a slot starts at a multiple of this.
constexpr int64_t kScratchAlignment = 64;
/// The most bytes of private buffers one slot holds (they are one
/// iteration's intermediates: row blocks keep them near 1 MiB).
constexpr int64_t kMaxSlotBytes = int64_t(1) << 40;
/// The most slots of one region, whatever thread count a call asks for: a
/// team is at most this large, and the scratch buffer stays bounded.
constexpr int64_t kMaxSlots = 4096;

/// Whether `value` is defined in `loop` (its induction variable included).
bool isInside(Value value, Operation *loop) {
  if (auto argument = dyn_cast<BlockArgument>(value))
    return loop->isAncestor(argument.getOwner()->getParentOp());
  return loop->isProperAncestor(value.getDefiningOp());
}

std::optional<int64_t> constantUpperBound(Value size);

/// The view chain from `memref` up to the buffer it views.
SmallVector<Operation *> viewChain(Value memref) {
  SmallVector<Operation *> chain;
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>()) {
    chain.push_back(view);
    memref = view.getViewSource();
  }
  return chain;
}

Value viewRoot(Value memref) {
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>())
    memref = view.getViewSource();
  return memref;
}

/// Whether an access through `memref` stays in the tile of `loop`'s
/// iteration: the chain holds a subview, in the loop, taking along some
/// dimension `[iv, iv + size)` with `size <= step`, and what lies above that
/// subview does not change from one iteration to the next.
bool isTileOfIteration(Value memref, scf::ForOp loop) {
  Value iv = loop.getInductionVar();
  for (Operation *op : viewChain(memref)) {
    auto subview = dyn_cast<memref::SubViewOp>(op);
    if (!subview || !isInside(subview.getResult(), loop))
      continue;
    bool invariantAbove = true;
    for (Value above = subview.getSource(); invariantAbove;) {
      Operation *def = above.getDefiningOp();
      if (!def || !loop->isAncestor(def))
        break;
      auto view = dyn_cast<ViewLikeOpInterface>(def);
      if (!view) {
        invariantAbove = false;
        break;
      }
      for (Value operand : def->getOperands())
        if (operand != view.getViewSource() && isInside(operand, loop))
          invariantAbove = false;
      above = view.getViewSource();
    }
    if (!invariantAbove)
      continue;
    for (auto [offset, size] :
         llvm::zip_equal(subview.getMixedOffsets(), subview.getMixedSizes())) {
      auto offsetValue = dyn_cast<Value>(offset);
      if (offsetValue != iv)
        continue;
      std::optional<int64_t> step = getConstantIntValue(loop.getStep());
      std::optional<int64_t> bound =
          isa<Value>(size) ? constantUpperBound(cast<Value>(size))
                           : getConstantIntValue(size);
      if (step && bound && *bound <= *step)
        return true;
      if (ValueBoundsConstraintSet::compare(
              ValueBoundsConstraintSet::Variable(size),
              ValueBoundsConstraintSet::ComparisonOperator::LE,
              ValueBoundsConstraintSet::Variable(
                  getAsOpFoldResult(loop.getStep()))))
        return true;
    }
  }
  return false;
}

/// Why `loop`'s iterations might not be independent, if they might be:
/// every write must go to a buffer of the iteration's own or to the
/// iteration's tile of an outer buffer, and every read of an outer buffer
/// the loop writes must stay in the tile too. Anything with effects the
/// check cannot see (calls, effects on no particular buffer) fails it.
std::optional<std::string> whyNotIndependent(scf::ForOp loop) {
  if (loop.getNumResults() != 0)
    return "the loop carries values";
  struct Access {
    Value memref;
    bool write;
    Operation *op;
  };
  SmallVector<Access> accesses;
  std::optional<std::string> problem;
  loop.getBody()->walk([&](Operation *op) {
    if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return WalkResult::advance();
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects) {
      problem = ("'" + op->getName().getStringRef() + "' has unknown effects")
                    .str();
      return WalkResult::interrupt();
    }
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &instance : instances) {
      Value value = instance.getValue();
      bool isRead = isa<MemoryEffects::Read>(instance.getEffect());
      bool isWrite = isa<MemoryEffects::Write>(instance.getEffect());
      if (!isRead && !isWrite)
        continue; // allocation and freeing: checked by privatization
      if (!value || !isa<BaseMemRefType>(value.getType())) {
        problem = ("'" + op->getName().getStringRef() +
                   "' accesses memory that is not a buffer")
                      .str();
        return WalkResult::interrupt();
      }
      accesses.push_back({value, isWrite, op});
    }
    return WalkResult::advance();
  });
  if (problem)
    return problem;

  llvm::SmallPtrSet<Value, 8> writtenOuterRoots;
  for (const Access &access : accesses) {
    if (!access.write)
      continue;
    Value root = viewRoot(access.memref);
    if (isInside(root, loop))
      continue; // the iteration's own buffer
    if (!isTileOfIteration(access.memref, loop))
      return ("'" + access.op->getName().getStringRef() +
              "' writes outside the iteration's tile")
          .str();
    writtenOuterRoots.insert(root);
  }
  for (const Access &access : accesses)
    if (!access.write && writtenOuterRoots.contains(viewRoot(access.memref)) &&
        !isTileOfIteration(access.memref, loop))
      return ("'" + access.op->getName().getStringRef() +
              "' reads a buffer the loop writes, outside the tile")
          .str();
  return std::nullopt;
}

std::optional<int64_t> dimensionUpperBound(Value memref, int64_t dim);

/// A constant `size` cannot exceed. Upstream's value bounds first; they do
/// not see through the dimensions of reshaped buffers, which this does.
std::optional<int64_t> constantUpperBound(Value size) {
  FailureOr<int64_t> bound = ValueBoundsConstraintSet::computeConstantBound(
      presburger::BoundType::UB, ValueBoundsConstraintSet::Variable(size),
      /*stopCondition=*/nullptr, /*closedUB=*/true);
  if (succeeded(bound))
    return *bound;
  // min(a, b) <= the bound of either (the row blocks' last-block sizes).
  if (auto min = size.getDefiningOp<arith::MinSIOp>()) {
    std::optional<int64_t> lhs = constantUpperBound(min.getLhs());
    std::optional<int64_t> rhs = constantUpperBound(min.getRhs());
    if (lhs && rhs)
      return std::min(*lhs, *rhs);
    return lhs ? lhs : rhs;
  }
  auto dim = size.getDefiningOp<memref::DimOp>();
  if (!dim)
    return std::nullopt;
  std::optional<int64_t> index = dim.getConstantIndex();
  if (!index)
    return std::nullopt;
  return dimensionUpperBound(dim.getSource(), *index);
}

std::optional<int64_t> dimensionUpperBound(Value memref, int64_t dim) {
  auto type = dyn_cast<MemRefType>(memref.getType());
  if (!type || dim < 0 || dim >= type.getRank())
    return std::nullopt;
  if (!type.isDynamicDim(dim))
    return type.getDimSize(dim);
  Operation *def = memref.getDefiningOp();
  if (auto alloc = dyn_cast_or_null<memref::AllocOp>(def))
    return constantUpperBound(
        alloc.getDynamicSizes()[type.getDynamicDimIndex(dim)]);
  if (auto expand = dyn_cast_or_null<memref::ExpandShapeOp>(def)) {
    OpFoldResult size = expand.getMixedOutputShape()[dim];
    if (std::optional<int64_t> fixed = getConstantIntValue(size))
      return fixed;
    return constantUpperBound(cast<Value>(size));
  }
  if (auto collapse = dyn_cast_or_null<memref::CollapseShapeOp>(def)) {
    int64_t product = 1;
    for (int64_t source : collapse.getReassociationIndices()[dim]) {
      std::optional<int64_t> bound =
          dimensionUpperBound(collapse.getSrc(), source);
      if (!bound || llvm::MulOverflow(product, *bound, product))
        return std::nullopt;
    }
    return product;
  }
  return std::nullopt;
}

/// A buffer each iteration allocates for itself, and the most bytes it
/// takes.
struct PrivateBuffer {
  memref::AllocOp alloc;
  int64_t maxBytes;
};

/// The buffers `body` allocates, if each can live in a slot of the scratch
/// buffer: identity layout, sizes bounded by constants, freed only by a
/// plain dealloc in the body (no runtime deallocation helpers).
FailureOr<SmallVector<PrivateBuffer>> privateBuffers(Operation *body,
                                                     std::string &why) {
  SmallVector<PrivateBuffer> buffers;
  int64_t slotBytes = 0;
  WalkResult walk = body->walk([&](Operation *op) {
    auto stop = [&](const Twine &reason) {
      why = reason.str();
      return WalkResult::interrupt();
    };
    // (Calls were refused by the independence check already.)
    if (isa<memref::ReallocOp>(op))
      return stop("the body reallocates a buffer");
    if (auto dealloc = dyn_cast<memref::DeallocOp>(op))
      return dealloc.getMemref().getDefiningOp<memref::AllocOp>()
                 ? WalkResult::advance()
                 : stop("a buffer is freed through a view");
    auto alloc = dyn_cast<memref::AllocOp>(op);
    if (!alloc)
      return WalkResult::advance();
    MemRefType type = alloc.getType();
    if (!type.getLayout().isIdentity() || !type.getElementType().isIntOrFloat())
      return stop("a buffer it allocates has a layout");
    int64_t bytes = llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    unsigned dynamic = 0;
    for (int64_t size : type.getShape()) {
      int64_t bound = size;
      if (ShapedType::isDynamic(size)) {
        std::optional<int64_t> upper =
            constantUpperBound(alloc.getDynamicSizes()[dynamic++]);
        if (!upper)
          return stop("a buffer it allocates has no constant size bound");
        bound = std::max<int64_t>(*upper, 0);
      }
      if (llvm::MulOverflow(bytes, bound, bytes) || bytes > kMaxSlotBytes)
        return stop("a buffer it allocates is too large");
    }
    buffers.push_back(
        {alloc, static_cast<int64_t>(llvm::alignTo(bytes, kScratchAlignment))});
    slotBytes += buffers.back().maxBytes;
    if (slotBytes > kMaxSlotBytes)
      return stop("the buffers it allocates are too large together");
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  return buffers;
}

func::FuncOp getOrDeclare(ModuleOp module, StringRef name, Type result) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
  auto function = func::FuncOp::create(
      builder, module.getLoc(), name,
      builder.getFunctionType({}, {result}));
  function.setPrivate();
  return function;
}

struct HTParallelizePass
    : public mlir::ht::impl::HTParallelizeBase<HTParallelizePass> {
  using Base::Base;

  /// The longest prefix of the perfect nest of marked loops under `outer`
  /// whose loops are all independent; empty if `outer` is not.
  SmallVector<scf::ForOp> independentBand(scf::ForOp outer) {
    SmallVector<scf::ForOp> band;
    for (scf::ForOp loop = outer; loop;) {
      if (std::optional<std::string> why = whyNotIndependent(loop)) {
        if (remarks)
          loop.emitRemark("ht-parallelize: sequential: ") << *why;
        break;
      }
      band.push_back(loop);
      Block *body = loop.getBody();
      auto inner = dyn_cast<scf::ForOp>(body->front());
      if (!inner || &body->front() != &*std::prev(body->end(), 2) ||
          !inner->hasAttr(HTDialect::getParallelLoopAttrName()))
        break;
      // The inner loop's bounds must not depend on the band's indices.
      if (llvm::any_of(inner->getOperands(),
                       [&](Value bound) { return isInside(bound, outer); }))
        break;
      loop = inner;
    }
    return band;
  }

  /// Rewrites `band` as the omp.parallel region of the file comment.
  void parallelize(MutableArrayRef<scf::ForOp> band,
                   MutableArrayRef<PrivateBuffer> buffers) {
    scf::ForOp outer = band.front();
    Location loc = outer.getLoc();
    OpBuilder builder(outer);
    auto module = outer->getParentOfType<ModuleOp>();
    Type i32 = builder.getI32Type();
    Type index = builder.getIndexType();
    auto constant = [&](int64_t value) -> Value {
      return arith::ConstantIndexOp::create(builder, loc, value);
    };
    Value zero = constant(0), one = constant(1);

    // Iterations of each loop and of the band.
    SmallVector<Value> counts;
    Value total = one;
    for (scf::ForOp loop : band) {
      Value span = arith::SubIOp::create(builder, loc, loop.getUpperBound(),
                                         loop.getLowerBound());
      Value count = arith::CeilDivSIOp::create(builder, loc, span,
                                               loop.getStep());
      count = arith::MaxSIOp::create(builder, loc, count, zero);
      counts.push_back(count);
      total = arith::MulIOp::create(builder, loc, total, count);
    }
    int64_t grain = 1;
    if (auto attr = outer->getAttrOfType<IntegerAttr>(
            HTDialect::getParallelLoopAttrName()))
      grain = std::max<int64_t>(1, attr.getInt());
    Value threads = arith::IndexCastOp::create(
        builder, loc, index,
        func::CallOp::create(builder, loc,
                             getOrDeclare(module, kThreadsFunction,
                                          builder.getI64Type()),
                             ValueRange{})
            .getResult(0));
    Value worthwhile =
        arith::DivSIOp::create(builder, loc, total, constant(grain));
    Value slots = arith::MinSIOp::create(builder, loc, threads, worthwhile);
    slots = arith::MinSIOp::create(builder, loc, slots, constant(kMaxSlots));
    slots = arith::MaxSIOp::create(builder, loc, slots, one);

    int64_t slotBytes = 0;
    SmallVector<int64_t> offsets;
    for (const PrivateBuffer &buffer : buffers) {
      offsets.push_back(slotBytes);
      slotBytes += buffer.maxBytes;
    }
    Value scratch;
    if (slotBytes > 0) {
      Value bytes = arith::MulIOp::create(builder, loc, slots,
                                          constant(slotBytes));
      scratch = memref::AllocOp::create(
          builder, loc, MemRefType::get({ShapedType::kDynamic}, builder.getI8Type()),
          ValueRange{bytes}, builder.getI64IntegerAttr(kScratchAlignment));
    }

    Value teamSize = arith::IndexCastOp::create(builder, loc, i32, slots);
    auto region = omp::ParallelOp::create(builder, loc);
    region.getNumThreadsMutable().assign(teamSize);
    Block *regionBody = builder.createBlock(&region.getRegion());
    builder.setInsertionPointToStart(regionBody);
    omp::TerminatorOp::create(builder, loc);
    builder.setInsertionPoint(regionBody->getTerminator());
    // The slots as a worksharing loop: libomp's own static schedule, not
    // omp_get_thread_num(), which another OpenMP runtime in the process
    // (PyTorch's libgomp) would answer instead.
    auto worksharing = omp::WsloopOp::create(builder, loc);
    builder.createBlock(&worksharing.getRegion());
    omp::LoopNestOperands slotRange;
    slotRange.loopLowerBounds = {zero};
    slotRange.loopUpperBounds = {slots};
    slotRange.loopSteps = {one};
    auto slotLoop = omp::LoopNestOp::create(builder, loc, slotRange);
    Block *slotBody =
        builder.createBlock(&slotLoop.getRegion(), {}, {index}, {loc});
    omp::YieldOp::create(builder, loc);
    builder.setInsertionPointToStart(slotBody);
    Value slot = slotBody->getArgument(0);
    auto bound = [&](Value slotIndex) -> Value {
      return arith::DivSIOp::create(
          builder, loc, arith::MulIOp::create(builder, loc, slotIndex, total),
          slots);
    };
    Value first = bound(slot);
    Value last = bound(arith::AddIOp::create(builder, loc, slot, one));
    auto iterationLoop = scf::ForOp::create(builder, loc, first, last, one);
    builder.setInsertionPointToStart(iterationLoop.getBody());

    // The band's indices for iteration i (the innermost loop varies
    // fastest, as in the sequential order).
    IRMapping mapping;
    Value remaining = iterationLoop.getInductionVar();
    for (int64_t level = band.size() - 1; level >= 0; --level) {
      scf::ForOp loop = band[level];
      Value position = remaining;
      if (level > 0) {
        position = arith::RemSIOp::create(builder, loc, remaining,
                                          counts[level]);
        remaining = arith::DivSIOp::create(builder, loc, remaining,
                                           counts[level]);
      }
      Value iv = arith::AddIOp::create(
          builder, loc, loop.getLowerBound(),
          arith::MulIOp::create(builder, loc, position, loop.getStep()));
      mapping.map(loop.getInductionVar(), iv);
    }
    Value slotBase;
    if (scratch)
      slotBase = arith::MulIOp::create(builder, loc, slot, constant(slotBytes));
    for (Operation &op : band.back().getBody()->without_terminator())
      builder.clone(op, mapping);

    // The private buffers, now cloned: views of the slot's scratch.
    for (auto [buffer, offset] : llvm::zip_equal(buffers, offsets)) {
      auto copy = cast<memref::AllocOp>(
          mapping.lookup(buffer.alloc.getResult()).getDefiningOp());
      OpBuilder at(copy);
      Value shift = arith::AddIOp::create(
          at, loc, slotBase,
          arith::ConstantIndexOp::create(at, loc, offset));
      Value view = memref::ViewOp::create(at, copy.getLoc(), copy.getType(),
                                          scratch, shift,
                                          copy.getDynamicSizes());
      for (OpOperand &use : llvm::make_early_inc_range(copy->getUses()))
        if (isa<memref::DeallocOp>(use.getOwner()))
          use.getOwner()->erase();
      copy.replaceAllUsesWith(view);
      copy.erase();
    }

    builder.setInsertionPointAfter(region);
    if (scratch)
      memref::DeallocOp::create(builder, loc, scratch);
    outer.erase();
  }

  /// Parallelises the outermost bands under `op` it can.
  void visit(Operation *op) {
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (Operation &nested : llvm::make_early_inc_range(block)) {
          auto loop = dyn_cast<scf::ForOp>(nested);
          if (loop && loop->hasAttr(HTDialect::getParallelLoopAttrName())) {
            SmallVector<scf::ForOp> band = independentBand(loop);
            if (!band.empty()) {
              std::string why;
              FailureOr<SmallVector<PrivateBuffer>> buffers =
                  privateBuffers(band.back(), why);
              if (succeeded(buffers)) {
                if (remarks)
                  loop.emitRemark("ht-parallelize: parallel band of ")
                      << band.size() << " loop(s), " << buffers->size()
                      << " private buffer(s)";
                parallelize(band, *buffers);
                continue;
              }
              if (remarks)
                loop.emitRemark("ht-parallelize: sequential: ") << why;
            }
          }
          visit(&nested);
        }
  }

  void runOnOperation() override {
    // The runtime's function, unless the model took its name.
    if (auto existing =
            getOperation().lookupSymbol<func::FuncOp>(kThreadsFunction);
        existing && existing.getFunctionType() !=
                        FunctionType::get(&getContext(), {},
                                          {IntegerType::get(&getContext(), 64)})) {
      existing.emitError("ht-parallelize: @")
          << kThreadsFunction
          << " is the model runtime's (the call's thread count, () -> i64); "
             "rename this function";
      return signalPassFailure();
    }
    // Marks are hints for this pass only; nothing after it reads them.
    visit(getOperation());
    getOperation()->walk([](scf::ForOp loop) {
      loop->removeAttr(HTDialect::getParallelLoopAttrName());
    });
  }
};

} // namespace
