//! The static part of the expansion: a mapping's directives turned into completed, validated loop
//! lists per cluster level, in loop-space coordinates (`Y`/`X` directives become `Y'`/`X'` loops).

use super::error::ExpansionError;
use crate::dim::Dim;
use crate::directive::{MapDirective, MapKind};
use crate::layer::{Layer, LayerType, LoopBounds};
use crate::limits::MAX_CLUSTER_LEVELS;

/// The most loops a level can have: one per loop dimension of the largest layer type.
pub const MAX_LOOPS_PER_LEVEL: usize = 8;

/// One completed loop of a level, in loop-space coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopSpec {
    /// The loop dimension (`Y'` for a directive written on `Y`).
    pub dim: Dim,
    /// The dimension as written in the mapping (`Y`, `Y'`, `K`, …); equal to `dim` for inferred loops.
    pub written_dim: Dim,
    pub kind: MapKind,
    /// Tile size in loop coordinates (output rows for `Y`/`Y'`).
    pub size: u64,
    /// Distance between consecutive tile starts, in loop coordinates; equal to `size` whenever the
    /// dimension needs more than one tile (see [`Adjustment`]).
    pub offset: u64,
    /// `true` for the temporal maps the expansion adds for dimensions without a directive.
    pub inferred: bool,
}

/// A change the expansion made to a written directive so that every MAC happens exactly once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adjustment {
    /// The written tiles overlapped (offset smaller than size, in loop coordinates); each tile was
    /// trimmed to its offset, because overlapping loop tiles would repeat MACs. Sliding-window reuse of
    /// inputs does not need overlapping loop tiles: it follows from the input footprint.
    TrimmedOverlap {
        level: usize,
        dim: Dim,
        written_size: u64,
        size: u64,
    },
}

/// One cluster level's completed loops and its fan-out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelSpec {
    /// 0 for the outermost level.
    pub depth: usize,
    /// Units this level's spatial maps distribute over: `num_pes / Π cluster sizes` at level 0, the
    /// opening `Cluster` size below.
    pub sub_clusters: u64,
    /// PEs inside one unit of this level (1 at the innermost level).
    pub pes_per_sub_cluster: u64,
    /// Written loops in order (outermost first), then inferred loops in the layer type's loop order.
    pub loops: Vec<LoopSpec>,
}

impl LevelSpec {
    /// Indices into `loops` of the spatial loops, in order (at most two).
    pub fn spatial_loops(&self) -> impl Iterator<Item = usize> + '_ {
        self.loops
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind == MapKind::Spatial)
            .map(|(i, _)| i)
    }
}

/// The static expansion of a layer: bounds, levels, and the adjustments made.
pub(super) struct StaticPlan {
    pub bounds: LoopBounds,
    pub levels: Vec<LevelSpec>,
    pub adjustments: Vec<Adjustment>,
    pub used_pes: u64,
}

/// Maps a written dimension to its loop dimension, or `None` if the layer type does not have it.
fn loop_dim_of(layer_type: LayerType, written: Dim) -> Option<Dim> {
    let loop_dims = layer_type.loop_dims();
    if loop_dims.contains(&written) {
        return Some(written);
    }
    match written {
        Dim::Y | Dim::X if layer_type.is_convolution() => written.output_alias(),
        _ => None,
    }
}

pub(super) fn build(layer: &Layer, num_pes: u64) -> Result<StaticPlan, ExpansionError> {
    let name = || layer.name.clone();
    let bounds = layer
        .loop_bounds()
        .map_err(|source| ExpansionError::Shape {
            layer: name(),
            source,
        })?;
    let mapping = layer
        .mapping
        .as_ref()
        .ok_or_else(|| ExpansionError::NoMapping { layer: name() })?;
    let written_levels = mapping.levels();
    if written_levels.len() > MAX_CLUSTER_LEVELS {
        return Err(ExpansionError::TooManyLevels {
            layer: name(),
            levels: written_levels.len(),
            max: MAX_CLUSTER_LEVELS,
        });
    }
    let mut cluster_product: u64 = 1;
    for level in &written_levels[1..] {
        let size = level.opened_by_cluster.unwrap_or(1);
        if size == 0 {
            return Err(ExpansionError::EmptyCluster {
                layer: name(),
                level: level.depth,
            });
        }
        cluster_product = cluster_product.saturating_mul(size);
    }
    if cluster_product > num_pes {
        return Err(ExpansionError::NotEnoughPes {
            layer: name(),
            required: cluster_product,
            available: num_pes,
        });
    }
    let top_units = num_pes / cluster_product;
    let layer_type = bounds.layer_type;
    let mut adjustments = Vec::new();
    let mut levels = Vec::with_capacity(written_levels.len());
    // The full tile size of every loop dimension in the enclosing level (the whole layer at level 0).
    let mut enclosing = [0u64; Dim::ALL.len()];
    for &dim in layer_type.loop_dims() {
        enclosing[dim as usize] = bounds.size(dim);
    }
    let mut pes_below = cluster_product;
    for written in &written_levels {
        let depth = written.depth;
        let sub_clusters = match written.opened_by_cluster {
            None => top_units,
            Some(size) => size,
        };
        pes_below /= if depth == 0 { 1 } else { sub_clusters };
        let loops = complete_level(
            layer,
            &bounds,
            depth,
            &written.maps,
            &enclosing,
            &mut adjustments,
        )?;
        for spec in &loops {
            enclosing[spec.dim as usize] = spec.size.min(enclosing[spec.dim as usize]);
        }
        levels.push(LevelSpec {
            depth,
            sub_clusters,
            pes_per_sub_cluster: pes_below,
            loops,
        });
    }
    Ok(StaticPlan {
        bounds,
        levels,
        adjustments,
        used_pes: top_units.saturating_mul(cluster_product),
    })
}

fn complete_level(
    layer: &Layer,
    bounds: &LoopBounds,
    depth: usize,
    maps: &[MapDirective],
    enclosing: &[u64; Dim::ALL.len()],
    adjustments: &mut Vec<Adjustment>,
) -> Result<Vec<LoopSpec>, ExpansionError> {
    let layer_type = bounds.layer_type;
    let name = || layer.name.clone();
    let mut seen = [false; Dim::ALL.len()];
    let mut spatial_count = 0;
    for map in maps {
        let dim = loop_dim_of(layer_type, map.dim).ok_or(ExpansionError::UnknownDimension {
            layer: name(),
            level: depth,
            dim: map.dim,
            layer_type,
        })?;
        if std::mem::replace(&mut seen[dim as usize], true) {
            return Err(ExpansionError::DuplicateDirective {
                layer: name(),
                level: depth,
                dim: map.dim,
            });
        }
        if map.size == 0 || map.offset == 0 {
            return Err(ExpansionError::ZeroTile {
                layer: name(),
                level: depth,
                dim: map.dim,
                size: map.size,
                offset: map.offset,
            });
        }
        spatial_count += usize::from(map.is_spatial());
    }
    if spatial_count > 2 {
        return Err(ExpansionError::TooManySpatialMaps {
            layer: name(),
            level: depth,
            count: spatial_count,
        });
    }
    // The filter tile at this level: the level's own directive (clipped to the enclosing tile) or the
    // whole enclosing tile.
    let filter_tile = |filter: Dim| {
        let extent = enclosing[filter as usize];
        maps.iter()
            .find(|map| map.dim == filter)
            .map_or(extent, |map| map.size.min(extent))
    };
    let mut loops = Vec::with_capacity(layer_type.loop_dims().len());
    for map in maps {
        let dim = loop_dim_of(layer_type, map.dim).unwrap_or(map.dim);
        let (size, offset) = match map.dim {
            Dim::Y | Dim::X => {
                let filter = map.dim.window_partner().unwrap_or(Dim::R);
                let stride = if map.dim == Dim::Y {
                    bounds.strides.y
                } else {
                    bounds.strides.x
                };
                let window = filter_tile(filter);
                // A tile that is larger than the enclosing input extent holds that whole extent.
                let input_extent = enclosing_input(bounds, enclosing, dim, window, stride);
                let tile = map.size.min(input_extent);
                if tile < window {
                    return Err(ExpansionError::TileSmallerThanWindow {
                        layer: name(),
                        level: depth,
                        dim: map.dim,
                        tile,
                        filter,
                        filter_tile: window,
                    });
                }
                ((tile - window) / stride + 1, map.offset.div_ceil(stride))
            }
            _ => (map.size, map.offset),
        };
        let extent = enclosing[dim as usize];
        let mut spec = LoopSpec {
            dim,
            written_dim: map.dim,
            kind: map.kind,
            size,
            offset,
            inferred: false,
        };
        if extent > size {
            if offset > size {
                return Err(ExpansionError::GapBetweenTiles {
                    layer: name(),
                    level: depth,
                    dim: map.dim,
                    loop_dim: dim,
                    size,
                    offset,
                });
            }
            if offset < size {
                adjustments.push(Adjustment::TrimmedOverlap {
                    level: depth,
                    dim: map.dim,
                    written_size: size,
                    size: offset,
                });
                spec.size = offset;
            }
        } else {
            // One tile covers the whole extent; the offset never matters.
            spec.offset = spec.size;
        }
        loops.push(spec);
    }
    for &dim in layer_type.loop_dims() {
        if !seen[dim as usize] {
            let size = enclosing[dim as usize];
            loops.push(LoopSpec {
                dim,
                written_dim: dim,
                kind: MapKind::Temporal,
                size,
                offset: size,
                inferred: true,
            });
        }
    }
    Ok(loops)
}

/// The input extent that the enclosing output extent of `out_dim` spans with a filter tile `window`.
fn enclosing_input(
    bounds: &LoopBounds,
    enclosing: &[u64; Dim::ALL.len()],
    out_dim: Dim,
    window: u64,
    stride: u64,
) -> u64 {
    let outputs = enclosing[out_dim as usize];
    let input = (outputs.saturating_sub(1))
        .saturating_mul(stride)
        .saturating_add(window);
    let declared = out_dim
        .output_alias()
        .map_or(input, |input_dim| bounds.size(input_dim));
    input.min(declared.max(window))
}
