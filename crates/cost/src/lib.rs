//! The analytical cost model: pure functions from (layer, mapping, accelerator) to a cost report, in two
//! modes — `compat`, which reproduces the reference MAESTRO binary's numbers quirks included, and the
//! default, corrected model that implements the project's execution semantics.

pub mod reference_row;

pub use reference_row::{DelayStats, ReferenceRow, TensorAccess};
