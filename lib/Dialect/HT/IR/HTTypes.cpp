//===- HTTypes.cpp - Types of the ht dialect ------------------------------===//

#include "ht/Dialect/HT/IR/HTTypes.h"
#include "ht/Dialect/HT/IR/HTDialect.h"
#include "ht/Dialect/HT/IR/TreeSyntax.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::ht;

#define GET_TYPEDEF_CLASSES
#include "ht/Dialect/HT/IR/HTOpsTypes.cpp.inc"

void HTDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "ht/Dialect/HT/IR/HTOpsTypes.cpp.inc"
      >();
}

LogicalResult MatrixType::verify(function_ref<InFlightDiagnostic()> emitError,
                                 ArrayRef<int64_t> rowModes,
                                 ArrayRef<int64_t> colModes,
                                 DimensionTreeAttr tree,
                                 ArrayRef<int64_t> leafRanks,
                                 ArrayRef<int64_t> nodeRanks,
                                 Type elementType) {
  if (!isa<FloatType>(elementType))
    return emitError() << "element type must be a floating-point type, got "
                       << elementType;
  return HTShape::verify(emitError, rowModes, colModes, tree.getStructure(),
                         leafRanks, nodeRanks);
}

HTShape MatrixType::getShape() const {
  return HTShape{SmallVector<int64_t>(getRowModes()),
                 SmallVector<int64_t>(getColModes()), getTree().getStructure(),
                 SmallVector<int64_t>(getLeafRanks()),
                 SmallVector<int64_t>(getNodeRanks())};
}

int64_t MatrixType::getNumRows() const { return getShape().getNumRows(); }
int64_t MatrixType::getNumCols() const { return getShape().getNumCols(); }

RankedTensorType MatrixType::getDenseType() const {
  return RankedTensorType::get({getNumRows(), getNumCols()}, getElementType());
}

RankedTensorType MatrixType::getLeafType(unsigned mode) const {
  return RankedTensorType::get(getShape().getLeafShape(mode), getElementType());
}

RankedTensorType MatrixType::getTransferType(unsigned node) const {
  return RankedTensorType::get(getShape().getTransferShape(node),
                               getElementType());
}
