Accelerator {
  PE { NumPEs 64 }
}
Netwrk Typo { }
Network Small {
  Layer Only {
    Type: GEMM
    Dimensions { M: 4, N: 4, K: 4 }
  }
}
