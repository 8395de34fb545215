Network First {
  Layer Twice {
    Type: CONV
    Type: GEMM
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8 }
    Dimensions { N: 1 }
    Dataflow { SpatialMap(1,1) K; }
    Dataflow { SpatialMap(1,1) C; }
  }
}
Network Second {
  Layer Other { Type: GEMM Dimensions { M: 1, N: 1, K: 1 } }
}
Network Empty { }
