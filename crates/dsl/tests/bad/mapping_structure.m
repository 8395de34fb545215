Network Structure {
  Layer NoSpatial {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8 }
    Dataflow {
      TemporalMap(1,1) K;
      Cluster(2, P);
      SpatialMap(1,1) C;
    }
  }
  Layer ThreeSpatial {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8 }
    Dataflow {
      SpatialMap(1,1) K;
      SpatialMap(1,1) C;
      SpatialMap(3,1) Y;
    }
  }
  Layer MappedTwice {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8 }
    Dataflow {
      SpatialMap(1,1) K;
      TemporalMap(2,2) K;
      TemporalMap(1,1) Y';
      TemporalMap(3,1) Y;
    }
  }
  Layer TooDeep {
    Type: GEMM
    Dimensions { M: 2, N: 2, K: 2 }
    Dataflow {
      SpatialMap(1,1) M;
      Cluster(1); SpatialMap(1,1) N;
      Cluster(1); SpatialMap(1,1) N;
      Cluster(1); SpatialMap(1,1) N;
      Cluster(1); SpatialMap(1,1) N;
      Cluster(1); SpatialMap(1,1) N;
      Cluster(1); SpatialMap(1,1) N;
      Cluster(1); SpatialMap(1,1) N;
      Cluster(1); SpatialMap(1,1) N;
    }
  }
}
