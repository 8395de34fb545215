Constant Zero 0;
Network Numbers {
  Layer Sizes {
    Type: CONV
    Stride { X: -2, Y: 0 }
    Dimensions { K: -3, C: 64abc, R: 3, S: 3, Y: 99999999999, X: 2147483648 }
  }
  Layer Directives {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8 }
    Dataflow {
      SpatialMap(0,1) K;
      TemporalMap(3,-1) C;
      Cluster(-4, P);
      SpatialMap(1,1) C;
    }
  }
}
