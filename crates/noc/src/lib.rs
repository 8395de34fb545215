//! A cycle-accurate, flit-level network-on-chip: k-ary 2-meshes and 2-tori of input-queued
//! virtual-channel routers with the semantics of BookSim2's `iq` router (credit-based flow control,
//! wormhole switching, separable input-first allocators with round-robin arbiters, pipeline delays),
//! multicast by replication along a dimension-order tree, in-network reduction, synthetic traffic,
//! BookSim's latency and batch modes, and a reader for BookSim configuration files.
//!
//! The library does no I/O: callers hand it text and packets and get numbers back.

pub mod booksim_config;
pub mod config;
pub mod error;
pub mod network;
pub mod rng;
pub mod run;
pub mod stats;
pub mod topology;
pub mod traffic;

pub use config::{NocConfig, RoutingKind, TopologyKind};
pub use error::NocError;
pub use network::{Cycle, Delivery, Destination, Network, PacketRequest};
pub use run::{run, RunResult, RunSettings, SimType};
pub use stats::{LatencySummary, LinkUse, NetworkStats};
pub use traffic::TrafficPattern;
