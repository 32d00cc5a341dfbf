// RUN: ht-opt %s --convert-ht-to-linalg --split-input-file | FileCheck %s

// ht.lstm: an scf.for over time; each step projects x_t and h, adds them,
// and runs one element-wise kernel for biases, gates and the c/h update.
// CHECK-LABEL: func.func @stacked
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x2xf32>, %[[H0:.*]]: tensor<?x1xf32>, %[[C0:.*]]: tensor<?x1xf32>)
// The biases are summed once, outside the loop.
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xf32>)
// CHECK: %[[T:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x?x2xf32>
// CHECK: %[[LOOP:.*]]:3 = scf.for %[[STEP:.*]] = %{{.*}} to %[[T]] step %{{.*}} iter_args(%[[H:.*]] = %[[H0]], %[[C:.*]] = %[[C0]], %[[OUT:.*]] = %{{.*}}) -> (tensor<?x1xf32>, tensor<?x1xf32>, tensor<?x?x1xf32>)
// CHECK: %[[XT:.*]] = tensor.extract_slice %[[X]][%[[STEP]], 0, 0] [1, %{{.*}}, 2] [1, 1, 1] : tensor<?x?x2xf32> to tensor<?x2xf32>
// CHECK: %[[ZX:.*]] = linalg.contract {{.*}} ins(%[[XT]], %{{.*}} : tensor<?x2xf32>, tensor<4x2xf32>)
// CHECK: %[[ZH:.*]] = linalg.contract {{.*}} ins(%[[H]], %{{.*}} : tensor<?x1xf32>, tensor<4x1xf32>)
// CHECK: %[[Z:.*]] = linalg.generic {{.*}} ins(%[[ZX]], %[[ZH]] :
// CHECK: %[[CELL:.*]]:2 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<?x1xf32>, tensor<?x1xf32>)
// Gates i and f (sigmoid), g (tanh), o (sigmoid), then tanh(c).
// CHECK: math.exp
// CHECK: math.exp
// CHECK: math.tanh
// CHECK: math.exp
// CHECK: math.tanh
// CHECK: linalg.yield
// CHECK: %[[WRITTEN:.*]] = tensor.insert_slice %[[CELL]]#0 into %[[OUT]][%[[STEP]], 0, 0]
// CHECK: scf.yield %[[CELL]]#0, %[[CELL]]#1, %[[WRITTEN]]
// CHECK: return %[[LOOP]]#2, %[[LOOP]]#0, %[[LOOP]]#1
func.func @stacked(%x: tensor<?x?x2xf32>, %h0: tensor<?x1xf32>, %c0: tensor<?x1xf32>)
    -> (tensor<?x?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>) {
  %wih = arith.constant dense<0.5> : tensor<4x2xf32>
  %whh = arith.constant dense<0.25> : tensor<4x1xf32>
  %b = arith.constant dense<0.1> : tensor<4xf32>
  %out, %hn, %cn = ht.lstm stacked %x, %h0, %c0 weights(%wih, %whh) biases(%b, %b)
    : (tensor<?x?x2xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<4x2xf32>, tensor<4x1xf32>, tensor<4xf32>, tensor<4xf32>)
   -> (tensor<?x?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>)
  return %out, %hn, %cn : tensor<?x?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>
}

// -----

// hard_sigmoid clamps 0.2 z + 0.5 to [0, 1] instead of calling exp.
// CHECK-LABEL: func.func @hard_sigmoid_cell
// CHECK-NOT: math.exp
// CHECK-COUNT-3: arith.minimumf
// CHECK: return
func.func @hard_sigmoid_cell(%x: tensor<3x2xf32>, %h: tensor<3x1xf32>, %w: tensor<4x3xf32>)
    -> (tensor<3x1xf32>, tensor<3x1xf32>) {
  %h1, %c1 = ht.lstm_cell fused %x, %h, %h weights(%w) gate_activation = hard_sigmoid
    : (tensor<3x2xf32>, tensor<3x1xf32>, tensor<3x1xf32>, tensor<4x3xf32>) -> (tensor<3x1xf32>, tensor<3x1xf32>)
  return %h1, %c1 : tensor<3x1xf32>, tensor<3x1xf32>
}

// -----

// Fused: x and h are placed side by side, then one projection.
// CHECK-LABEL: func.func @fused_cell
// CHECK: %[[XH:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0] [3, 2] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %[[XH]][0, 2] [3, 1] [1, 1]
func.func @fused_cell(%x: tensor<3x2xf32>, %h: tensor<3x1xf32>, %w: tensor<4x3xf32>)
    -> (tensor<3x1xf32>, tensor<3x1xf32>) {
  %h1, %c1 = ht.lstm_cell fused %x, %h, %h weights(%w)
    : (tensor<3x2xf32>, tensor<3x1xf32>, tensor<3x1xf32>, tensor<4x3xf32>) -> (tensor<3x1xf32>, tensor<3x1xf32>)
  return %h1, %c1 : tensor<3x1xf32>, tensor<3x1xf32>
}

// -----

// Per-gate: each gate's projection fills its column block of z.
// CHECK-LABEL: func.func @per_gate_cell
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0] [%{{.*}}, 1] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 1] [%{{.*}}, 1] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 2] [%{{.*}}, 1] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 3] [%{{.*}}, 1] [1, 1]
!gate = !ht.matrix<[1, 1] x [2, 1], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @per_gate_cell(%x: tensor<?x2xf32>, %h: tensor<?x1xf32>, %g: !gate, %whh: tensor<4x1xf32>)
    -> (tensor<?x1xf32>, tensor<?x1xf32>) {
  %h1, %c1 = ht.lstm_cell per_gate %x, %h, %h weights(%g, %g, %g, %g, %whh)
    : (tensor<?x2xf32>, tensor<?x1xf32>, tensor<?x1xf32>, !gate, !gate, !gate, !gate, tensor<4x1xf32>) -> (tensor<?x1xf32>, tensor<?x1xf32>)
  return %h1, %c1 : tensor<?x1xf32>, tensor<?x1xf32>
}
