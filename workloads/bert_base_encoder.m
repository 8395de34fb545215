// One encoder layer of BERT-base: J. Devlin, M.-W. Chang, K. Lee, K. Toutanova, "BERT: Pre-training
// of Deep Bidirectional Transformers for Language Understanding", NAACL 2019 (L = 12, H = 768,
// A = 12 heads of 64, feed-forward 4H = 3072), with the attention of A. Vaswani et al., "Attention
// Is All You Need", NeurIPS 2017. Sequence length 128, batch 1.
// Every layer is a GEMM O[M][N] += I[M][K] * W[K][N]:
//   query/key/value: the three 768 -> 768 projections of the 128 tokens (M 128, K 768, N 768);
//   scores_headH: Q_H * K_H^T for head H (M 128 queries, K 64 head features, N 128 keys);
//   context_headH: softmax(scores_H) * V_H (M 128 queries, K 128 keys, N 64 head features);
//   attention_output: the 768 -> 768 output projection; ffn_intermediate 768 -> 3072, ffn_output
//   3072 -> 768.
// The 12 heads are written as 12 separate GEMMs each: each head multiplies by its own K_H and V_H, so
// stacking the heads into one GEMM would not be a correct GEMM shape. Softmax, layer norms, biases
// and GELU have no MACs and are left out.
Network bert_base_encoder {
  Layer query {
    Type: GEMM
    Dimensions { M: 128, N: 768, K: 768 }
  }
  Layer key {
    Type: GEMM
    Dimensions { M: 128, N: 768, K: 768 }
  }
  Layer value {
    Type: GEMM
    Dimensions { M: 128, N: 768, K: 768 }
  }
  Layer scores_head0 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head1 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head2 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head3 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head4 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head5 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head6 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head7 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head8 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head9 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head10 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer scores_head11 {
    Type: GEMM
    Dimensions { M: 128, N: 128, K: 64 }
  }
  Layer context_head0 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head1 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head2 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head3 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head4 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head5 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head6 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head7 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head8 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head9 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head10 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer context_head11 {
    Type: GEMM
    Dimensions { M: 128, N: 64, K: 128 }
  }
  Layer attention_output {
    Type: GEMM
    Dimensions { M: 128, N: 768, K: 768 }
  }
  Layer ffn_intermediate {
    Type: GEMM
    Dimensions { M: 128, N: 3072, K: 768 }
  }
  Layer ffn_output {
    Type: GEMM
    Dimensions { M: 128, N: 768, K: 3072 }
  }
}
