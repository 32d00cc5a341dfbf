//===- ht-opt.cpp - The ht-mlir optimizer driver --------------------------===//
//
// mlir-opt with the ht dialect and the ht-* passes added: parses, verifies,
// runs pass pipelines and prints ht IR. Its input is checked for resource
// blobs that would abort MLIR's parser before it is parsed.
//
//===----------------------------------------------------------------------===//

#include "ht/Codegen/Passes.h"
#include "ht/Conversion/Passes.h"
#include "ht/Dialect/HT/IR/HTDialect.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Pipelines/Pipelines.h"
#include "ht/Support/ResourceCheck.h"
#include "ht/Support/ToolSupport.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/MemoryBuffer.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::ht::registerHTPasses();
  mlir::ht::registerHTConversionPasses();
  mlir::ht::registerHTCodegenPasses();
  mlir::ht::registerHTPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::ht::HTDialect>();
  // gpu-module-to-binary translates kernels to LLVM IR inside the pipeline.
  mlir::registerAllToLLVMIRTranslations(registry);

  mlir::ht::setToolVersionPrinter("ht-opt");
  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "ht-mlir optimizer driver\n", registry);
  if (inputFilename != "-") {
    std::string error;
    std::unique_ptr<llvm::MemoryBuffer> input =
        mlir::openInputFile(inputFilename, &error);
    if (!input) {
      llvm::errs() << "ht-opt: error: " << error << "\n";
      return 1;
    }
    if (llvm::Error invalid = mlir::ht::checkResourceBlobAlignments(
            input->getBuffer(), inputFilename)) {
      llvm::errs() << "ht-opt: error: " << llvm::toString(std::move(invalid))
                   << "\n";
      return 1;
    }
  }
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));
}
