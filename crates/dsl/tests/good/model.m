Network tiny_model {
Layer CONV1 {
Type: CONV
Stride { X: 2, Y: 2 }
Dimensions { K: 64, C: 3, R: 7, S: 7, Y: 224, X: 224 }
}
Layer FC1 {
Type: GEMM
Dimensions { M: 1, N: 1000, K: 2048 }
}
}
