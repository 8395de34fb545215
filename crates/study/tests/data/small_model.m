// Two small layers for the study tests: a convolution and a strided convolution, shapes only.
Network small {
  Layer CONV1 {
    Type: CONV
    Dimensions { K: 16, C: 8, R: 3, S: 3, Y: 12, X: 12 }
  }
  Layer CONV2 {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 32, C: 16, R: 3, S: 3, Y: 10, X: 10 }
  }
}
