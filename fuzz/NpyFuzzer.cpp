//===- NpyFuzzer.cpp - libFuzzer harness for the .npy reader --------------===//
//
// Any bytes: parseNpy returns an array whose payload matches its shape, or
// an error; it never crashes or reads out of bounds.
//
//===----------------------------------------------------------------------===//

#include "ht/Support/Npy.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef contents(reinterpret_cast<const char *>(data), size);
  llvm::Expected<mlir::ht::NpyArray> array =
      mlir::ht::parseNpy(contents, "input.npy");
  if (!array) {
    llvm::consumeError(array.takeError());
    return 0;
  }
  // A float array that parsed holds exactly its shape's bytes.
  size_t elementSize = array->dtype == "<f4" ? 4 : array->dtype == "<f8" ? 8 : 0;
  if (elementSize &&
      array->bytes.size() != size_t(array->getNumElements()) * elementSize)
    std::abort();
  return 0;
}
