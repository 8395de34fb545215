// Tiles of input rows/columns that cannot hold one filter window, and partial temporal filter tiles.
Network Windows {
  Layer ColumnsNarrowerThanFilter {
    Type: CONV
    Dimensions { K: 8, C: 3, R: 3, S: 3, Y: 32, X: 32 }
    Dataflow {
      TemporalMap(3,3) R;
      SpatialMap(3,1) Y;
      TemporalMap(3,1) X;
      Cluster(3, P);
      SpatialMap(1,1) X;
      SpatialMap(1,1) R;
      TemporalMap(3,3) S;
    }
  }
  Layer RowsNarrowerThanFullFilter {
    Type: CONV
    Stride { Y: 2, X: 2 }
    Dimensions { K: 8, C: 3, R: 5, S: 5, Y: 32, X: 32 }
    Dataflow {
      SpatialMap(4,1) Y;
      TemporalMap(5,1) X;
    }
  }
  Layer PartialTemporalFilter {
    Type: CONV
    Dimensions { K: 8, C: 3, R: 3, S: 3, Y: 32, X: 32 }
    Dataflow {
      SpatialMap(1,1) K;
      TemporalMap(2,2) R;
      TemporalMap(3,1) Y;
    }
  }
}
