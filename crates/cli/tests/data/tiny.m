// A two-layer network for the CLI tests: a small convolution mapped K-parallel over clusters of 8 PEs,
// and a matrix multiply mapped M-parallel.
Network tiny {
  Layer CONV1 {
    Type: CONV
    Dimensions { K: 16, C: 8, R: 3, S: 3, Y: 12, X: 12 }
    Dataflow {
      SpatialMap(1,1) K;
      TemporalMap(8,8) C;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
      TemporalMap(Sz(R),1) Y;
      TemporalMap(Sz(S),1) X;
      Cluster(8, P);
      SpatialMap(1,1) C;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
      TemporalMap(Sz(R),1) Y;
      TemporalMap(Sz(S),1) X;
    }
  }
  Layer FC {
    Type: GEMM
    Dimensions { M: 16, N: 8, K: 32 }
    Dataflow {
      SpatialMap(1,1) M;
      TemporalMap(8,8) N;
      TemporalMap(32,32) K;
    }
  }
}
