// ResNet-50: K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition",
// CVPR 2016, Table 1 (50-layer column), with the shapes of torchvision's resnet50 (bottleneck
// "v1.5": the stride-2 of stages 3-5 sits in the 3x3 convolution, and the projection shortcut of
// each stage's first block is a 1x1 convolution with that stride).
// Input 224x224x3; conv1 is 7x7 stride 2 padding 3 (input extent 230, output 112), then a 3x3
// stride-2 max pool to 56x56 (no MACs). Per bottleneck: _a 1x1 reduce, _b 3x3 (padding 1, extents
// include it), _c 1x1 expand; _projection is the shortcut. 53 convolutions and the final fully
// connected layer (a 1x1 convolution over the 2048 pooled features). Batch 1.
Network resnet50 {
  Layer conv1 {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 64, C: 3, R: 7, S: 7, Y: 230, X: 230 }
  }
  Layer conv2_1_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 64, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer conv2_1_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 64, R: 3, S: 3, Y: 58, X: 58 }
  }
  Layer conv2_1_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 64, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer conv2_1_projection {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 64, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer conv2_2_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 256, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer conv2_2_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 64, R: 3, S: 3, Y: 58, X: 58 }
  }
  Layer conv2_2_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 64, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer conv2_3_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 256, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer conv2_3_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 64, R: 3, S: 3, Y: 58, X: 58 }
  }
  Layer conv2_3_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 64, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer conv3_1_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 128, C: 256, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer conv3_1_b {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 128, C: 128, R: 3, S: 3, Y: 58, X: 58 }
  }
  Layer conv3_1_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 128, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer conv3_1_projection {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 512, C: 256, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer conv3_2_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 128, C: 512, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer conv3_2_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 128, C: 128, R: 3, S: 3, Y: 30, X: 30 }
  }
  Layer conv3_2_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 128, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer conv3_3_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 128, C: 512, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer conv3_3_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 128, C: 128, R: 3, S: 3, Y: 30, X: 30 }
  }
  Layer conv3_3_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 128, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer conv3_4_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 128, C: 512, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer conv3_4_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 128, C: 128, R: 3, S: 3, Y: 30, X: 30 }
  }
  Layer conv3_4_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 128, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer conv4_1_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 512, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer conv4_1_b {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 256, C: 256, R: 3, S: 3, Y: 30, X: 30 }
  }
  Layer conv4_1_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1024, C: 256, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv4_1_projection {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 1024, C: 512, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer conv4_2_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 1024, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv4_2_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 256, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer conv4_2_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1024, C: 256, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv4_3_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 1024, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv4_3_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 256, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer conv4_3_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1024, C: 256, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv4_4_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 1024, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv4_4_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 256, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer conv4_4_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1024, C: 256, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv4_5_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 1024, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv4_5_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 256, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer conv4_5_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1024, C: 256, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv4_6_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 1024, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv4_6_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 256, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer conv4_6_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1024, C: 256, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv5_1_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 1024, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv5_1_b {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 512, C: 512, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer conv5_1_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 2048, C: 512, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer conv5_1_projection {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 2048, C: 1024, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer conv5_2_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 2048, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer conv5_2_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 512, R: 3, S: 3, Y: 9, X: 9 }
  }
  Layer conv5_2_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 2048, C: 512, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer conv5_3_a {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 2048, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer conv5_3_b {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 512, C: 512, R: 3, S: 3, Y: 9, X: 9 }
  }
  Layer conv5_3_c {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 2048, C: 512, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer fc1000 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1000, C: 2048, R: 1, S: 1, Y: 1, X: 1 }
  }
}
