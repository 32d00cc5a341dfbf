//===- ConstantData.h - Reading and writing float constants -----*- C++ -*-===//
//
// The compile-time passes (weight folding, compression, packing) compute on
// constant weights in double precision: these read an elements attribute,
// inline or a dense_resource blob, into doubles and write doubles back
// rounded to the tensor's element type.
//
// A blob is untrusted input: its byte size is checked against its declared
// type before any element is read, and nothing larger than a caller's limit
// is expanded (a splat of 10^10 elements is 4 bytes of IR and 80 GB of
// doubles).
//
//===----------------------------------------------------------------------===//

#ifndef HT_DIALECT_HT_UTILS_CONSTANTDATA_H
#define HT_DIALECT_HT_UTILS_CONSTANTDATA_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace mlir::ht {

/// The most elements a compile-time pass expands into doubles by default
/// (2 GiB of doubles; the dense UCF11 input matrix has 59 million).
constexpr int64_t kMaxExpandedConstantElements = int64_t(1) << 28;

/// The elements of a float constant (dense, or an f32/f64 dense_resource
/// blob) as doubles in row-major order. Fails, saying why, for a non-float
/// element type, a blob without data or whose size is not its type's, and a
/// constant of more than `maxElements` elements.
llvm::Expected<std::vector<double>>
readFloatValues(ElementsAttr attr,
                int64_t maxElements = kMaxExpandedConstantElements);

/// Checks every dense_resource attribute under `root` (in any attribute of
/// any operation, nested ones included): its blob must exist and hold exactly
/// the bytes its type declares. Emits one error per bad blob on the operation
/// holding it. Passes that read constants call this first, and the tools
/// call it on every model they load, so a malformed blob is an error before
/// anything indexes it.
LogicalResult verifyConstantBlobs(Operation *root);

/// `values` rounded to `type`'s float element type (nearest, ties to even).
DenseElementsAttr makeFloatElements(RankedTensorType type,
                                    ArrayRef<double> values);

} // namespace mlir::ht

#endif // HT_DIALECT_HT_UTILS_CONSTANTDATA_H
