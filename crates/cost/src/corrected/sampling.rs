//! How far the footprints of a level's units reach along its single spatial map. Consecutive units
//! with full tiles and the same kind of previous tile are exact translates of each other (by one tile
//! along the mapped dimension, in their current and their previous step alike), so their multicast
//! union grows by a constant amount per unit once the units are further apart than one footprint. A
//! long run of such units is measured by its first and last `block` units; the union over the middle
//! is extrapolated from the run's first units.

use maestro_ir::expansion::{tensor_axes, AxisIndex, LevelGeometry};
use maestro_ir::{Dim, LayerType, Strides, Tensor};

/// The spatial loop a level's units are spread along: the only one that splits its extent into more
/// than one tile (a spatial map whose tile covers the whole extent gives every unit the same range,
/// like a temporal loop; unit `u` of fold `f` gets tile `f · units + u` of the other). `Some(None)`
/// without spatial maps; `None` when two spatial maps both split their extent.
pub fn spread_loop(geometry: &LevelGeometry) -> Option<Option<usize>> {
    let spatial = geometry.spatial_loops();
    let mut splitting = spatial
        .iter()
        .copied()
        .filter(|&index| geometry.loop_at(index).tiles > 1);
    match (splitting.next(), splitting.next()) {
        (Some(index), None) => Some(Some(index)),
        (None, _) => Some(spatial.last().copied()),
        (Some(_), Some(_)) => None,
    }
}

/// How many units a sampled block at each end of a run of units along spatial loop `spatial` needs
/// (more than the number of units whose footprints can overlap one unit's, so that the middle only
/// touches run units and its union grows linearly). `None` when a tensor is indexed twice by the
/// mapped dimension.
pub fn elision_block(
    geometry: &LevelGeometry,
    spatial: usize,
    layer_type: LayerType,
    strides: Strides,
) -> Option<u64> {
    let mapped = geometry.loop_at(spatial);
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
    Some(reach.saturating_add(2))
}
