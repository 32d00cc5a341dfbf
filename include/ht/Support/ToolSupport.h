//===- ToolSupport.h - What every ht-mlir tool shares -----------*- C++ -*-===//

#ifndef HT_SUPPORT_TOOLSUPPORT_H
#define HT_SUPPORT_TOOLSUPPORT_H

#include "llvm/ADT/StringRef.h"

namespace mlir::ht {

/// Makes `--version` print "<tool> (ht-mlir <version>), LLVM <version>".
/// Call before parsing the command line.
void setToolVersionPrinter(llvm::StringRef toolName);

} // namespace mlir::ht

#endif // HT_SUPPORT_TOOLSUPPORT_H
