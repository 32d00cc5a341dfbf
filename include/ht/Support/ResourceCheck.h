//===- ResourceCheck.h - Checks on resource blobs before parsing -*- C++ -*-===//
//
// MLIR 22's text parser aborts the process ("Buffer allocation failed") on a
// dense_resource blob whose 4-byte alignment header is 0 or not a power of
// two. The tools scan their input for such blobs first and refuse it with a
// message instead.
//
//===----------------------------------------------------------------------===//

#ifndef HT_SUPPORT_RESOURCECHECK_H
#define HT_SUPPORT_RESOURCECHECK_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace mlir::ht {

/// Fails, naming the blob and its alignment, if a hex blob ("0x...") in the
/// `{-# dialect_resources ... #-}` section of `source` declares an alignment
/// that is not a power of two. `bufferName` prefixes the message.
llvm::Error checkResourceBlobAlignments(llvm::StringRef source,
                                        llvm::StringRef bufferName);

} // namespace mlir::ht

#endif // HT_SUPPORT_RESOURCECHECK_H
