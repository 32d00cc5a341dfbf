//===- CheckedSize.h - Size products that cannot wrap -----------*- C++ -*-===//
//
// Sizes that come from input (a tensor type, a .npy header, an option, a C
// API argument) are multiplied only through these: a product that leaves
// int64's range is "no value", never a wrapped number that happens to pass
// the next check.
//
//===----------------------------------------------------------------------===//

#ifndef HT_SUPPORT_CHECKEDSIZE_H
#define HT_SUPPORT_CHECKEDSIZE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cstdint>
#include <optional>

namespace mlir::ht {

/// The product of `sizes` (1 for none), or nothing if it overflows int64.
inline std::optional<int64_t> checkedProduct(llvm::ArrayRef<int64_t> sizes) {
  std::optional<int64_t> product = 1;
  for (int64_t size : sizes)
    if (product)
      product = llvm::checkedMul(*product, size);
  return product;
}

/// The bytes of `count` elements of `elementBytes` each, if that is a size
/// memory could hold (it fits int64); nothing otherwise.
inline std::optional<int64_t> checkedBytes(std::optional<int64_t> count,
                                           int64_t elementBytes) {
  return count ? llvm::checkedMul(*count, elementBytes) : std::nullopt;
}

} // namespace mlir::ht

#endif // HT_SUPPORT_CHECKEDSIZE_H
