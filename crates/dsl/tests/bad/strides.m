Network Strides {
  Layer WrongAxes {
    Type: CONV
    Stride { K: 2, W: 2, X: 2, X': 2 }
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8 }
  }
  Layer GemmStride {
    Type: GEMM
    Stride { Y: 2 }
    Dimensions { M: 4, N: 4, K: 4 }
  }
}
