// VGG-16 (configuration D): K. Simonyan, A. Zisserman, "Very Deep Convolutional Networks for
// Large-Scale Image Recognition", ICLR 2015, Table 1; same shapes as torchvision's vgg16.
// Input 224x224x3. Every convolution is 3x3, stride 1, padding 1: input extents include the padding
// (226, 114, 58, 30, 16). Max pooling halves the size after each stage and has no MACs. The fully
// connected layers are 1x1 convolutions over the flattened input (fc6: 7x7x512 = 25088). Batch 1.
Network vgg16 {
  Layer conv1_1 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 3, R: 3, S: 3, Y: 226, X: 226 }
  }
  Layer conv1_2 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 64, R: 3, S: 3, Y: 226, X: 226 }
  }
  Layer conv2_1 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 128, C: 64, R: 3, S: 3, Y: 114, X: 114 }
  }
  Layer conv2_2 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 128, C: 128, R: 3, S: 3, Y: 114, X: 114 }
  }
  Layer conv3_1 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 128, R: 3, S: 3, Y: 58, X: 58 }
  }
  Layer conv3_2 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 256, R: 3, S: 3, Y: 58, X: 58 }
  }
  Layer conv3_3 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 256, R: 3, S: 3, Y: 58, X: 58 }
  }
  Layer conv4_1 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 256, R: 3, S: 3, Y: 30, X: 30 }
  }
  Layer conv4_2 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 512, R: 3, S: 3, Y: 30, X: 30 }
  }
  Layer conv4_3 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 512, R: 3, S: 3, Y: 30, X: 30 }
  }
  Layer conv5_1 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 512, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer conv5_2 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 512, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer conv5_3 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 512, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer fc6 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 4096, C: 25088, R: 1, S: 1, Y: 1, X: 1 }
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
