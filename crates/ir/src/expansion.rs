//! The iteration-space expansion: what a mapping *means*. It turns a layer's directives into completed
//! loop lists per cluster level (in loop-space coordinates: `Y'`/`X'` rather than `Y`/`X`), lays them
//! over concrete tiles (steps, edge tiles, spatial folds) and says which loop-space region every unit
//! works on in every step, and which tensor elements a region touches.
//!
//! This is geometry and schedule only; how much data moves and what it costs is computed separately by
//! the cost model and the simulator. The decisions where the execution-semantics contract is silent are
//! written down in the project's `docs/execution-model.md`.

mod error;
mod footprint;
mod geometry;
mod region;
mod spec;
#[cfg(test)]
mod tests;

pub use error::ExpansionError;
pub use footprint::{tensor_axes, tensor_uses, AxisIndex, AxisSet, Footprint, MAX_TENSOR_AXES};
pub use geometry::{LevelGeometry, LoopGeometry, ScheduleLoop, SpatialGeometry, StepPosition};
pub use region::Region;
pub use spec::{Adjustment, LevelSpec, LoopSpec, MAX_LOOPS_PER_LEVEL};

use crate::ids::PeId;
use crate::layer::{Layer, LoopBounds, Tensor};

/// A layer's mapping expanded for an accelerator with a given number of PEs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expansion {
    pub layer: String,
    pub bounds: LoopBounds,
    /// Cluster levels, outermost (fed by L2) first; the last level's units are PEs.
    pub levels: Vec<LevelSpec>,
    /// Changes made to written directives (reported by the engines as warnings).
    pub adjustments: Vec<Adjustment>,
    /// PEs that the mapping uses: `Π cluster sizes × level-0 units` (≤ the accelerator's PEs).
    pub used_pes: u64,
}

impl Expansion {
    /// Expands `layer`'s mapping for `num_pes` PEs.
    pub fn new(layer: &Layer, num_pes: u64) -> Result<Expansion, ExpansionError> {
        let plan = spec::build(layer, num_pes)?;
        Ok(Expansion {
            layer: layer.name.clone(),
            bounds: plan.bounds,
            levels: plan.levels,
            adjustments: plan.adjustments,
            used_pes: plan.used_pes,
        })
    }

    /// The whole loop space of the layer: level 0 walks it.
    pub fn whole(&self) -> Region {
        Region::whole(&self.bounds)
    }

    /// Level `depth`'s loops over `region` (the tile one of its units received from the level above).
    pub fn geometry(&self, depth: usize, region: &Region) -> LevelGeometry {
        LevelGeometry::new(&self.levels[depth], region)
    }

    /// The elements of `tensor` that `region` touches.
    pub fn footprint(&self, tensor: Tensor, region: &Region) -> Footprint {
        Footprint::of(self.bounds.layer_type, self.bounds.strides, tensor, region)
    }

    /// Calls `visit(pe, region)` for every PE work item of the whole layer: every innermost step of
    /// every active PE, levels walked depth first in schedule order. The union of the regions is the
    /// loop space, each point exactly once.
    pub fn for_each_pe_work(&self, mut visit: impl FnMut(PeId, &Region)) {
        self.walk(0, &self.whole(), 0, &mut visit);
    }

    fn walk(
        &self,
        depth: usize,
        region: &Region,
        first_pe: u64,
        visit: &mut dyn FnMut(PeId, &Region),
    ) {
        let level = &self.levels[depth];
        let geometry = self.geometry(depth, region);
        let innermost = depth + 1 == self.levels.len();
        geometry.for_each_step(|step| {
            for unit in 0..geometry.active_units(step) {
                let Some(unit_region) = geometry.unit_region(step, unit) else {
                    continue;
                };
                let pe = first_pe + unit * level.pes_per_sub_cluster;
                if innermost {
                    visit(PeId(u32::try_from(pe).unwrap_or(u32::MAX)), &unit_region);
                } else {
                    self.walk(depth + 1, &unit_region, pe, visit);
                }
            }
        });
    }
}
