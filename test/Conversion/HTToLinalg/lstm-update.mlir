// RUN: ht-opt %s --convert-ht-to-linalg --split-input-file | FileCheck %s

// One element-wise kernel: both parts and the bias summed per gate, the
// gate functions, then c and h.
// CHECK-LABEL: func.func @update
// CHECK-SAME: (%[[ZX:.*]]: tensor<?x8xf32>, %[[ZH:.*]]: tensor<?x8xf32>, %[[C:.*]]: tensor<?x2xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK-DAG: %[[ZX0:.*]] = tensor.extract_slice %[[ZX]][0, 0] [%{{.*}}, 2] [1, 1]
// CHECK-DAG: %[[ZX3:.*]] = tensor.extract_slice %[[ZX]][0, 6] [%{{.*}}, 2] [1, 1]
// CHECK-DAG: %[[ZH0:.*]] = tensor.extract_slice %[[ZH]][0, 0] [%{{.*}}, 2] [1, 1]
// CHECK-DAG: %[[B0:.*]] = tensor.extract_slice %[[B]][0] [2] [1]
// CHECK-DAG: %[[B3:.*]] = tensor.extract_slice %[[B]][6] [2] [1]
// CHECK: %[[CELL:.*]]:2 = linalg.generic
// CHECK-SAME: ins(%[[ZX0]], %{{.*}}, %{{.*}}, %[[ZX3]], %[[ZH0]], %{{.*}}, %{{.*}}, %{{.*}}, %[[C]], %[[B0]], %{{.*}}, %{{.*}}, %[[B3]] :
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<?x2xf32>, tensor<?x2xf32>)
// Per gate: part 1 + part 2 + bias.
// CHECK-COUNT-8: arith.addf
// Gates i and f (sigmoid), g (tanh), o (sigmoid), then tanh(c).
// CHECK: math.exp
// CHECK: math.exp
// CHECK: math.tanh
// CHECK: math.exp
// CHECK: math.tanh
// CHECK: linalg.yield
// CHECK: return %[[CELL]]#0, %[[CELL]]#1
func.func @update(%zx: tensor<?x8xf32>, %zh: tensor<?x8xf32>, %c: tensor<?x2xf32>, %b: tensor<8xf32>)
    -> (tensor<?x2xf32>, tensor<?x2xf32>) {
  %h1, %c1 = ht.lstm_update(%zx, %zh), %c bias %b
    : (tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x2xf32>, tensor<8xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>)
  return %h1, %c1 : tensor<?x2xf32>, tensor<?x2xf32>
}

// -----

// hard_sigmoid clamps 0.2 z + 0.5 to [0, 1] instead of calling exp; one
// part and no bias: nothing to add before the gates.
// CHECK-LABEL: func.func @hard_sigmoid
// CHECK: linalg.generic
// CHECK-NOT: math.exp
// CHECK-COUNT-3: arith.minimumf
// CHECK: return
func.func @hard_sigmoid(%z: tensor<3x4xf32>, %c: tensor<3x1xf32>) -> (tensor<3x1xf32>, tensor<3x1xf32>) {
  %h1, %c1 = ht.lstm_update(%z), %c gate_activation = hard_sigmoid
    : (tensor<3x4xf32>, tensor<3x1xf32>) -> (tensor<3x1xf32>, tensor<3x1xf32>)
  return %h1, %c1 : tensor<3x1xf32>, tensor<3x1xf32>
}

// -----

// A part whose batch is dynamic where c's is static is cast first.
// CHECK-LABEL: func.func @mixed_batch
// CHECK: tensor.cast %{{.*}} : tensor<?x4xf32> to tensor<3x4xf32>
// CHECK: linalg.generic
func.func @mixed_batch(%z: tensor<?x4xf32>, %c: tensor<3x1xf32>) -> (tensor<3x1xf32>, tensor<3x1xf32>) {
  %h1, %c1 = ht.lstm_update(%z), %c
    : (tensor<?x4xf32>, tensor<3x1xf32>) -> (tensor<3x1xf32>, tensor<3x1xf32>)
  return %h1, %c1 : tensor<3x1xf32>, tensor<3x1xf32>
}

