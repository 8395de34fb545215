// A short layer and a long one (VGG16's conv5_1, 200 704 steps with nlr): for --time-limit.
Network long_model {
  Layer short {
    Type: CONV
    Dimensions { K: 16, C: 16, R: 3, S: 3, Y: 10, X: 10 }
  }
  Layer conv5_1 {
    Type: CONV
    Dimensions { K: 512, C: 512, R: 3, S: 3, Y: 16, X: 16 }
  }
}
