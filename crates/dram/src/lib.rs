//! A DRAM timing model: channels, ranks, bank groups, banks, rows and columns driven by JEDEC timing
//! parameters, with per-channel transaction queues, per-bank command queues, FR-FCFS scheduling, write
//! draining and all-bank refresh. It follows the semantics of DRAMsim3's JEDEC controller and reads
//! DRAMsim3's configuration and trace formats, so it can be checked against it number for number.
//!
//! The model is built once from a validated [`DramConfig`] ([`MemorySystem::new`]) and then driven by
//! time: requests go in with an arrival cycle and a tag, [`MemorySystem::advance_to`] moves the clock
//! (skipping cycles in which nothing can happen), and completions come out with their tags and cycles.
//! [`run_trace`] drives it from a lazily read trace in bounded memory.

mod config;
mod controller;
mod energy;
mod error;
mod ini;
mod mapping;
mod presets;
mod render;
mod stats;
mod system;
mod timing;
mod trace;

pub use config::{
    DramConfig, PagePolicy, PowerParameters, Protocol, QueueStructure, RefreshPolicy, Structure,
    SystemParameters, TimingParameters,
};
pub use energy::EnergyPerCommand;
pub use error::{ConfigError, IniError, TraceError};
pub use ini::{parse_ini, IgnoredKey, IniConfig};
pub use mapping::{AddressMapping, DecodedAddress, MappingField};
pub use presets::{preset, PRESET_NAMES};
pub use render::{render_csv, render_json, render_table};
pub use stats::{ChannelStats, DramReport};
pub use system::{Completion, MemorySystem, Request, RequestKind, MAX_ARRIVAL};
pub use trace::{parse_trace_line, run_trace, TraceLines, TraceRecord, TraceRunOptions};
