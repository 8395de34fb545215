//! What the units below a level keep across the boundary between two of its steps. An inner level's
//! plan is analysed once per tile shape as if its units started empty (a fill step) and ended by
//! sending their output tiles up (a drain). In the hardware a PE — or an inner sub-cluster's buffer
//! — keeps what it holds when the enclosing level moves on: its first inner step in the new outer
//! step receives only what its last inner step in the previous outer step did not hold, and its
//! output tile stays (and keeps accumulating) if the new step starts on the same tile. This module
//! computes, for one unit moving from tile `previous` to tile `current`, the counters that the
//! memoised inner plans count and that the hardware does not do, so the enclosing level subtracts
//! them.

use super::classes::{first_position, last_position};
use super::level::{Analyzer, CarryKey, Totals};
use super::step;
use super::traffic::{egress, ingress, Egress, Ingress, UnitFootprints};
use super::union::Boxes;
use maestro_ir::expansion::{Footprint, Region};
use maestro_ir::Tensor;

/// One level's side of a boundary: its units' first tiles in the new enclosing tile against their
/// last tiles in the previous one.
#[derive(Debug, Default)]
pub struct Boundary {
    /// Input and weight ingress of the first step as if the units started empty.
    pub fresh: [Ingress; 2],
    /// The same, for units that still hold their last tiles.
    pub kept: [Ingress; 2],
    /// Output tiles of the last step: all of them (the plan's drain) and those that do leave.
    pub drained: Egress,
    pub leaving: Egress,
    /// Units active on either side (for the NoC's hops).
    pub units: u64,
    /// Units active on both sides, as (first tile now, last tile before, how many such units).
    pub pairs: Vec<(Region, Before, u64)>,
}

/// A unit's tile before the current step: of the previous step, or — for a unit idle in the previous
/// step — of the step in which it last worked (`resumed`: its L1 kept the tile, its output tile
/// left when it fell idle).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Before {
    pub region: Region,
    pub resumed: bool,
}

impl Analyzer<'_> {
    /// Adds to `saved` what the inner levels of a unit (its level `depth` and everything below)
    /// count for a fresh start on `current` but do not do when they still hold their state from the
    /// unit's previous tile `previous`: input and weight deliveries of elements a unit holds (and the
    /// upstream reads and NoC hops that carried them), and the drain of output tiles that a unit
    /// keeps accumulating.
    pub(super) fn carried(
        &mut self,
        depth: usize,
        current: &Region,
        previous: &Before,
        saved: &mut Totals,
    ) {
        let resumed = previous.resumed;
        let previous = &previous.region;
        let loop_dims = self.expansion.bounds.layer_type.loop_dims();
        let mut key: CarryKey = Default::default();
        for (slot, &dim) in loop_dims.iter().enumerate() {
            key.0[slot] = current.len(dim);
            key.1[slot] = previous.len(dim);
            // Two's complement difference: equal for equal relative offsets.
            key.2[slot] = current.start(dim).wrapping_sub(previous.start(dim));
        }
        key.3 = resumed;
        if let Some(known) = self.scratch.carried[depth].get(&key) {
            saved.add_scaled(known, 1);
            return;
        }
        let mut own = Totals::default();
        self.carried_afresh(depth, current, previous, resumed, &mut own);
        saved.add_scaled(&own, 1);
        self.scratch.carried[depth].insert(key, own);
    }

    fn carried_afresh(
        &mut self,
        depth: usize,
        current: &Region,
        previous: &Region,
        resumed: bool,
        saved: &mut Totals,
    ) {
        let boundary = match self.exhaustive {
            false => step::closed_form_boundary(self, depth, current, previous),
            true => None,
        }
        .unwrap_or_else(|| self.boundary_unit_by_unit(depth, current, previous));
        let structure = self.structure;
        let innermost = depth + 1 == self.expansion.levels.len();
        let in_hops = self.hops(depth, structure.distribution_topology, boundary.units);
        let out_hops = self.hops(depth, structure.collection_topology, boundary.units);

        for tensor in 0..2 {
            let (fresh, kept) = (boundary.fresh[tensor], boundary.kept[tensor]);
            let delivered = fresh.delivered.saturating_sub(kept.delivered);
            let sent = if structure.multicast {
                fresh.multicast_sent.saturating_sub(kept.multicast_sent)
            } else {
                delivered
            };
            if innermost {
                saved.l1_writes[tensor] = saved.l1_writes[tensor].saturating_add(delivered);
            } else {
                saved.cluster_writes = saved.cluster_writes.saturating_add(delivered);
            }
            saved.cluster_reads = saved.cluster_reads.saturating_add(sent);
            saved.noc_element_hops = saved
                .noc_element_hops
                .saturating_add(sent.saturating_mul(in_hops));
        }

        // Output tiles the plan drains at its end and that stay in their units instead (none if the
        // unit was idle: its units' tiles left then).
        let (drained, leaving) = if resumed {
            (Egress::default(), Egress::default())
        } else {
            (boundary.drained, boundary.leaving)
        };
        let unit_elements = drained.unit_elements.saturating_sub(leaving.unit_elements);
        let distinct = drained
            .distinct_elements
            .saturating_sub(leaving.distinct_elements);
        if innermost {
            saved.l1_reads[2] = saved.l1_reads[2].saturating_add(unit_elements);
        }
        saved.noc_element_hops = saved
            .noc_element_hops
            .saturating_add(unit_elements.saturating_mul(out_hops));
        let reduced = unit_elements.saturating_sub(distinct);
        saved.reductions = saved.reductions.saturating_add(reduced);
        if structure.implicit_reduction {
            saved.cluster_writes = saved.cluster_writes.saturating_add(distinct);
        } else {
            saved.cluster_writes = saved.cluster_writes.saturating_add(unit_elements);
            saved.cluster_reads = saved.cluster_reads.saturating_add(reduced);
        }

        if !innermost {
            for (now, before, count) in &boundary.pairs {
                let mut inner = Totals::default();
                self.carried(depth + 1, now, before, &mut inner);
                saved.add_scaled(&inner, *count);
            }
        }
    }

    /// [`Boundary`] unit by unit, with exact unions (any mapping; the oracle of the closed form).
    fn boundary_unit_by_unit(
        &mut self,
        depth: usize,
        current: &Region,
        previous: &Region,
    ) -> Boundary {
        let expansion = self.expansion;
        let now = expansion.geometry(depth, current);
        let before = expansion.geometry(depth, previous);
        let first = first_position();
        let last = last_position(&before);
        let units = now.active_units(&first).max(before.active_units(&last));
        let footprint = |tensor: Tensor, region: &Region| expansion.footprint(tensor, region);
        let mut boundary = Boundary {
            units,
            ..Boundary::default()
        };
        // A unit idle at the end of the previous tile kept the tiles of the step it last worked in.
        let earlier = step::last_active(&before, &last);
        let mut regions: Vec<(Option<Region>, Option<Before>)> = Vec::with_capacity(units as usize);
        for unit in 0..units {
            let now = now.unit_region(&first, unit);
            // `units` is the larger active count of the two sides, so a unit idle at the end works
            // at the start.
            let then = step::unit_before(&before, &last, earlier.as_ref(), unit);
            if let (Some(now), Some(then)) = (now, then) {
                boundary.pairs.push((now, then, 1));
            }
            regions.push((now, then));
        }

        let mut boxes = Boxes::default();
        for (index, tensor) in [Tensor::Input, Tensor::Weight].into_iter().enumerate() {
            let mut fresh: Vec<UnitFootprints> = Vec::new();
            let mut kept: Vec<UnitFootprints> = Vec::new();
            for (now, then) in &regions {
                let Some(now) = now else { continue };
                let current = footprint(tensor, now);
                fresh.push(UnitFootprints {
                    current,
                    previous: None,
                });
                kept.push(UnitFootprints {
                    current,
                    previous: then.as_ref().map(|then| footprint(tensor, &then.region)),
                });
            }
            boundary.fresh[index] = ingress(&fresh, &mut boxes);
            boundary.kept[index] = ingress(&kept, &mut boxes);
        }

        // The plan's drain: the units active in its last step.
        let mut drained: Vec<Footprint> = Vec::new();
        let mut leaving: Vec<Footprint> = Vec::new();
        for (now, then) in &regions {
            let Some(then) = then.filter(|then| !then.resumed) else {
                continue;
            };
            let tile = footprint(Tensor::Output, &then.region);
            drained.push(tile);
            let stays = now
                .as_ref()
                .is_some_and(|now| footprint(Tensor::Output, now) == tile);
            if !stays {
                leaving.push(tile);
            }
        }
        let mut order = Vec::new();
        boundary.drained = egress(&drained, &mut order);
        boundary.leaving = egress(&leaving, &mut order);
        boundary
    }
}
