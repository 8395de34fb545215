//! The network: terminals with unbounded source queues, input-queued virtual-channel routers
//! (route computation, separable input-first VC and switch allocation with round-robin arbiters,
//! crossbar), channels with latency, and credit-based flow control, stepped cycle by cycle with
//! idle stretches skipped.
//!
//! Timing (BookSim2 `iq` router): a head flit buffered at cycle `a` bids for a VC at `a +
//! routing_delay`; a VC granted at `v` lets it bid for the switch at `v + vc_alloc_delay`; a switch
//! grant at `w` frees the buffer slot, sends a credit upstream (usable there at `w +
//! sw_alloc_delay + latency + credit_delay`), and buffers the flit downstream at `w +
//! sw_alloc_delay + st_prepare_delay + st_final_delay + latency`. Body flits bid for the switch as
//! soon as they are at the front of an active VC, one per VC per `sw_alloc_delay`.

use crate::config::NocConfig;
use crate::error::NocError;
use crate::stats::{NetworkStats, StatsCollector};
use crate::topology::{RouteOption, Topology, FIRST_TERMINAL_PORT};
use std::collections::VecDeque;

/// Simulation time in cycles.
pub type Cycle = u64;

const NO_PORT: u8 = u8::MAX;

/// `(value + offset) % modulus` for `value, offset < modulus`, without a division (the
/// allocators' round-robin distances sit in the innermost loops).
#[inline]
fn wrap_add(value: usize, offset: usize, modulus: usize) -> usize {
    let sum = value + offset;
    if sum >= modulus {
        sum - modulus
    } else {
        sum
    }
}

/// Buckets of the event wheel: a power of two above the longest channel delay.
fn wheel_size(config: &NocConfig) -> usize {
    let longest = u64::from(config.sw_alloc_delay)
        + config.crossbar_delay()
        + 2 * u64::from(config.channel_latency.max(config.terminal_latency))
        + u64::from(config.credit_delay)
        + 2;
    (longest as usize + 1).next_power_of_two()
}

/// The round-robin distance from `pointer` forward to `index`, both below `modulus`.
#[inline]
fn distance_from(pointer: usize, index: usize, modulus: usize) -> usize {
    if index >= pointer {
        index - pointer
    } else {
        index + modulus - pointer
    }
}

/// Where a packet goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// One node.
    Unicast(usize),
    /// Several nodes: replicated along a dimension-order tree in the routers (or sent as
    /// unicasts when multicast is off).
    Multicast(Vec<usize>),
    /// The packets of all `sources` are combined on their way to `sink` (in the routers where
    /// their paths meet when reduction is on); the packet's own source must be one of them.
    Reduction {
        /// The group's identifier (unique among the groups in flight).
        group: u64,
        /// Every contributor of the group.
        sources: Vec<usize>,
        /// Where the reduced value goes.
        sink: usize,
    },
}

/// A packet handed to the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacketRequest {
    /// The injecting node.
    pub source: usize,
    /// Where it goes.
    pub destination: Destination,
    /// Length in flits (at least 1).
    pub size: u32,
    /// The caller's label, returned with each delivery.
    pub tag: u64,
    /// Whether its latencies count in the statistics.
    pub measured: bool,
}

/// A packet (or, for a reduction group, the whole group) that has arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The tag given at injection.
    pub tag: u64,
    /// The node that received it.
    pub node: usize,
    /// When the packet was handed to the network.
    pub created: Cycle,
    /// When its head flit left the source queue.
    pub injected: Cycle,
    /// When its tail flit arrived.
    pub arrived: Cycle,
    /// Routers traversed (BookSim's hop count: one more than the links between routers).
    pub hops: u32,
}

#[derive(Clone, Copy, Debug)]
struct Flit {
    packet: u32,
    /// What a plain unicast head needs for routing, carried in the flit so that routing does not
    /// touch the packet table: the destination node and the source's router.
    destination: u32,
    source_router: u32,
    tail: bool,
    measured: bool,
    /// Multicast copies and reduction packets: routing consults the packet.
    special: bool,
    injected: Cycle,
}

#[derive(Clone, Debug)]
struct Packet {
    tag: u64,
    source: usize,
    source_router: usize,
    size: u32,
    created: Cycle,
    injected: Cycle,
    measured: bool,
    hops: u32,
    /// Unicast destination node, or `usize::MAX` for a multicast packet.
    destination: usize,
    /// A multicast packet's destinations (empty otherwise).
    destinations: Vec<usize>,
    /// The reduction group's index, if the packet belongs to one.
    group: Option<u32>,
    /// How many contributions the packet carries (reduction), 1 otherwise.
    weight: u32,
    /// The router whose adder produced the packet (it is not absorbed there again).
    combined_at: usize,
    /// Source-queue entries may not leave before this cycle (combined packets wait for the adder).
    ready: Cycle,
    /// Live references (queued, in buffers or on channels) before the slot can be reused.
    alive: bool,
    /// Handed in by the caller (not a multicast copy or a combined packet): counted in flight.
    counted: bool,
}

/// Something on a channel between routers, due at a known cycle.
#[derive(Clone, Copy, Debug)]
enum ChannelEvent {
    /// A flit reaches an input buffer.
    Flit {
        router: u32,
        port: u8,
        vc: u8,
        flit: Flit,
    },
    /// A credit for an output VC becomes usable.
    Credit { router: u32, port: u8, vc: u8 },
    /// A flit reaches its destination terminal.
    Eject { node: u32, flit: Flit },
    /// A credit for an injection VC reaches its terminal.
    TerminalCredit { node: u32, vc: u8 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VcState {
    Idle,
    Routing,
    VcAllocation,
    Active,
}

#[derive(Clone, Copy, Debug)]
struct Branch {
    port: u8,
    out_vc: u8,
    packet: u32,
}

#[derive(Clone, Debug)]
struct InputVc {
    buffer: VecDeque<Flit>,
    state: VcState,
    /// The earliest cycle of the next allocation bid (VC or switch, by state).
    ready: Cycle,
    options: [RouteOption; 3],
    option_count: u8,
    /// Unicast: one branch. Multicast: one per output port of the tree. Empty until allocated.
    branches: Vec<Branch>,
    /// Branches allocated so far (multicast acquires one VC per branch).
    allocated: u8,
    /// Bit mask of branches the front flit has been sent to.
    served: u32,
    /// Absorbing the packet into this router's adder (reduction).
    absorbing: bool,
}

#[derive(Clone, Copy, Debug)]
struct OutputVc {
    credits: u32,
    in_use: bool,
    free_at: Cycle,
}

#[derive(Clone, Debug)]
struct Router {
    inputs: Vec<InputVc>,
    outputs: Vec<OutputVc>,
    vc_input_pointer: Vec<u16>,
    vc_output_pointer: Vec<u16>,
    sw_vc_pointer: Vec<u8>,
    sw_input_pointer: Vec<u8>,
    sw_output_pointer: Vec<u8>,
    buffered: u32,
    /// One bit per input VC (port-major) whose buffer holds a flit: the stages visit only these.
    occupied: Vec<u64>,
    /// The earliest cycle at which the router can do anything: a flit or credit arrives, or a
    /// buffered flit's next stage is due. Until then the router is skipped.
    wake: Cycle,
    /// The last cycle the router was stepped (its buffers only change then).
    last_visit: Cycle,
    /// Input VCs waiting for route computation, for VC allocation, and absorbing into the adder:
    /// the stages with nothing to do are skipped.
    routing_vcs: u32,
    allocating_vcs: u32,
    absorbing_vcs: u32,
    /// Reduction: contributions absorbed per group (group index → count, weight).
    absorbed: Vec<(u32, u32, u32)>,
}

impl Router {
    /// Input VC `index` has its head flit's route (`count` of `options`, and the multicast
    /// `branches`): it waits for output VCs, or, absorbed into a reduction here, goes on at once.
    fn finish_routing(
        &mut self,
        index: usize,
        options: [RouteOption; 3],
        count: usize,
        absorbing: bool,
        branches: Vec<Branch>,
        now: Cycle,
    ) {
        self.routing_vcs -= 1;
        if absorbing {
            self.absorbing_vcs += 1;
        } else {
            self.allocating_vcs += 1;
        }
        let input = &mut self.inputs[index];
        input.options = options;
        input.option_count = count as u8;
        input.allocated = 0;
        input.served = 0;
        input.absorbing = absorbing;
        input.branches = branches;
        if absorbing {
            input.state = VcState::Active;
            input.ready = now;
        } else {
            input.state = VcState::VcAllocation;
        }
    }
}

#[derive(Clone, Debug)]
struct Terminal {
    queue: VecDeque<u32>,
    /// Flits of the front packet already sent.
    sent: u32,
    current_vc: Option<u8>,
    last_vc: u8,
    credits: Vec<u32>,
    in_use: Vec<bool>,
}

#[derive(Clone, Debug)]
struct Group {
    tag: u64,
    contributions: u32,
    received: u32,
    /// Contributions each router waits for before combining (0: not a merge point).
    expected: Vec<u32>,
    created: Cycle,
    injected: Cycle,
    hops: u32,
    alive: bool,
}

/// The whole network. Build it with [`Network::new`], hand it packets with [`Network::inject`],
/// move time with [`Network::step`] or [`Network::advance_to`], and collect [`Delivery`]s.
#[derive(Debug)]
pub struct Network {
    config: NocConfig,
    topology: Topology,
    ports: usize,
    vcs: usize,
    now: Cycle,
    routers: Vec<Router>,
    terminals: Vec<Terminal>,
    packets: Vec<Packet>,
    free_packets: Vec<u32>,
    groups: Vec<Group>,
    free_groups: Vec<u32>,
    deliveries: Vec<Delivery>,
    /// Flits inside the network (buffers and channels), for idle skipping and conservation.
    flits_in_network: u64,
    queued_packets: u64,
    measured_in_flight: u64,
    last_progress: Cycle,
    stats: StatsCollector,
    scratch_split: Vec<Vec<usize>>,
    scratch_requests: Vec<(usize, usize, usize)>,
    scratch_slots: Vec<u16>,
    /// The input port of each VC slot (`slot / num_vcs`, without a division).
    slot_port: Vec<u8>,
    /// Channel events by due cycle modulo the wheel's size (a power of two larger than any delay).
    wheel: Vec<Vec<ChannelEvent>>,
    /// One bit per terminal with a packet in its source queue.
    sending: Vec<u64>,
}

impl Network {
    /// Builds a network; the configuration is checked first.
    pub fn new(config: &NocConfig) -> Result<Self, NocError> {
        config.validate()?;
        let topology = Topology::new(config);
        let ports = topology.ports();
        let vcs = config.num_vcs as usize;
        let router = Router {
            inputs: vec![
                InputVc {
                    buffer: VecDeque::with_capacity(config.vc_buf_size.min(64) as usize),
                    state: VcState::Idle,
                    ready: 0,
                    options: [RouteOption {
                        port: 0,
                        vc_low: 0,
                        vc_high: 0
                    }; 3],
                    option_count: 0,
                    branches: Vec::new(),
                    allocated: 0,
                    served: 0,
                    absorbing: false,
                };
                ports * vcs
            ],
            outputs: vec![
                OutputVc {
                    credits: config.vc_buf_size,
                    in_use: false,
                    free_at: 0,
                };
                ports * vcs
            ],
            vc_input_pointer: vec![0; ports * vcs],
            vc_output_pointer: vec![0; ports * vcs],
            sw_vc_pointer: vec![0; ports],
            sw_input_pointer: vec![0; ports],
            sw_output_pointer: vec![0; ports],
            buffered: 0,
            occupied: vec![0; (ports * vcs).div_ceil(64)],
            wake: Cycle::MAX,
            last_visit: 0,
            routing_vcs: 0,
            allocating_vcs: 0,
            absorbing_vcs: 0,
            absorbed: Vec::new(),
        };
        let terminal = Terminal {
            queue: VecDeque::new(),
            sent: 0,
            current_vc: None,
            last_vc: 0,
            credits: vec![config.vc_buf_size; vcs],
            in_use: vec![false; vcs],
        };
        let stats = StatsCollector::new(topology.routers(), ports);
        Ok(Network {
            config: config.clone(),
            ports,
            vcs,
            now: 0,
            routers: vec![router; topology.routers()],
            terminals: vec![terminal; topology.nodes()],
            packets: Vec::new(),
            free_packets: Vec::new(),
            groups: Vec::new(),
            free_groups: Vec::new(),
            deliveries: Vec::new(),
            flits_in_network: 0,
            queued_packets: 0,
            measured_in_flight: 0,
            last_progress: 0,
            stats,
            scratch_split: vec![Vec::new(); ports],
            scratch_requests: Vec::new(),
            scratch_slots: Vec::new(),
            slot_port: (0..ports * vcs).map(|slot| (slot / vcs) as u8).collect(),
            wheel: vec![Vec::new(); wheel_size(config)],
            sending: vec![0; topology.nodes().div_ceil(64)],
            topology,
        })
    }

    /// The configuration the network was built from.
    pub fn config(&self) -> &NocConfig {
        &self.config
    }

    /// The network's geometry.
    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    /// The current cycle (the next one [`Network::step`] simulates).
    pub fn now(&self) -> Cycle {
        self.now
    }

    /// Whether nothing is queued or in flight.
    pub fn is_idle(&self) -> bool {
        self.flits_in_network == 0 && self.queued_packets == 0
    }

    /// Flits inside routers and on channels.
    pub fn flits_in_network(&self) -> u64 {
        self.flits_in_network
    }

    /// Packets waiting in source queues (including the one being sent).
    pub fn queued_packets(&self) -> u64 {
        self.queued_packets
    }

    /// Measured packets handed in and not yet delivered.
    pub fn measured_in_flight(&self) -> u64 {
        self.measured_in_flight
    }

    /// BookSim's saturation estimate: the sum and count of measured packet latencies plus the
    /// ages of all packets still queued or in flight.
    pub fn measured_latency_with_in_flight(&self) -> (u128, u64) {
        let (mut sum, mut count) = self.stats.packet_latency_sum();
        for packet in self
            .packets
            .iter()
            .filter(|packet| packet.alive && packet.counted)
        {
            sum += u128::from(self.now.saturating_sub(packet.created));
            count += 1;
        }
        (sum, count)
    }

    /// The statistics gathered so far.
    pub fn stats(&self) -> NetworkStats {
        self.stats.summary(self.now, &self.topology)
    }

    /// Forgets the statistics gathered so far (the warm-up of a run), keeping the network state.
    pub fn reset_stats(&mut self) {
        self.stats.reset(self.now);
    }

    /// Takes the deliveries recorded since the last call.
    pub fn take_deliveries(&mut self) -> Vec<Delivery> {
        std::mem::take(&mut self.deliveries)
    }

    /// Deliveries recorded and not yet taken.
    pub fn deliveries(&self) -> &[Delivery] {
        &self.deliveries
    }

    /// Hands a packet to the network at the current cycle: it joins its source's queue.
    pub fn inject(&mut self, request: &PacketRequest) -> Result<(), NocError> {
        let nodes = self.topology.nodes();
        if request.source >= nodes {
            return Err(NocError::Packet(format!(
                "source node {} outside the network's {nodes} nodes",
                request.source
            )));
        }
        if request.size == 0 || request.size > crate::config::MAX_PACKET_SIZE {
            return Err(NocError::Packet(format!(
                "size must be between 1 and {} flits, found {}",
                crate::config::MAX_PACKET_SIZE,
                request.size
            )));
        }
        let check = |node: usize| {
            if node >= nodes {
                Err(NocError::Packet(format!(
                    "destination node {node} outside the network's {nodes} nodes"
                )))
            } else {
                Ok(())
            }
        };
        match &request.destination {
            Destination::Unicast(node) => {
                check(*node)?;
                self.enqueue(request, *node, Vec::new(), None);
            }
            Destination::Multicast(list) => {
                if list.is_empty() {
                    return Err(NocError::Packet("a multicast needs a destination".into()));
                }
                for &node in list {
                    check(node)?;
                }
                let mut list = list.clone();
                list.sort_unstable();
                list.dedup();
                if self.config.multicast && list.len() > 1 {
                    self.enqueue(request, usize::MAX, list, None);
                } else {
                    for node in list {
                        self.enqueue(request, node, Vec::new(), None);
                    }
                }
            }
            Destination::Reduction {
                group,
                sources,
                sink,
            } => {
                check(*sink)?;
                if sources.is_empty() || !sources.contains(&request.source) {
                    return Err(NocError::Packet(
                        "a reduction packet's source must be one of its group's sources".into(),
                    ));
                }
                for &node in sources {
                    check(node)?;
                }
                let index = self.group_index(*group, sources, *sink);
                self.enqueue(request, *sink, Vec::new(), Some(index));
            }
        }
        Ok(())
    }

    fn group_index(&mut self, group: u64, sources: &[usize], sink: usize) -> u32 {
        if let Some(found) = self
            .groups
            .iter()
            .position(|existing| existing.alive && existing.tag == group)
        {
            return found as u32;
        }
        let mut sources = sources.to_vec();
        sources.sort_unstable();
        sources.dedup();
        let routers = self.topology.routers();
        let mut expected = vec![0u32; routers];
        if self.config.reduction {
            let (sink_router, _) = self.topology.attachment(sink);
            let mut edges = std::collections::BTreeSet::new();
            for &source in &sources {
                let (source_router, _) = self.topology.attachment(source);
                expected[source_router] += 1;
                let path = self
                    .topology
                    .dimension_order_path(source_router, sink_router);
                for pair in path.windows(2) {
                    if edges.insert((pair[0], pair[1])) {
                        expected[pair[1]] += 1;
                    }
                }
            }
            expected[sink_router] = 0;
            for count in expected.iter_mut() {
                if *count < 2 {
                    *count = 0;
                }
            }
        }
        let entry = Group {
            tag: group,
            contributions: sources.len() as u32,
            received: 0,
            expected,
            created: self.now,
            injected: Cycle::MAX,
            hops: 0,
            alive: true,
        };
        reuse_slot(&mut self.groups, &mut self.free_groups, entry)
    }

    fn allocate_packet(&mut self, packet: Packet) -> u32 {
        reuse_slot(&mut self.packets, &mut self.free_packets, packet)
    }

    fn release_packet(&mut self, packet: u32) {
        let entry = &mut self.packets[packet as usize];
        if entry.counted && entry.measured {
            self.measured_in_flight -= 1;
        }
        entry.alive = false;
        entry.destinations = Vec::new();
        self.free_packets.push(packet);
    }

    fn enqueue(
        &mut self,
        request: &PacketRequest,
        destination: usize,
        destinations: Vec<usize>,
        group: Option<u32>,
    ) {
        let (source_router, _) = self.topology.attachment(request.source);
        let packet = Packet {
            tag: request.tag,
            source: request.source,
            source_router,
            size: request.size,
            created: self.now,
            injected: Cycle::MAX,
            measured: request.measured,
            hops: 0,
            destination,
            destinations,
            group,
            weight: 1,
            combined_at: usize::MAX,
            ready: self.now,
            alive: true,
            counted: true,
        };
        let id = self.allocate_packet(packet);
        self.terminals[request.source].queue.push_back(id);
        self.sending[request.source / 64] |= 1 << (request.source % 64);
        self.queued_packets += 1;
        if request.measured {
            self.measured_in_flight += 1;
        }
    }

    /// Simulates cycles until `end` (exclusive), skipping stretches in which nothing is queued or in
    /// flight.
    pub fn advance_to(&mut self, end: Cycle) -> Result<(), NocError> {
        while self.now < end {
            if self.is_idle() {
                // Only credits can still be on their way: return them all before time jumps.
                for bucket in 0..self.wheel.len() {
                    for event in std::mem::take(&mut self.wheel[bucket]) {
                        match event {
                            ChannelEvent::Credit { router, port, vc } => {
                                let state = &mut self.routers[router as usize];
                                state.outputs[port as usize * self.vcs + vc as usize].credits += 1;
                            }
                            ChannelEvent::TerminalCredit { node, vc } => {
                                self.terminals[node as usize].credits[vc as usize] += 1;
                            }
                            ChannelEvent::Flit { .. } | ChannelEvent::Eject { .. } => {}
                        }
                    }
                }
                self.stats.idle_until(self.now, end);
                self.now = end;
                self.last_progress = end;
                break;
            }
            self.step()?;
        }
        Ok(())
    }

    /// Simulates until every queued and in-flight packet has been delivered, or `limit` cycles
    /// have passed (an error).
    pub fn drain(&mut self, limit: Cycle) -> Result<(), NocError> {
        let end = self.now.saturating_add(limit);
        while !self.is_idle() {
            if self.now >= end {
                return Err(NocError::CycleLimit(limit));
            }
            self.step()?;
        }
        Ok(())
    }

    /// Simulates one cycle.
    pub fn step(&mut self) -> Result<(), NocError> {
        let now = self.now;
        self.deliver_channel_events(now);
        for word in 0..self.sending.len() {
            let mut bits = self.sending[word];
            while bits != 0 {
                let node = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                self.terminal_send(node, now);
            }
        }
        for router in 0..self.routers.len() {
            let state = &self.routers[router];
            if state.wake > now {
                continue;
            }
            self.router_step(router, now);
        }
        self.stats.cycle_done(self.flits_in_network);
        self.now += 1;
        if self.flits_in_network > 0
            && self.now.saturating_sub(self.last_progress) > u64::from(self.config.deadlock_timeout)
        {
            return Err(self.deadlock_error());
        }
        if self.flits_in_network == 0 {
            self.last_progress = self.now;
        }
        Ok(())
    }

    fn deadlock_error(&self) -> NocError {
        let routers: Vec<String> = self
            .routers
            .iter()
            .enumerate()
            .filter(|(_, router)| router.buffered > 0)
            .map(|(index, _)| {
                let (x, y) = self.topology.coordinates(index);
                format!("({x},{y})")
            })
            .collect();
        NocError::Deadlock {
            cycle: self.now,
            idle_cycles: self.now - self.last_progress,
            routers: routers.join(" "),
        }
    }

    fn eject(&mut self, node: usize, flit: Flit, now: Cycle) {
        self.flits_in_network -= 1;
        self.last_progress = now;
        self.stats
            .flit_ejected(flit.measured, now.saturating_sub(flit.injected));
        if !flit.tail {
            return;
        }
        let packet = self.packets[flit.packet as usize].clone();
        if let Some(group) = packet.group {
            let entry = &mut self.groups[group as usize];
            entry.received += packet.weight;
            entry.injected = entry.injected.min(packet.injected);
            entry.hops = entry.hops.max(packet.hops);
            if entry.received >= entry.contributions {
                let delivery = Delivery {
                    tag: entry.tag,
                    node,
                    created: entry.created,
                    injected: entry.injected,
                    arrived: now,
                    hops: entry.hops,
                };
                entry.alive = false;
                entry.expected = Vec::new();
                self.free_groups.push(group);
                self.stats.packet_delivered(&delivery, packet.measured);
                self.deliveries.push(delivery);
            }
        } else {
            let delivery = Delivery {
                tag: packet.tag,
                node,
                created: packet.created,
                injected: packet.injected,
                arrived: now,
                // Plain unicasts are not counted on the way: routing is minimal, so they
                // traverse the routers of a shortest path.
                hops: if flit.special {
                    packet.hops
                } else {
                    let (destination_router, _) = self.topology.attachment(node);
                    (self
                        .topology
                        .distance(packet.source_router, destination_router)
                        + 1) as u32
                },
            };
            self.stats.packet_delivered(&delivery, packet.measured);
            self.deliveries.push(delivery);
        }
        self.release_packet(flit.packet);
    }

    /// BookSim's injection: one flit per cycle per terminal; a head takes the next free VC (round
    /// robin after the last one used) with a credit; body flits follow on it while credits last.
    fn terminal_send(&mut self, node: usize, now: Cycle) {
        let vcs = self.vcs;
        let terminal = &mut self.terminals[node];
        let Some(&packet_id) = terminal.queue.front() else {
            return;
        };
        let packet = &mut self.packets[packet_id as usize];
        if packet.ready > now {
            return;
        }
        let vc = match terminal.current_vc {
            Some(vc) => vc as usize,
            None => {
                let mut chosen = None;
                for offset in 1..=vcs {
                    let vc = (terminal.last_vc as usize + offset) % vcs;
                    if !terminal.in_use[vc] && terminal.credits[vc] > 0 {
                        chosen = Some(vc);
                        break;
                    }
                }
                let Some(vc) = chosen else {
                    return;
                };
                terminal.in_use[vc] = true;
                terminal.last_vc = vc as u8;
                terminal.current_vc = Some(vc as u8);
                packet.injected = now;
                vc
            }
        };
        if terminal.credits[vc] == 0 {
            return;
        }
        terminal.credits[vc] -= 1;
        terminal.sent += 1;
        let tail = terminal.sent == packet.size;
        let special = packet.group.is_some() || packet.destination == usize::MAX;
        let flit = Flit {
            packet: packet_id,
            destination: if special {
                u32::MAX
            } else {
                packet.destination as u32
            },
            source_router: packet.source_router as u32,
            tail,
            measured: packet.measured,
            special,
            injected: now,
        };
        if tail {
            terminal.queue.pop_front();
            if terminal.queue.is_empty() {
                self.sending[node / 64] &= !(1 << (node % 64));
            }
            terminal.sent = 0;
            terminal.current_vc = None;
            terminal.in_use[vc] = false;
            self.queued_packets -= 1;
        }
        let measured = packet.measured;
        let (router, port) = self.topology.attachment(node);
        let arrival = now + 1 + u64::from(self.config.terminal_latency);
        self.schedule(
            arrival,
            ChannelEvent::Flit {
                router: router as u32,
                port: port as u8,
                vc: vc as u8,
                flit,
            },
        );
        self.flits_in_network += 1;
        self.last_progress = now;
        self.stats.flit_injected(measured);
    }

    /// The input VCs of `router` holding flits, in ascending (port-major) order.
    fn occupied_slots(&mut self, router: usize) -> Vec<u16> {
        let mut slots = std::mem::take(&mut self.scratch_slots);
        slots.clear();
        for (word_index, &word) in self.routers[router].occupied.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                slots.push((word_index * 64 + bits.trailing_zeros() as usize) as u16);
                bits &= bits - 1;
            }
        }
        slots
    }

    fn router_step(&mut self, router: usize, now: Cycle) {
        let state = &mut self.routers[router];
        // Buffer occupancy integrated over the cycles since the last visit.
        let held = u64::from(state.buffered) * now.saturating_sub(state.last_visit);
        state.last_visit = now;
        self.stats.router_occupancy(router, held);
        if self.routers[router].buffered > 0 {
            // Route computation and VC allocation change VC states only, and switch
            // allocation gathers its bids before any flit leaves: one list serves all three.
            let slots = self.occupied_slots(router);
            self.route_heads(router, now, &slots);
            self.allocate_vcs(router, now, &slots);
            self.allocate_switch(router, now, &slots);
            self.scratch_slots = slots;
        }
        self.schedule_wake(router, now);
    }

    /// The next cycle the router has work: its earliest pending flit or credit, or the next
    /// stage of a buffered flit (every cycle while a flit competes for a VC or the switch; a
    /// flit waiting for a credit waits for the credit's arrival).
    fn schedule_wake(&mut self, router: usize, now: Cycle) {
        let vcs = self.vcs;
        let state = &mut self.routers[router];
        let mut wake = Cycle::MAX;
        if state.buffered > 0 {
            for (word_index, &word) in state.occupied.iter().enumerate() {
                let mut bits = word;
                while bits != 0 {
                    let index = word_index * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let input = &state.inputs[index];
                    let due = input.ready.max(now + 1);
                    match input.state {
                        VcState::Idle => {}
                        VcState::Routing | VcState::VcAllocation => wake = wake.min(due),
                        VcState::Active => {
                            let blocked_on_credit = !input.absorbing
                                && input
                                    .branches
                                    .iter()
                                    .enumerate()
                                    .find(|(b, _)| input.served & (1 << b) == 0)
                                    .is_some_and(|(_, branch)| {
                                        state.outputs
                                            [branch.port as usize * vcs + branch.out_vc as usize]
                                            .credits
                                            == 0
                                    });
                            if !blocked_on_credit {
                                wake = wake.min(due);
                            }
                        }
                    }
                }
            }
        }
        state.wake = wake;
    }

    fn schedule(&mut self, time: Cycle, event: ChannelEvent) {
        let mask = self.wheel.len() - 1;
        self.wheel[time as usize & mask].push(event);
    }

    /// Applies the flits and credits due now: flits enter their input buffers (a head at the
    /// front of an idle VC starts route computation), credits return to their output VCs, and
    /// the routers concerned are woken.
    fn deliver_channel_events(&mut self, now: Cycle) {
        let mask = self.wheel.len() - 1;
        let bucket = now as usize & mask;
        if self.wheel[bucket].is_empty() {
            return;
        }
        let events = std::mem::take(&mut self.wheel[bucket]);
        let vcs = self.vcs;
        let routing_delay = u64::from(self.config.routing_delay);
        for event in &events {
            match *event {
                ChannelEvent::Eject { node, flit } => self.eject(node as usize, flit, now),
                ChannelEvent::TerminalCredit { node, vc } => {
                    self.terminals[node as usize].credits[vc as usize] += 1;
                }
                ChannelEvent::Credit { router, port, vc } => {
                    let state = &mut self.routers[router as usize];
                    let output = &mut state.outputs[port as usize * vcs + vc as usize];
                    // Only a flit waiting for this output VC's first credit needs the router now;
                    // every other flit has its own wake time.
                    if output.credits == 0 {
                        state.wake = state.wake.min(now);
                    }
                    output.credits += 1;
                }
                ChannelEvent::Flit {
                    router,
                    port,
                    vc,
                    flit,
                } => {
                    let state = &mut self.routers[router as usize];
                    state.buffered += 1;
                    let slot = port as usize * vcs + vc as usize;
                    state.occupied[slot / 64] |= 1 << (slot % 64);
                    let input = &mut state.inputs[slot];
                    input.buffer.push_back(flit);
                    // The router is needed when this flit's next stage is due; a flit queued
                    // behind another waits for that one's schedule.
                    if input.state == VcState::Idle && input.buffer.len() == 1 {
                        input.state = VcState::Routing;
                        input.ready = now + routing_delay;
                        state.routing_vcs += 1;
                        state.wake = state.wake.min(input.ready);
                    } else if input.state == VcState::Active && input.buffer.len() == 1 {
                        input.ready = input.ready.max(now);
                        state.wake = state.wake.min(input.ready);
                    }
                }
            }
        }
        let mut events = events;
        events.clear();
        // Nothing scheduled while delivering is due now, but keep it if it were.
        events.append(&mut self.wheel[bucket]);
        self.wheel[bucket] = events;
    }

    /// Route computation for heads whose route is due: fills the VC's options (and, for a
    /// multicast, its branches); a reduction packet reaching a merge point is absorbed.
    fn route_heads(&mut self, router: usize, now: Cycle, slots: &[u16]) {
        if self.routers[router].routing_vcs == 0 {
            return;
        }
        for &slot in slots {
            let index = slot as usize;
            let input = &self.routers[router].inputs[index];
            if input.state != VcState::Routing || input.ready > now {
                continue;
            }
            let Some(&front) = input.buffer.front() else {
                continue;
            };
            let mut options = [RouteOption {
                port: 0,
                vc_low: 0,
                vc_high: 0,
            }; 3];
            if !front.special {
                // A plain unicast head: route from the flit alone.
                let count = self.topology.route(
                    router,
                    front.source_router as usize,
                    front.destination as usize,
                    true,
                    &mut options,
                );
                let state = &mut self.routers[router];
                // Keep the (cleared) branch list to reuse its allocation.
                let mut branches = std::mem::take(&mut state.inputs[index].branches);
                branches.clear();
                state.finish_routing(index, options, count, false, branches, now);
                continue;
            }
            let packet_id = front.packet;
            let packet = &mut self.packets[packet_id as usize];
            packet.hops += 1;
            // Unicast VCs keep their (cleared) branch list to reuse its allocation.
            let mut branches = std::mem::take(&mut self.routers[router].inputs[index].branches);
            branches.clear();
            let mut absorbing = false;
            let count = if let Some(group) = packet.group.filter(|_| packet.combined_at != router) {
                if self.groups[group as usize].expected[router] > 0 {
                    absorbing = true;
                    0
                } else {
                    self.topology.route(
                        router,
                        packet.source_router,
                        packet.destination,
                        false,
                        &mut options,
                    )
                }
            } else if packet.destination == usize::MAX {
                let destinations = packet.destinations.clone();
                let (created, injected, hops, measured, tag, size, source) = (
                    packet.created,
                    packet.injected,
                    packet.hops,
                    packet.measured,
                    packet.tag,
                    packet.size,
                    packet.source,
                );
                let mut split = std::mem::take(&mut self.scratch_split);
                self.topology
                    .multicast_split(router, &destinations, &mut split);
                for (port, part) in split.iter().enumerate() {
                    if part.is_empty() {
                        continue;
                    }
                    let child = Packet {
                        tag,
                        source,
                        source_router: self.topology.attachment(source).0,
                        size,
                        created,
                        injected,
                        measured,
                        hops,
                        destination: if part.len() == 1 { part[0] } else { usize::MAX },
                        destinations: if part.len() == 1 {
                            Vec::new()
                        } else {
                            part.clone()
                        },
                        group: None,
                        weight: 1,
                        combined_at: usize::MAX,
                        ready: now,
                        alive: true,
                        counted: false,
                    };
                    let child_id = self.allocate_packet(child);
                    branches.push(Branch {
                        port: port as u8,
                        out_vc: NO_PORT,
                        packet: child_id,
                    });
                }
                self.scratch_split = split;
                0
            } else {
                self.topology.route(
                    router,
                    packet.source_router,
                    packet.destination,
                    packet.group.is_none(),
                    &mut options,
                )
            };
            self.routers[router].finish_routing(index, options, count, absorbing, branches, now);
        }
    }

    /// Separable input-first VC allocation: each waiting input VC picks one free output VC among
    /// its route options (round robin), then each output VC grants one of its requesters (round
    /// robin). A multicast VC acquires one output VC per branch, one branch at a time.
    fn allocate_vcs(&mut self, router: usize, now: Cycle, occupied: &[u16]) {
        if self.routers[router].allocating_vcs == 0 {
            return;
        }
        let vcs = self.vcs;
        let slots = self.ports * vcs;
        let mut requests = std::mem::take(&mut self.scratch_requests);
        requests.clear();
        let state = &mut self.routers[router];
        for &slot in occupied {
            let index = slot as usize;
            let input = &state.inputs[index];
            if input.state != VcState::VcAllocation || input.ready > now {
                continue;
            }
            let pointer = state.vc_input_pointer[index] as usize;
            let mut best: Option<(usize, usize)> = None;
            let mut consider = |candidate: usize| {
                let output = &state.outputs[candidate];
                if output.in_use || output.free_at > now {
                    return;
                }
                let distance = distance_from(pointer, candidate, slots);
                if best.map_or(true, |(_, d)| distance < d) {
                    best = Some((candidate, distance));
                }
            };
            if input.branches.is_empty() {
                for option in &input.options[..input.option_count as usize] {
                    for vc in option.vc_low..=option.vc_high {
                        consider(option.port as usize * vcs + vc as usize);
                    }
                }
            } else {
                let branch = input.branches[input.allocated as usize];
                for vc in 0..vcs {
                    consider(branch.port as usize * vcs + vc);
                }
            }
            if let Some((candidate, _)) = best {
                requests.push((candidate, index, 0));
            }
        }
        if !requests.is_empty() {
            // Output arbitration: per output VC, the requester nearest after its pointer.
            if requests.len() > 1 {
                requests.sort_unstable_by_key(|&(output, input, _)| {
                    let pointer = state.vc_output_pointer[output] as usize;
                    (output, distance_from(pointer, input, slots))
                });
            }
            let mut last_output = usize::MAX;
            for &(output, input, _) in requests.iter() {
                if output == last_output {
                    continue;
                }
                last_output = output;
                state.vc_output_pointer[output] = wrap_add(input, 1, slots) as u16;
                state.vc_input_pointer[input] = wrap_add(output, 1, slots) as u16;
                state.outputs[output].in_use = true;
                let port = (output / vcs) as u8;
                let out_vc = (output % vcs) as u8;
                let entry = &mut state.inputs[input];
                if entry.branches.is_empty() {
                    entry.branches.push(Branch {
                        port,
                        out_vc,
                        packet: entry.buffer.front().map_or(0, |flit| flit.packet),
                    });
                    entry.allocated = 1;
                } else {
                    entry.branches[entry.allocated as usize].out_vc = out_vc;
                    entry.allocated += 1;
                }
                if entry.allocated as usize == entry.branches.len() {
                    state.allocating_vcs -= 1;
                    let entry = &mut state.inputs[input];
                    entry.state = VcState::Active;
                    entry.ready = now + u64::from(self.config.vc_alloc_delay);
                }
            }
        }
        self.scratch_requests = requests;
    }

    /// Separable input-first switch allocation, then switch traversal: per input port, one active
    /// VC with a flit and a downstream credit bids (round robin over output ports, and over VCs
    /// for the same output); per output port one bidder wins (round robin over inputs).
    fn allocate_switch(&mut self, router: usize, now: Cycle, occupied: &[u16]) {
        let vcs = self.vcs;
        let ports = self.ports;
        // (output port, input port, vc, branch)
        let mut bids: [(u8, u8, u8, u8); 32] = [(0, 0, 0, 0); 32];
        let mut bid_count = 0;
        {
            let state = &mut self.routers[router];
            let mut cursor = 0;
            while cursor < occupied.len() {
                let port = self.slot_port[occupied[cursor] as usize] as usize;
                let vc_pointer = state.sw_vc_pointer[port] as usize;
                let port_pointer = state.sw_input_pointer[port] as usize;
                // Best bid of this input port: nearest output after the port pointer, then
                // nearest VC after the VC pointer.
                let mut best: Option<((usize, usize), usize, usize, usize)> = None;
                while cursor < occupied.len()
                    && self.slot_port[occupied[cursor] as usize] as usize == port
                {
                    let vc = occupied[cursor] as usize - port * vcs;
                    cursor += 1;
                    let input = &state.inputs[port * vcs + vc];
                    if input.state != VcState::Active
                        || input.ready > now
                        || input.buffer.is_empty()
                    {
                        continue;
                    }
                    if input.absorbing {
                        continue;
                    }
                    let Some(branch_index) =
                        (0..input.branches.len()).find(|b| input.served & (1 << b) == 0)
                    else {
                        continue;
                    };
                    let branch = input.branches[branch_index];
                    let output =
                        &state.outputs[branch.port as usize * vcs + branch.out_vc as usize];
                    if output.credits == 0 {
                        self.stats.credit_stall(router);
                        continue;
                    }
                    let distance = (
                        distance_from(port_pointer, branch.port as usize, ports),
                        distance_from(vc_pointer, vc, vcs),
                    );
                    if best.map_or(true, |(d, _, _, _)| distance < d) {
                        best = Some((distance, vc, branch_index, branch.port as usize));
                    }
                }
                if let Some((_, vc, branch, out_port)) = best {
                    if bid_count < bids.len() {
                        bids[bid_count] = (out_port as u8, port as u8, vc as u8, branch as u8);
                        bid_count += 1;
                    }
                }
            }
        }
        // Reduction: absorbing VCs drain one flit per cycle into the adder without the switch.
        self.absorb(router, now);
        if bid_count == 0 {
            return;
        }
        let bids = &mut bids[..bid_count];
        if bid_count > 1 {
            let state = &self.routers[router];
            bids.sort_unstable_by_key(|&(output, input, _, _)| {
                let pointer = state.sw_output_pointer[output as usize] as usize;
                (output, distance_from(pointer, input as usize, ports))
            });
        }
        let mut last_output = u8::MAX;
        for &(output, input, vc, branch) in bids.iter() {
            if output == last_output {
                continue;
            }
            last_output = output;
            self.traverse(router, now, input as usize, vc as usize, branch as usize);
        }
    }

    fn absorb(&mut self, router: usize, now: Cycle) {
        if self.routers[router].absorbing_vcs == 0 {
            return;
        }
        let vcs = self.vcs;
        for index in 0..self.ports * vcs {
            let input = &self.routers[router].inputs[index];
            if !(input.absorbing && input.state == VcState::Active) || input.ready > now {
                continue;
            }
            let Some(&flit) = input.buffer.front() else {
                continue;
            };
            let port = index / vcs;
            let vc = index % vcs;
            self.pop_and_credit(router, now, port, vc);
            self.flits_in_network -= 1;
            self.stats.flit_absorbed();
            self.last_progress = now;
            let input = &mut self.routers[router].inputs[index];
            input.ready = now + u64::from(self.config.sw_alloc_delay);
            if !flit.tail {
                continue;
            }
            input.absorbing = false;
            self.routers[router].absorbing_vcs -= 1;
            self.finish_packet_at_input(router, now, index);
            let packet = self.packets[flit.packet as usize].clone();
            self.release_packet(flit.packet);
            let Some(group) = packet.group else {
                continue;
            };
            let state = &mut self.routers[router];
            let slot = match state.absorbed.iter().position(|entry| entry.0 == group) {
                Some(slot) => slot,
                None => {
                    state.absorbed.push((group, 0, 0));
                    state.absorbed.len() - 1
                }
            };
            state.absorbed[slot].1 += 1;
            state.absorbed[slot].2 += packet.weight;
            let (_, count, weight) = state.absorbed[slot];
            if count >= self.groups[group as usize].expected[router] {
                state.absorbed.swap_remove(slot);
                let node = self.topology.node_at(router, FIRST_TERMINAL_PORT);
                let combined = Packet {
                    tag: packet.tag,
                    source: node,
                    source_router: router,
                    size: packet.size,
                    created: packet.created,
                    injected: packet.injected,
                    measured: packet.measured,
                    hops: packet.hops,
                    destination: packet.destination,
                    destinations: Vec::new(),
                    group: Some(group),
                    weight,
                    combined_at: router,
                    ready: now + u64::from(self.config.adder_latency),
                    alive: true,
                    counted: false,
                };
                let id = self.allocate_packet(combined);
                self.terminals[node].queue.push_back(id);
                self.sending[node / 64] |= 1 << (node % 64);
                self.queued_packets += 1;
            }
        }
    }

    fn pop_and_credit(&mut self, router: usize, now: Cycle, port: usize, vc: usize) {
        let vcs = self.vcs;
        let state = &mut self.routers[router];
        let slot = port * vcs + vc;
        state.inputs[slot].buffer.pop_front();
        if state.inputs[slot].buffer.is_empty() {
            state.occupied[slot / 64] &= !(1 << (slot % 64));
        }
        state.buffered -= 1;
        // The credit goes back over the input's channel.
        let sw_delay = u64::from(self.config.sw_alloc_delay);
        if port >= FIRST_TERMINAL_PORT {
            let node = self.topology.node_at(router, port);
            let usable = now + sw_delay + u64::from(self.config.terminal_latency);
            self.schedule(
                usable,
                ChannelEvent::TerminalCredit {
                    node: node as u32,
                    vc: vc as u8,
                },
            );
        } else if let Some(upstream) = self.topology.neighbour(router, port) {
            let usable = now
                + sw_delay
                + u64::from(self.config.channel_latency)
                + u64::from(self.config.credit_delay);
            let upstream_port = Topology::opposite(port);
            self.schedule(
                usable,
                ChannelEvent::Credit {
                    router: upstream as u32,
                    port: upstream_port as u8,
                    vc: vc as u8,
                },
            );
        }
    }

    /// After a tail leaves (or is absorbed): the VC is idle, or routes the next head at once.
    fn finish_packet_at_input(&mut self, router: usize, now: Cycle, index: usize) {
        let state = &mut self.routers[router];
        if !state.inputs[index].buffer.is_empty() {
            state.routing_vcs += 1;
        }
        let input = &mut state.inputs[index];
        input.branches.clear();
        input.allocated = 0;
        input.served = 0;
        input.option_count = 0;
        if input.buffer.is_empty() {
            input.state = VcState::Idle;
        } else {
            input.state = VcState::Routing;
            input.ready = now + 1 + u64::from(self.config.routing_delay);
        }
    }

    fn traverse(&mut self, router: usize, now: Cycle, port: usize, vc: usize, branch: usize) {
        let vcs = self.vcs;
        let index = port * vcs + vc;
        let sw_delay = u64::from(self.config.sw_alloc_delay);
        let state = &mut self.routers[router];
        state.sw_output_pointer[state.inputs[index].branches[branch].port as usize] =
            wrap_add(port, 1, self.ports) as u8;
        let input = &mut state.inputs[index];
        let Some(&flit) = input.buffer.front() else {
            return;
        };
        let target = input.branches[branch];
        input.served |= 1 << branch;
        input.ready = now + sw_delay;
        let all_served = input.served.count_ones() as usize == input.branches.len();
        // Only special flits can belong to a multicast packet: plain ones skip the packet table.
        let multicast = input.branches.len() > 1
            || (flit.special && self.packets[flit.packet as usize].destination == usize::MAX);
        state.sw_input_pointer[port] = wrap_add(target.port as usize, 1, self.ports) as u8;
        state.sw_vc_pointer[port] = wrap_add(vc, 1, vcs) as u8;
        let out_index = target.port as usize * vcs + target.out_vc as usize;
        state.outputs[out_index].credits -= 1;
        if flit.tail {
            state.outputs[out_index].in_use = false;
            state.outputs[out_index].free_at = now + sw_delay;
        }
        let out_flit = Flit {
            packet: if multicast {
                target.packet
            } else {
                flit.packet
            },
            special: flit.special || multicast,
            ..flit
        };
        self.stats.link_flit(router, target.port as usize);
        self.last_progress = now;
        let flight = now + sw_delay + self.config.crossbar_delay();
        let out_port = target.port as usize;
        if all_served {
            self.pop_and_credit(router, now, port, vc);
            self.routers[router].inputs[index].served = 0;
            if flit.tail {
                self.finish_packet_at_input(router, now, index);
                if multicast {
                    self.release_packet(flit.packet);
                }
            }
        } else {
            // A copy leaves and the original stays for the other branches.
            self.flits_in_network += 1;
            self.stats.flit_replicated();
        }
        if out_port >= FIRST_TERMINAL_PORT {
            let node = self.topology.node_at(router, out_port);
            let arrival = flight + u64::from(self.config.terminal_latency);
            self.schedule(
                arrival,
                ChannelEvent::Eject {
                    node: node as u32,
                    flit: out_flit,
                },
            );
            // The terminal returns the credit as the flit arrives.
            let usable = arrival
                + 1
                + u64::from(self.config.terminal_latency)
                + u64::from(self.config.credit_delay);
            self.schedule(
                usable,
                ChannelEvent::Credit {
                    router: router as u32,
                    port: out_port as u8,
                    vc: target.out_vc,
                },
            );
        } else if let Some(downstream) = self.topology.neighbour(router, out_port) {
            let arrival = flight + u64::from(self.config.channel_latency);
            let in_port = Topology::opposite(out_port);
            self.schedule(
                arrival,
                ChannelEvent::Flit {
                    router: downstream as u32,
                    port: in_port as u8,
                    vc: target.out_vc,
                    flit: out_flit,
                },
            );
        }
    }
}

/// Stores `item` in a freed slot of `items` if there is one, else at the end; returns its index.
fn reuse_slot<T>(items: &mut Vec<T>, free: &mut Vec<u32>, item: T) -> u32 {
    match free.pop() {
        Some(slot) => {
            items[slot as usize] = item;
            slot
        }
        None => {
            items.push(item);
            (items.len() - 1) as u32
        }
    }
}
