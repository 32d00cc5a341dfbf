//===- Npy.h - Reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// The subset of the .npy format (versions 1.0 to 3.0) that model inputs and
// outputs need: little-endian float32/float64 arrays in C order.
//
//===----------------------------------------------------------------------===//

#ifndef HT_SUPPORT_NPY_H
#define HT_SUPPORT_NPY_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::ht {

struct NpyArray {
  /// The numpy dtype string, e.g. "<f4".
  std::string dtype;
  llvm::SmallVector<int64_t> shape;
  /// The raw element bytes, C order.
  std::vector<char> bytes;

  int64_t getNumElements() const;
};

/// Reads `path`. The error names the file and what is wrong with it.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Parses the bytes of a .npy file; `path` names it in errors.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef contents,
                                  llvm::StringRef path);

/// Writes float32 `data` of `shape` to `path` atomically: a temporary file
/// in the same folder, renamed into place once complete.
llvm::Error writeNpyFloat32(llvm::StringRef path, llvm::ArrayRef<int64_t> shape,
                            const float *data);
/// The same for int32 `data` (an argmax head's classes).
llvm::Error writeNpyInt32(llvm::StringRef path, llvm::ArrayRef<int64_t> shape,
                          const int32_t *data);

/// "[3, 4]".
std::string formatShape(llvm::ArrayRef<int64_t> shape);

} // namespace mlir::ht

#endif // HT_SUPPORT_NPY_H
