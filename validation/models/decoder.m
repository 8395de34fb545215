// A small upsampling decoder for the validation suite: the transposed convolutions (TRCONV) of a
// DCGAN-style generator at reduced width, written as the equivalent convolutions over the
// zero-inserted, padded input (a 4x4 kernel, stride 2 upsampling becomes a 4x4 convolution over a
// (2*H - 1 + 2*2)-wide input with stride 1). No workload in workloads/ has a TRCONV layer; these
// keep that layer type in the suite while running in well under a second each.
Network decoder {
  Layer up1 {
    Type: TRCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 32, C: 64, R: 4, S: 4, Y: 11, X: 11 }
  }
  Layer up2 {
    Type: TRCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 16, C: 32, R: 4, S: 4, Y: 19, X: 19 }
  }
  Layer to_image {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 3, C: 16, R: 3, S: 3, Y: 18, X: 18 }
  }
}
