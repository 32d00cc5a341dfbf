//===- ConstantData.h - Reading and writing float constants -----*- C++ -*-===//
//
// The compile-time passes (weight folding, compression) compute on constant
// weights in double precision: these read an elements attribute, inline or
// a dense_resource blob, into doubles and write doubles back rounded to the
// tensor's element type.
//
//===----------------------------------------------------------------------===//

#ifndef HT_DIALECT_HT_UTILS_CONSTANTDATA_H
#define HT_DIALECT_HT_UTILS_CONSTANTDATA_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <optional>
#include <vector>

namespace mlir::ht {

/// The elements of a float constant (dense, or an f32/f64 dense_resource
/// blob) as doubles in row-major order; nothing if it cannot be read.
std::optional<std::vector<double>> readFloatValues(ElementsAttr attr);

/// `values` rounded to `type`'s float element type (nearest, ties to even).
DenseElementsAttr makeFloatElements(RankedTensorType type,
                                    ArrayRef<double> values);

} // namespace mlir::ht

#endif // HT_DIALECT_HT_UTILS_CONSTANTDATA_H
