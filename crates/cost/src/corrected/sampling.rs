//! Which units of a step must be looked at one by one. Along a level's single spatial map, consecutive
//! units with full tiles and the same kind of previous tile are exact translates of each other (by one
//! tile along the mapped dimension, in their current and their previous step alike), so everything
//! per unit is the same for all of them and their multicast union grows by a constant amount per unit
//! once the units are further apart than one footprint. A long run of such units is therefore
//! represented by its first and last `block` units plus one stand-in for the middle, weighted by how
//! many units it replaces; the union over the middle is extrapolated from the run's first units.

use maestro_ir::expansion::{tensor_axes, AxisIndex, LevelGeometry, StepPosition};
use maestro_ir::{Dim, LayerType, Strides, Tensor};

/// A unit (or a stand-in for a run's middle) to evaluate in one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitEntry {
    /// The unit index (for a stand-in: one unit of the middle).
    pub unit: u64,
    /// How many units it stands for (1 for a sampled unit).
    pub weight: u64,
    /// For a stand-in: the run it belongs to.
    pub run: Option<Run>,
}

/// A run of translated units whose middle is elided; its first `block` units are the entries just
/// before the stand-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    /// Units in the run.
    pub len: u64,
    /// Units sampled at each end of the run.
    pub block: u64,
}

/// The level's spatially mapped dimension, and how many units a sampled block at each end of a run needs
/// (more than the number of units whose footprints can overlap one unit's, so that the middle only
/// touches run units and its union grows linearly). `None` when nothing may be elided: no or two
/// spatial maps, or a tensor indexed twice by the mapped dimension.
pub fn elision_block(
    geometry: &LevelGeometry,
    layer_type: LayerType,
    strides: Strides,
) -> Option<(Dim, u64)> {
    let [spatial] = geometry.spatial_loops() else {
        return None;
    };
    let mapped = geometry.loop_at(*spatial);
    let dim = mapped.spec.dim;
    let tile_of = |wanted: Dim| {
        geometry
            .loops()
            .find(|walked| walked.spec.dim == wanted)
            .map_or(1, |walked| walked.tile)
    };
    let mut reach = 1u64;
    for tensor in Tensor::ALL {
        let mut uses = 0;
        for axis in tensor_axes(layer_type, strides, tensor) {
            if !axis.uses(dim) {
                continue;
            }
            uses += 1;
            // How far one unit's footprint extends along the axis, and how far apart neighbours are.
            let (extent, shift) = match axis {
                AxisIndex::Plain(_) => (mapped.tile, mapped.tile),
                AxisIndex::Window {
                    out,
                    filter,
                    stride,
                } => {
                    let extent = (tile_of(out).saturating_sub(1))
                        .saturating_mul(stride)
                        .saturating_add(tile_of(filter));
                    let shift = if dim == out {
                        mapped.tile.saturating_mul(stride)
                    } else {
                        mapped.tile
                    };
                    (extent, shift)
                }
            };
            reach = reach.max(extent.div_ceil(shift.max(1)));
        }
        if uses > 1 {
            return None;
        }
    }
    Some((dim, reach.saturating_add(2)))
}

/// The entries of one step: every unit active in `current` or in `previous`, with long runs of
/// translated units shortened to their ends plus a weighted stand-in. `block` comes from
/// [`elision_block`]; without it every unit is its own entry.
pub fn unit_entries(
    geometry: &LevelGeometry,
    current: &StepPosition,
    previous: Option<&StepPosition>,
    block: Option<u64>,
    entries: &mut Vec<UnitEntry>,
) {
    entries.clear();
    let active = geometry.active_units(current);
    let previously_active = previous.map_or(0, |previous| geometry.active_units(previous));
    let total = active.max(previously_active);
    let single = |entries: &mut Vec<UnitEntry>, units: std::ops::Range<u64>| {
        entries.extend(units.map(|unit| UnitEntry {
            unit,
            weight: 1,
            run: None,
        }));
    };
    let Some(block) = block else {
        single(entries, 0..total);
        return;
    };
    // Unit kinds change only where a unit holds the partial edge tile (now or before) and where units
    // stop being active; between those cuts the units are translates of each other.
    let Some(&spatial) = geometry.spatial_loops().first() else {
        single(entries, 0..total);
        return;
    };
    let mapped = geometry.loop_at(spatial);
    let units = geometry.spatial.sub_clusters;
    let mut cuts = [0u64; 8];
    let mut cut_count = 0;
    let mut cut = |at: u64| {
        if at < total {
            cuts[cut_count] = at;
            cut_count += 1;
        }
    };
    cut(0);
    cut(active);
    cut(previously_active);
    let last_tile = mapped.tiles.saturating_sub(1);
    let edge_unit =
        |step: &StepPosition| last_tile.checked_sub(geometry.fold_of(step).saturating_mul(units));
    if mapped.has_partial_edge() {
        for step in std::iter::once(current).chain(previous) {
            if let Some(unit) = edge_unit(step) {
                cut(unit);
                cut(unit.saturating_add(1));
            }
        }
    }
    let cuts = &mut cuts[..cut_count];
    cuts.sort_unstable();
    for (index, &start) in cuts.iter().enumerate() {
        let end = cuts.get(index + 1).copied().unwrap_or(total);
        if start == end {
            continue;
        }
        let len = end - start;
        if len <= block.saturating_mul(3) {
            single(entries, start..end);
            continue;
        }
        single(entries, start..start + block);
        entries.push(UnitEntry {
            unit: start + block,
            weight: len - 2 * block,
            run: Some(Run { len, block }),
        });
        single(entries, end - block..end);
    }
}
