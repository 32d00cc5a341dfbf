// RUN: ht-opt %s --split-input-file --convert-ht-to-linalg -verify-diagnostics

// convert-ht-to-linalg is mechanical: it takes what ht-optimize leaves and
// says which pass prepares anything else.
!w = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
func.func @unplanned_linear(%x: tensor<?x2xf32>, %w: !w) -> tensor<?x2xf32> {
  // expected-error @below {{ht.linear with an HT weight reached the lowering unplanned; run ht-order-contractions (part of the ht-optimize pipeline) first}}
  %y = ht.linear %x, %w : tensor<?x2xf32>, !w -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

func.func @unexpanded_cell(%x: tensor<3x2xf32>, %h: tensor<3x1xf32>, %w: tensor<4x3xf32>)
    -> (tensor<3x1xf32>, tensor<3x1xf32>) {
  // expected-error @below {{ht.lstm_cell reached the lowering unexpanded; run ht-expand-lstm (part of the ht-optimize pipeline) first}}
  %h1, %c1 = ht.lstm_cell fused %x, %h, %h weights(%w)
    : (tensor<3x2xf32>, tensor<3x1xf32>, tensor<3x1xf32>, tensor<4x3xf32>) -> (tensor<3x1xf32>, tensor<3x1xf32>)
  return %h1, %c1 : tensor<3x1xf32>, tensor<3x1xf32>
}

// -----

func.func @unexpanded_lstm(%x: tensor<2x3x2xf32>, %h: tensor<3x1xf32>, %w: tensor<4x3xf32>) -> tensor<2x3x1xf32> {
  // expected-error @below {{ht.lstm reached the lowering unexpanded; run ht-expand-lstm (part of the ht-optimize pipeline) first}}
  %o, %hn, %cn = ht.lstm fused %x, %h, %h weights(%w)
    : (tensor<2x3x2xf32>, tensor<3x1xf32>, tensor<3x1xf32>, tensor<4x3xf32>) -> (tensor<2x3x1xf32>, tensor<3x1xf32>, tensor<3x1xf32>)
  return %o : tensor<2x3x1xf32>
}
