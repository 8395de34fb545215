// A layer whose output is one pixel while the mapping tiles X by 8 over the spatial Y map: the
// reference divides by zero on it (NaN throughputs), which --compat reproduces with a warning.
Network compat_quirk {
  Layer FC {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 4, C: 4, R: 7, S: 7, Y: 7, X: 7 }
    Dataflow {
      TemporalMap(1,1) K;
      TemporalMap(1,1) C;
      SpatialMap(Sz(R), 1) Y;
      TemporalMap(8,1) X;
      Cluster(8, P);
      SpatialMap(Sz(S), 1) X;
      TemporalMap(Sz(R), Sz(R)) R;
      TemporalMap(Sz(R), Sz(R)) S;
    }
  }
}
