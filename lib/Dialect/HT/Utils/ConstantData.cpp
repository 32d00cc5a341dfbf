//===- ConstantData.cpp - Reading and writing float constants -------------===//

#include "ht/Dialect/HT/Utils/ConstantData.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Operation.h"
#include "llvm/Support/FormatVariadic.h"
#include "ht/Support/CheckedSize.h"

#include <cstring>

using namespace mlir;

namespace {

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Bytes a dense_resource blob of `type` must hold: MLIR stores each element
/// in whole bytes. Nothing when the count overflows.
std::optional<int64_t> expectedBlobBytes(ShapedType type) {
  int64_t bits = type.getElementTypeBitWidth();
  return ht::checkedBytes(ht::checkedProduct(type.getShape()), (bits + 7) / 8);
}

/// Why the blob of `attr` cannot be read as its type says, or success.
llvm::Error checkBlob(DenseResourceElementsAttr attr) {
  DenseResourceElementsHandle handle = attr.getRawHandle();
  AsmResourceBlob *blob = handle.getBlob();
  ShapedType type = attr.getType();
  std::string typeName;
  llvm::raw_string_ostream(typeName) << type;
  if (!blob)
    return makeError(llvm::formatv(
        "dense_resource '{0}' of type {1} has no data (it is missing from "
        "the file's dialect_resources section)",
        handle.getKey(), typeName));
  std::optional<int64_t> expected = expectedBlobBytes(type);
  int64_t actual = static_cast<int64_t>(blob->getData().size());
  if (!expected)
    return makeError(llvm::formatv(
        "dense_resource '{0}': the byte size of its type {1} overflows "
        "64 bits",
        handle.getKey(), typeName));
  if (actual != *expected)
    return makeError(llvm::formatv(
        "dense_resource '{0}' holds {1} bytes of data but its type {2} "
        "declares {3} bytes",
        handle.getKey(), actual, typeName, *expected));
  return llvm::Error::success();
}

template <typename T>
llvm::Expected<std::vector<double>> readBlob(DenseResourceElementsAttr attr) {
  if (llvm::Error error = checkBlob(attr))
    return std::move(error);
  ArrayRef<char> bytes = attr.getRawHandle().getBlob()->getData();
  // Blobs carry their own alignment, which need not be T's: copy, do not cast.
  std::vector<double> values(bytes.size() / sizeof(T));
  for (size_t index = 0; index < values.size(); ++index) {
    T element;
    std::memcpy(&element, bytes.data() + index * sizeof(T), sizeof(T));
    values[index] = element;
  }
  return values;
}

} // namespace

llvm::Expected<std::vector<double>>
mlir::ht::readFloatValues(ElementsAttr attr, int64_t maxElements) {
  auto type = cast<ShapedType>(attr.getType());
  if (!isa<FloatType>(type.getElementType()))
    return makeError("expected a float constant");
  if (type.getNumElements() > maxElements)
    return makeError(llvm::formatv(
        "a constant of {0} elements is larger than the {1} elements a "
        "compile-time pass expands",
        type.getNumElements(), maxElements));
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat())
      return std::vector<double>(
          dense.getNumElements(),
          dense.getSplatValue<APFloat>().convertToDouble());
    std::vector<double> values;
    values.reserve(dense.getNumElements());
    for (const APFloat &value : dense.getValues<APFloat>())
      values.push_back(value.convertToDouble());
    return values;
  }
  if (auto blob = dyn_cast<DenseF32ResourceElementsAttr>(attr))
    return readBlob<float>(blob);
  if (auto blob = dyn_cast<DenseF64ResourceElementsAttr>(attr))
    return readBlob<double>(blob);
  return makeError("expected an inline constant or an f32/f64 dense_resource");
}

LogicalResult mlir::ht::verifyConstantBlobs(Operation *root) {
  bool valid = true;
  root->walk([&](Operation *op) {
    auto checkAttr = [&](Attribute attr) {
      auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
      if (!resource)
        return;
      if (llvm::Error error = checkBlob(resource)) {
        op->emitError() << llvm::toString(std::move(error));
        valid = false;
      }
    };
    // The dictionary holds inherent attributes (properties) too; the walk
    // visits it and everything nested in it, such as ht.constant's factors.
    op->getAttrDictionary().walk(checkAttr);
  });
  return success(valid);
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
