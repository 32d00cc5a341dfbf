//===- FuseGates.cpp - The gates' input projections as one network --------===//
//
// A group is a tensor.concat (along the last dimension) of ht.linear ops that
// share their input and have constant HT weights of one shape. Their factors
// are stacked at compile time and the group becomes one network batched over
// a stack label (buildHTLinearNetwork's numStacked), whose result is already
// the concatenation.
//
//===----------------------------------------------------------------------===//

#include "Planning.h"
#include "LinearNetwork.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Dialect/HT/Utils/ConstantData.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "ht/Dialect/HT/Utils/TensorBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::ht {
#define GEN_PASS_DEF_HTFUSEGATES
#include "ht/Dialect/HT/Transforms/Passes.h.inc"
} // namespace mlir::ht

using namespace mlir;
using namespace mlir::ht;

namespace {

/// The ht.linear ops of `concat` when they form a group, else nothing.
std::optional<SmallVector<LinearOp>> matchGroup(tensor::ConcatOp concat) {
  if (concat.getInputs().size() < 2 ||
      concat.getDim() + 1 != uint64_t(concat.getResultType().getRank()))
    return std::nullopt;
  SmallVector<LinearOp> linears;
  for (Value operand : concat.getInputs()) {
    auto linear = operand.getDefiningOp<LinearOp>();
    if (!linear || !linear->hasOneUse() ||
        !linear.getWeight().getDefiningOp<ConstantOp>())
      return std::nullopt;
    linears.push_back(linear);
  }
  LinearOp first = linears.front();
  if (!isa<MatrixType>(first.getWeight().getType()))
    return std::nullopt;
  for (LinearOp linear : linears)
    if (linear.getInput() != first.getInput() ||
        linear.getWeight().getType() != first.getWeight().getType() ||
        bool(linear.getBias()) != bool(first.getBias()))
      return std::nullopt;
  return linears;
}

/// Factor `slot` (leaves by mode, then transfers) of every matrix, stacked
/// along a new leading dimension (buildHTLinearNetwork's stack label), as one
/// constant.
FailureOr<Value> stackFactor(OpBuilder &builder, Location loc,
                             SmallVector<LinearOp> linears, unsigned slot) {
  LinearOp first = linears.front();
  auto type = cast<MatrixType>(first.getWeight().getType());
  unsigned numModes = type.getNumModes();
  RankedTensorType factorType = slot < numModes
                                    ? type.getLeafType(slot)
                                    : type.getTransferType(slot - numModes);
  int64_t count = linears.size();
  std::optional<int64_t> total =
      llvm::checkedMul(factorType.getNumElements(), count);
  if (!total || *total > kMaxExpandedConstantElements)
    return failure();
  std::vector<double> values(*total);
  for (auto [index, linear] : llvm::enumerate(linears)) {
    auto constant = linear.getWeight().getDefiningOp<ConstantOp>();
    Attribute attr = slot < numModes ? constant.getLeaves()[slot]
                                     : constant.getTransfers()[slot - numModes];
    llvm::Expected<std::vector<double>> part =
        readFloatValues(cast<ElementsAttr>(attr));
    if (!part) {
      llvm::consumeError(part.takeError());
      return failure();
    }
    assert(static_cast<int64_t>(part->size()) ==
               factorType.getNumElements() &&
           "verifyConstantBlobs checked every blob");
    llvm::copy(*part, values.begin() + index * part->size());
  }
  SmallVector<int64_t> shape = {count};
  llvm::append_range(shape, factorType.getShape());
  auto stackedType = RankedTensorType::get(shape, factorType.getElementType());
  return arith::ConstantOp::create(builder, loc,
                                   makeFloatElements(stackedType, values))
      .getResult();
}

struct HTFuseGatesPass : public mlir::ht::impl::HTFuseGatesBase<HTFuseGatesPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    return HT_VERIFY_PLANNING_OPTIONS_OF_PASS(context);
  }

  void runOnOperation() override {
    if (failed(verifyConstantBlobs(getOperation())))
      return signalPassFailure();
    PlanningOptions options = HT_PLANNING_OPTIONS_OF_PASS();
    SmallVector<std::pair<tensor::ConcatOp, SmallVector<LinearOp>>> groups;
    getOperation().walk([&](tensor::ConcatOp concat) {
      if (std::optional<SmallVector<LinearOp>> linears = matchGroup(concat))
        groups.push_back({concat, std::move(*linears)});
    });
    IRRewriter rewriter(&getContext());
    for (auto &[concat, linears] : groups)
      fuse(rewriter, concat, linears, options);
  }

  void fuse(IRRewriter &rewriter, tensor::ConcatOp concat,
            SmallVector<LinearOp> linears, const PlanningOptions &options) {
    LinearOp first = linears.front();
    Location loc = concat.getLoc();
    auto type = cast<MatrixType>(first.getWeight().getType());
    HTShape shape = type.getShape();
    int64_t numStacked = linears.size();
    rewriter.setInsertionPoint(concat);
    SmallVector<Value> factors;
    for (unsigned slot = 0; slot < 2 * type.getNumModes() - 1; ++slot) {
      FailureOr<Value> stacked = stackFactor(rewriter, loc, linears, slot);
      if (failed(stacked))
        return; // an unreadable constant: leave the group as it is
      factors.push_back(*stacked);
    }
    PlannedProduct product = planProduct(
        shape, resolveRows(first.getWeightRows(0), options.expectedRows),
        /*constantWeights=*/true, options, numStacked);
    Value result =
        emitLinearNetwork(rewriter, loc, first.getInput(), shape, factors,
                          numStacked, product.network, product.plan);
    if (first.getBias()) {
      SmallVector<Value> biases = llvm::map_to_vector(
          linears, [](LinearOp linear) -> Value { return linear.getBias(); });
      Value bias = getSlicedWhole(biases);
      if (!bias)
        bias = tensor::ConcatOp::create(rewriter, loc, /*dim=*/0, biases);
      result = emitAddBias(rewriter, loc, result, bias);
    }
    if (result.getType() != concat.getType())
      result = tensor::CastOp::create(rewriter, loc, concat.getType(), result);
    rewriter.replaceOp(concat, result);
    for (LinearOp linear : linears) {
      Operation *weight = linear.getWeight().getDefiningOp();
      rewriter.eraseOp(linear);
      if (weight->use_empty())
        rewriter.eraseOp(weight);
    }
  }

  /// The tensor `parts` are consecutive, complete slices of (hoisting cuts
  /// the gates' biases out of b_ih + b_hh), or null.
  static Value getSlicedWhole(ArrayRef<Value> parts) {
    Value source;
    int64_t offset = 0;
    for (Value part : parts) {
      auto slice = part.getDefiningOp<tensor::ExtractSliceOp>();
      if (!slice || (source && slice.getSource() != source) ||
          !slice.hasUnitStride() || slice.getStaticOffsets().size() != 1 ||
          slice.getStaticOffsets()[0] != offset ||
          ShapedType::isDynamic(slice.getStaticSizes()[0]))
        return nullptr;
      source = slice.getSource();
      offset += slice.getStaticSizes()[0];
    }
    return offset == cast<RankedTensorType>(source.getType()).getDimSize(0)
               ? source
               : nullptr;
  }
};

} // namespace
