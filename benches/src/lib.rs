//! Helpers shared by the benchmarks (loading the corpus).
