Network Dims {
  Layer UnknownName {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8, Q: 2, y: 3 }
  }
  Layer WrongForType {
    Type: CONV
    Dimensions { M: 4, K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8, G: 2 }
  }
  Layer GemmWithWindow {
    Type: GEMM
    Dimensions { M: 4, N: 4, K: 4, R: 3 }
  }
  Layer Twice {
    Type: DSCONV
    Dimensions { N: 1, N: 1, K: 1, C: 8, R: 3, S: 3, Y: 8, X: 8 }
  }
  Layer BothCoordinates {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, Y': 6, X: 8 }
  }
  Layer FilterLargerThanInput {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 5, S: 3, Y: 4, X: 8 }
  }
}
