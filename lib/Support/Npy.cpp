//===- Npy.cpp - Reading and writing NumPy .npy files ---------------------===//

#include "ht/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "ht/Support/CheckedSize.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir::ht;

static constexpr llvm::StringLiteral kMagic("\x93NUMPY");

static llvm::Error fail(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "'" + path + "': " + message);
}

int64_t NpyArray::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

std::string mlir::ht::formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os);
  os << ']';
  return text;
}

/// The value of `key` in the header dict, e.g. `'descr': '<f4'` -> `'<f4'`.
static std::optional<llvm::StringRef> findValue(llvm::StringRef header,
                                                llvm::StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  if (rest.starts_with("(")) {
    size_t close = rest.find(')');
    return close == llvm::StringRef::npos
               ? std::nullopt
               : std::optional<llvm::StringRef>(rest.take_front(close + 1));
  }
  size_t end = rest.find_first_of(",}");
  return rest.take_front(end).trim();
}

llvm::Expected<NpyArray> mlir::ht::readNpy(llvm::StringRef path) {
  // A device or a pipe (/dev/zero) would be read until memory runs out.
  llvm::sys::fs::file_status status;
  if (std::error_code error = llvm::sys::fs::status(path, status))
    return fail(path, "cannot open: " + error.message());
  if (!llvm::sys::fs::is_regular_file(status))
    return fail(path, "is not a regular file; expected a .npy file");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file)
    return fail(path, "cannot open: " + file.getError().message());
  return parseNpy((*file)->getBuffer(), path);
}

llvm::Expected<NpyArray> mlir::ht::parseNpy(llvm::StringRef contents,
                                            llvm::StringRef path) {
  if (!contents.starts_with(kMagic) || contents.size() < 10)
    return fail(path, "not a .npy file (no \\x93NUMPY magic)");

  uint8_t major = contents[6], minor = contents[7];
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = uint8_t(contents[8]) | (uint8_t(contents[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (contents.size() < 12)
      return fail(path, "truncated .npy header");
    headerLength = 0;
    for (int byte = 3; byte >= 0; --byte)
      headerLength = (headerLength << 8) | uint8_t(contents[8 + byte]);
    headerStart = 12;
  } else {
    return fail(path, "unsupported .npy format version " +
                          llvm::Twine(unsigned(major)) + "." +
                          llvm::Twine(unsigned(minor)) +
                          "; expected 1.0, 2.0 or 3.0");
  }
  if (contents.size() < headerStart + headerLength)
    return fail(path, "truncated .npy header");
  llvm::StringRef header = contents.substr(headerStart, headerLength);

  NpyArray array;
  std::optional<llvm::StringRef> descr = findValue(header, "descr");
  std::optional<llvm::StringRef> order = findValue(header, "fortran_order");
  std::optional<llvm::StringRef> shape = findValue(header, "shape");
  if (!descr || !order || !shape)
    return fail(path, "malformed .npy header '" + header.trim() + "'");
  array.dtype = descr->trim("'\"").str();
  if (*order != "False")
    return fail(path, "is in Fortran order; expected a C-order array");

  llvm::StringRef dims = shape->trim("()");
  llvm::SmallVector<llvm::StringRef> parts;
  dims.split(parts, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    int64_t dim;
    if (part.trim().getAsInteger(10, dim) || dim < 0)
      return fail(path, "malformed shape " + *shape + " in .npy header");
    array.shape.push_back(dim);
  }

  // Every later size (bytes here, buffers and outputs in the caller) is a
  // multiple of the element count: refuse counts whose bytes overflow.
  std::optional<int64_t> elements = checkedProduct(array.shape);
  if (!checkedBytes(elements, sizeof(double)))
    return fail(path, "shape " + formatShape(array.shape) +
                          " has more elements than memory can address");
  size_t elementSize = array.dtype == "<f4" ? 4 : array.dtype == "<f8" ? 8 : 0;
  if (elementSize == 0) {
    // Leave the payload unread: the caller reports the dtype mismatch.
    return array;
  }
  size_t payload = contents.size() - headerStart - headerLength;
  size_t expected = static_cast<size_t>(*elements) * elementSize;
  if (payload != expected)
    return fail(path, "holds " + llvm::Twine(payload) + " data bytes; shape " +
                          formatShape(array.shape) + " of " + array.dtype +
                          " needs " + llvm::Twine(expected));
  const char *data = contents.data() + headerStart + headerLength;
  array.bytes.assign(data, data + payload);
  return array;
}

/// Writes 4-byte elements of NumPy type `descr` ('<f4', '<i4').
static llvm::Error writeNpy4(llvm::StringRef path, llvm::ArrayRef<int64_t> shape,
                             const void *data, llvm::StringRef descr) {
  // A Python tuple: "()", "(3,)", "(3, 4)".
  std::string dims = llvm::join(
      llvm::map_range(shape, [](int64_t dim) { return std::to_string(dim); }),
      ", ");
  if (shape.size() == 1)
    dims += ",";
  std::string header = "{'descr': '" + descr.str() +
                       "', 'fortran_order': False, 'shape': (" + dims + "), }";
  // Pad so that the data starts on a 64-byte boundary, ending with '\n'.
  size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';

  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;

  llvm::SmallString<256> temporary(path);
  temporary += ".partial";
  {
    std::error_code error;
    llvm::raw_fd_ostream os(temporary, error, llvm::sys::fs::OF_None);
    if (error)
      return fail(path, "cannot write: " + error.message());
    os << kMagic << '\x01' << '\x00';
    os << char(header.size() & 0xff) << char((header.size() >> 8) & 0xff);
    os << header;
    os.write(static_cast<const char *>(data), count * 4);
    os.close();
    if (os.has_error()) {
      llvm::sys::fs::remove(temporary);
      return fail(path, "cannot write: " + os.error().message());
    }
  }
  if (std::error_code error = llvm::sys::fs::rename(temporary, path)) {
    llvm::sys::fs::remove(temporary);
    return fail(path, "cannot write: " + error.message());
  }
  return llvm::Error::success();
}

llvm::Error mlir::ht::writeNpyFloat32(llvm::StringRef path,
                                      llvm::ArrayRef<int64_t> shape,
                                      const float *data) {
  return writeNpy4(path, shape, data, "<f4");
}

llvm::Error mlir::ht::writeNpyInt32(llvm::StringRef path,
                                    llvm::ArrayRef<int64_t> shape,
                                    const int32_t *data) {
  return writeNpy4(path, shape, data, "<i4");
}
