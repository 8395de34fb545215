// TemporalMap(2,8) C: tiles of 2 every 8 channels leave gaps; every command rejects it at the directive.
Network gap {
  Layer L {
    Type: CONV
    Dimensions { K: 16, C: 16, R: 3, S: 3, Y: 8, X: 8 }
    Dataflow {
      TemporalMap(2,8) C;
      SpatialMap(1,1) K;
      TemporalMap(Sz(R),1) Y;
      TemporalMap(Sz(S),1) X;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
    }
  }
}
