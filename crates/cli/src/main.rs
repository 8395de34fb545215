//! The `maestro` binary.
fn main() {}
