//! The timing engine: plays one step's plan against the state of PEs and links. Time is integer cycles;
//! transfers of a step are issued in ready-time order through the (cycle, sequence) event queue, so ties
//! are served FIFO; a transfer occupies every link of its route for `ceil(n / bandwidth)` cycles once all
//! of them are free, and arrives `hops × hop_latency` cycles after its occupancy ends.

use crate::geometry::TensorBox;
use crate::noc::{LinkSpec, NocTopology, L2_READ_PORT, L2_WRITE_PORT, OFFCHIP_LINK};
use crate::queue::EventQueue;
use crate::report::{PerTensor, StallBreakdown, TensorTraffic};
use crate::trace::{TraceEvent, TraceSink};
use hdrhistogram::Histogram;
use maestro_ir::{Cycles, LinkId, Tensor};

/// A PE's compute in a step.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    pub destinations: Vec<u32>,
}

/// An output tile leaving PEs for L2 at the end of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedEgress {
    pub elements: u64,
    pub sources: Vec<u32>,
    pub final_output: bool,
    /// Whether the collection network adds the sources' partial sums (one transfer) or each travels.
    pub reduced_in_network: bool,
    pub output_box: TensorBox,
}

/// Everything one step does, independent of time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepPlan {
    pub computes: Vec<PlannedCompute>,
    pub transfers: Vec<PlannedTransfer>,
    pub egress: Vec<PlannedEgress>,
    /// Elements loaded from off-chip memory into L2 before this step's transfers may start.
    pub offchip_reads: [u64; 3],
    pub peak_l1: u64,
}

impl StepPlan {
    /// State components this plan writes (see `Engine::state`).
    pub fn touched(&self, engine: &Engine) -> Vec<usize> {
        let mut touched = Vec::new();
        for compute in &self.computes {
            touched.extend([Engine::slot(compute.pe, CE1), Engine::slot(compute.pe, CE2)]);
        }
        let mut route = Vec::new();
        for transfer in &self.transfers {
            route.clear();
            route.push(L2_READ_PORT);
            engine
                .topology
                .distribution_route(&transfer.destinations, &mut route);
            touched.extend(route.iter().map(|&l| engine.link_slot(l)));
        }
        for egress in &self.egress {
            for &pe in &egress.sources {
                touched.extend([Engine::slot(pe, EG1), Engine::slot(pe, EG2)]);
                route.clear();
                route.push(L2_WRITE_PORT);
                engine.topology.collection_route(&[pe], &mut route);
                engine
                    .topology
                    .collection_route(&egress.sources, &mut route);
                touched.extend(route.iter().map(|&l| engine.link_slot(l)));
            }
        }
        if self.offchip_reads.iter().any(|&n| n > 0) {
            touched.extend([engine.link_slot(OFFCHIP_LINK), engine.floor_slot()]);
        }
        touched.sort_unstable();
        touched.dedup();
        touched
    }
}

const CE1: usize = 0;
const CE2: usize = 1;
const EG1: usize = 2;
const EG2: usize = 3;
const PE_SLOTS: usize = 4;

/// Counters that a step adds; kept apart so identical steps can be added `k` times at once.
#[derive(Clone, Debug, Default)]
pub struct StepCounters {
    pub tensors: PerTensor,
    pub stalls: StallBreakdown,
    pub macs: u64,
    pub link_busy: Vec<(usize, u64)>,
    /// (kind 0 = distribution, 1 = collection, 2 = off-chip, latency).
    pub latencies: Vec<(u8, u64)>,
}

/// Hardware parameters the engine needs.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub distribution_hop_latency: u64,
    pub collection_hop_latency: u64,
    pub offchip_latency: u64,
    pub double_buffered: bool,
}

/// State of every PE and link, and the accumulated statistics.
#[derive(Debug)]
pub struct Engine {
    pub links: Vec<LinkSpec>,
    pub topology: Box<dyn NocTopology>,
    pub timing: Timing,
    /// Per PE: [compute end of the last step, of the step before, egress done of the last output tile,
    /// of the one before]; then every link's next free cycle; then the off-chip floor.
    pub state: Vec<u64>,
    pes: usize,
    pub link_busy: Vec<u64>,
    pub histograms: [Histogram<u64>; 3],
    pub tensors: PerTensor,
    pub stalls: StallBreakdown,
    pub macs: u64,
    queue: EventQueue<usize>,
    arrivals: Vec<u64>,
    offchip_bound: Vec<bool>,
    route: Vec<LinkId>,
}

fn traffic(tensors: &mut PerTensor, tensor: Tensor) -> &mut TensorTraffic {
    match tensor {
        Tensor::Input => &mut tensors.input,
        Tensor::Weight => &mut tensors.weight,
        Tensor::Output => &mut tensors.output,
    }
}

fn add_traffic(total: &mut TensorTraffic, step: &TensorTraffic, times: u64) {
    let pairs = [
        (&mut total.l2_reads, step.l2_reads),
        (&mut total.l2_writes, step.l2_writes),
        (&mut total.l1_reads, step.l1_reads),
        (&mut total.l1_writes, step.l1_writes),
        (&mut total.noc_elements_sent, step.noc_elements_sent),
        (
            &mut total.noc_elements_delivered,
            step.noc_elements_delivered,
        ),
        (&mut total.reductions, step.reductions),
        (&mut total.offchip_reads, step.offchip_reads),
        (&mut total.offchip_writes, step.offchip_writes),
        (&mut total.partial_sum_writes, step.partial_sum_writes),
        (&mut total.partial_sum_reloads, step.partial_sum_reloads),
        (&mut total.final_writes, step.final_writes),
    ];
    for (slot, value) in pairs {
        *slot = slot.saturating_add(value.saturating_mul(times));
    }
}

fn new_histogram() -> Histogram<u64> {
    Histogram::new(3).unwrap_or_else(|_| unreachable!("3 significant figures is a valid precision"))
}

impl Engine {
    pub fn new(
        pes: usize,
        links: Vec<LinkSpec>,
        topology: Box<dyn NocTopology>,
        timing: Timing,
    ) -> Engine {
        let link_count = links.len();
        Engine {
            state: vec![0; pes * PE_SLOTS + link_count + 1],
            link_busy: vec![0; link_count],
            links,
            topology,
            timing,
            pes,
            histograms: [new_histogram(), new_histogram(), new_histogram()],
            tensors: PerTensor::default(),
            stalls: StallBreakdown::default(),
            macs: 0,
            queue: EventQueue::new(),
            arrivals: vec![0; pes],
            offchip_bound: vec![false; pes],
            route: Vec::new(),
        }
    }

    fn slot(pe: u32, which: usize) -> usize {
        pe as usize * PE_SLOTS + which
    }

    fn link_slot(&self, link: LinkId) -> usize {
        self.pes * PE_SLOTS + link.index()
    }

    fn floor_slot(&self) -> usize {
        self.state.len() - 1
    }

    /// The latest time anything finished so far.
    pub fn horizon(&self) -> u64 {
        self.state.iter().copied().max().unwrap_or(0)
    }

    /// Occupies the links in `self.route` for `elements`; returns (start, end of occupancy).
    fn occupy(&mut self, ready: u64, elements: u64, counters: &mut StepCounters) -> (u64, u64) {
        let mut start = ready;
        for &link in &self.route {
            start = start.max(self.state[self.pes * PE_SLOTS + link.index()]);
        }
        let mut end = start;
        for &link in &self.route {
            let duration = elements.div_ceil(self.links[link.index()].bandwidth.max(1));
            let slot = self.pes * PE_SLOTS + link.index();
            self.state[slot] = start.saturating_add(duration);
            counters.link_busy.push((link.index(), duration));
            end = end.max(start.saturating_add(duration));
        }
        (start, end)
    }

    /// A whole-tensor off-chip transfer outside the step loop (the prologue load or epilogue store).
    pub fn offchip_bulk(
        &mut self,
        ready: u64,
        elements: u64,
        write: bool,
        counters: &mut StepCounters,
    ) -> u64 {
        if elements == 0 {
            return ready;
        }
        self.route.clear();
        self.route.push(OFFCHIP_LINK);
        let (_, end) = self.occupy(ready, elements, counters);
        let arrival = end.saturating_add(self.timing.offchip_latency);
        counters.latencies.push((2, arrival - ready));
        let _ = write;
        arrival
    }

    /// Plays `plan` as step `step`; returns the counters the step added.
    pub fn execute(
        &mut self,
        step: u64,
        plan: &StepPlan,
        mut trace: Option<&mut (dyn TraceSink + '_)>,
    ) -> std::io::Result<StepCounters> {
        let mut counters = StepCounters::default();
        if let Some(sink) = trace.as_deref_mut() {
            sink.record(&TraceEvent::Step { step })?;
        }
        // Off-chip: the step's new working set streams into L2 after the previous one arrived.
        let offchip_elements: u64 = plan.offchip_reads.iter().sum();
        let mut offchip_arrival = 0;
        if offchip_elements > 0 {
            let floor_slot = self.floor_slot();
            let ready = self.state[floor_slot];
            self.route.clear();
            self.route.push(OFFCHIP_LINK);
            let (start, end) = self.occupy(ready, offchip_elements, &mut counters);
            offchip_arrival = end.saturating_add(self.timing.offchip_latency);
            self.state[floor_slot] = offchip_arrival;
            counters.latencies.push((2, offchip_arrival - ready));
            for (tensor, &elements) in Tensor::ALL.iter().zip(&plan.offchip_reads) {
                let t = traffic(&mut counters.tensors, *tensor);
                t.offchip_reads += elements;
                t.l2_writes += elements;
            }
            if let Some(sink) = trace.as_deref_mut() {
                sink.record(&TraceEvent::Offchip {
                    step,
                    elements: offchip_elements,
                    write: false,
                    start,
                    arrival: offchip_arrival,
                })?;
            }
        }

        // Distribution: a transfer is ready when its data is in L2 and every destination has a free slot.
        for compute in &plan.computes {
            self.arrivals[compute.pe as usize] = 0;
            self.offchip_bound[compute.pe as usize] = false;
        }
        for (index, transfer) in plan.transfers.iter().enumerate() {
            let mut ready = offchip_arrival;
            for &pe in &transfer.destinations {
                let slot = if self.timing.double_buffered {
                    CE2
                } else {
                    CE1
                };
                ready = ready.max(self.state[Self::slot(pe, slot)]);
            }
            self.queue.push(Cycles(ready), index);
        }
        while let Some((Cycles(ready), index)) = self.queue.pop() {
            let transfer = &plan.transfers[index];
            self.route.clear();
            self.route.push(L2_READ_PORT);
            let hops = self
                .topology
                .distribution_route(&transfer.destinations, &mut self.route);
            let (start, end) = self.occupy(ready, transfer.elements, &mut counters);
            let arrival =
                end.saturating_add(hops.saturating_mul(self.timing.distribution_hop_latency));
            counters.latencies.push((0, arrival - ready));
            let by_offchip = offchip_elements > 0;
            for &pe in &transfer.destinations {
                let slot = &mut self.arrivals[pe as usize];
                if arrival > *slot {
                    *slot = arrival;
                    self.offchip_bound[pe as usize] = by_offchip;
                }
            }
            let receivers = transfer.destinations.len() as u64;
            let t = traffic(&mut counters.tensors, transfer.tensor);
            t.l2_reads += transfer.elements;
            t.noc_elements_sent += transfer.elements;
            t.noc_elements_delivered += transfer.elements * receivers;
            t.l1_writes += transfer.elements * receivers;
            if transfer.tensor == Tensor::Output {
                t.partial_sum_reloads += transfer.elements * receivers;
            }
            if let Some(sink) = trace.as_deref_mut() {
                sink.record(&TraceEvent::Distribution {
                    step,
                    tensor: transfer.tensor,
                    elements: transfer.elements,
                    destinations: &transfer.destinations,
                    start,
                    arrival,
                })?;
            }
        }

        // Compute: operands present, previous step done, output buffer free if the tile is new.
        for compute in &plan.computes {
            let pe = compute.pe;
            let previous_end = self.state[Self::slot(pe, CE1)];
            let arrival = self.arrivals[pe as usize];
            let egress_slot = if self.timing.double_buffered {
                EG2
            } else {
                EG1
            };
            let output_free = if compute.new_output {
                self.state[Self::slot(pe, egress_slot)]
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
            counters.macs += compute.macs;
            self.state[Self::slot(pe, CE2)] = previous_end;
            self.state[Self::slot(pe, CE1)] = end;
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
        for tensor in [Tensor::Input, Tensor::Weight] {
            traffic(&mut counters.tensors, tensor).l1_reads += counters.macs;
        }
        counters.tensors.output.l1_reads += counters.macs;
        counters.tensors.output.l1_writes += counters.macs;

        // Egress: an output tile leaves when its producers have finished.
        let mut egress_items: Vec<(usize, Option<u32>)> = Vec::new();
        for (index, egress) in plan.egress.iter().enumerate() {
            if egress.reduced_in_network {
                let ready = egress
                    .sources
                    .iter()
                    .map(|&pe| self.state[Self::slot(pe, CE1)])
                    .max()
                    .unwrap_or(0);
                egress_items.push((index, None));
                self.queue.push(Cycles(ready), egress_items.len() - 1);
            } else {
                for &pe in &egress.sources {
                    egress_items.push((index, Some(pe)));
                    self.queue.push(
                        Cycles(self.state[Self::slot(pe, CE1)]),
                        egress_items.len() - 1,
                    );
                }
            }
        }
        while let Some((Cycles(ready), item)) = self.queue.pop() {
            let (index, single) = egress_items[item];
            let egress = &plan.egress[index];
            let single_source = single.map(|pe| [pe]);
            let sources: &[u32] = match &single_source {
                Some(one) => one,
                None => &egress.sources,
            };
            self.route.clear();
            self.route.push(L2_WRITE_PORT);
            let hops = self.topology.collection_route(sources, &mut self.route);
            let (start, end) = self.occupy(ready, egress.elements, &mut counters);
            let arrival =
                end.saturating_add(hops.saturating_mul(self.timing.collection_hop_latency));
            counters.latencies.push((1, arrival - ready));
            for &pe in sources {
                let previous = self.state[Self::slot(pe, EG1)];
                self.state[Self::slot(pe, EG2)] = previous;
                self.state[Self::slot(pe, EG1)] = arrival;
            }
            let contributors = egress.sources.len() as u64;
            let out = &mut counters.tensors.output;
            out.noc_elements_sent += egress.elements;
            out.noc_elements_delivered += egress.elements;
            out.l1_reads += egress.elements * sources.len() as u64;
            out.l2_writes += egress.elements;
            let first_contribution = single.map_or(true, |pe| Some(&pe) == egress.sources.first());
            if !first_contribution {
                // Without in-network reduction L2 accumulates: read, add, write back.
                out.l2_reads += egress.elements;
            }
            if egress.reduced_in_network {
                out.reductions += egress.elements * (contributors - 1);
            }
            if first_contribution {
                if egress.final_output {
                    out.final_writes += egress.elements;
                } else {
                    out.partial_sum_writes += egress.elements;
                }
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
                    start,
                    arrival,
                })?;
            }
        }
        Ok(counters)
    }

    /// Adds a step's counters `times` times.
    pub fn accumulate(&mut self, counters: &StepCounters, times: u64) {
        add_traffic(&mut self.tensors.input, &counters.tensors.input, times);
        add_traffic(&mut self.tensors.weight, &counters.tensors.weight, times);
        add_traffic(&mut self.tensors.output, &counters.tensors.output, times);
        let stalls = &mut self.stalls;
        let s = &counters.stalls;
        stalls.computing = stalls
            .computing
            .saturating_add(s.computing.saturating_mul(times));
        stalls.waiting_for_input = stalls
            .waiting_for_input
            .saturating_add(s.waiting_for_input.saturating_mul(times));
        stalls.waiting_for_egress = stalls
            .waiting_for_egress
            .saturating_add(s.waiting_for_egress.saturating_mul(times));
        stalls.waiting_for_offchip = stalls
            .waiting_for_offchip
            .saturating_add(s.waiting_for_offchip.saturating_mul(times));
        self.macs = self
            .macs
            .saturating_add(counters.macs.saturating_mul(times));
        for &(link, busy) in &counters.link_busy {
            self.link_busy[link] = self.link_busy[link].saturating_add(busy.saturating_mul(times));
        }
        for &(kind, latency) in &counters.latencies {
            // Values beyond the histogram's range are clamped to its highest trackable value.
            let _ = self.histograms[kind as usize].record_n(latency, times);
        }
    }

    /// Copies the components in `touched`.
    pub fn snapshot(&self, touched: &[usize], into: &mut Vec<u64>) {
        into.clear();
        into.extend(touched.iter().map(|&i| self.state[i]));
    }

    /// If every touched component moved by the same amount since `before`, that amount.
    pub fn uniform_shift(&self, touched: &[usize], before: &[u64]) -> Option<u64> {
        let mut shift = None;
        for (&i, &old) in touched.iter().zip(before) {
            let delta = self.state[i].checked_sub(old)?;
            match shift {
                None => shift = Some(delta),
                Some(s) if s == delta => {}
                Some(_) => return None,
            }
        }
        shift
    }

    /// Moves every touched component `by` cycles later (closed-form replay of identical steps).
    pub fn shift(&mut self, touched: &[usize], by: u64) {
        for &i in touched {
            self.state[i] = self.state[i].saturating_add(by);
        }
    }

    /// The PEs whose last compute ended after `cycle` (for the watchdog's message).
    pub fn pes_busy_after(&self, cycle: u64) -> Vec<u32> {
        (0..self.pes as u32)
            .filter(|&pe| self.state[Self::slot(pe, CE1)] > cycle)
            .collect()
    }
}
