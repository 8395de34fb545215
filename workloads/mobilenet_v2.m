// MobileNetV2 (width 1.0, 224x224 input): M. Sandler, A. Howard, M. Zhu, A. Zhmoginov, L.-C. Chen,
// "MobileNetV2: Inverted Residuals and Linear Bottlenecks", CVPR 2018, Table 2; the same shapes as
// torchvision's mobilenet_v2. conv_stem is 3x3 stride 2 padding 1; each inverted-residual block is
// a 1x1 expansion by t (absent when t = 1), a 3x3 depth-wise convolution (DSCONV: C channels, depth
// multiplier K = 1, padding 1, stride of the block's first layer) and a 1x1 linear projection.
// Input extents include the padding. conv_head is the final 1x1 to 1280 channels; classifier is the
// fully connected layer as a 1x1 convolution after global pooling. Batch 1.
Network mobilenet_v2 {
  Layer conv_stem {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 32, C: 3, R: 3, S: 3, Y: 226, X: 226 }
  }
  Layer block1_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 32, R: 3, S: 3, Y: 114, X: 114 }
  }
  Layer block1_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 16, C: 32, R: 1, S: 1, Y: 112, X: 112 }
  }
  Layer block2_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 96, C: 16, R: 1, S: 1, Y: 112, X: 112 }
  }
  Layer block2_depthwise {
    Type: DSCONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 1, C: 96, R: 3, S: 3, Y: 114, X: 114 }
  }
  Layer block2_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 24, C: 96, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer block3_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 144, C: 24, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer block3_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 144, R: 3, S: 3, Y: 58, X: 58 }
  }
  Layer block3_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 24, C: 144, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer block4_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 144, C: 24, R: 1, S: 1, Y: 56, X: 56 }
  }
  Layer block4_depthwise {
    Type: DSCONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 1, C: 144, R: 3, S: 3, Y: 58, X: 58 }
  }
  Layer block4_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 32, C: 144, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer block5_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 192, C: 32, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer block5_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 192, R: 3, S: 3, Y: 30, X: 30 }
  }
  Layer block5_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 32, C: 192, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer block6_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 192, C: 32, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer block6_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 192, R: 3, S: 3, Y: 30, X: 30 }
  }
  Layer block6_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 32, C: 192, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer block7_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 192, C: 32, R: 1, S: 1, Y: 28, X: 28 }
  }
  Layer block7_depthwise {
    Type: DSCONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 1, C: 192, R: 3, S: 3, Y: 30, X: 30 }
  }
  Layer block7_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 192, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block8_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 384, C: 64, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block8_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 384, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer block8_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 384, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block9_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 384, C: 64, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block9_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 384, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer block9_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 384, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block10_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 384, C: 64, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block10_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 384, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer block10_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 384, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block11_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 384, C: 64, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block11_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 384, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer block11_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 96, C: 384, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block12_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 576, C: 96, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block12_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 576, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer block12_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 96, C: 576, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block13_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 576, C: 96, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block13_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 576, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer block13_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 96, C: 576, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block14_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 576, C: 96, R: 1, S: 1, Y: 14, X: 14 }
  }
  Layer block14_depthwise {
    Type: DSCONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 1, C: 576, R: 3, S: 3, Y: 16, X: 16 }
  }
  Layer block14_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 160, C: 576, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer block15_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 960, C: 160, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer block15_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 960, R: 3, S: 3, Y: 9, X: 9 }
  }
  Layer block15_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 160, C: 960, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer block16_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 960, C: 160, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer block16_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 960, R: 3, S: 3, Y: 9, X: 9 }
  }
  Layer block16_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 160, C: 960, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer block17_expand {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 960, C: 160, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer block17_depthwise {
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 960, R: 3, S: 3, Y: 9, X: 9 }
  }
  Layer block17_project {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 320, C: 960, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer conv_head {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1280, C: 320, R: 1, S: 1, Y: 7, X: 7 }
  }
  Layer classifier {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1000, C: 1280, R: 1, S: 1, Y: 1, X: 1 }
  }
}
