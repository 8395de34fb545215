Constant Four 4;
Constant Four 5;
Network Names {
  Layer UndefinedConstant {
    Type: CONV
    Dimensions { K: Kay, C: Four, R: 3, S: 3, Y: 8, X: 8 }
  }
  Layer SizeOf {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 3, S: 3, Y: 8, X: 8 }
    Dataflow {
      SpatialMap(Sz(Q),1) K;
      TemporalMap(Sz(N),Sz(N)) C;
      TemporalMap(Sz(Y'),Sz(Y')) Y';
      TemporalMap(R,1) X;
    }
  }
}
