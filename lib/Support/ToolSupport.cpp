//===- ToolSupport.cpp - What every ht-mlir tool shares -------------------===//

#include "ht/Support/ToolSupport.h"
#include "ht/Version.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

void mlir::ht::setToolVersionPrinter(llvm::StringRef toolName) {
  static std::string name;
  name = toolName.str();
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << name << " (ht-mlir " << HT_MLIR_VERSION << "), LLVM "
       << LLVM_VERSION_STRING << "\n";
  });
}
