//===- ContractOps.cpp - ht.factors and ht.contract -----------------------===//

#include "ht/Dialect/HT/IR/HTOps.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace mlir::ht;

Operation *HTDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  if (auto elements = dyn_cast<ElementsAttr>(value);
      elements && elements.getType() == type)
    return arith::ConstantOp::create(builder, loc, type, elements);
  return nullptr;
}

//===----------------------------------------------------------------------===//
// ht.factors
//===----------------------------------------------------------------------===//

LogicalResult FactorsOp::verify() {
  MatrixType type = getMatrix().getType();
  int64_t numModes = type.getNumModes();
  if (static_cast<int64_t>(getFactors().size()) != 2 * numModes - 1)
    return emitOpError("has ")
           << getFactors().size() << " results; expected " << 2 * numModes - 1
           << " (" << numModes << " leaves, then " << numModes - 1
           << " transfers)";
  for (auto [index, result] : llvm::enumerate(getFactors())) {
    RankedTensorType expected = index < static_cast<size_t>(numModes)
                                    ? type.getLeafType(index)
                                    : type.getTransferType(index - numModes);
    if (result.getType() != expected)
      return emitOpError("result #")
             << index << " has type " << result.getType() << "; expected "
             << expected;
  }
  return success();
}

LogicalResult FactorsOp::fold(FoldAdaptor adaptor,
                              SmallVectorImpl<OpFoldResult> &results) {
  Operation *producer = getMatrix().getDefiningOp();
  if (auto constant = dyn_cast_or_null<ConstantOp>(producer)) {
    for (ArrayAttr list : {constant.getLeaves(), constant.getTransfers()})
      llvm::append_range(results, list.getValue());
    return success();
  }
  if (auto assemble = dyn_cast_or_null<AssembleOp>(producer)) {
    for (Value value : assemble.getOperands())
      results.push_back(value);
    return success();
  }
  return failure();
}

//===----------------------------------------------------------------------===//
// ht.contract
//===----------------------------------------------------------------------===//

SmallVector<int64_t> ContractOp::getSummedLabels() {
  SmallVector<int64_t> summed;
  for (ArrayRef<int64_t> labels : {getLhsLabels(), getRhsLabels()})
    for (int64_t label : labels)
      if (!llvm::is_contained(getResultLabels(), label) &&
          !llvm::is_contained(summed, label))
        summed.push_back(label);
  return summed;
}

LogicalResult ContractOp::verify() {
  Type elementType = getLhs().getType().getElementType();
  llvm::DenseMap<int64_t, int64_t> sizes;
  auto check = [&](StringRef name, RankedTensorType type,
                   ArrayRef<int64_t> labels) -> LogicalResult {
    if (type.getElementType() != elementType)
      return emitOpError() << name << " element type " << type.getElementType()
                           << " differs from lhs's " << elementType;
    if (static_cast<int64_t>(labels.size()) != type.getRank())
      return emitOpError() << name << " has " << labels.size()
                           << " labels; expected one per dimension of "
                           << type;
    for (auto [dim, label] : llvm::enumerate(labels)) {
      if (label < 0)
        return emitOpError() << name << " label " << label
                             << " is negative";
      if (llvm::count(labels, label) > 1)
        return emitOpError() << name << " repeats label " << label
                             << "; a label appears once per tensor";
      int64_t size = type.getDimSize(dim);
      auto [it, inserted] = sizes.try_emplace(label, size);
      if (!inserted && it->second != size) {
        if (ShapedType::isDynamic(it->second) || ShapedType::isDynamic(size))
          continue;
        return emitOpError() << "label " << label << " has size " << size
                             << " in " << name << " but " << it->second
                             << " before";
      }
    }
    return success();
  };
  if (failed(check("lhs", getLhs().getType(), getLhsLabels())) ||
      failed(check("rhs", getRhs().getType(), getRhsLabels())))
    return failure();
  for (int64_t label : getResultLabels())
    if (!sizes.count(label))
      return emitOpError("result label ")
             << label << " is in neither operand";
  return check("result", getType(), getResultLabels());
}
