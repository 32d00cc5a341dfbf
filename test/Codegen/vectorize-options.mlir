// Sizes that make no register block are refused before any work, whether
// given to the pass or to the code-generation stage.
// RUN: not ht-opt %s --pass-pipeline='builtin.module(func.func(ht-vectorize{lanes=0}))' 2>&1 | FileCheck %s --check-prefix=LANES
// RUN: not ht-opt %s --pass-pipeline='builtin.module(func.func(ht-vectorize{max-accumulators=0}))' 2>&1 | FileCheck %s --check-prefix=ACC
// RUN: not ht-opt %s --ht-cpu-codegen="vector-lanes=-8" 2>&1 | FileCheck %s --check-prefix=STAGE
// LANES: ht-vectorize: lanes=0; expected at least 1
// ACC: ht-vectorize: max-accumulators=0; expected at least 1
// STAGE: ht-pack-weights: lanes=-8; expected at least 1
func.func @nothing() {
  return
}
