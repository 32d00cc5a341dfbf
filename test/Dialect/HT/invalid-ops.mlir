// RUN: ht-opt %s -split-input-file -verify-diagnostics

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @constant_leaf_count() {
  // expected-error @+1 {{'ht.constant' op has 1 leaves; expected 2 (one leaf frame per mode)}}
  %w = ht.constant leaves [dense<1.0> : tensor<2x1x1xf32>] transfers [dense<5.0> : tensor<1x1x1xf32>] : !tiny
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @constant_transfer_count() {
  // expected-error @+1 {{'ht.constant' op has 0 transfers; expected 1 (one transfer tensor per internal node, in preorder)}}
  %w = ht.constant leaves [dense<1.0> : tensor<2x1x1xf32>, dense<1.0> : tensor<1x2x1xf32>] transfers [] : !tiny
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @constant_leaf_shape() {
  // expected-error @+1 {{'ht.constant' op leaves[1] has type 'tensor<2x1x1xf32>'; expected 'tensor<1x2x1xf32>' (m_1 x n_1 x r_1)}}
  %w = ht.constant leaves [dense<1.0> : tensor<2x1x1xf32>, dense<1.0> : tensor<2x1x1xf32>] transfers [dense<5.0> : tensor<1x1x1xf32>] : !tiny
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @constant_element_type() {
  // expected-error @+1 {{'ht.constant' op leaves[0] has type 'tensor<2x1x1xf64>'; expected 'tensor<2x1x1xf32>' (m_0 x n_0 x r_0)}}
  %w = ht.constant leaves [dense<1.0> : tensor<2x1x1xf64>, dense<1.0> : tensor<1x2x1xf32>] transfers [dense<5.0> : tensor<1x1x1xf32>] : !tiny
  return
}

// -----

// Node 1 is (0, 1) with ranks 2 and 3, under the root.
!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @constant_transfer_shape() {
  // expected-error @+1 {{'ht.constant' op transfers[1] has type 'tensor<3x2x6xf32>'; expected 'tensor<2x3x6xf32>' (left rank x right rank x rank of internal node 1)}}
  %w = ht.constant leaves [dense<1.0> : tensor<4x5x2xf32>, dense<1.0> : tensor<2x6x3xf32>, dense<1.0> : tensor<3x7x4xf32>]
                   transfers [dense<1.0> : tensor<6x4x1xf32>, dense<1.0> : tensor<3x2x6xf32>] : !w3
  return
}

// -----

func.func @constant_not_elements() {
  // expected-error @+1 {{'ht.constant' op attribute 'leaves' failed to satisfy constraint: array of elements attributes}}
  %w = ht.constant leaves [1.0 : f32, 2.0 : f32] transfers [dense<5.0> : tensor<1x1x1xf32>] : !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @assemble_leaf_count(%u: tensor<2x1x1xf32>, %b: tensor<1x1x1xf32>) {
  // expected-error @+1 {{'ht.assemble' op has 1 leaves; expected 2 (one leaf frame per mode)}}
  %w = ht.assemble leaves(%u : tensor<2x1x1xf32>) transfers(%b : tensor<1x1x1xf32>) : !tiny
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @assemble_transfer_shape(%u0: tensor<2x1x1xf32>, %u1: tensor<1x2x1xf32>, %b: tensor<1x1x2xf32>) {
  // expected-error @+1 {{'ht.assemble' op transfers[0] has type 'tensor<1x1x2xf32>'; expected 'tensor<1x1x1xf32>' (left rank x right rank x rank of internal node 0)}}
  %w = ht.assemble leaves(%u0, %u1 : tensor<2x1x1xf32>, tensor<1x2x1xf32>) transfers(%b : tensor<1x1x2xf32>) : !tiny
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @assemble_dynamic_leaf(%u0: tensor<?x1x1xf32>, %u1: tensor<1x2x1xf32>, %b: tensor<1x1x1xf32>) {
  // expected-error @+1 {{'ht.assemble' op leaves[0] has type 'tensor<?x1x1xf32>'; expected 'tensor<2x1x1xf32>' (m_0 x n_0 x r_0)}}
  %w = ht.assemble leaves(%u0, %u1 : tensor<?x1x1xf32>, tensor<1x2x1xf32>) transfers(%b : tensor<1x1x1xf32>) : !tiny
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @to_dense_shape(%w: !tiny) {
  // expected-error @+1 {{'ht.to_dense' op result has type 'tensor<2x3xf32>'; expected 'tensor<2x2xf32>' (M x N)}}
  %d = ht.to_dense %w : !tiny -> tensor<2x3xf32>
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @linear_scalar_input(%x: tensor<f32>, %w: !tiny) {
  // expected-error @+1 {{'ht.linear' op input must have rank at least 1 ([..., N]), got 'tensor<f32>'}}
  %y = ht.linear %x, %w : tensor<f32>, !tiny -> tensor<2xf32>
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @linear_element_type(%x: tensor<4x2xf64>, %w: !tiny) {
  // expected-error @+1 {{'ht.linear' op input element type 'f64' differs from the weight's 'f32'}}
  %y = ht.linear %x, %w : tensor<4x2xf64>, !tiny -> tensor<4x2xf64>
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @linear_dynamic_features(%x: tensor<4x?xf32>, %w: !tiny) {
  // expected-error @+1 {{'ht.linear' op input's last dimension is dynamic; expected N = 2 (the weight's columns)}}
  %y = ht.linear %x, %w : tensor<4x?xf32>, !tiny -> tensor<4x2xf32>
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @linear_features(%x: tensor<4x200xf32>, %w: !w3) {
  // expected-error @+1 {{'ht.linear' op input's last dimension is 200; expected N = 210 (the weight's columns)}}
  %y = ht.linear %x, %w : tensor<4x200xf32>, !w3 -> tensor<4x24xf32>
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @linear_bias(%x: tensor<4x210xf32>, %w: !w3, %b: tensor<210xf32>) {
  // expected-error @+1 {{'ht.linear' op bias has type 'tensor<210xf32>'; expected 'tensor<24xf32>' ([M])}}
  %y = ht.linear %x, %w bias %b : tensor<4x210xf32>, !w3, tensor<210xf32> -> tensor<4x24xf32>
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @linear_result(%x: tensor<?x210xf32>, %w: !w3) {
  // expected-error @+1 {{'ht.linear' op result has type 'tensor<4x24xf32>'; expected 'tensor<?x24xf32>' (the input's leading dimensions, then M)}}
  %y = ht.linear %x, %w : tensor<?x210xf32>, !w3 -> tensor<4x24xf32>
  return
}

// -----

func.func @linear_weight_kind(%x: tensor<4x2xf32>, %w: tensor<2x2x1xf32>) {
  // expected-error @+1 {{'ht.linear' op operand #1 must be a dense 2-D float tensor or an HT matrix, but got 'tensor<2x2x1xf32>'}}
  %y = "ht.linear"(%x, %w) : (tensor<4x2xf32>, tensor<2x2x1xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @linear_dynamic_dense_weight(%x: tensor<4x2xf32>, %w: tensor<?x2xf32>) {
  // expected-error @+1 {{'ht.linear' op dense weight must have a static shape, got 'tensor<?x2xf32>'}}
  %y = ht.linear %x, %w : tensor<4x2xf32>, tensor<?x2xf32> -> tensor<4x?xf32>
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @factors_count(%w: !tiny) {
  // expected-error @+1 {{'ht.factors' op has 2 results; expected 3 (2 leaves, then 1 transfers)}}
  %a, %b = ht.factors %w : !tiny -> tensor<2x1x1xf32>, tensor<1x2x1xf32>
  return
}

// -----

!tiny = !ht.matrix<[2, 1] x [1, 2], tree = (0, 1), leaf_ranks = [1, 1], node_ranks = [1], f32>

func.func @factors_type(%w: !tiny) {
  // expected-error @+1 {{'ht.factors' op result #1 has type 'tensor<2x1x1xf32>'; expected 'tensor<1x2x1xf32>'}}
  %a, %b, %c = ht.factors %w : !tiny -> tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<1x1x1xf32>
  return
}

// -----

func.func @contract_element_type(%a: tensor<2x3xf32>, %b: tensor<3x4xf64>) {
  // expected-error @+1 {{'ht.contract' op rhs element type 'f64' differs from lhs's 'f32'}}
  %c = ht.contract %a [0, 1], %b [1, 2] -> [0, 2] : tensor<2x3xf32>, tensor<3x4xf64> -> tensor<2x4xf32>
  return
}

// -----

func.func @contract_label_count(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'ht.contract' op lhs has 3 labels; expected one per dimension of 'tensor<2x3xf32>'}}
  %c = ht.contract %a [0, 1, 5], %b [1, 2] -> [0, 2] : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @contract_negative_label(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'ht.contract' op rhs label -1 is negative}}
  %c = ht.contract %a [0, 1], %b [1, -1] -> [0] : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2xf32>
  return
}

// -----

func.func @contract_repeated_label(%a: tensor<3x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'ht.contract' op lhs repeats label 1; a label appears once per tensor}}
  %c = ht.contract %a [1, 1], %b [1, 2] -> [2] : tensor<3x3xf32>, tensor<3x4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @contract_label_size(%a: tensor<2x3xf32>, %b: tensor<5x4xf32>) {
  // expected-error @+1 {{'ht.contract' op label 1 has size 5 in rhs but 3 before}}
  %c = ht.contract %a [0, 1], %b [1, 2] -> [0, 2] : tensor<2x3xf32>, tensor<5x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @contract_unknown_result_label(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'ht.contract' op result label 7 is in neither operand}}
  %c = ht.contract %a [0, 1], %b [1, 2] -> [0, 7] : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @contract_result_size(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'ht.contract' op label 2 has size 5 in result but 4 before}}
  %c = ht.contract %a [0, 1], %b [1, 2] -> [0, 2] : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @update_no_parts(%c: tensor<2x1xf32>) {
  // expected-error @+1 {{'ht.lstm_update' op takes at least one pre-activation part}}
  %h, %c1 = ht.lstm_update(), %c : (tensor<2x1xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>)
  return
}

// -----

func.func @update_dynamic_hidden(%z: tensor<2x4xf32>, %c: tensor<2x?xf32>) {
  // expected-error @+1 {{'ht.lstm_update' op c0's hidden dimension H must be static, got 'tensor<2x?xf32>'}}
  %h, %c1 = ht.lstm_update(%z), %c : (tensor<2x4xf32>, tensor<2x?xf32>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  return
}

// -----

func.func @update_wrong_width(%z: tensor<2x4xf32>, %zh: tensor<2x6xf32>, %c: tensor<2x1xf32>) {
  // expected-error @+1 {{'ht.lstm_update' op pre-activation #1 is 'tensor<2x6xf32>'; expected [B, 4H] with 4H = 4}}
  %h, %c1 = ht.lstm_update(%z, %zh), %c : (tensor<2x4xf32>, tensor<2x6xf32>, tensor<2x1xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>)
  return
}

// -----

func.func @update_wrong_batch(%z: tensor<3x4xf32>, %c: tensor<2x1xf32>) {
  // expected-error @+1 {{'ht.lstm_update' op pre-activation #0's batch size 3 differs from c0's 2}}
  %h, %c1 = ht.lstm_update(%z), %c : (tensor<3x4xf32>, tensor<2x1xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>)
  return
}

// -----

func.func @update_element_type(%z: tensor<2x4xf16>, %c: tensor<2x1xf32>) {
  // expected-error @+1 {{'ht.lstm_update' op pre-activation #0's element type 'f16' differs from c0's 'f32'}}
  %h, %c1 = ht.lstm_update(%z), %c : (tensor<2x4xf16>, tensor<2x1xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>)
  return
}

// -----

func.func @update_bias(%z: tensor<2x4xf32>, %c: tensor<2x1xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'ht.lstm_update' op bias has type 'tensor<8xf32>'; expected 'tensor<4xf32>' ([4H])}}
  %h, %c1 = ht.lstm_update(%z), %c bias %b : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<8xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>)
  return
}

// -----

func.func @update_result(%z: tensor<2x4xf32>, %c: tensor<2x1xf32>) {
  // expected-error @+1 {{'ht.lstm_update' op result h has type 'tensor<?x1xf32>'; expected 'tensor<2x1xf32>'}}
  %h, %c1 = ht.lstm_update(%z), %c : (tensor<2x4xf32>, tensor<2x1xf32>) -> (tensor<?x1xf32>, tensor<2x1xf32>)
  return
}
