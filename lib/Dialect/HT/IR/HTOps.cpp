//===- HTOps.cpp - Building HT matrices and ht.linear ---------------------===//

#include "ht/Dialect/HT/IR/HTOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::ht;

#define GET_OP_CLASSES
#include "ht/Dialect/HT/IR/HTOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Factor lists shared by ht.constant and ht.assemble
//===----------------------------------------------------------------------===//

/// Checks that `leafTypes` and `transferTypes` are exactly the factor types
/// `matrixType` implies; `leavesName`/`transfersName` name the fields in
/// messages.
static LogicalResult verifyFactorTypes(Operation *op, MatrixType matrixType,
                                       TypeRange leafTypes,
                                       TypeRange transferTypes) {
  int64_t numModes = matrixType.getNumModes();
  if (static_cast<int64_t>(leafTypes.size()) != numModes)
    return op->emitOpError("has ")
           << leafTypes.size() << " leaves; expected " << numModes
           << " (one leaf frame per mode)";
  if (static_cast<int64_t>(transferTypes.size()) != numModes - 1)
    return op->emitOpError("has ")
           << transferTypes.size() << " transfers; expected " << numModes - 1
           << " (one transfer tensor per internal node, in preorder)";
  for (auto [mode, type] : llvm::enumerate(leafTypes)) {
    RankedTensorType expected = matrixType.getLeafType(mode);
    if (type != expected)
      return op->emitOpError("leaves[")
             << mode << "] has type " << type << "; expected " << expected
             << " (m_" << mode << " x n_" << mode << " x r_" << mode << ")";
  }
  for (auto [node, type] : llvm::enumerate(transferTypes)) {
    RankedTensorType expected = matrixType.getTransferType(node);
    if (type != expected)
      return op->emitOpError("transfers[")
             << node << "] has type " << type << "; expected " << expected
             << " (left rank x right rank x rank of internal node " << node
             << ")";
  }
  return success();
}

static SmallVector<Type> getElementsTypes(ArrayAttr elements) {
  return llvm::map_to_vector(elements, [](Attribute attr) -> Type {
    return cast<ElementsAttr>(attr).getShapedType();
  });
}

LogicalResult ConstantOp::verify() {
  return verifyFactorTypes(*this, getType(), getElementsTypes(getLeaves()),
                           getElementsTypes(getTransfers()));
}

LogicalResult AssembleOp::verify() {
  return verifyFactorTypes(*this, getType(), getLeaves().getTypes(),
                           getTransfers().getTypes());
}

//===----------------------------------------------------------------------===//
// ht.to_dense
//===----------------------------------------------------------------------===//

LogicalResult ToDenseOp::verify() {
  RankedTensorType expected = getMatrix().getType().getDenseType();
  if (getType() != expected)
    return emitOpError("result has type ")
           << getType() << "; expected " << expected << " (M x N)";
  return success();
}

//===----------------------------------------------------------------------===//
// ht.linear
//===----------------------------------------------------------------------===//

unsigned LinearOp::getNumWeights() { return 1; }
OpOperand &LinearOp::getWeightOperand(unsigned) { return getWeightMutable(); }
WeightRole LinearOp::getWeightRole(unsigned) { return WeightRole::Linear; }
OperandRange LinearOp::getBiasOperands() { return getBiasMutable(); }
int64_t LinearOp::getWeightRows(unsigned) {
  int64_t rows = 1;
  for (int64_t size : getInput().getType().getShape().drop_back()) {
    if (ShapedType::isDynamic(size))
      return ShapedType::kDynamic;
    rows *= size;
  }
  return rows;
}

LogicalResult LinearOp::verify() {
  RankedTensorType inputType = getInput().getType();
  Type elementType;
  int64_t numRows, numCols;
  if (auto matrix = dyn_cast<MatrixType>(getWeight().getType())) {
    elementType = matrix.getElementType();
    numRows = matrix.getNumRows();
    numCols = matrix.getNumCols();
  } else {
    auto dense = cast<RankedTensorType>(getWeight().getType());
    elementType = dense.getElementType();
    numRows = dense.getDimSize(0);
    numCols = dense.getDimSize(1);
    if (ShapedType::isDynamic(numRows) || ShapedType::isDynamic(numCols))
      return emitOpError("dense weight must have a static shape, got ")
             << dense;
  }

  if (inputType.getRank() < 1)
    return emitOpError("input must have rank at least 1 ([..., N]), got ")
           << inputType;
  if (inputType.getElementType() != elementType)
    return emitOpError("input element type ")
           << inputType.getElementType() << " differs from the weight's "
           << elementType;
  int64_t features = inputType.getShape().back();
  if (ShapedType::isDynamic(features))
    return emitOpError("input's last dimension is dynamic; expected N = ")
           << numCols << " (the weight's columns)";
  if (features != numCols)
    return emitOpError("input's last dimension is ")
           << features << "; expected N = " << numCols
           << " (the weight's columns)";

  if (Value bias = getBias()) {
    auto expectedBias = RankedTensorType::get({numRows}, elementType);
    if (bias.getType() != expectedBias)
      return emitOpError("bias has type ")
             << bias.getType() << "; expected " << expectedBias << " ([M])";
  }

  SmallVector<int64_t> resultShape(inputType.getShape());
  resultShape.back() = numRows;
  auto expectedResult = RankedTensorType::get(resultShape, elementType);
  if (getType() != expectedResult)
    return emitOpError("result has type ")
           << getType() << "; expected " << expectedResult
           << " (the input's leading dimensions, then M)";
  return success();
}
