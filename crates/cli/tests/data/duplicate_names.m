// Two layers share the name `conv`: legal, with a warning; `--layers conv` selects both.
Network dup {
  Layer conv {
    Type: CONV
    Dimensions { K: 4, C: 4, R: 1, S: 1, Y: 4, X: 4 }
  }
  Layer conv {
    Type: CONV
    Dimensions { K: 8, C: 4, R: 1, S: 1, Y: 4, X: 4 }
  }
}
