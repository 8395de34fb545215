//! A step's plan: who computes, which new data each PE needs (grouped into multicasts), which output
//! tiles leave (grouped into spatial reductions). Built from the PEs' work in the current and the next
//! step and from what each PE's L1 holds; independent of time.
//!
//! Grouping sorts the (footprint, held footprint, PE) records of the step: PEs needing the same new
//! elements end up adjacent and form one multicast; no hashing, and every buffer is reused across steps.

use crate::footprint::{Footprint, TensorAxes};
use crate::geometry::TensorBox;
use crate::schedule::{PeWork, Translation};
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
    pub elements: u64,
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

/// What a PE's L1 holds: the tiles of its last step with work.
#[derive(Clone, Copy, Debug)]
struct Held {
    region: Region,
    footprints: [Footprint; 3],
    /// The global step it was last active in.
    step: u64,
    /// Whether its output tile is still in L1 (it leaves when it changes or the PE falls idle).
    output_resident: bool,
}

/// One PE's need for new elements of one tensor.
#[derive(Clone, Copy, Debug)]
struct Need {
    tensor: u8,
    current: Footprint,
    held: Footprint,
    pe: u32,
    elements: u64,
}

/// One PE's output tile leaving (or being reloaded).
#[derive(Clone, Copy, Debug)]
struct Leaving {
    footprint: Footprint,
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
    held: Vec<Option<Held>>,
    needs: Vec<Need>,
    leaving: Vec<Leaving>,
    reloads: Vec<Leaving>,
    order: Vec<(u32, u8, u32)>,
    scratch_transfers: Vec<PlannedTransfer>,
    scratch_destinations: Vec<u32>,
}

impl Planner {
    pub fn new(
        accelerator: &Accelerator,
        axes: TensorAxes,
        layer_type: LayerType,
        pes: usize,
    ) -> Planner {
        Planner {
            axes,
            layer_type,
            simd_lanes: accelerator.simd_lanes.max(1),
            pipeline_latency: accelerator.mac_pipeline_latency,
            multicast: accelerator.distribution_noc.multicast,
            implicit_reduction: accelerator.collection_noc.implicit_reduction,
            held: vec![None; pes],
            needs: Vec::new(),
            leaving: Vec::new(),
            reloads: Vec::new(),
            order: Vec::new(),
            scratch_transfers: Vec::new(),
            scratch_destinations: Vec::new(),
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
            let footprints = [0, 1, 2].map(|tensor| self.axes.footprint(tensor, &work.region));
            let held = self.held[pe];
            let held_footprint = |tensor: usize| match held {
                Some(held) if tensor < 2 || held.output_resident => held.footprints[tensor],
                _ => Footprint::EMPTY,
            };
            let new_output = footprints[2] != held_footprint(2);
            let macs = work.region.volume(self.layer_type);
            plan.computes.push(PlannedCompute {
                pe: pe_id,
                cycles: macs
                    .div_ceil(self.simd_lanes)
                    .saturating_add(self.pipeline_latency),
                macs,
                new_output,
            });
            let held_elements: u64 = footprints.iter().map(Footprint::elements).sum();
            plan.peak_l1 = plan.peak_l1.max(held_elements);
            for (tensor, footprint) in footprints.iter().enumerate().take(2) {
                let previous = held_footprint(tensor);
                let missing = footprint.missing_from(&previous);
                if missing > 0 {
                    self.needs.push(Need {
                        tensor: tensor as u8,
                        current: *footprint,
                        held: previous,
                        pe: pe_id,
                        elements: missing,
                    });
                }
            }
            // A revisited output tile: its partial sums come back from L2, to one unit of the group.
            if new_output && work.revisit {
                let missing = footprints[2].missing_from(&held_footprint(2));
                self.reloads.push(Leaving {
                    footprint: footprints[2],
                    pe: pe_id,
                    final_output: false,
                    elements: missing,
                });
            }
            let leaves = match next {
                None => true,
                Some(next) => {
                    let after = &next[pe];
                    !after.active || self.axes.footprint(2, &after.region) != footprints[2]
                }
            };
            if leaves {
                self.leaving.push(Leaving {
                    footprint: footprints[2],
                    pe: pe_id,
                    final_output: work.final_output,
                    elements: footprints[2].elements(),
                });
            }
            self.held[pe] = Some(Held {
                region: work.region,
                footprints,
                step,
                output_resident: !leaves,
            });
        }
        self.group_needs(plan);
        self.group_outputs(plan);
    }

    /// Multicast groups: PEs that need the same new elements of a tensor (same footprint, same held
    /// footprint) share one transfer. Transfers are ordered by their first destination, then tensor.
    fn group_needs(&mut self, plan: &mut Plan) {
        self.scratch_transfers.clear();
        self.scratch_destinations.clear();
        if self.multicast {
            self.needs.sort_unstable_by(|a, b| {
                (a.tensor, &a.current, &a.held, a.pe).cmp(&(b.tensor, &b.current, &b.held, b.pe))
            });
        }
        let mut index = 0;
        while index < self.needs.len() {
            let first = self.needs[index];
            let start = self.scratch_destinations.len() as u32;
            self.scratch_destinations.push(first.pe);
            index += 1;
            while self.multicast
                && index < self.needs.len()
                && self.needs[index].tensor == first.tensor
                && self.needs[index].current == first.current
                && self.needs[index].held == first.held
            {
                self.scratch_destinations.push(self.needs[index].pe);
                index += 1;
            }
            self.scratch_transfers.push(PlannedTransfer {
                tensor: Tensor::ALL[first.tensor as usize],
                elements: first.elements,
                destinations: start..self.scratch_destinations.len() as u32,
            });
        }
        // Partial-sum reloads: one per distinct output tile, to its first PE.
        self.reloads
            .sort_unstable_by(|a, b| (&a.footprint, a.pe).cmp(&(&b.footprint, b.pe)));
        let mut index = 0;
        while index < self.reloads.len() {
            let first = self.reloads[index];
            while index < self.reloads.len() && self.reloads[index].footprint == first.footprint {
                index += 1;
            }
            if first.elements > 0 {
                let start = self.scratch_destinations.len() as u32;
                self.scratch_destinations.push(first.pe);
                self.scratch_transfers.push(PlannedTransfer {
                    tensor: Tensor::Output,
                    elements: first.elements,
                    destinations: start..start + 1,
                });
            }
        }
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
                destinations: start..plan.destination_list.len() as u32,
            });
        }
    }

    /// Spatial-reduction groups: PEs whose identical output tiles leave in the same step.
    fn group_outputs(&mut self, plan: &mut Plan) {
        self.leaving
            .sort_unstable_by(|a, b| (&a.footprint, a.pe).cmp(&(&b.footprint, b.pe)));
        let mut groups: usize = 0;
        let mut index = 0;
        while index < self.leaving.len() {
            let first = self.leaving[index];
            let start = plan.source_list.len() as u32;
            let mut final_output = true;
            while index < self.leaving.len() && self.leaving[index].footprint == first.footprint {
                plan.source_list.push(self.leaving[index].pe);
                final_output &= self.leaving[index].final_output;
                index += 1;
            }
            let sources = start..plan.source_list.len() as u32;
            let count = sources.len();
            plan.egress.push(PlannedEgress {
                elements: first.elements,
                sources,
                final_output,
                reduced_in_network: self.implicit_reduction || count == 1,
                output_box: first.footprint.hull(),
            });
            groups += 1;
        }
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
        for held in self.held.iter_mut().flatten() {
            if held.step < since {
                continue;
            }
            let range = held.region.range(translation.dim);
            held.region.set(
                translation.dim,
                range.start.saturating_add(by)..range.end.saturating_add(by),
            );
            held.footprints = [0, 1, 2].map(|tensor| self.axes.footprint(tensor, &held.region));
            held.step = held.step.saturating_add(steps);
        }
    }
}
