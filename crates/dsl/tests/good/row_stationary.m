// An Eyeriss-style mapping: output rows spread over clusters, filter rows over PEs.
Constant Lanes 4;
Network "row stationary" {
  Layer Conv2d-3 { // a comment after the brace
    Type: CONV
    Stride { X': 1, Y': 1 }
    Dimensions { N: 1, K: 16, C: 8, R: 3, S: 3, Y: 14, X: 14 }
    Dataflow {
      SpatialMap(1,1) Y';
      TemporalMap(1,1) X’;
      TemporalMap(1,1) C;
      TemporalMap(Lanes,Lanes) K;
      TemporalMap(Sz(R),7) R;
      TemporalMap(7,7) S;
      Cluster(Sz(R), L);
      SpatialMap(1,1) Y;
      SpatialMap(1,1) R;
      TemporalMap(Sz(S),Sz(S)) S;
    }
  }
  Layer Up1 {
    Type: TRCONV
    Dimensions { K: 4, C: 8, R: 2, S: 2, Y': 6, X': 6 }
    Dataflow {
      SpatialMap(1,1) K;
      TemporalMap(Sz(Y),Sz(Y)) Y;
      TemporalMap(Sz(X'),1) X';
      Cluster(2);
      SpatialMap(1,1) C;
    }
  }
}
