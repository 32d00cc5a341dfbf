//===- ParseVerifyFuzzer.cpp - libFuzzer harness for ht IR ----------------===//
//
// Any text: checked for resource blobs MLIR's parser cannot take, parsed with
// the ht dialect and what models use (func, arith, tensor), verified, and
// every constant blob checked against its type, as the tools do before any
// pass reads a constant. Diagnostics are swallowed; crashes, sanitizer
// reports and hangs are findings.
//
//===----------------------------------------------------------------------===//

#include "ht/Dialect/HT/IR/HTDialect.h"
#include "ht/Dialect/HT/Utils/ConstantData.h"
#include "ht/Support/ResourceCheck.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef source(reinterpret_cast<const char *>(data), size);
  if (llvm::Error invalid =
          mlir::ht::checkResourceBlobAlignments(source, "input.mlir")) {
    llvm::consumeError(std::move(invalid));
    return 0;
  }
  static mlir::DialectRegistry *registry = [] {
    auto *result = new mlir::DialectRegistry();
    result->insert<mlir::ht::HTDialect, mlir::func::FuncDialect,
                   mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();
    return result;
  }();
  mlir::MLIRContext context(*registry, mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler ignore(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  // MLIR's lexer relies on a NUL after the buffer, as files read by the
  // tools have; the fuzzer's bytes have none, so parse a terminated copy.
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  sourceMgr->AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(source, "input.mlir"), llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  (void)mlir::ht::verifyConstantBlobs(*module);
  return 0;
}
