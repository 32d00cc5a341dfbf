// Parses an !ht.matrix type given on the command line and prints its
// parameter count and compression ratio: the smallest program that uses the
// ht dialect from another project.
#include "ht/Dialect/HT/Analysis/HTMetrics.h"
#include "ht/Dialect/HT/IR/HTOps.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: ht-param-count '!ht.matrix<...>'\n";
    return 2;
  }
  mlir::MLIRContext context;
  context.loadDialect<mlir::ht::HTDialect>();
  auto type = llvm::dyn_cast_or_null<mlir::ht::MatrixType>(
      mlir::parseType(argv[1], &context));
  if (!type) {
    llvm::errs() << "error: expected an !ht.matrix type\n";
    return 1;
  }
  mlir::ht::HTMetrics metrics = mlir::ht::computeMetrics(type.getShape());
  llvm::outs() << "parameters " << metrics.parameters << "\n"
               << "dense parameters " << metrics.denseParameters << "\n";
  return 0;
}
