// RUN: ht-opt %s -split-input-file -verify-diagnostics

// Shared by every case: I = 210, H = 6, so 3H = 18.
!w3 = !ht.matrix<[3, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @fused(%x: tensor<?x?x216xf32>, %h: tensor<?x6xf32>, %w: tensor<18x216xf32>) {
  // expected-error @+1 {{'ht.gru' op form 'fused' is not a GRU form (the reset gate scales the recurrent product alone); expected stacked, per_gate or projected}}
  %o, %hn = ht.gru fused %x, %h weights(%w)
    : (tensor<?x?x216xf32>, tensor<?x6xf32>, tensor<18x216xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

!w3 = !ht.matrix<[3, 2, 3] x [5, 6, 7], tree = ((0, 1), 2), leaf_ranks = [2, 3, 4], node_ranks = [1, 6], f32>

func.func @input_rank(%x: tensor<?x210xf32>, %h: tensor<?x6xf32>, %wih: !w3, %whh: tensor<18x6xf32>) {
  // expected-error @+1 {{'ht.gru' op input must be [T, B, I] (rank 3), got 'tensor<?x210xf32>'}}
  %o, %hn = ht.gru stacked %x, %h weights(%wih, %whh)
    : (tensor<?x210xf32>, tensor<?x6xf32>, !w3, tensor<18x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @lstm_sized_weight(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: tensor<24x210xf32>, %whh: tensor<18x6xf32>) {
  // expected-error @+1 {{'ht.gru' op W_ih is 24 x 210; expected 3H x I = 18 x 210}}
  %o, %hn = ht.gru stacked %x, %h weights(%wih, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<24x210xf32>, tensor<18x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @per_gate_count(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %w: tensor<6x210xf32>, %whh: tensor<18x6xf32>) {
  // expected-error @+1 {{'ht.gru' op form 'per_gate' takes 4 weights, got 5}}
  %o, %hn = ht.gru per_gate %x, %h weights(%w, %w, %w, %w, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<6x210xf32>, tensor<6x210xf32>, tensor<6x210xf32>, tensor<6x210xf32>, tensor<18x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @per_gate_shape(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %w: tensor<6x210xf32>, %wn: tensor<6x200xf32>, %whh: tensor<18x6xf32>) {
  // expected-error @+1 {{'ht.gru' op W_ih[n] is 6 x 200; expected H x I = 6 x 210}}
  %o, %hn = ht.gru per_gate %x, %h weights(%w, %w, %wn, %whh)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<6x210xf32>, tensor<6x210xf32>, tensor<6x200xf32>, tensor<18x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @bias_count(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: tensor<18x210xf32>, %whh: tensor<18x6xf32>, %b: tensor<18xf32>) {
  // expected-error @+1 {{'ht.gru' op takes 0 or 2 biases (b_ih, b_hh), got 1}}
  %o, %hn = ht.gru stacked %x, %h weights(%wih, %whh) biases(%b)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<18x210xf32>, tensor<18x6xf32>, tensor<18xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @bias_size(%x: tensor<?x?x210xf32>, %h: tensor<?x6xf32>, %wih: tensor<18x210xf32>, %whh: tensor<18x6xf32>, %b: tensor<18xf32>, %b24: tensor<24xf32>) {
  // expected-error @+1 {{'ht.gru' op b_hh has type 'tensor<24xf32>'; expected 'tensor<18xf32>' ([3H])}}
  %o, %hn = ht.gru stacked %x, %h weights(%wih, %whh) biases(%b, %b24)
    : (tensor<?x?x210xf32>, tensor<?x6xf32>, tensor<18x210xf32>, tensor<18x6xf32>, tensor<18xf32>, tensor<24xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @projected_width(%x: tensor<?x?x24xf32>, %h: tensor<?x6xf32>, %whh: tensor<18x6xf32>) {
  // expected-error @+1 {{'ht.gru' op form 'projected' takes x_t · W_ihᵀ + b_ih: the input's feature dimension is 24; expected 3H = 18}}
  %o, %hn = ht.gru projected %x, %h weights(%whh)
    : (tensor<?x?x24xf32>, tensor<?x6xf32>, tensor<18x6xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @projected_biases(%x: tensor<?x?x18xf32>, %h: tensor<?x6xf32>, %whh: tensor<18x6xf32>, %b: tensor<18xf32>) {
  // expected-error @+1 {{'ht.gru' op takes 0 or 1 biases (b_hh), got 2}}
  %o, %hn = ht.gru projected %x, %h weights(%whh) biases(%b, %b)
    : (tensor<?x?x18xf32>, tensor<?x6xf32>, tensor<18x6xf32>, tensor<18xf32>, tensor<18xf32>) -> (tensor<?x?x6xf32>, tensor<?x6xf32>)
  return
}

// -----

func.func @batch_first_output(%x: tensor<2x7x210xf32>, %h: tensor<2x6xf32>, %wih: tensor<18x210xf32>, %whh: tensor<18x6xf32>) {
  // expected-error @+1 {{'ht.gru' op result output has type 'tensor<7x2x6xf32>'; expected 'tensor<2x7x6xf32>'}}
  %o, %hn = ht.gru stacked %x, %h weights(%wih, %whh) batch_first
    : (tensor<2x7x210xf32>, tensor<2x6xf32>, tensor<18x210xf32>, tensor<18x6xf32>) -> (tensor<7x2x6xf32>, tensor<2x6xf32>)
  return
}

// -----

func.func @cell_batch(%x: tensor<3x210xf32>, %h: tensor<2x6xf32>, %wih: tensor<18x210xf32>, %whh: tensor<18x6xf32>) {
  // expected-error @+1 {{'ht.gru_cell' op input's batch size 3 differs from h0's 2}}
  %hn = ht.gru_cell stacked %x, %h weights(%wih, %whh)
    : (tensor<3x210xf32>, tensor<2x6xf32>, tensor<18x210xf32>, tensor<18x6xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @update_part(%zx: tensor<?x24xf32>, %zh: tensor<?x18xf32>, %h: tensor<?x6xf32>) {
  // expected-error @+1 {{'ht.gru_update' op input_part is 'tensor<?x24xf32>'; expected [B, 3H] of 'f32' with 3H = 18}}
  %hn = ht.gru_update(%zx, %zh), %h : (tensor<?x24xf32>, tensor<?x18xf32>, tensor<?x6xf32>) -> tensor<?x6xf32>
  return
}

// -----

func.func @update_bias(%zx: tensor<?x18xf32>, %zh: tensor<?x18xf32>, %h: tensor<?x6xf32>, %b: tensor<6xf32>) {
  // expected-error @+1 {{'ht.gru_update' op hidden_bias has type 'tensor<6xf32>'; expected 'tensor<18xf32>' ([3H])}}
  %hn = ht.gru_update(%zx, %zh), %h hidden_bias %b : (tensor<?x18xf32>, tensor<?x18xf32>, tensor<?x6xf32>, tensor<6xf32>) -> tensor<?x6xf32>
  return
}

// -----

func.func @update_batch(%zx: tensor<3x18xf32>, %zh: tensor<2x18xf32>, %h: tensor<2x6xf32>) {
  // expected-error @+1 {{'ht.gru_update' op input_part's batch size 3 differs from h0's 2}}
  %hn = ht.gru_update(%zx, %zh), %h : (tensor<3x18xf32>, tensor<2x18xf32>, tensor<2x6xf32>) -> tensor<2x6xf32>
  return
}
