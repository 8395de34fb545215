Network Syntax {
  Layer MissingPunctuation {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8 }
    Dataflow {
      SpatialMap(1,1) K
      TemporalMap(1 1) C;
      TemporalMap(3,1 Y;
      Sptialmap(1,1) X;
      TemporalMap(3,3) S;
    }
  }
  Layer StrayWords {
    Type: CONV
    Padding { 1 }
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8 }
    Dataflow { SpatialMap(1,1) K; }
  }
  Layer {
    Type: CONV CONV
  }
  Type: GEMM
}
