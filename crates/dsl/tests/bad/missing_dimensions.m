Network Missing {
  Layer ConvWithoutWindow {
    Type: CONV
    Dimensions { K: 4, C: 4, Y: 8 }
  }
  Layer GroupedWithoutGroups {
    Type: NGCONV
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y': 8, X': 8 }
  }
  Layer GemmWithoutM {
    Type: GEMM
    Dimensions { N: 4, K: 4 }
  }
  Layer NoDimensionsAtAll {
    Type: TRCONV
  }
}
