//===- ResourceCheck.cpp - Checks on resource blobs before parsing --------===//

#include "ht/Support/ResourceCheck.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

llvm::Error mlir::ht::checkResourceBlobAlignments(llvm::StringRef source,
                                                  llvm::StringRef bufferName) {
  size_t section = source.find("{-#");
  if (section == llvm::StringRef::npos)
    return llvm::Error::success();
  llvm::StringRef rest = source.drop_front(section);
  // Blobs are written `key: "0xAAAAAAAA...."`, the first four bytes being
  // the little-endian alignment.
  for (size_t at = rest.find("\"0x"); at != llvm::StringRef::npos;
       at = rest.find("\"0x", at + 1)) {
    llvm::StringRef hex = rest.substr(at + 3, 8);
    if (hex.size() < 8 || !llvm::all_of(hex, llvm::isHexDigit))
      continue;
    uint32_t alignment = 0;
    for (int byte = 3; byte >= 0; --byte)
      alignment = (alignment << 8) |
                  llvm::hexFromNibbles(hex[2 * byte], hex[2 * byte + 1]);
    if (llvm::isPowerOf2_32(alignment))
      continue;
    // The key precedes the blob: `name: "0x...`.
    llvm::StringRef before = rest.take_front(at).rtrim();
    before.consume_back(":");
    before = before.rtrim();
    llvm::StringRef key =
        before.substr(before.find_last_of(" \t\n{,") + 1).trim("\"");
    size_t line = source.take_front(section + at).count('\n') + 1;
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}:{1}: resource blob '{2}' declares alignment {3}; "
                      "expected a power of two (its first 4 bytes, little "
                      "endian)",
                      bufferName, line, key, alignment));
  }
  return llvm::Error::success();
}
