Network DirectiveDims {
  Layer Undeclared {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8 }
    Dataflow {
      SpatialMap(1,1) N;
      TemporalMap(1,1) M;
      TemporalMap(1,1) Z;
      TemporalMap(1,1) X';
      Cluster(2, Q);
      SpatialMap(1,1) K;
    }
  }
}
