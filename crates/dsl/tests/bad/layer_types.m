Network Types {
  Layer Pool1 {
    Type: POOL
    Dimensions { K: 4, C: 4, R: 2, S: 2, Y: 8, X: 8 }
  }
  Layer Lower {
    Type: conv
    Dimensions { K: 4, C: 4, R: 2, S: 2, Y: 8, X: 8 }
  }
  Layer NoType {
    Dimensions { K: 4, C: 4, R: 2, S: 2, Y: 8, X: 8 }
  }
}
