Network crlf.net {
  Layer Conv2d-1 {
    Type: CONV
    Dimensions { K 8, C 3, R 3, S 3, Y 16, X 16 }
    Stride { X: 2, Y: 2 }
    Dataflow {
      SpatialMap(1,1) K;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
      TemporalMap(Sz(R),1) Y;
      TemporalMap(Sz(S),1) X;
    }
  }
}
