//! The loop nest a mapping describes, flattened across cluster levels, and the index ranges every PE works
//! on in a step. This is the simulator's private adapter over the mapping (see
//! `/work/notes/sim-needs-from-expansion.md`); it follows the execution contract §1:
//! - levels split at `Cluster`; level 0 has `PEs / Π cluster sizes` sub-clusters, level `d ≥ 1` has the
//!   size of the `Cluster` that opened it; the innermost level's units are PEs;
//! - every directive is a loop over tiles; dimensions without a directive keep the whole enclosing tile
//!   (a one-iteration loop, which needs no entry);
//! - spatial maps of a level are enumerated together (row-major over their tiles) and folded over the
//!   level's sub-clusters at the position of the level's first spatial map;
//! - a directive on an input coordinate `Y`/`X` of size `m` becomes a loop over output coordinates with
//!   `(m − R)/stride + 1` outputs per tile, `R` being the enclosing filter extent; tiles partition their
//!   dimension (every MAC is performed exactly once), so written offsets other than the partitioning one
//!   are not replayed;
//! - global steps are the lexicographic product of every level's loops, counted with the full (non-edge)
//!   enclosing tile; a PE whose clipped ranges are empty in a step is idle in it.

use crate::error::SimError;
use crate::geometry::{IndexRange, TensorBox};
use maestro_ir::layer::LoopBounds;
use maestro_ir::{Accelerator, Dim, Layer, LayerType, MapKind, Tensor};

pub const DIMS: usize = Dim::ALL.len();

/// One loop of the flattened nest.
#[derive(Clone, Debug)]
pub struct Loop {
    pub level: usize,
    pub kind: LoopKind,
    /// Iterations, counted with the full enclosing tile.
    pub count: u64,
}

#[derive(Clone, Debug)]
pub enum LoopKind {
    /// Walks `dim` in tiles of `tile`.
    Temporal { dim: Dim, tile: u64 },
    /// Distributes the tiles of one or more spatial maps over `subclusters` units, `subclusters` at a time.
    Fold {
        dims: Vec<SpatialDim>,
        subclusters: u64,
        total_tiles: u64,
    },
}

#[derive(Clone, Copy, Debug)]
pub struct SpatialDim {
    pub dim: Dim,
    pub tile: u64,
    /// Number of tiles across the full enclosing extent.
    pub tiles: u64,
}

/// The flattened loop nest of one layer on one accelerator.
#[derive(Clone, Debug)]
pub struct Nest {
    pub loops: Vec<Loop>,
    /// Sub-cluster count per level; their product is the number of PEs used.
    pub subclusters: Vec<u64>,
    pub pes_used: u64,
    pub bounds: LoopBounds,
    pub layer_type: LayerType,
    /// The full range of every loop dimension (output coordinates for `Y'`/`X'`).
    extents: [u64; DIMS],
    /// Per PE, its sub-cluster index at every level.
    unit_indices: Vec<Vec<u64>>,
    output_dims_mask: [bool; DIMS],
}

/// What one PE works on in one step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeTile {
    pub active: bool,
    pub ranges: [IndexRange; DIMS],
    /// Some earlier step had this output tile (it was sent up before, unless kept in place).
    pub revisit: bool,
    /// No later step contributes to this output tile.
    pub final_output: bool,
}

impl Nest {
    pub fn build(layer: &Layer, accelerator: &Accelerator) -> Result<Nest, SimError> {
        let name = || layer.name.clone();
        let mapping = layer
            .mapping
            .as_ref()
            .ok_or_else(|| SimError::MissingMapping { layer: name() })?;
        let bounds = layer.loop_bounds().map_err(|source| SimError::Shape {
            layer: name(),
            source,
        })?;
        let layer_type = layer.layer_type;
        let levels = mapping.levels();
        let mut extents = [1u64; DIMS];
        for &dim in layer_type.loop_dims() {
            extents[dim as usize] = bounds.size(dim);
        }
        let mapping_error = |reason: String| SimError::Mapping {
            layer: name(),
            reason,
        };

        let cluster_product = mapping
            .cluster_sizes()
            .iter()
            .try_fold(1u64, |acc, &size| {
                if size == 0 {
                    return Err(mapping_error("a Cluster of size 0".into()));
                }
                acc.checked_mul(size)
                    .ok_or_else(|| mapping_error("cluster sizes overflow".into()))
            })?;
        let top = accelerator.num_pes / cluster_product;
        if top == 0 {
            return Err(mapping_error(format!(
                "the clusters need {cluster_product} PEs but the accelerator has {}",
                accelerator.num_pes
            )));
        }
        let subclusters: Vec<u64> = levels
            .iter()
            .map(|level| level.opened_by_cluster.unwrap_or(top))
            .collect();
        let pes_used = top * cluster_product;

        let mut nominal = extents;
        let mut loops = Vec::new();
        for (depth, level) in levels.iter().enumerate() {
            let units = subclusters[depth];
            let mut fold_position: Option<usize> = None;
            let mut fold_dims: Vec<SpatialDim> = Vec::new();
            for map in &level.maps {
                if map.size == 0 {
                    return Err(mapping_error(format!("a map of size 0 on {}", map.dim)));
                }
                let (dim, tile) = loop_tile(layer, &bounds, &nominal, map.dim, map.size)?;
                let tile = tile.min(nominal[dim as usize]).max(1);
                let count = nominal[dim as usize].div_ceil(tile);
                match map.kind {
                    MapKind::Temporal => loops.push(Loop {
                        level: depth,
                        kind: LoopKind::Temporal { dim, tile },
                        count,
                    }),
                    MapKind::Spatial => {
                        if fold_position.is_none() {
                            fold_position = Some(loops.len());
                            // A placeholder, replaced once all of the level's spatial maps are known.
                            loops.push(Loop {
                                level: depth,
                                kind: LoopKind::Temporal { dim, tile: 1 },
                                count: 1,
                            });
                        }
                        fold_dims.push(SpatialDim {
                            dim,
                            tile,
                            tiles: count,
                        });
                    }
                }
                nominal[dim as usize] = tile;
            }
            if fold_dims.len() > 4 {
                return Err(mapping_error(format!(
                    "cluster level {depth} has more than 4 spatial maps"
                )));
            }
            match fold_position {
                Some(position) => {
                    let total_tiles = fold_dims.iter().try_fold(1u64, |acc, d| {
                        acc.checked_mul(d.tiles)
                            .ok_or_else(|| mapping_error("spatial tile count overflows".into()))
                    })?;
                    loops[position] = Loop {
                        level: depth,
                        kind: LoopKind::Fold {
                            dims: fold_dims,
                            subclusters: units,
                            total_tiles,
                        },
                        count: total_tiles.div_ceil(units),
                    };
                }
                None if units > 1 => {
                    return Err(mapping_error(format!(
                        "cluster level {depth} has {units} sub-clusters but no spatial map"
                    )))
                }
                None => {}
            }
        }
        // Loops that iterate once change nothing; dropping them keeps the hot path short.
        loops.retain(|l| l.count > 1 || matches!(l.kind, LoopKind::Fold { .. }));

        let mut unit_indices = Vec::with_capacity(pes_used as usize);
        for pe in 0..pes_used {
            let mut rest = pe;
            let mut indices = vec![0u64; subclusters.len()];
            for (depth, &units) in subclusters.iter().enumerate().rev() {
                indices[depth] = rest % units;
                rest /= units;
            }
            unit_indices.push(indices);
        }
        let mut output_dims_mask = [false; DIMS];
        for &dim in layer_type.tensor_dims(Tensor::Output) {
            output_dims_mask[dim as usize] = true;
        }
        Ok(Nest {
            loops,
            subclusters,
            pes_used,
            bounds,
            layer_type,
            extents,
            unit_indices,
            output_dims_mask,
        })
    }

    /// Total number of global steps.
    pub fn step_count(&self) -> u64 {
        self.loops
            .iter()
            .fold(1u64, |acc, l| acc.saturating_mul(l.count))
    }

    /// The loop indices of global step `step` (row-major, last loop fastest).
    pub fn indices_of(&self, mut step: u64, indices: &mut Vec<u64>) {
        indices.clear();
        indices.resize(self.loops.len(), 0);
        for (slot, l) in indices.iter_mut().zip(&self.loops).rev() {
            *slot = step % l.count;
            step /= l.count;
        }
    }

    pub fn indexes_output(&self, dim: Dim) -> bool {
        self.output_dims_mask[dim as usize]
    }

    /// What `pe` works on at the step with loop indices `indices`, considering only the first
    /// `loop_limit` loops (all loops for a PE's tile; the level-0 loops for a top-level working set).
    pub fn tile(&self, pe: usize, indices: &[u64], loop_limit: usize) -> PeTile {
        let mut ranges = [IndexRange::default(); DIMS];
        for (slot, &extent) in ranges.iter_mut().zip(&self.extents) {
            *slot = IndexRange {
                start: 0,
                end: extent,
            };
        }
        let units = &self.unit_indices[pe];
        let mut revisit = false;
        let mut final_output = true;
        for (l, &index) in self.loops.iter().zip(indices).take(loop_limit) {
            match &l.kind {
                LoopKind::Temporal { dim, tile } => {
                    let range = &mut ranges[*dim as usize];
                    let last = range.len().div_ceil(*tile).saturating_sub(1);
                    apply_tile(range, index, *tile);
                    if !self.indexes_output(*dim) {
                        revisit |= index > 0;
                        final_output &= index >= last;
                    }
                }
                LoopKind::Fold {
                    dims,
                    subclusters,
                    total_tiles,
                } => {
                    let tile_index = index * subclusters + units[l.level];
                    if tile_index >= *total_tiles {
                        return PeTile {
                            active: false,
                            ranges,
                            revisit,
                            final_output,
                        };
                    }
                    // Decompose row-major; also form the tile with reduction components zeroed and
                    // maximised (within this PE's clipped extents) to tell revisits and final tiles.
                    let mut rest = tile_index;
                    let mut components = [0u64; 4];
                    for (k, d) in dims.iter().enumerate().rev() {
                        components[k.min(3)] = rest % d.tiles;
                        rest /= d.tiles;
                    }
                    let mut first_same_output = 0u64;
                    let mut last_same_output = 0u64;
                    for (k, d) in dims.iter().enumerate() {
                        let range = &mut ranges[d.dim as usize];
                        let own_tiles = range.len().div_ceil(d.tile).max(1);
                        let component = components[k.min(3)];
                        let (low, high) = if self.indexes_output(d.dim) {
                            (component, component)
                        } else {
                            (0, own_tiles - 1)
                        };
                        first_same_output = first_same_output * d.tiles + low;
                        last_same_output = last_same_output * d.tiles + high;
                        apply_tile(range, component, d.tile);
                    }
                    revisit |= first_same_output / subclusters < index;
                    final_output &= last_same_output / subclusters <= index;
                }
            }
        }
        let active = self
            .layer_type
            .loop_dims()
            .iter()
            .all(|&d| !ranges[d as usize].is_empty());
        PeTile {
            active,
            ranges,
            revisit,
            final_output,
        }
    }

    /// The box of `tensor` that a tile covers (input coordinates follow from output and filter ranges).
    pub fn tensor_box(&self, tile: &PeTile, tensor: Tensor) -> TensorBox {
        let strides = self.bounds.strides;
        let mut ranges = [IndexRange::default(); crate::geometry::MAX_TENSOR_DIMS];
        let dims = self.layer_type.tensor_dims(tensor);
        for (slot, &dim) in ranges.iter_mut().zip(dims) {
            *slot = match dim {
                Dim::Y => window(
                    tile.ranges[Dim::OutY as usize],
                    tile.ranges[Dim::R as usize],
                    strides.y,
                ),
                Dim::X => window(
                    tile.ranges[Dim::OutX as usize],
                    tile.ranges[Dim::S as usize],
                    strides.x,
                ),
                _ => tile.ranges[dim as usize],
            };
        }
        TensorBox::new(&ranges[..dims.len()])
    }

    /// MACs of a tile: the product of its loop-dimension ranges.
    pub fn macs(&self, tile: &PeTile) -> u64 {
        self.layer_type
            .loop_dims()
            .iter()
            .map(|&d| tile.ranges[d as usize].len())
            .product()
    }

    /// The tile of the innermost level with full (non-edge) ranges: the largest tile any PE holds.
    pub fn nominal_tile(&self) -> PeTile {
        let mut ranges = [IndexRange::default(); DIMS];
        let mut nominal = self.extents;
        for l in &self.loops {
            match &l.kind {
                LoopKind::Temporal { dim, tile } => {
                    nominal[*dim as usize] = nominal[*dim as usize].min(*tile)
                }
                LoopKind::Fold { dims, .. } => {
                    for d in dims {
                        nominal[d.dim as usize] = nominal[d.dim as usize].min(d.tile);
                    }
                }
            }
        }
        for (slot, &extent) in ranges.iter_mut().zip(&nominal) {
            *slot = IndexRange {
                start: 0,
                end: extent,
            };
        }
        PeTile {
            active: true,
            ranges,
            revisit: false,
            final_output: true,
        }
    }
}

/// Narrows `range` to tile `index` of size `tile`.
fn apply_tile(range: &mut IndexRange, index: u64, tile: u64) {
    let start = range.start.saturating_add(index.saturating_mul(tile));
    let end = range.end.min(start.saturating_add(tile));
    *range = IndexRange {
        start: start.min(range.end),
        end: end.max(start.min(range.end)),
    };
}

/// Input rows read by output rows `outputs` with filter rows `filter`.
fn window(outputs: IndexRange, filter: IndexRange, stride: u64) -> IndexRange {
    if outputs.is_empty() || filter.is_empty() {
        return IndexRange::default();
    }
    IndexRange {
        start: outputs.start * stride + filter.start,
        end: (outputs.end - 1) * stride + filter.end,
    }
}

/// The loop dimension and tile size (in loop units) of a directive on `dim` of size `size`.
fn loop_tile(
    layer: &Layer,
    bounds: &LoopBounds,
    nominal: &[u64; DIMS],
    dim: Dim,
    size: u64,
) -> Result<(Dim, u64), SimError> {
    let (output, filter, stride) = match dim {
        Dim::Y if layer.layer_type.is_convolution() => (Dim::OutY, Dim::R, bounds.strides.y),
        Dim::X if layer.layer_type.is_convolution() => (Dim::OutX, Dim::S, bounds.strides.x),
        _ => return Ok((dim, size)),
    };
    let window = nominal[filter as usize];
    if size < window {
        return Err(SimError::TileCannotHoldWindow {
            layer: layer.name.clone(),
            dim,
            tile: size,
            window,
        });
    }
    Ok((output, (size - window) / stride.max(1) + 1))
}
