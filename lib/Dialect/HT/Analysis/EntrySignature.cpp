//===- EntrySignature.cpp - Sizes of a model's entry point ----------------===//

#include "ht/Dialect/HT/Analysis/EntrySignature.h"
#include "ht/Dialect/HT/IR/HTOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/ADT/SmallBitVector.h"

#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::ht;

namespace {

/// A dimension of an SSA tensor value.
using DimKey = std::pair<void *, unsigned>;
DimKey key(Value value, unsigned dim) {
  return {value.getAsOpaquePointer(), dim};
}

/// Which dimensions are the same size, with a name hint per class.
class DimensionTies {
public:
  void tie(ArrayRef<std::pair<Value, unsigned>> dims, StringRef hint) {
    for (auto [value, dim] : dims) {
      classes.insert(key(value, dim));
      classes.unionSets(key(dims.front().first, dims.front().second),
                        key(value, dim));
      if (!hint.empty())
      hints.try_emplace(key(value, dim), hint.str());
    }
  }

  DimKey leader(Value value, unsigned dim) {
    classes.insert(key(value, dim));
    return classes.getLeaderValue(key(value, dim));
  }

  /// The first hint recorded for any member of `leaderKey`'s class.
  std::string hint(DimKey leaderKey) const {
    for (auto member = classes.findLeader(leaderKey);
         member != classes.member_end(); ++member)
      if (auto it = hints.find(*member); it != hints.end())
        return it->second;
    return "";
  }

  /// The static size of some member of the class, if any.
  std::optional<int64_t> staticSize(DimKey leaderKey) const {
    for (auto member = classes.findLeader(leaderKey);
         member != classes.member_end(); ++member) {
      Value value = Value::getFromOpaquePointer(member->first);
      int64_t size =
          cast<RankedTensorType>(value.getType()).getDimSize(member->second);
      if (!ShapedType::isDynamic(size))
        return size;
    }
    return std::nullopt;
  }

private:
  llvm::EquivalenceClasses<DimKey> classes;
  llvm::DenseMap<DimKey, std::string> hints;
};

/// Ties through the tensor ops an exported model assembles its layers with
/// (slices of stacked states, concatenated directions, a stacked result):
/// sizes taken from `tensor.dim`, destinations, the kept dimensions of a
/// concatenation and of a cast.
void collectTensorTies(func::FuncOp func, DimensionTies &ties) {
  llvm::DenseMap<Value, std::pair<Value, unsigned>> dimOf;
  func.walk([&](tensor::DimOp op) {
    if (std::optional<int64_t> index = op.getConstantIndex())
      dimOf[op.getResult()] = {op.getSource(), unsigned(*index)};
  });
  auto tieSize = [&](OpFoldResult size, Value result, unsigned dim) {
    if (auto value = dyn_cast<Value>(size))
      if (auto it = dimOf.find(value); it != dimOf.end())
        ties.tie({it->second, {result, dim}}, "");
  };
  func.walk([&](Operation *op) {
    if (auto empty = dyn_cast<tensor::EmptyOp>(op)) {
      for (auto [dim, size] : llvm::enumerate(empty.getMixedSizes()))
        tieSize(size, empty.getResult(), dim);
    } else if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
      llvm::SmallBitVector dropped = slice.getDroppedDims();
      unsigned resultDim = 0;
      for (auto [dim, size] : llvm::enumerate(slice.getMixedSizes()))
        if (!dropped.test(dim))
          tieSize(size, slice.getResult(), resultDim++);
    } else if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
      for (unsigned dim = 0; dim < insert.getDestType().getRank(); ++dim)
        ties.tie({{insert.getDest(), dim}, {insert.getResult(), dim}}, "");
    } else if (auto concat = dyn_cast<tensor::ConcatOp>(op)) {
      for (unsigned dim = 0; dim < concat.getResultType().getRank(); ++dim) {
        if (dim == concat.getDim())
          continue;
        SmallVector<std::pair<Value, unsigned>> dims = {{concat.getResult(), dim}};
        for (Value input : concat.getInputs())
          dims.push_back({input, dim});
        ties.tie(dims, "");
      }
    } else if (auto dps = dyn_cast<DestinationStyleOpInterface>(op)) {
      // A fill, a head's softmax: each result has its destination's sizes.
      for (auto [result, init] :
           llvm::zip_equal(op->getResults(), dps.getDpsInits()))
        if (auto type = dyn_cast<RankedTensorType>(result.getType()))
          for (unsigned dim = 0; dim < type.getRank(); ++dim)
            ties.tie({{init, dim}, {result, dim}}, "");
    } else if (auto cast = dyn_cast<tensor::CastOp>(op)) {
      auto type = dyn_cast<RankedTensorType>(cast.getType());
      if (type && isa<RankedTensorType>(cast.getSource().getType()))
        for (unsigned dim = 0; dim < type.getRank(); ++dim)
          ties.tie({{cast.getSource(), dim}, {cast.getResult(), dim}}, "");
    }
  });
}

void collectTies(func::FuncOp func, DimensionTies &ties) {
  collectTensorTies(func, ties);
  func.walk([&](Operation *op) {
    if (auto linear = dyn_cast<LinearOp>(op)) {
      int64_t leading = linear.getInput().getType().getRank() - 1;
      for (int64_t dim = 0; dim < leading; ++dim)
        ties.tie({{linear.getInput(), dim}, {linear.getResult(), dim}},
                 leading == 1 ? "batch" : "batch" + std::to_string(dim));
    } else if (auto lstm = dyn_cast<LSTMOp>(op)) {
      unsigned time = lstm.getBatchFirst() ? 1 : 0, batch = 1 - time;
      ties.tie({{lstm.getInput(), time}, {lstm.getOutput(), time}}, "seq_len");
      ties.tie({{lstm.getInput(), batch},
                {lstm.getH0(), 0},
                {lstm.getC0(), 0},
                {lstm.getOutput(), batch},
                {lstm.getHN(), 0},
                {lstm.getCN(), 0}},
               "batch");
    } else if (auto gru = dyn_cast<GRUOp>(op)) {
      unsigned time = gru.getBatchFirst() ? 1 : 0, batch = 1 - time;
      ties.tie({{gru.getInput(), time}, {gru.getOutput(), time}}, "seq_len");
      ties.tie({{gru.getInput(), batch},
                {gru.getH0(), 0},
                {gru.getOutput(), batch},
                {gru.getHN(), 0}},
               "batch");
    } else if (auto gruCell = dyn_cast<GRUCellOp>(op)) {
      ties.tie({{gruCell.getInput(), 0}, {gruCell.getH0(), 0},
                {gruCell.getH(), 0}},
               "batch");
    } else if (auto cell = dyn_cast<LSTMCellOp>(op)) {
      ties.tie({{cell.getInput(), 0},
                {cell.getH0(), 0},
                {cell.getC0(), 0},
                {cell.getH(), 0},
                {cell.getC(), 0}},
               "batch");
    }
  });
}

/// The role of an argument in the op that uses it ("x", "h0", ...), seen
/// through the slices of stacked states.
std::string inputName(BlockArgument arg) {
  SmallVector<OpOperand *> uses;
  for (OpOperand &use : arg.getUses()) {
    uses.push_back(&use);
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(use.getOwner()))
      for (OpOperand &sliceUse : slice.getResult().getUses())
        uses.push_back(&sliceUse);
  }
  for (OpOperand *usePointer : uses) {
    OpOperand &use = *usePointer;
    Operation *owner = use.getOwner();
    if (auto linear = dyn_cast<LinearOp>(owner);
        linear && use.get() == linear.getInput())
      return "x";
    if (isa<LSTMOp, LSTMCellOp>(owner)) {
      unsigned index = use.getOperandNumber();
      if (index < 3)
        return std::array<const char *, 3>{"x", "h0", "c0"}[index];
    }
    if (isa<GRUOp, GRUCellOp>(owner)) {
      unsigned index = use.getOperandNumber();
      if (index < 2)
        return std::array<const char *, 2>{"x", "h0"}[index];
    }
  }
  return "arg" + std::to_string(arg.getArgNumber());
}

std::string outputName(Value value, unsigned index) {
  // A result assembled from layers is named after what it assembles: the
  // concatenated directions' outputs, the stacked final states.
  while (Operation *owner = value.getDefiningOp()) {
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(owner))
      value = insert.getSource();
    else if (auto concat = dyn_cast<tensor::ConcatOp>(owner))
      value = concat.getInputs().front();
    else if (auto cast = dyn_cast<tensor::CastOp>(owner))
      value = cast.getSource();
    else
      break;
  }
  if (auto result = dyn_cast<OpResult>(value)) {
    Operation *owner = result.getOwner();
    unsigned number = result.getResultNumber();
    if (isa<LinearOp>(owner))
      return "y";
    if (isa<linalg::SoftmaxOp>(owner))
      return "probabilities";
    if (auto generic = dyn_cast<linalg::GenericOp>(owner);
        generic && cast<RankedTensorType>(value.getType())
                       .getElementType()
                       .isSignlessInteger(32))
      return "classes";
    if (isa<ToDenseOp>(owner))
      return "dense";
    if (isa<LSTMOp>(owner))
      return std::array<const char *, 3>{"output", "h_n", "c_n"}[number];
    if (isa<LSTMCellOp>(owner))
      return std::array<const char *, 2>{"h", "c"}[number];
    if (isa<GRUOp>(owner))
      return std::array<const char *, 2>{"output", "h_n"}[number];
    if (isa<GRUCellOp>(owner))
      return "h";
  }
  return "result" + std::to_string(index);
}

std::string uniqueName(std::string name, llvm::StringSet<> &used) {
  std::string candidate = name;
  for (int suffix = 1; !used.insert(candidate).second; ++suffix)
    candidate = name + "_" + std::to_string(suffix);
  return candidate;
}

} // namespace

std::string EntrySignature::describe(const EntryTensor &tensor) const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << tensor.name << " [";
  for (size_t dim = 0; dim < tensor.symbols.size(); ++dim) {
    if (dim)
      os << ", ";
    if (tensor.symbols[dim] >= 0)
      os << symbols[tensor.symbols[dim]];
    else
      os << tensor.fixedSizes[dim];
  }
  os << ']';
  return text;
}

FailureOr<EntrySignature> mlir::ht::analyzeEntrySignature(func::FuncOp func) {
  if (func.isExternal())
    return func.emitError("entry point @")
           << func.getName() << " has no body";
  // Results may also be i32 (class indices of an argmax head).
  auto checkType = [&](Type type, StringRef what, unsigned index,
                       bool isResult) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (tensor && (tensor.getElementType().isF32() ||
                   (isResult && tensor.getElementType().isSignlessInteger(32))))
      return success();
    return func.emitError("entry point @")
           << func.getName() << ": " << what << " #" << index << " has type "
           << type
           << "; entry points take ranked f32 tensors and return ranked f32 "
              "or i32 tensors";
  };
  for (auto [index, type] : llvm::enumerate(func.getArgumentTypes()))
    if (failed(checkType(type, "argument", index, /*isResult=*/false)))
      return failure();
  for (auto [index, type] : llvm::enumerate(func.getResultTypes()))
    if (failed(checkType(type, "result", index, /*isResult=*/true)))
      return failure();

  DimensionTies ties;
  collectTies(func, ties);

  EntrySignature signature;
  signature.function = func.getName().str();
  llvm::DenseMap<DimKey, int> symbolOf;
  llvm::StringSet<> usedSymbols, usedInputs, usedOutputs;

  auto describeTensor = [&](Value value, std::string name,
                            bool isInput) -> FailureOr<EntryTensor> {
    EntryTensor tensor;
    tensor.name = std::move(name);
    tensor.type = cast<RankedTensorType>(value.getType());
    for (int64_t dim = 0; dim < tensor.type.getRank(); ++dim) {
      int64_t size = tensor.type.getDimSize(dim);
      DimKey leader = ties.leader(value, dim);
      std::optional<int64_t> tiedStatic = ties.staticSize(leader);
      if (!ShapedType::isDynamic(size) || tiedStatic) {
        tensor.symbols.push_back(-1);
        tensor.fixedSizes.push_back(tiedStatic ? *tiedStatic : size);
        continue;
      }
      auto it = symbolOf.find(leader);
      if (it == symbolOf.end()) {
        if (!isInput)
          return func.emitError("entry point @")
                 << func.getName() << ": dimension " << dim << " of result '"
                 << tensor.name
                 << "' is dynamic and does not follow from any argument's "
                    "size; make it static";
        std::string hint = ties.hint(leader);
        if (hint.empty())
          hint = tensor.name + "_dim" + std::to_string(dim);
        it = symbolOf.try_emplace(leader, signature.symbols.size()).first;
        signature.symbols.push_back(uniqueName(hint, usedSymbols));
      }
      tensor.symbols.push_back(it->second);
      tensor.fixedSizes.push_back(-1);
    }
    return tensor;
  };

  for (BlockArgument arg : func.getArguments()) {
    FailureOr<EntryTensor> tensor =
        describeTensor(arg, uniqueName(inputName(arg), usedInputs), true);
    if (failed(tensor))
      return failure();
    signature.inputs.push_back(std::move(*tensor));
  }
  auto returnOp = cast<func::ReturnOp>(func.getBody().back().getTerminator());
  for (auto [index, value] : llvm::enumerate(returnOp.getOperands())) {
    FailureOr<EntryTensor> tensor = describeTensor(
        value, uniqueName(outputName(value, index), usedOutputs), false);
    if (failed(tensor))
      return failure();
    signature.outputs.push_back(std::move(*tensor));
  }
  return signature;
}
