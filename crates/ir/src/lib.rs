//! The vocabulary every other Maestro-RS crate speaks: dimensions, layers, data-centric directives,
//! mappings split into cluster levels, the accelerator description, unit newtypes and typed ids.
//!
//! This crate depends on nothing else in the workspace. It holds plain data plus the few functions that
//! *define* what a mapping means (which tensors a dimension indexes, how directives split into cluster
//! levels, and the iteration-space expansion in [`expansion`]); how much data moves and what it costs is
//! computed elsewhere, independently, by `maestro-cost` and `maestro-sim`.

pub mod accelerator;
pub mod dim;
pub mod directive;
pub mod expansion;
pub mod ids;
pub mod layer;
pub mod limits;
pub mod mapping;
pub mod network;
pub mod units;

pub use accelerator::{
    Accelerator, CollectionNoc, DistributionNoc, Duplex, EnergyTable, NocTopology, OffChipMemory,
};
pub use dim::Dim;
pub use directive::{ClusterDirective, ClusterKind, Directive, MapDirective, MapKind};
pub use expansion::{Expansion, ExpansionError, Footprint, LevelGeometry, Region};
pub use ids::{LayerId, LevelId, LinkId, PeId};
pub use layer::{Layer, LayerType, Strides, Tensor};
pub use mapping::{ClusterLevel, Mapping};
pub use network::Network;
pub use units::{Cycles, Elements};
