// An LSTM with I = 2, H = 1, dense weights, dynamic T and B.
func.func @forward(%x: tensor<?x?x2xf32>, %h0: tensor<?x1xf32>, %c0: tensor<?x1xf32>)
    -> (tensor<?x?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>) {
  %wih = arith.constant dense<[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]]> : tensor<4x2xf32>
  %whh = arith.constant dense<[[0.1], [0.2], [0.3], [0.4]]> : tensor<4x1xf32>
  %out, %hn, %cn = ht.lstm stacked %x, %h0, %c0 weights(%wih, %whh)
    : (tensor<?x?x2xf32>, tensor<?x1xf32>, tensor<?x1xf32>, tensor<4x2xf32>, tensor<4x1xf32>)
   -> (tensor<?x?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>)
  return %out, %hn, %cn : tensor<?x?x1xf32>, tensor<?x1xf32>, tensor<?x1xf32>
}

// Not an entry point ht-run or ht-compile accept: an f64 argument.
func.func @doubles(%x: tensor<2xf64>) -> tensor<2xf64> {
  return %x : tensor<2xf64>
}

// A result whose size no argument determines.
func.func @unrelated(%x: tensor<2xf32>, %n: index) -> tensor<?xf32> {
  %e = tensor.empty(%n) : tensor<?xf32>
  return %e : tensor<?xf32>
}

// A result whose dynamic size comes from a constant, not from an argument.
func.func @untied(%x: tensor<2xf32>) -> tensor<?xf32> {
  %n = arith.constant 3 : index
  %e = tensor.empty(%n) : tensor<?xf32>
  return %e : tensor<?xf32>
}

// A declaration has no code to run.
func.func private @external(tensor<2xf32>) -> tensor<2xf32>
