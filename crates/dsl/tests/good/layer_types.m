Constant SzM 12;
Constant Tile 3;
Network mixed {
  Layer depthwise { Type: DSCONV Dimensions { K: 1, C: 32, R: 3, S: 3, Y: 10, X: 10 }
    Dataflow { SpatialMap(1,1) C; TemporalMap(3,1) Y; TemporalMap(3,1) X; } }
  Layer grouped {
    Type: NGCONV
    Dimensions { G: 4, K: 8, C: 8, R: 1, S: 1, Y: 7, X: 7 }
    Dataflow { SpatialMap(1,1) G; TemporalMap(2,2) K; Cluster(4,P); SpatialMap(1,1) K; }
  }
  Layer fc1000 {
    Type: FC
    Dimensions { N: 2, K: 10, C: 64 }
    Dataflow { SpatialMap(1,1) K; TemporalMap(8,8) C; TemporalMap(Sz(R),Sz(R)) R; }
  }
  Layer matmul {
    Type: GEMM
    Dimensions { M: SzM, N: 5, K: 7 }
    Dataflow {
      TemporalMap(Tile,Tile) N;
      SpatialMap(Tile,Tile) M;
      TemporalMap(Sz(K),Sz(K)) K;
      Cluster(Tile, P);
      SpatialMap(1,1) K;
    }
  }
}
