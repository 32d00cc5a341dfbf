//===- ModelCompiler.h - What ht-compile and ht-run share -------*- C++ -*-===//
//
// Loading a model file, lowering it with the registered pipeline, and
// translating it to LLVM IR for the host (or a chosen) CPU.
//
//===----------------------------------------------------------------------===//

#ifndef HT_TOOLS_MODELCOMPILER_H
#define HT_TOOLS_MODELCOMPILER_H

#include "ht/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace mlir::ht {

/// Dialects (and their extensions and LLVM translations) a model may use.
void registerModelDialects(DialectRegistry &registry);

/// Parses and verifies `path`; diagnostics go to stderr with file positions.
OwningOpRef<ModuleOp> loadModel(StringRef path, MLIRContext &context);

/// Runs the ht-to-llvm pipeline (C wrappers, results as out-parameters)
/// with `pipelineOptions`, written as for ht-opt's `--ht-to-llvm="..."`
/// (e.g. "order=greedy fold-weights=false"). Reports bad options on stderr.
LogicalResult lowerToLLVMDialect(ModuleOp module,
                                 StringRef pipelineOptions = "");

/// Parses ht-to-cuda's options for a tool and checks what the pipeline
/// would only find late: the block size, and a toolkit with ptxas for a
/// fatbin or cubin. With `ptxWithoutToolkit` (ht-run), no toolkit and no
/// `toolkit` option mean PTX instead of an error.
llvm::Expected<std::unique_ptr<HTToCUDAOptions>>
parseCUDAOptions(StringRef pipelineOptions, bool ptxWithoutToolkit);

/// Runs the ht-to-cuda pipeline (ht-compile --target=cuda).
LogicalResult lowerToCUDA(ModuleOp module, const HTToCUDAOptions &options);

/// A target machine for `cpu` (empty: the host) with `features`, producing
/// position-independent code in `codeModel` (the target's default if none).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(StringRef cpu, StringRef features,
                    std::optional<llvm::CodeModel::Model> codeModel = {});

/// Translates a module in the LLVM dialect to LLVM IR set up for `machine`.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToLLVMIR(ModuleOp module, llvm::LLVMContext &context,
                  llvm::TargetMachine &machine);

/// Optimises `module` at -O3 for `machine`.
llvm::Error optimizeLLVMModule(llvm::Module &module,
                               llvm::TargetMachine &machine);

/// Writes `module` as a position-independent object file to `path`.
llvm::Error writeObjectFile(llvm::Module &module, llvm::TargetMachine &machine,
                            StringRef path);

/// Links `object` into the shared library `output` with the C compiler
/// (and the OpenMP runtime, found by path at run time, if it uses it).
llvm::Error linkSharedLibrary(StringRef object, StringRef output, bool openMP);

} // namespace mlir::ht

#endif // HT_TOOLS_MODELCOMPILER_H
