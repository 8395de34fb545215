//! How far the footprints of a level's units reach along its single spatial map. Consecutive units
//! with full tiles and the same kind of previous tile are exact translates of each other (by one tile
//! along the mapped dimension, in their current and their previous step alike), so their multicast
//! union grows by a constant amount per unit once the units are further apart than one footprint. A
//! long run of such units is measured by its first and last `block` units; the union over the middle
//! is extrapolated from the run's first units.

use maestro_ir::expansion::{tensor_axes, AxisIndex, LevelGeometry};
use maestro_ir::{Dim, LayerType, Strides, Tensor};

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
