//===- ht-opt.cpp - The ht-mlir optimizer driver --------------------------===//
//
// mlir-opt with the ht dialect and the ht-* passes added: parses, verifies,
// runs pass pipelines and prints ht IR.
//
//===----------------------------------------------------------------------===//

#include "ht/Codegen/Passes.h"
#include "ht/Conversion/Passes.h"
#include "ht/Dialect/HT/IR/HTDialect.h"
#include "ht/Dialect/HT/Transforms/Passes.h"
#include "ht/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

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

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "ht-mlir optimizer driver\n", registry));
}
