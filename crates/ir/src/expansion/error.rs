//! Why a layer's mapping cannot be expanded into an iteration space.

use crate::dim::Dim;
use crate::layer::{LayerType, ShapeError};
use thiserror::Error;

/// A mapping that does not define a valid iteration space. Every variant names the layer; those that
/// concern one cluster level name it by depth (0 = outermost), and those about one directive name its
/// dimension as written.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ExpansionError {
    #[error("layer {layer}: {source}")]
    Shape {
        layer: String,
        #[source]
        source: ShapeError,
    },
    #[error("layer {layer} has no mapping")]
    NoMapping { layer: String },
    #[error("layer {layer}: the mapping has {levels} cluster levels; at most {max} are supported")]
    TooManyLevels {
        layer: String,
        levels: usize,
        max: usize,
    },
    #[error("layer {layer}, level {level}: Cluster size 0")]
    EmptyCluster { layer: String, level: usize },
    #[error("layer {layer}: the clusters need {required} PEs but the accelerator has {available}")]
    NotEnoughPes {
        layer: String,
        required: u64,
        available: u64,
    },
    #[error(
        "layer {layer}, level {level}: dimension {dim} is not a dimension of a {layer_type} layer"
    )]
    UnknownDimension {
        layer: String,
        level: usize,
        dim: Dim,
        layer_type: LayerType,
    },
    #[error("layer {layer}, level {level}: dimension {dim} has more than one directive")]
    DuplicateDirective {
        layer: String,
        level: usize,
        dim: Dim,
    },
    #[error(
        "layer {layer}, level {level}: {count} spatial maps; at most two per level are supported"
    )]
    TooManySpatialMaps {
        layer: String,
        level: usize,
        count: usize,
    },
    #[error("layer {layer}, level {level}: directive on {dim} has size {size} and offset {offset}; both must be at least 1")]
    ZeroTile {
        layer: String,
        level: usize,
        dim: Dim,
        size: u64,
        offset: u64,
    },
    #[error(
        "layer {layer}, level {level}: the {dim} tile ({tile}) cannot hold one window of the {filter} tile ({filter_tile})"
    )]
    TileSmallerThanWindow {
        layer: String,
        level: usize,
        dim: Dim,
        tile: u64,
        filter: Dim,
        filter_tile: u64,
    },
    #[error(
        "layer {layer}, level {level}: directive on {dim} advances by {offset} but its tiles hold {size} (in {loop_dim} coordinates): tiles would leave gaps and skip MACs"
    )]
    GapBetweenTiles {
        layer: String,
        level: usize,
        dim: Dim,
        loop_dim: Dim,
        size: u64,
        offset: u64,
    },
}
