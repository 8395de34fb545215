//! The timing engine: plays one step's plan against the state of PEs and links.
//!
//! Time is integer cycles. A link of bandwidth `B` moves `B` elements per cycle and serves transfers
//! in the order they become ready (ties: plan order); its state is the next free *element slot*
//! (`cycle × B` plus the elements already sent in that cycle), so a transfer that ends mid-cycle leaves
//! the rest of the cycle to the next one. A transfer of `n` elements on a route starts on each link at
//! `max(ready, link free)`, arrives when its last link has carried it plus `hops × hop_latency`; a lone
//! transfer therefore takes `ceil(n / B) + hops × hop_latency` cycles, as the contract says.
//!
//! Every operation is a max of state values plus constants, so shifting every state value the plan
//! reads or writes by `Δ` cycles (`Δ·B` slots on a link) shifts every result by `Δ`. The engine logs the
//! first read or write of each state component inside each open *window* (one per loop of the global
//! schedule) with its value; the executor uses the log to see whether a window moved all of them by the
//! same `Δ`, and to move them again in closed form.

use crate::counters::Counters;
use crate::error::SimError;
use crate::memory;
use crate::noc::{LinkSpec, NocTopology, L2_READ_PORT, L2_WRITE_PORT, OFFCHIP_LINK};
use crate::plan::Plan;
use crate::trace::{TraceEvent, TraceSink};
use maestro_ir::{LinkId, Tensor};

const CE1: usize = 0;
const CE2: usize = 1;
const EG1: usize = 2;
const EG2: usize = 3;
const PE_SLOTS: usize = 4;
/// Last output write-back, compute front, and the two working-set release times.
const GLOBAL_SLOTS: usize = 4;

/// Hardware parameters the engine needs.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub distribution_hop_latency: u64,
    pub collection_hop_latency: u64,
    pub offchip_latency: u64,
    pub double_buffered: bool,
    /// L2 cannot hold the layer: final outputs go on to off-chip memory as they reach L2.
    pub stream_outputs: bool,
    /// The link write-backs use: the off-chip link itself with half duplex, else the write direction
    /// (the last link).
    pub offchip_write: LinkId,
    /// Loads and write-backs share the off-chip link: it serves them in the order they become ready
    /// (see [`Engine::flush_writebacks`]).
    pub half_duplex: bool,
}

/// The first values of the state components touched since a window opened.
#[derive(Debug, Default)]
struct Window {
    epoch: u64,
    log: Vec<(u32, u64)>,
    /// The write-backs waiting for the off-chip link when the window opened.
    pending: Vec<(u64, u64)>,
}

/// State of every PE and link.
#[derive(Debug)]
pub struct Engine {
    pub links: Vec<LinkSpec>,
    distribution: Box<dyn NocTopology>,
    collection: Box<dyn NocTopology>,
    timing: Timing,
    pes: usize,
    /// Per PE: [compute end of the last step, of the step before, egress done of the last output tile,
    /// of the one before] in cycles; then every link's next free slot; then the arrival of the last
    /// output written back to off-chip memory (when outputs stream), the compute front (the latest
    /// compute end so far) and the times the last two working sets were released (see `execute`).
    state: Vec<u64>,
    /// Slots per cycle of each component (a link's bandwidth; 1 for the others).
    scale: Vec<u64>,
    last_touch: Vec<u64>,
    epoch: u64,
    windows: Vec<Window>,
    horizon: u64,
    overflowed: bool,
    arrivals: Vec<u64>,
    offchip_bound: Vec<bool>,
    route: Vec<LinkId>,
    order: Vec<(u64, u32)>,
    egress_items: Vec<(u32, Option<u32>)>,
    /// Half duplex: final outputs waiting for the off-chip link, (ready cycle, elements) in the order
    /// they became ready (ties: the order they were produced).
    pending_writebacks: Vec<(u64, u64)>,
}

fn traffic(counters: &mut Counters, tensor: Tensor) -> &mut crate::report::TensorTraffic {
    match tensor {
        Tensor::Input => &mut counters.tensors.input,
        Tensor::Weight => &mut counters.tensors.weight,
        Tensor::Output => &mut counters.tensors.output,
    }
}

impl Engine {
    pub fn new(
        pes: usize,
        links: Vec<LinkSpec>,
        distribution: Box<dyn NocTopology>,
        collection: Box<dyn NocTopology>,
        timing: Timing,
        windows: usize,
        layer: &str,
    ) -> Result<Engine, SimError> {
        let components = pes
            .saturating_mul(PE_SLOTS)
            .saturating_add(links.len() + GLOBAL_SLOTS);
        let what = "timing state";
        let mut scale = memory::filled(1u64, components, layer, what)?;
        for (slot, link) in scale[pes * PE_SLOTS..].iter_mut().zip(&links) {
            *slot = link.bandwidth.max(1);
        }
        Ok(Engine {
            state: memory::filled(0, components, layer, what)?,
            scale,
            last_touch: memory::filled(0, components, layer, what)?,
            epoch: 0,
            windows: (0..windows).map(|_| Window::default()).collect(),
            horizon: 0,
            overflowed: false,
            links,
            distribution,
            collection,
            timing,
            pes,
            arrivals: memory::filled(0, pes, layer, what)?,
            offchip_bound: memory::filled(false, pes, layer, what)?,
            route: Vec::new(),
            order: Vec::new(),
            egress_items: Vec::new(),
            pending_writebacks: Vec::new(),
        })
    }

    fn pe_slot(pe: u32, which: usize) -> usize {
        pe as usize * PE_SLOTS + which
    }

    fn link_slot(&self, link: LinkId) -> usize {
        self.pes * PE_SLOTS + link.index()
    }

    fn written_back_slot(&self) -> usize {
        self.state.len() - GLOBAL_SLOTS
    }

    /// When the last output streamed to off-chip memory arrived there (0 if none did).
    pub fn written_back(&self) -> u64 {
        self.state[self.written_back_slot()]
    }

    fn front_slot(&self) -> usize {
        self.state.len() - 3
    }

    fn released_slot(&self, which: usize) -> usize {
        self.state.len() - 2 + which
    }

    /// Logs component `c` in every open window that has not seen it yet.
    fn touch(&mut self, c: usize) {
        let last = self.last_touch[c];
        let Some(innermost) = self.windows.last() else {
            return;
        };
        if last >= innermost.epoch {
            return;
        }
        let value = self.state[c];
        // Window epochs grow from the outermost to the innermost window.
        for window in self.windows.iter_mut().rev() {
            if window.epoch > last {
                window.log.push((c as u32, value));
            } else {
                break;
            }
        }
        self.last_touch[c] = self.epoch;
    }

    fn get(&mut self, c: usize) -> u64 {
        self.touch(c);
        self.state[c]
    }

    fn set(&mut self, c: usize, value: u64) {
        self.touch(c);
        self.state[c] = value;
        self.horizon = self.horizon.max(value.div_ceil(self.scale[c]));
    }

    /// The latest time anything finished so far.
    pub fn horizon(&self) -> u64 {
        self.horizon
    }

    /// Whether some time left the `u64` range.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// Opens window `index` afresh (windows must be opened outermost first).
    pub fn open_window(&mut self, index: usize) {
        self.epoch += 1;
        let window = &mut self.windows[index];
        window.epoch = self.epoch;
        window.log.clear();
        window.pending.clone_from(&self.pending_writebacks);
    }

    /// If every component window `index` touched moved by the same number of cycles since it was
    /// logged, that number.
    pub fn uniform_shift(&self, index: usize) -> Option<u64> {
        let mut shift = None;
        for &(c, old) in &self.windows[index].log {
            let c = c as usize;
            let moved = self.state[c].checked_sub(old)?;
            let scale = self.scale[c];
            if moved % scale != 0 {
                return None;
            }
            let cycles = moved / scale;
            match shift {
                None => shift = Some(cycles),
                Some(s) if s == cycles => {}
                Some(_) => return None,
            }
        }
        // Waiting write-backs are state too: the same ones, moved by the same number of cycles.
        let before = &self.windows[index].pending;
        if before.len() != self.pending_writebacks.len() {
            return None;
        }
        for (&(old, old_elements), &(now, elements)) in before.iter().zip(&self.pending_writebacks)
        {
            let moved = now.checked_sub(old)?;
            if elements != old_elements || shift.is_some_and(|s| s != moved) {
                return None;
            }
            shift = Some(moved);
        }
        Some(shift.unwrap_or(0))
    }

    /// Moves every component window `index` touched `cycles` later. Returns `false` on overflow.
    pub fn shift_window(&mut self, index: usize, cycles: u64) -> bool {
        for position in 0..self.windows[index].log.len() {
            let c = self.windows[index].log[position].0 as usize;
            let Some(value) = cycles
                .checked_mul(self.scale[c])
                .and_then(|by| self.state[c].checked_add(by))
            else {
                self.overflowed = true;
                return false;
            };
            self.state[c] = value;
            self.horizon = self.horizon.max(value.div_ceil(self.scale[c]));
        }
        for entry in &mut self.pending_writebacks {
            let Some(ready) = entry.0.checked_add(cycles) else {
                self.overflowed = true;
                return false;
            };
            entry.0 = ready;
        }
        true
    }

    /// Half duplex: puts the write-backs that became ready at or before `until` (all of them with
    /// `None`) on the off-chip link, in the order they became ready. A load is put on the link only
    /// after the write-backs ready before it, so the shared link serves both in arrival order
    /// rather than in the order the steps were played.
    pub fn flush_writebacks(&mut self, until: Option<u64>, counters: &mut Counters) {
        let due = match until {
            Some(cycle) => self
                .pending_writebacks
                .partition_point(|&(ready, _)| ready <= cycle),
            None => self.pending_writebacks.len(),
        };
        if due == 0 {
            return;
        }
        let mut pending = std::mem::take(&mut self.pending_writebacks);
        for &(ready, elements) in &pending[..due] {
            self.write_back(ready, elements, counters);
        }
        pending.drain(..due);
        self.pending_writebacks = pending;
    }

    /// Puts `elements` of final outputs, in L2 at `ready`, on the off-chip write link.
    fn write_back(&mut self, ready: u64, elements: u64, counters: &mut Counters) {
        self.route.clear();
        self.route.push(self.timing.offchip_write);
        let end = self.occupy(ready, elements, counters);
        let stored = end.saturating_add(self.timing.offchip_latency);
        counters.latencies.push((2, stored - ready, 1));
        let slot = self.written_back_slot();
        if stored > self.get(slot) {
            self.set(slot, stored);
        }
    }

    /// Occupies the links in `self.route` with `elements`; returns the cycle the last one is done.
    fn occupy(&mut self, ready: u64, elements: u64, counters: &mut Counters) -> u64 {
        let mut end = ready;
        for index in 0..self.route.len() {
            let link = self.route[index];
            let c = self.link_slot(link);
            let bandwidth = self.scale[c];
            let free = self.get(c);
            let Some(start) = ready.checked_mul(bandwidth).map(|slot| slot.max(free)) else {
                self.overflowed = true;
                return u64::MAX;
            };
            let done = start.saturating_add(elements);
            self.set(c, done);
            counters.link_busy.push((link.0, elements));
            end = end.max(done.div_ceil(bandwidth));
        }
        end
    }

    /// A whole-tensor off-chip transfer outside the step loop (the epilogue store).
    pub fn offchip_bulk(&mut self, ready: u64, elements: u64, counters: &mut Counters) -> u64 {
        if elements == 0 {
            return ready;
        }
        self.route.clear();
        self.route.push(self.timing.offchip_write);
        let end = self.occupy(ready, elements, counters);
        let arrival = end.saturating_add(self.timing.offchip_latency);
        counters.latencies.push((2, arrival - ready, 1));
        arrival
    }

    /// Plays `plan` as step `step`, adding what it did to `counters`.
    pub fn execute(
        &mut self,
        step: u64,
        plan: &Plan,
        mut trace: Option<&mut (dyn TraceSink + '_)>,
        counters: &mut Counters,
    ) -> std::io::Result<()> {
        if let Some(sink) = trace.as_deref_mut() {
            sink.record(&TraceEvent::Step { step })?;
        }
        // Off-chip: the step's new working set streams into L2 into the half of L2 that the working
        // set before the previous one occupied: L2 double-buffers working sets, so loads run at most
        // one working set ahead of the computation. Loads queue on the off-chip link like any
        // transfer; their latency overlaps the next load (contract §5).
        let offchip_elements: u64 = plan.offchip_reads.iter().sum();
        let mut offchip_arrival = 0;
        if offchip_elements > 0 {
            let (front_slot, newer, older) = (
                self.front_slot(),
                self.released_slot(0),
                self.released_slot(1),
            );
            let ready = self.get(older);
            let previous_release = self.get(newer);
            self.set(older, previous_release);
            let front = self.get(front_slot);
            self.set(newer, front);
            if self.timing.half_duplex {
                self.flush_writebacks(Some(ready), counters);
            }
            self.route.clear();
            self.route.push(OFFCHIP_LINK);
            let end = self.occupy(ready, offchip_elements, counters);
            offchip_arrival = end.saturating_add(self.timing.offchip_latency);
            counters.latencies.push((2, offchip_arrival - ready, 1));
            for (tensor, &elements) in Tensor::ALL.iter().zip(&plan.offchip_reads) {
                let t = traffic(counters, *tensor);
                t.offchip_reads += elements;
                t.l2_writes += elements;
            }
            if let Some(sink) = trace.as_deref_mut() {
                sink.record(&TraceEvent::Offchip {
                    step,
                    elements: offchip_elements,
                    write: false,
                    start: ready,
                    arrival: offchip_arrival,
                })?;
            }
        }

        // Distribution: a transfer is ready when its data is in L2 and every destination has a free slot.
        for compute in &plan.computes {
            self.arrivals[compute.pe as usize] = 0;
            self.offchip_bound[compute.pe as usize] = false;
        }
        let buffer_slot = if self.timing.double_buffered {
            CE2
        } else {
            CE1
        };
        self.order.clear();
        for (index, transfer) in plan.transfers.iter().enumerate() {
            let mut ready = offchip_arrival;
            for &pe in plan.destinations(transfer) {
                ready = ready.max(self.get(Self::pe_slot(pe, buffer_slot)));
            }
            self.order.push((ready, index as u32));
        }
        self.order.sort_unstable();
        for position in 0..self.order.len() {
            let (ready, index) = self.order[position];
            let transfer = &plan.transfers[index as usize];
            let destinations = plan.destinations(transfer);
            self.route.clear();
            self.route.push(L2_READ_PORT);
            let hops = self.distribution.route(destinations, &mut self.route);
            let end = self.occupy(ready, transfer.elements, counters);
            let arrival =
                end.saturating_add(hops.saturating_mul(self.timing.distribution_hop_latency));
            counters.latencies.push((0, arrival - ready, 1));
            for &pe in destinations {
                let slot = &mut self.arrivals[pe as usize];
                if arrival > *slot {
                    *slot = arrival;
                    self.offchip_bound[pe as usize] = offchip_elements > 0;
                }
            }
            let t = traffic(counters, transfer.tensor);
            t.l2_reads += transfer.elements;
            t.noc_elements_sent += transfer.elements;
            t.noc_elements_delivered += transfer.delivered;
            t.l1_writes += transfer.delivered;
            if transfer.tensor == Tensor::Output {
                t.partial_sum_reloads += transfer.delivered;
            }
            if let Some(sink) = trace.as_deref_mut() {
                sink.record(&TraceEvent::Distribution {
                    step,
                    tensor: transfer.tensor,
                    elements: transfer.elements,
                    destinations,
                    start: ready,
                    arrival,
                })?;
            }
        }

        // Compute: operands present, previous step done, output buffer free if the tile is new.
        let egress_slot = if self.timing.double_buffered {
            EG2
        } else {
            EG1
        };
        let mut macs = 0u64;
        for compute in &plan.computes {
            let pe = compute.pe;
            let previous_end = self.get(Self::pe_slot(pe, CE1));
            let arrival = self.arrivals[pe as usize];
            let output_free = if compute.new_output {
                self.get(Self::pe_slot(pe, egress_slot))
            } else {
                0
            };
            let start = previous_end.max(arrival).max(output_free);
            let gap = start - previous_end;
            if gap > 0 {
                // The part of the wait before the step's off-chip data reached L2 is the off-chip
                // memory's; the rest belongs to whichever of ingress or egress finished last.
                let offchip_part = if self.offchip_bound[pe as usize] {
                    offchip_arrival.saturating_sub(previous_end).min(gap)
                } else {
                    0
                };
                counters.stalls.waiting_for_offchip += offchip_part;
                if output_free > arrival {
                    counters.stalls.waiting_for_egress += gap - offchip_part;
                } else {
                    counters.stalls.waiting_for_input += gap - offchip_part;
                }
            }
            let end = start.saturating_add(compute.cycles);
            counters.stalls.computing += compute.cycles;
            macs += compute.macs;
            self.set(Self::pe_slot(pe, CE2), previous_end);
            self.set(Self::pe_slot(pe, CE1), end);
            let front_slot = self.front_slot();
            let front = self.get(front_slot);
            if end > front {
                self.set(front_slot, end);
            }
            if let Some(sink) = trace.as_deref_mut() {
                sink.record(&TraceEvent::Compute {
                    step,
                    pe,
                    macs: compute.macs,
                    start,
                    end,
                })?;
            }
        }
        counters.macs += macs;
        counters.tensors.input.l1_reads += macs;
        counters.tensors.weight.l1_reads += macs;
        counters.tensors.output.l1_reads += macs;
        counters.tensors.output.l1_writes += macs;

        // Egress: an output tile leaves when its producers have finished.
        self.order.clear();
        self.egress_items.clear();
        for (index, egress) in plan.egress.iter().enumerate() {
            let sources = plan.sources(egress);
            if egress.reduced_in_network {
                let mut ready = 0;
                for &pe in sources {
                    ready = ready.max(self.get(Self::pe_slot(pe, CE1)));
                }
                self.order.push((ready, self.egress_items.len() as u32));
                self.egress_items.push((index as u32, None));
            } else {
                for &pe in sources {
                    let ready = self.get(Self::pe_slot(pe, CE1));
                    self.order.push((ready, self.egress_items.len() as u32));
                    self.egress_items.push((index as u32, Some(pe)));
                }
            }
        }
        self.order.sort_unstable();
        for position in 0..self.order.len() {
            let (ready, item) = self.order[position];
            let (index, single) = self.egress_items[item as usize];
            let egress = &plan.egress[index as usize];
            let single_source = single.map(|pe| [pe]);
            let sources: &[u32] = match &single_source {
                Some(one) => one,
                None => plan.sources(egress),
            };
            self.route.clear();
            self.route.push(L2_WRITE_PORT);
            let hops = self.collection.route(sources, &mut self.route);
            let end = self.occupy(ready, egress.elements, counters);
            let arrival =
                end.saturating_add(hops.saturating_mul(self.timing.collection_hop_latency));
            counters.latencies.push((1, arrival - ready, 1));
            let first_contribution =
                single.map_or(true, |pe| Some(&pe) == plan.sources(egress).first());
            if self.timing.stream_outputs && first_contribution && egress.final_output {
                // A final output that L2 cannot keep goes on to off-chip memory once it is in L2;
                // with half duplex it waits for the loads that became ready before it.
                if self.timing.half_duplex {
                    let at = self
                        .pending_writebacks
                        .partition_point(|&(ready, _)| ready <= arrival);
                    self.pending_writebacks
                        .insert(at, (arrival, egress.elements));
                } else {
                    self.write_back(arrival, egress.elements, counters);
                }
            }
            for &pe in sources {
                let previous = self.get(Self::pe_slot(pe, EG1));
                self.set(Self::pe_slot(pe, EG2), previous);
                self.set(Self::pe_slot(pe, EG1), arrival);
            }
            let contributors = plan.sources(egress).len() as u64;
            let out = &mut counters.tensors.output;
            out.noc_elements_sent += egress.elements;
            out.noc_elements_delivered += egress.elements;
            out.l1_reads += egress.elements * sources.len() as u64;
            out.l2_writes += egress.elements;
            if !first_contribution {
                // Without in-network reduction L2 accumulates: read, add, write back.
                out.l2_reads += egress.elements;
            }
            if egress.reduced_in_network {
                out.reductions += egress.elements * (contributors - 1);
            }
            if first_contribution && egress.final_output {
                out.final_writes += egress.elements;
            } else {
                out.partial_sum_writes += egress.elements;
            }
            if let Some(sink) = trace.as_deref_mut() {
                sink.record(&TraceEvent::Collection {
                    step,
                    elements: egress.elements,
                    sources,
                    final_output: egress.final_output && first_contribution,
                    output_box: &egress.output_box,
                    start: ready,
                    arrival,
                })?;
            }
        }
        Ok(())
    }

    /// The PEs whose last compute ended after `cycle` (for the watchdog's message).
    pub fn pes_busy_after(&self, cycle: u64) -> Vec<u32> {
        (0..self.pes as u32)
            .filter(|&pe| self.state[Self::pe_slot(pe, CE1)] > cycle)
            .collect()
    }
}
