//! Data-centric directives: `TemporalMap(size, offset) D`, `SpatialMap(size, offset) D` and
//! `Cluster(n, P|L)`, with every size already resolved to a number (`Sz(R)` and constants are gone).

use crate::dim::Dim;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether a map directive walks its tiles in time (one unit, successive steps) or spreads them across
/// the sub-clusters of its level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MapKind {
    Temporal,
    Spatial,
}

/// `TemporalMap(size, offset) dim` or `SpatialMap(size, offset) dim`: `dim` is cut into tiles of `size`
/// elements whose start positions advance by `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MapDirective {
    pub kind: MapKind,
    pub size: u64,
    pub offset: u64,
    pub dim: Dim,
}

/// `P` (physical) and `L` (logical) clusters; the reference treats both alike, and so do we.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClusterKind {
    Physical,
    Logical,
}

/// `Cluster(size, kind)`: the directives after it describe what happens inside groups of `size` units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClusterDirective {
    pub size: u64,
    pub kind: ClusterKind,
}

/// One directive of a mapping, in the order written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Directive {
    Map(MapDirective),
    Cluster(ClusterDirective),
}

impl MapDirective {
    pub fn temporal(size: u64, offset: u64, dim: Dim) -> Self {
        MapDirective {
            kind: MapKind::Temporal,
            size,
            offset,
            dim,
        }
    }

    pub fn spatial(size: u64, offset: u64, dim: Dim) -> Self {
        MapDirective {
            kind: MapKind::Spatial,
            size,
            offset,
            dim,
        }
    }

    pub fn is_spatial(&self) -> bool {
        self.kind == MapKind::Spatial
    }
}

impl fmt::Display for MapDirective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keyword = match self.kind {
            MapKind::Temporal => "TemporalMap",
            MapKind::Spatial => "SpatialMap",
        };
        write!(f, "{keyword}({},{}) {}", self.size, self.offset, self.dim)
    }
}

impl fmt::Display for Directive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Directive::Map(map) => map.fmt(f),
            Directive::Cluster(cluster) => {
                let kind = match cluster.kind {
                    ClusterKind::Physical => "P",
                    ClusterKind::Logical => "L",
                };
                write!(f, "Cluster({},{kind})", cluster.size)
            }
        }
    }
}
