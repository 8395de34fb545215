//! A step's plan: who computes, which new data each PE needs (grouped into multicasts), which output
//! tiles leave (grouped into spatial reductions). Built from the PEs' work in the current and the next
//! step and from what each PE's L1 holds; independent of time.
//!
//! Grouping sorts the step's records by a digest of (footprint, held footprint) and PE, so PEs needing
//! the same new elements end up adjacent; each run is then checked element-set by element-set (runs
//! whose digests collide are re-sorted by the footprints themselves), so the groups are exact. Every
//! buffer is reused across steps.

use crate::error::SimError;
use crate::footprint::{Footprint, TensorAxes};
use crate::geometry::TensorBox;
use crate::memory;
use crate::schedule::{PeWork, Translation};
use crate::union::UnionCounter;
use maestro_ir::{Accelerator, LayerType, Region, Tensor};
use std::ops::Range;

/// A PE's compute in a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannedCompute {
    pub pe: u32,
    pub cycles: u64,
    pub macs: u64,
    /// The output tile is new to this PE in this step (the output buffer must be free).
    pub new_output: bool,
}

/// A transfer from L2 to one or more PEs (one multicast, or one unicast copy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedTransfer {
    pub tensor: Tensor,
    /// Elements read from L2 and sent: the union of what the destinations miss.
    pub elements: u64,
    /// Elements written into L1s: the sum over destinations of what each misses.
    pub delivered: u64,
    destinations: Range<u32>,
}

/// An output tile leaving PEs for L2 at the end of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedEgress {
    pub elements: u64,
    sources: Range<u32>,
    pub final_output: bool,
    /// Whether the collection network adds the sources' partial sums (one transfer) or each travels.
    pub reduced_in_network: bool,
    pub output_box: TensorBox,
}

/// Everything one step does, independent of time.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub computes: Vec<PlannedCompute>,
    pub transfers: Vec<PlannedTransfer>,
    pub egress: Vec<PlannedEgress>,
    destination_list: Vec<u32>,
    source_list: Vec<u32>,
    /// Elements loaded from off-chip memory into L2 before this step's transfers may start.
    pub offchip_reads: [u64; 3],
    /// The largest number of elements one PE holds in this step.
    pub peak_l1: u64,
}

impl Plan {
    pub fn destinations(&self, transfer: &PlannedTransfer) -> &[u32] {
        &self.destination_list
            [transfer.destinations.start as usize..transfer.destinations.end as usize]
    }

    pub fn sources(&self, egress: &PlannedEgress) -> &[u32] {
        &self.source_list[egress.sources.start as usize..egress.sources.end as usize]
    }

    fn clear(&mut self) {
        self.computes.clear();
        self.transfers.clear();
        self.egress.clear();
        self.destination_list.clear();
        self.source_list.clear();
        self.offchip_reads = [0; 3];
        self.peak_l1 = 0;
    }
}

/// What a PE's L1 holds: the tiles of its last step with work. Footprints live in two slots per PE
/// (`Planner::footprints`): the held one and the one being built, swapped by flipping `slot`, so no
/// footprint is copied from step to step.
#[derive(Clone, Copy, Debug)]
struct Held {
    valid: bool,
    slot: u8,
    region: Region,
    /// The global step it was last active in.
    step: u64,
    /// Whether its output tile is still in L1 (it leaves when it changes or the PE falls idle).
    output_resident: bool,
}

/// One PE's need for new elements of one tensor (its footprints are looked up by PE).
#[derive(Clone, Copy, Debug)]
struct Need {
    tensor: u8,
    digest: u64,
    pe: u32,
    elements: u64,
}

/// One PE's output tile leaving (or being reloaded).
#[derive(Clone, Copy, Debug)]
struct Leaving {
    digest: u64,
    pe: u32,
    final_output: bool,
    elements: u64,
}

/// Builds plans step by step and remembers what every PE holds.
#[derive(Debug)]
pub struct Planner {
    axes: TensorAxes,
    layer_type: LayerType,
    simd_lanes: u64,
    pipeline_latency: u64,
    multicast: bool,
    implicit_reduction: bool,
    held: Vec<Held>,
    footprints: Vec<[[Footprint; 3]; 2]>,
    needs: Vec<Need>,
    leaving: Vec<Leaving>,
    reloads: Vec<Leaving>,
    order: Vec<(u32, u8, u32)>,
    scratch_transfers: Vec<PlannedTransfer>,
    scratch_destinations: Vec<u32>,
    union: UnionCounter,
    /// Union-find parents over this step's multicast groups (partly overlapping needs merge).
    parents: Vec<u32>,
    merged_transfers: Vec<PlannedTransfer>,
    merged_destinations: Vec<u32>,
    members: Vec<u32>,
    /// Per multicast group of this step: its tensor's hull (for `merge_overlapping`).
    hulls: Vec<TensorBox>,
    /// Groups of one tensor in sweep order, the hull starts along one axis, and (root, group) pairs.
    sweep: Vec<u32>,
    starts: Vec<u64>,
    component_members: Vec<(u32, u32)>,
}

impl Planner {
    pub fn new(
        accelerator: &Accelerator,
        axes: TensorAxes,
        layer_type: LayerType,
        pes: usize,
        origin: Region,
        layer: &str,
    ) -> Result<Planner, SimError> {
        let held = Held {
            valid: false,
            slot: 0,
            region: origin,
            step: 0,
            output_resident: false,
        };
        Ok(Planner {
            axes,
            layer_type,
            simd_lanes: accelerator.simd_lanes.max(1),
            pipeline_latency: accelerator.mac_pipeline_latency,
            multicast: accelerator.distribution_noc.multicast,
            implicit_reduction: accelerator.collection_noc.implicit_reduction,
            held: memory::filled(held, pes, layer, "per-PE L1 contents")?,
            footprints: memory::filled(
                [[Footprint::EMPTY; 3]; 2],
                pes,
                layer,
                "per-PE L1 contents",
            )?,
            needs: Vec::new(),
            leaving: Vec::new(),
            reloads: Vec::new(),
            order: Vec::new(),
            scratch_transfers: Vec::new(),
            scratch_destinations: Vec::new(),
            union: UnionCounter::default(),
            parents: Vec::new(),
            merged_transfers: Vec::new(),
            merged_destinations: Vec::new(),
            members: Vec::new(),
            hulls: Vec::new(),
            sweep: Vec::new(),
            starts: Vec::new(),
            component_members: Vec::new(),
        })
    }

    /// The footprint of `tensor` that PE `pe` works on now (valid while its step is planned).
    fn current(&self, pe: u32, tensor: usize) -> &Footprint {
        let held = &self.held[pe as usize];
        &self.footprints[pe as usize][usize::from(held.slot)][tensor]
    }

    /// The footprint of `tensor` that PE `pe` held before this step (empty if nothing, and for a
    /// tile that has left).
    fn previous(&self, pe: u32, tensor: usize) -> &Footprint {
        let held = &self.held[pe as usize];
        if held.valid && (tensor < 2 || held.output_resident) {
            &self.footprints[pe as usize][usize::from(1 - held.slot)][tensor]
        } else {
            &Footprint::EMPTY
        }
    }

    /// Builds the plan of global step `step` from the PEs' work now and in the next step (`None` after
    /// the last step), and records what every PE holds afterwards.
    pub fn build(
        &mut self,
        step: u64,
        current: &[PeWork],
        next: Option<&[PeWork]>,
        plan: &mut Plan,
    ) {
        plan.clear();
        self.needs.clear();
        self.leaving.clear();
        self.reloads.clear();
        for (pe, work) in current.iter().enumerate() {
            if !work.active {
                continue;
            }
            let pe_id = pe as u32;
            // Build this step's footprints in the slot that is not held, then make it the held one
            // (`previous` reads the other slot).
            let slot = {
                let held = &mut self.held[pe];
                if held.valid {
                    held.slot = 1 - held.slot;
                }
                usize::from(held.slot)
            };
            for tensor in 0..3 {
                self.footprints[pe][slot][tensor] = self.axes.footprint(tensor, &work.region);
            }
            let new_output = self.current(pe_id, 2) != self.previous(pe_id, 2);
            let macs = work.region.volume(self.layer_type);
            plan.computes.push(PlannedCompute {
                pe: pe_id,
                cycles: macs
                    .div_ceil(self.simd_lanes)
                    .saturating_add(self.pipeline_latency),
                macs,
                new_output,
            });
            let held_elements: u64 = self.footprints[pe][slot]
                .iter()
                .map(Footprint::elements)
                .sum();
            plan.peak_l1 = plan.peak_l1.max(held_elements);
            for tensor in 0..2 {
                let missing = self
                    .current(pe_id, tensor)
                    .missing_from(self.previous(pe_id, tensor));
                if missing > 0 {
                    let digest = if self.multicast {
                        let current = self.current(pe_id, tensor).digest(tensor as u64);
                        self.previous(pe_id, tensor).digest(current)
                    } else {
                        0
                    };
                    self.needs.push(Need {
                        tensor: tensor as u8,
                        digest,
                        pe: pe_id,
                        elements: missing,
                    });
                }
            }
            // A revisited output tile: its partial sums come back from L2, to one unit of the group.
            let output_digest = self.current(pe_id, 2).digest(2);
            if new_output && work.revisit {
                let missing = self.current(pe_id, 2).missing_from(self.previous(pe_id, 2));
                self.reloads.push(Leaving {
                    digest: output_digest,
                    pe: pe_id,
                    final_output: false,
                    elements: missing,
                });
            }
            let leaves = match next {
                None => true,
                Some(next) => {
                    let after = &next[pe];
                    !after.active
                        || self.axes.footprint(2, &after.region) != *self.current(pe_id, 2)
                }
            };
            if leaves {
                self.leaving.push(Leaving {
                    digest: output_digest,
                    pe: pe_id,
                    final_output: work.final_output,
                    elements: self.current(pe_id, 2).elements(),
                });
            }
            let held = &mut self.held[pe];
            held.valid = true;
            held.region = work.region;
            held.step = step;
            held.output_resident = !leaves;
        }
        self.group_needs(plan);
        self.group_outputs(plan);
    }

    /// Multicast groups: PEs that need the same new elements of a tensor (same footprint, same held
    /// footprint) share one transfer. Transfers are ordered by their first destination, then tensor.
    fn group_needs(&mut self, plan: &mut Plan) {
        self.scratch_transfers.clear();
        self.scratch_destinations.clear();
        let mut needs = std::mem::take(&mut self.needs);
        let same = |planner: &Planner, a: &Need, b: &Need| {
            let tensor = usize::from(a.tensor);
            a.tensor == b.tensor
                && planner.current(a.pe, tensor) == planner.current(b.pe, tensor)
                && planner.previous(a.pe, tensor) == planner.previous(b.pe, tensor)
        };
        let exact = |planner: &Planner, a: &Need, b: &Need| {
            let (ta, tb) = (usize::from(a.tensor), usize::from(b.tensor));
            a.tensor
                .cmp(&b.tensor)
                .then_with(|| planner.current(a.pe, ta).cmp(planner.current(b.pe, tb)))
                .then_with(|| planner.previous(a.pe, ta).cmp(planner.previous(b.pe, tb)))
                .then(a.pe.cmp(&b.pe))
        };
        if self.multicast {
            needs.sort_unstable_by_key(|need| (need.tensor, need.digest, need.pe));
            // A run of equal digests whose footprints differ is a digest collision: order it by the
            // footprints themselves.
            let mut start = 0;
            while start < needs.len() {
                let mut end = start + 1;
                while end < needs.len()
                    && (needs[end].tensor, needs[end].digest)
                        == (needs[start].tensor, needs[start].digest)
                {
                    end += 1;
                }
                if needs[start + 1..end]
                    .iter()
                    .any(|need| !same(self, need, &needs[start]))
                {
                    needs[start..end].sort_unstable_by(|a, b| exact(self, a, b));
                }
                start = end;
            }
        }
        let mut index = 0;
        while index < needs.len() {
            let first = needs[index];
            let start = self.scratch_destinations.len() as u32;
            self.scratch_destinations.push(first.pe);
            index += 1;
            while self.multicast && index < needs.len() && same(self, &needs[index], &first) {
                self.scratch_destinations.push(needs[index].pe);
                index += 1;
            }
            let end = self.scratch_destinations.len() as u32;
            self.scratch_transfers.push(PlannedTransfer {
                tensor: Tensor::ALL[first.tensor as usize],
                elements: first.elements,
                delivered: first.elements * u64::from(end - start),
                destinations: start..end,
            });
        }
        self.needs = needs;
        if self.multicast {
            self.merge_overlapping();
        }
        // Partial-sum reloads: one per distinct output tile, to its first PE.
        let mut reloads = std::mem::take(&mut self.reloads);
        self.sort_outputs(&mut reloads);
        let mut index = 0;
        while index < reloads.len() {
            let first = reloads[index];
            while index < reloads.len()
                && self.current(reloads[index].pe, 2) == self.current(first.pe, 2)
            {
                index += 1;
            }
            if first.elements > 0 {
                let start = self.scratch_destinations.len() as u32;
                self.scratch_destinations.push(first.pe);
                self.scratch_transfers.push(PlannedTransfer {
                    tensor: Tensor::Output,
                    elements: first.elements,
                    delivered: first.elements,
                    destinations: start..start + 1,
                });
            }
        }
        self.reloads = reloads;
        self.order.clear();
        for (index, transfer) in self.scratch_transfers.iter().enumerate() {
            let first_pe = self.scratch_destinations[transfer.destinations.start as usize];
            self.order
                .push((first_pe, transfer.tensor as u8, index as u32));
        }
        self.order.sort_unstable();
        for &(_, _, index) in &self.order {
            let transfer = &self.scratch_transfers[index as usize];
            let start = plan.destination_list.len() as u32;
            plan.destination_list.extend_from_slice(
                &self.scratch_destinations
                    [transfer.destinations.start as usize..transfer.destinations.end as usize],
            );
            plan.transfers.push(PlannedTransfer {
                tensor: transfer.tensor,
                elements: transfer.elements,
                delivered: transfer.delivered,
                destinations: start..plan.destination_list.len() as u32,
            });
        }
    }

    /// The per-element multicast rule: groups of the same tensor whose missing elements overlap
    /// (transitively) become one transfer of the union of their missing elements, delivered to all
    /// their PEs. Groups whose needs are disjoint stay separate transfers.
    ///
    /// Two groups are linked when they hold the same tensor, their hulls intersect and the union of
    /// what they miss is smaller than the sum; the merged transfers are the connected components of
    /// that graph (each named by its lowest group), so the order in which links are found does not
    /// matter. Candidate pairs come from a sweep along the tensor axis on which the fewest hulls
    /// overlap, so a step costs `O(G log G)` plus the pairs that overlap on that axis, not `O(G²)`.
    fn merge_overlapping(&mut self) {
        let groups = self.scratch_transfers.len();
        self.parents.clear();
        self.parents.extend(0..groups as u32);
        fn root(parents: &mut [u32], mut node: u32) -> u32 {
            while parents[node as usize] != node {
                let grandparent = parents[parents[node as usize] as usize];
                parents[node as usize] = grandparent;
                node = grandparent;
            }
            node
        }
        self.hulls.clear();
        for group in 0..groups {
            let (tensor, pe) = self.representative(group);
            self.hulls.push(self.current(pe, tensor).hull());
        }
        let mut counter = std::mem::take(&mut self.union);
        let mut sweep = std::mem::take(&mut self.sweep);
        let mut merged_any = false;
        for tensor in 0..2 {
            sweep.clear();
            sweep.extend((0..groups as u32).filter(|&group| {
                self.scratch_transfers[group as usize].tensor as usize == tensor
                    && self.hulls[group as usize].volume() > 0
            }));
            if sweep.len() < 2 {
                continue;
            }
            let axis = self.sweep_axis(&mut sweep);
            let start = |planner: &Planner, group: u32| -> u64 {
                planner.hulls[group as usize].ranges()[axis].start
            };
            sweep.sort_unstable_by_key(|&group| (start(self, group), group));
            for (position, &a) in sweep.iter().enumerate() {
                let end_a = self.hulls[a as usize].ranges()[axis].end;
                for &b in &sweep[position + 1..] {
                    if start(self, b) >= end_a {
                        break;
                    }
                    let (low, high) = (a.min(b) as usize, a.max(b) as usize);
                    if self.hulls[low].intersect(&self.hulls[high]).volume() == 0 {
                        continue;
                    }
                    let (ra, rb) = (
                        root(&mut self.parents, low as u32),
                        root(&mut self.parents, high as u32),
                    );
                    if ra == rb {
                        continue;
                    }
                    let (pe_low, pe_high) =
                        (self.representative(low).1, self.representative(high).1);
                    let units = [
                        (self.current(pe_low, tensor), self.previous(pe_low, tensor)),
                        (
                            self.current(pe_high, tensor),
                            self.previous(pe_high, tensor),
                        ),
                    ];
                    let union = counter.missing_union(&units);
                    let separate = self.scratch_transfers[low].elements
                        + self.scratch_transfers[high].elements;
                    if union < separate {
                        self.parents[ra.max(rb) as usize] = ra.min(rb);
                        merged_any = true;
                    }
                }
            }
        }
        self.sweep = sweep;
        if !merged_any {
            self.union = counter;
            return;
        }
        // Members of each component, in group order: the root (its lowest group) first.
        self.component_members.clear();
        for group in 0..groups as u32 {
            let group_root = root(&mut self.parents, group);
            self.component_members.push((group_root, group));
        }
        self.component_members.sort_unstable();
        self.merged_transfers.clear();
        self.merged_destinations.clear();
        let mut index = 0;
        while index < self.component_members.len() {
            let group = self.component_members[index].0;
            self.members.clear();
            while index < self.component_members.len() && self.component_members[index].0 == group {
                self.members.push(self.component_members[index].1);
                index += 1;
            }
            let first = &self.scratch_transfers[group as usize];
            let tensor = first.tensor;
            let start = self.merged_destinations.len() as u32;
            let mut delivered = 0u64;
            for &member in &self.members {
                let transfer = &self.scratch_transfers[member as usize];
                delivered = delivered.saturating_add(transfer.delivered);
                self.merged_destinations.extend_from_slice(
                    &self.scratch_destinations
                        [transfer.destinations.start as usize..transfer.destinations.end as usize],
                );
            }
            let end = self.merged_destinations.len() as u32;
            self.merged_destinations[start as usize..end as usize].sort_unstable();
            let elements = if self.members.len() == 1 {
                first.elements
            } else {
                let tensor_index = tensor as usize;
                let units: Vec<(&Footprint, &Footprint)> = self
                    .members
                    .iter()
                    .map(|&member| {
                        let (_, pe) = self.representative(member as usize);
                        (
                            self.current(pe, tensor_index),
                            self.previous(pe, tensor_index),
                        )
                    })
                    .collect();
                counter.missing_union(&units)
            };
            self.merged_transfers.push(PlannedTransfer {
                tensor,
                elements,
                delivered,
                destinations: start..end,
            });
        }
        self.union = counter;
        std::mem::swap(&mut self.scratch_transfers, &mut self.merged_transfers);
        std::mem::swap(
            &mut self.scratch_destinations,
            &mut self.merged_destinations,
        );
    }

    /// The hull axis along which the fewest pairs of `groups`' hulls overlap (pairs counted from the
    /// sorted starts with a binary search per hull), so the sweep visits as few candidates as it can.
    fn sweep_axis(&mut self, groups: &mut [u32]) -> usize {
        let rank = self.hulls[groups[0] as usize].ranges().len();
        let mut best = (u64::MAX, 0);
        for axis in 0..rank {
            self.starts.clear();
            self.starts.extend(
                groups
                    .iter()
                    .map(|&group| self.hulls[group as usize].ranges()[axis].start),
            );
            self.starts.sort_unstable();
            let mut pairs = 0u64;
            for &group in groups.iter() {
                let range = self.hulls[group as usize].ranges()[axis];
                // Hulls starting inside this one, other than itself.
                let from = self.starts.partition_point(|&start| start < range.start);
                let to = self.starts.partition_point(|&start| start < range.end);
                pairs = pairs.saturating_add((to - from) as u64 - 1);
            }
            if pairs < best.0 {
                best = (pairs, axis);
            }
        }
        best.1
    }

    /// A group's tensor index and its first PE (all its PEs have the same footprints).
    fn representative(&self, group: usize) -> (usize, u32) {
        let transfer = &self.scratch_transfers[group];
        (
            transfer.tensor as usize,
            self.scratch_destinations[transfer.destinations.start as usize],
        )
    }

    /// Orders output records so that equal output tiles are adjacent, PEs ascending within them.
    fn sort_outputs(&self, records: &mut [Leaving]) {
        records.sort_unstable_by_key(|record| (record.digest, record.pe));
        let mut start = 0;
        while start < records.len() {
            let mut end = start + 1;
            while end < records.len() && records[end].digest == records[start].digest {
                end += 1;
            }
            let first = self.current(records[start].pe, 2);
            if records[start + 1..end]
                .iter()
                .any(|record| self.current(record.pe, 2) != first)
            {
                records[start..end].sort_unstable_by(|a, b| {
                    self.current(a.pe, 2)
                        .cmp(self.current(b.pe, 2))
                        .then(a.pe.cmp(&b.pe))
                });
            }
            start = end;
        }
    }

    /// Spatial-reduction groups: PEs whose identical output tiles leave in the same step.
    fn group_outputs(&mut self, plan: &mut Plan) {
        let mut leaving = std::mem::take(&mut self.leaving);
        self.sort_outputs(&mut leaving);
        let mut groups: usize = 0;
        let mut index = 0;
        while index < leaving.len() {
            let first = leaving[index];
            let start = plan.source_list.len() as u32;
            let mut final_output = true;
            while index < leaving.len()
                && self.current(leaving[index].pe, 2) == self.current(first.pe, 2)
            {
                plan.source_list.push(leaving[index].pe);
                final_output &= leaving[index].final_output;
                index += 1;
            }
            let sources = start..plan.source_list.len() as u32;
            let count = sources.len();
            plan.egress.push(PlannedEgress {
                elements: first.elements,
                sources,
                final_output,
                reduced_in_network: self.implicit_reduction || count == 1,
                output_box: self.current(first.pe, 2).hull(),
            });
            groups += 1;
        }
        self.leaving = leaving;
        // Deterministic order by first source PE.
        plan.egress[..groups].sort_by_key(|egress| plan.source_list[egress.sources.start as usize]);
    }

    /// After `blocks` skipped iterations of a loop whose iterations move regions by `translation`:
    /// every PE that was active since `since` now holds the translated tiles.
    pub fn translate_held(
        &mut self,
        since: u64,
        translation: Translation,
        blocks: u64,
        steps: u64,
    ) {
        let by = translation.amount.saturating_mul(blocks);
        for (held, footprints) in self.held.iter_mut().zip(&mut self.footprints) {
            if !held.valid || held.step < since {
                continue;
            }
            let range = held.region.range(translation.dim);
            held.region.set(
                translation.dim,
                range.start.saturating_add(by)..range.end.saturating_add(by),
            );
            let slot = usize::from(held.slot);
            for (tensor, footprint) in footprints[slot].iter_mut().enumerate() {
                *footprint = self.axes.footprint(tensor, &held.region);
            }
            held.step = held.step.saturating_add(steps);
        }
    }
}
