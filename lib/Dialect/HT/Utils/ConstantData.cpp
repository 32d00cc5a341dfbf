//===- ConstantData.cpp - Reading and writing float constants -------------===//

#include "ht/Dialect/HT/Utils/ConstantData.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

std::optional<std::vector<double>> mlir::ht::readFloatValues(ElementsAttr attr) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (!isa<FloatType>(dense.getElementType()))
      return std::nullopt;
    std::vector<double> values;
    values.reserve(dense.getNumElements());
    for (const APFloat &value : dense.getValues<APFloat>())
      values.push_back(value.convertToDouble());
    return values;
  }
  if (auto blob = dyn_cast<DenseF32ResourceElementsAttr>(attr))
    if (std::optional<ArrayRef<float>> data = blob.tryGetAsArrayRef())
      return std::vector<double>(data->begin(), data->end());
  if (auto blob = dyn_cast<DenseF64ResourceElementsAttr>(attr))
    if (std::optional<ArrayRef<double>> data = blob.tryGetAsArrayRef())
      return std::vector<double>(data->begin(), data->end());
  return std::nullopt;
}

DenseElementsAttr mlir::ht::makeFloatElements(RankedTensorType type,
                                              ArrayRef<double> values) {
  auto elementType = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> converted;
  converted.reserve(values.size());
  for (double value : values) {
    APFloat rounded(value);
    bool lostPrecision;
    rounded.convert(elementType.getFloatSemantics(),
                    APFloat::rmNearestTiesToEven, &lostPrecision);
    converted.push_back(rounded);
  }
  return DenseElementsAttr::get(type, converted);
}
