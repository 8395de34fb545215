// AlexNet, the original two-GPU network: A. Krizhevsky, I. Sutskever, G. E. Hinton, "ImageNet
// Classification with Deep Convolutional Neural Networks", NIPS 2012, Section 3.5 and Figure 2.
// Input 227x227x3 (the size that makes conv1's 11x11 stride-4 windows give 55x55; the paper's
// "224" is the well-known misprint, Caffe's reference model uses 227). conv2, conv4 and conv5 see
// only the kernel maps on their own GPU: grouped convolutions with G = 2 (K and C per group).
// Input extents include the zero padding (conv2: 2, conv3-5: 1) so that (Y - R) / stride + 1 is the
// output size. Pooling, LRN and ReLU have no MACs and are left out. The fully connected layers are
// 1x1 convolutions over the flattened input (fc6: 6x6x256 = 9216 inputs). Batch 1.
Network alexnet {
  Layer conv1 {
    Type: CONV
    Stride { X: 4, Y: 4 }
    Dimensions { K: 96, C: 3, R: 11, S: 11, Y: 227, X: 227 }
  }
  Layer conv2 {
    Type: NGCONV
    Stride { X: 1, Y: 1 }
    Dimensions { G: 2, K: 128, C: 48, R: 5, S: 5, Y: 31, X: 31 }
  }
  Layer conv3 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 384, C: 256, R: 3, S: 3, Y: 15, X: 15 }
  }
  Layer conv4 {
    Type: NGCONV
    Stride { X: 1, Y: 1 }
    Dimensions { G: 2, K: 192, C: 192, R: 3, S: 3, Y: 15, X: 15 }
  }
  Layer conv5 {
    Type: NGCONV
    Stride { X: 1, Y: 1 }
    Dimensions { G: 2, K: 128, C: 192, R: 3, S: 3, Y: 15, X: 15 }
  }
  Layer fc6 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 4096, C: 9216, R: 1, S: 1, Y: 1, X: 1 }
  }
  Layer fc7 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 4096, C: 4096, R: 1, S: 1, Y: 1, X: 1 }
  }
  Layer fc8 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1000, C: 4096, R: 1, S: 1, Y: 1, X: 1 }
  }
}
