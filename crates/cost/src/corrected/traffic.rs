//! Elements moved in one step of one level: per tensor, what the active units receive (only what was
//! not in their previous tile) and what the upstream buffer sends (once per multicast group), and the
//! output tiles that leave, with spatial reduction.

use super::union::Boxes;
use maestro_ir::expansion::{AxisSet, Footprint};

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

/// Ingress of a tensor over the active units of a step; `boxes` is scratch. Units that need the same
/// element in one step share one multicast transfer, so the upstream buffer sends the size of the union
/// of the units' new elements, computed exactly in closed form.
pub fn ingress(units: &[UnitFootprints], boxes: &mut Boxes) -> Ingress {
    let delivered = units.iter().map(UnitFootprints::new_elements).sum();
    let multicast_sent = match units {
        [] => 0,
        [only] => only.new_elements(),
        _ => disjoint_union(units).unwrap_or_else(|| {
            boxes.clear(units[0].current.axes().len());
            for unit in units {
                boxes.add_difference(&unit.current, unit.previous.as_ref());
            }
            boxes.union_size()
        }),
    };
    Ingress {
        delivered,
        multicast_sent,
    }
}

/// The union's size when it needs no box arithmetic: units with equal tiles (now and before) need the
/// same elements, and the distinct tiles lie apart along some axis (their spans on it do not
/// overlap), so the union is the sum over distinct units. `None` when that does not hold.
fn disjoint_union(units: &[UnitFootprints]) -> Option<u64> {
    let mut distinct: Vec<&UnitFootprints> = units.iter().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct
        .windows(2)
        .any(|pair| pair[0].current == pair[1].current)
    {
        return None;
    }
    let axes = distinct[0].current.axes().len();
    let mut spans: Vec<(u64, u64)> = Vec::with_capacity(distinct.len());
    let apart = (0..axes).any(|axis| {
        spans.clear();
        spans.extend(distinct.iter().map(|unit| span(&unit.current.axes()[axis])));
        spans.sort_unstable();
        spans.windows(2).all(|pair| pair[0].1 <= pair[1].0)
    });
    apart.then(|| distinct.iter().map(|unit| unit.new_elements()).sum())
}

/// The smallest and one past the largest index of an axis set.
fn span(axis: &AxisSet) -> (u64, u64) {
    let mut low = u64::MAX;
    let mut high = 0;
    axis.for_each_interval(|range| {
        low = low.min(range.start);
        high = high.max(range.end);
    });
    (low, high)
}

/// Output tiles leaving a set of units at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Egress {
    /// Elements the units send (every partial sum).
    pub unit_elements: u64,
    /// Distinct output elements among them (what arrives upstream after in-network reduction).
    pub distinct_elements: u64,
}

/// Output tiles leaving: units holding the same output tile are spatially reduced. `order` is scratch.
pub fn egress(tiles: &[Footprint], order: &mut Vec<usize>) -> Egress {
    let unit_elements = tiles.iter().map(Footprint::elements).sum();
    order.clear();
    order.extend(0..tiles.len());
    order.sort_unstable_by(|&a, &b| tiles[a].cmp(&tiles[b]));
    let mut distinct = 0;
    let mut last: Option<&Footprint> = None;
    for tile in order.iter().map(|&index| &tiles[index]) {
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
