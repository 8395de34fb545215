//! Elements moved in one step of one level: per tensor, what the active units receive (only what was
//! not in their previous tile) and what the upstream buffer sends (once per multicast group), and the
//! output tiles that leave, with spatial reduction.

use super::union::Boxes;
use maestro_ir::expansion::Footprint;

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
        _ => {
            boxes.clear(units[0].current.axes().len());
            for unit in units {
                boxes.add_difference(&unit.current, unit.previous.as_ref());
            }
            boxes.union_size()
        }
    };
    Ingress {
        delivered,
        multicast_sent,
    }
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
