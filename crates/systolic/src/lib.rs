//! Systolic PE arrays played cycle by cycle: output-, weight- and input-stationary dataflows on a
//! `rows × cols` grid whose operands enter at the edges, skewed, and move one PE per cycle; folds with
//! fill and drain; double-buffered SRAM buffers between the array and DRAM; stalls when a feeder is
//! starved. Reads SCALE-Sim's topology and configuration files (text in, spans out) so that its users'
//! inputs run unchanged, and reports SCALE-Sim's compute- and bandwidth-report columns.
//!
//! Depends on no other Maestro-RS crate; the conventions it shares with SCALE-Sim (and where it differs
//! from it) are in `docs/systolic.md`.

pub mod array;
pub mod config;
pub mod engine;
pub mod layer;
pub mod memory;
pub mod report;
pub mod text;

pub use config::{ArrayConfig, Conventions, Interface};
pub use engine::{run_layer, Counters, Playback, RunError};
pub use layer::{Dataflow, Layer};
pub use report::LayerReport;
pub use text::{parse_config, parse_topology, ConfigFile, ReadError, TopologyFormat};
