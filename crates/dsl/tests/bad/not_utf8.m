Network N {
  Layer Lÿþ {
  }
}
