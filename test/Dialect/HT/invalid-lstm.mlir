// RUN: ht-opt %s -split-input-file -verify-diagnostics

// Shared by every case: I = 210, H = 6, so 4H = 24.
!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @input_rank(%x: tensor<?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op input must be [T, B, I] (rank 3), got 'tensor<?x210xf32>'}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @cell_input_rank(%x: tensor<1x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm_cell' op input must be [B, I] (rank 2), got 'tensor<1x?x210xf32>'}}
  %hn, %cn = ht.lstm_cell stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<1x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @dynamic_input_size(%x: tensor<?x?x?xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op input's feature dimension I must be static, got 'tensor<?x?x?xf32>'}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x?x?xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @dynamic_hidden_size(%x: tensor<?x?x210xf32>, %h: tensor<?x?xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op h0's hidden dimension H must be static, got 'tensor<?x?xf32>'}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x?x210xf32>, tensor<?x?xf32>, tensor<?x?xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @c0_type(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %c: tensor<3x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op c0 has type 'tensor<3x6xf32>'; expected the type of h0, 'tensor<?x6xf32>'}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %c weights(%wih, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<3x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @batch_mismatch(%x: tensor<?x4x210xf32>, %h: tensor<3x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op input's batch size 4 differs from h0's 3}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x4x210xf32>, tensor<3x6xf32>, tensor<3x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x4x6xf32>, tensor<3x6xf32>, tensor<3x6xf32>)
  return
}

// -----

// Batch-first, the batch is the input's first dimension.
!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @batch_first_mismatch(%x: tensor<4x3x210xf32>, %h: tensor<3x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op input's batch size 4 differs from h0's 3}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh) batch_first
    : (tensor<4x3x210xf32>, tensor<3x6xf32>, tensor<3x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<4x3x6xf32>, tensor<3x6xf32>, tensor<3x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @state_element_type(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf64>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op h0's element type 'f64' differs from the input's 'f32'}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf64>, tensor<?x6xf64>, !w3, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf64>, tensor<?x6xf64>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @weight_count(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3) {
  // expected-error @+1 {{'ht.lstm' op form 'stacked' takes 2 weights, got 1}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @per_gate_count(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op form 'per_gate' takes 5 weights, got 2}}
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %h weights(%wih, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

// 20 rows: not 4H = 24.
!short = !ht.matrix<[4, 5] x [14, 15], tree = (0, 1), leaf_ranks = [2, 2], node_ranks = [1], f32>

func.func @stacked_rows(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !short, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op W_ih is 20 x 210; expected 4H x I = 24 x 210}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !short, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @recurrent_shape(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x5xf32>) {
  // expected-error @+1 {{'ht.lstm' op W_hh is 24 x 5; expected 4H x H = 24 x 6}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x5xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>
!gate = !ht.matrix<[2, 3] x [14, 15], tree = (1, 0), leaf_ranks = [2, 2], node_ranks = [1], f32>

func.func @per_gate_shape(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %g: !gate, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op W_ih[g] is 24 x 210; expected H x I = 6 x 210}}
  %o, %hn, %cn = ht.lstm per_gate %x, %h, %h weights(%g, %g, %wih, %g, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !gate, !gate, !w3, !gate, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @fused_shape(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %w: tensor<24x210xf32>) {
  // expected-error @+1 {{'ht.lstm' op [W_ih|W_hh] is 24 x 210; expected 4H x (I + H) = 24 x 216}}
  %o, %hn, %cn = ht.lstm fused %x, %h, %h weights(%w)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, tensor<24x210xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @weight_element_type(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf64>) {
  // expected-error @+1 {{'ht.lstm' op W_hh's element type 'f64' differs from the input's 'f32'}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf64>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @bias_count(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>, %b: tensor<24xf32>) {
  // expected-error @+1 {{'ht.lstm' op takes 0 or 2 biases (b_ih, b_hh), got 1}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh) biases(%b)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>, tensor<24xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @bias_shape(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>, %b: tensor<24xf32>, %b6: tensor<6xf32>) {
  // expected-error @+1 {{'ht.lstm' op b_hh has type 'tensor<6xf32>'; expected 'tensor<24xf32>' ([4H])}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh) biases(%b, %b6)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>, tensor<24xf32>, tensor<6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @output_type(%x: tensor<5x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op result output has type 'tensor<?x?x6xf32>'; expected 'tensor<5x?x6xf32>'}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<5x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @h_n_type(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op result h_n has type 'tensor<?x7xf32>'; expected 'tensor<?x6xf32>'}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x7xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @c_n_type(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op result c_n has type 'tensor<2x6xf32>'; expected 'tensor<?x6xf32>'}}
  %o, %hn, %cn = ht.lstm stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<2x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @cell_h_type(%x: tensor<?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm_cell' op result h has type 'tensor<?x6xf64>'; expected 'tensor<?x6xf32>'}}
  %hn, %cn = ht.lstm_cell stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x6xf64>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[4, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @cell_c_type(%x: tensor<?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm_cell' op result c has type 'tensor<3x6xf32>'; expected 'tensor<?x6xf32>'}}
  %hn, %cn = ht.lstm_cell stacked %x, %h, %h weights(%wih, %whh)
    : (tensor<?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, !w3, tensor<24x6xf32>) -> (tensor<?x6xf32>, tensor<3x6xf32>)
  return
}

// -----

func.func @unknown_form(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %w: tensor<24x216xf32>) {
  // expected-error @+1 {{custom op 'ht.lstm' expected string or keyword containing one of the following enum values for attribute 'form' [stacked, per_gate, fused, projected]}}
  %o, %hn, %cn = ht.lstm diagonal %x, %h, %h weights(%w)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, tensor<24x216xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @unknown_activation(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %w: tensor<24x216xf32>) {
  // expected-error @+1 {{custom op 'ht.lstm' expected string or keyword containing one of the following enum values for attribute 'gate_activation' [sigmoid, hard_sigmoid]}}
  %o, %hn, %cn = ht.lstm fused %x, %h, %h weights(%w) gate_activation = relu
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, tensor<24x216xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @weight_kind(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %w: tensor<24x216x1xf32>) {
  // expected-error @+1 {{'ht.lstm' op operand #3 must be variadic of a dense 2-D float tensor or an HT matrix, but got 'tensor<24x216x1xf32>'}}
  %o, %hn, %cn = ht.lstm fused %x, %h, %h weights(%w)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, tensor<24x216x1xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @projected_input(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %whh: tensor<24x6xf32>) {
  // expected-error @+1 {{'ht.lstm' op form 'projected' takes gate pre-activations: the input's feature dimension is 210; expected 4H = 24}}
  %o, %hn, %cn = ht.lstm projected %x, %h, %h weights(%whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<?x6xf32>, tensor<24x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>, tensor<?x6xf32>)
  return
}
