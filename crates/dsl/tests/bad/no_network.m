// Only a constant and a stray dataflow fragment: no network.
Constant Tile 4;
Dataflow {
  SpatialMap(1,1) K;
}
