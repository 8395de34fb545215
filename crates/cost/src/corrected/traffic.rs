//! Elements moved in one step of one level: per tensor, what the active units receive (only what was
//! not in their previous tile) and what the upstream buffer sends (once per multicast group), and the
//! output tiles that leave, with spatial reduction.

use super::union::Boxes;
use maestro_ir::expansion::{AxisSet, Footprint, MAX_TENSOR_AXES};

/// One unit's current and previous footprint of a tensor (`previous` is `None` in the first step).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitFootprints {
    pub current: Footprint,
    pub previous: Option<Footprint>,
}

impl UnitFootprints {
    /// Elements the unit must receive: those of its current tile that were not in its previous one.
    pub fn new_elements(&self) -> u64 {
        match &self.previous {
            Some(previous) => self.current.new_elements(previous),
            None => self.current.elements(),
        }
    }
}

/// Ingress of one input tensor in one step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ingress {
    /// Σ over receiving units (L1 writes, NoC deliveries).
    pub delivered: u64,
    /// Distinct elements sent when one transfer may serve many units (upstream reads with multicast).
    pub multicast_sent: u64,
}

/// Ingress of a tensor over the active units of a step. `units` is sorted in place; `boxes` is scratch.
pub fn ingress(units: &mut [UnitFootprints], boxes: &mut Boxes) -> Ingress {
    let delivered = units.iter().map(UnitFootprints::new_elements).sum();
    units.sort_unstable();
    let mut groups: Vec<UnitFootprints> = Vec::with_capacity(units.len());
    for unit in units.iter() {
        if groups.last() != Some(unit) {
            groups.push(*unit);
        }
    }
    // Plain axes come from tiles of one partition, so two footprints that differ on a plain axis are
    // disjoint; only groups with equal plain axes (differing in sliding-window axes or in their
    // previous tile) can share elements. Those buckets are merged exactly, in closed form.
    groups.sort_unstable_by_key(|group| plain_key(&group.current));
    let mut multicast_sent = 0;
    for bucket in groups.chunk_by(|a, b| plain_key(&a.current) == plain_key(&b.current)) {
        if let [only] = bucket {
            multicast_sent += only.new_elements();
            continue;
        }
        boxes.clear(bucket[0].current.axes().len());
        for group in bucket {
            boxes.add_difference(&group.current, group.previous.as_ref());
        }
        multicast_sent += boxes.union_size();
    }
    Ingress {
        delivered,
        multicast_sent,
    }
}

/// The plain (non-window) axes of a footprint, which identify its partition cell.
fn plain_key(footprint: &Footprint) -> [AxisSet; MAX_TENSOR_AXES] {
    let mut key = [AxisSet::Interval { start: 0, end: 0 }; MAX_TENSOR_AXES];
    for (slot, axis) in key.iter_mut().zip(footprint.axes()) {
        if matches!(axis, AxisSet::Interval { .. }) {
            *slot = *axis;
        }
    }
    key
}

/// Output tiles leaving a set of units at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Egress {
    /// Elements the units send (every partial sum).
    pub unit_elements: u64,
    /// Distinct output elements among them (what arrives upstream after in-network reduction).
    pub distinct_elements: u64,
}

/// Output tiles leaving: units holding the same output tile are spatially reduced. `tiles` is sorted
/// in place.
pub fn egress(tiles: &mut [Footprint]) -> Egress {
    let unit_elements = tiles.iter().map(Footprint::elements).sum();
    tiles.sort_unstable();
    let mut distinct = 0;
    let mut last: Option<&Footprint> = None;
    for tile in tiles.iter() {
        if last != Some(tile) {
            distinct += tile.elements();
            last = Some(tile);
        }
    }
    Egress {
        unit_elements,
        distinct_elements: distinct,
    }
}
