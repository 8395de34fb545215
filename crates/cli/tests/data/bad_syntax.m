// Two mistakes: an unknown layer type and a directive on an unknown dimension.
Network broken {
  Layer L1 {
    Type: CONVOLUTION
    Dimensions { K: 4, C: 4, R: 1, S: 1, Y: 4, X: 4 }
    Dataflow {
      SpatialMap(1,1) Q;
    }
  }
}
