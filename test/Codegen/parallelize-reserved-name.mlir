// A model function named like the runtime's thread count, with another
// type, is refused by name instead of producing a call that does not
// verify.
// RUN: not ht-opt %s --pass-pipeline='builtin.module(ht-parallelize)' 2>&1 | FileCheck %s
// CHECK: error: ht-parallelize: @__ht_threads is the model runtime's (the call's thread count, () -> i64); rename this function
func.func @__ht_threads(%x: f32) -> f32 {
  return %x : f32
}
