//! Statistics of a run: latency distributions (hdrhistogram), throughput, hops, link and router
//! utilisation, buffer occupancy and credit stalls, gathered since the last reset.

use crate::network::{Cycle, Delivery};
use crate::topology::Topology;
use hdrhistogram::Histogram;
use serde::Serialize;

/// Mean and percentiles of one latency, in cycles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LatencySummary {
    /// Samples.
    pub count: u64,
    /// Exact mean.
    pub mean: f64,
    /// Median.
    pub p50: u64,
    /// 90th percentile.
    pub p90: u64,
    /// 99th percentile.
    pub p99: u64,
    /// Largest sample.
    pub max: u64,
}

/// One directed channel's use.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LinkUse {
    /// The router the channel leaves.
    pub router: usize,
    /// Its output port (0 east, 1 west, 2 north, 3 south, 4.. terminals).
    pub port: usize,
    /// Flits sent.
    pub flits: u64,
    /// Flits per cycle.
    pub utilisation: f64,
}

/// Everything measured since the last reset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkStats {
    /// Cycles covered.
    pub cycles: u64,
    /// Packet latency (creation to tail arrival) of measured packets.
    pub packet_latency: LatencySummary,
    /// Network latency (head injection to tail arrival) of measured packets.
    pub network_latency: LatencySummary,
    /// Flit latency (each flit's injection to its arrival) of measured flits.
    pub flit_latency: LatencySummary,
    /// Mean routers traversed by measured packets.
    pub hops_average: f64,
    /// Flits injected per node per cycle.
    pub injected_flit_rate: f64,
    /// Flits ejected per node per cycle.
    pub accepted_flit_rate: f64,
    /// Flits that left source queues.
    pub flits_injected: u64,
    /// Flits that arrived at terminals.
    pub flits_ejected: u64,
    /// Flits absorbed by in-network reduction.
    pub flits_absorbed: u64,
    /// Extra copies made by multicast replication in the routers (conservation: injected +
    /// replicated = ejected + absorbed).
    pub flits_replicated: u64,
    /// Packets delivered (reduction groups count once).
    pub packets_delivered: u64,
    /// Every directed channel that carried a flit, by router and port.
    pub links: Vec<LinkUse>,
    /// Per router, flits through its crossbar per cycle per port.
    pub router_utilisation: Vec<f64>,
    /// Mean flits buffered per router per cycle.
    pub mean_buffer_occupancy: f64,
    /// VC-cycles in which a flit was ready but had no downstream credit.
    pub credit_stalls: u64,
}

/// The running counters behind [`NetworkStats`].
#[derive(Debug, Clone)]
pub(crate) struct StatsCollector {
    start: Cycle,
    cycles: u64,
    packet: Latency,
    network: Latency,
    flit: Latency,
    hops: u64,
    flits_injected: u64,
    flits_ejected: u64,
    flits_absorbed: u64,
    flits_replicated: u64,
    packets_delivered: u64,
    link_flits: Vec<u64>,
    occupancy: u64,
    credit_stalls: u64,
    ports: usize,
    routers: usize,
}

#[derive(Debug, Clone)]
struct Latency {
    histogram: Histogram<u64>,
    sum: u128,
    count: u64,
}

impl Latency {
    fn new() -> Self {
        Latency {
            // Three significant figures, growing as needed: recording never fails.
            histogram: Histogram::new(3)
                .expect("3 significant figures are within hdrhistogram's range"),
            sum: 0,
            count: 0,
        }
    }

    fn record(&mut self, value: u64) {
        self.histogram.saturating_record(value);
        self.sum += u128::from(value);
        self.count += 1;
    }

    fn summary(&self) -> LatencySummary {
        if self.count == 0 {
            return LatencySummary::default();
        }
        LatencySummary {
            count: self.count,
            mean: self.sum as f64 / self.count as f64,
            p50: self.histogram.value_at_quantile(0.5),
            p90: self.histogram.value_at_quantile(0.9),
            p99: self.histogram.value_at_quantile(0.99),
            max: self.histogram.max(),
        }
    }
}

impl StatsCollector {
    pub(crate) fn new(routers: usize, ports: usize) -> Self {
        StatsCollector {
            start: 0,
            cycles: 0,
            packet: Latency::new(),
            network: Latency::new(),
            flit: Latency::new(),
            hops: 0,
            flits_injected: 0,
            flits_ejected: 0,
            flits_absorbed: 0,
            flits_replicated: 0,
            packets_delivered: 0,
            link_flits: vec![0; routers * ports],
            occupancy: 0,
            credit_stalls: 0,
            ports,
            routers,
        }
    }

    pub(crate) fn reset(&mut self, now: Cycle) {
        *self = StatsCollector::new(self.routers, self.ports);
        self.start = now;
    }

    pub(crate) fn flit_injected(&mut self, _measured: bool) {
        self.flits_injected += 1;
    }

    pub(crate) fn flit_ejected(&mut self, measured: bool, latency: u64) {
        self.flits_ejected += 1;
        if measured {
            self.flit.record(latency);
        }
    }

    pub(crate) fn flit_replicated(&mut self) {
        self.flits_replicated += 1;
    }

    pub(crate) fn flit_absorbed(&mut self) {
        self.flits_absorbed += 1;
    }

    pub(crate) fn packet_delivered(&mut self, delivery: &Delivery, measured: bool) {
        self.packets_delivered += 1;
        if measured {
            self.packet
                .record(delivery.arrived.saturating_sub(delivery.created));
            self.network
                .record(delivery.arrived.saturating_sub(delivery.injected));
            self.hops += u64::from(delivery.hops);
        }
    }

    pub(crate) fn cycle_done(&mut self, _flits_in_network: u64) {
        self.cycles += 1;
    }

    pub(crate) fn idle_until(&mut self, now: Cycle, end: Cycle) {
        self.cycles += end.saturating_sub(now);
    }

    pub(crate) fn router_occupancy(&mut self, _router: usize, buffered: u64) {
        self.occupancy += buffered;
    }

    pub(crate) fn credit_stall(&mut self, _router: usize) {
        self.credit_stalls += 1;
    }

    pub(crate) fn link_flit(&mut self, router: usize, port: usize) {
        self.link_flits[router * self.ports + port] += 1;
    }

    /// Sum and count of measured packet latencies.
    pub(crate) fn packet_latency_sum(&self) -> (u128, u64) {
        (self.packet.sum, self.packet.count)
    }

    pub(crate) fn summary(&self, now: Cycle, topology: &Topology) -> NetworkStats {
        let cycles = self.cycles.max(now.saturating_sub(self.start)).max(1);
        let nodes = topology.nodes().max(1) as f64;
        let links = self
            .link_flits
            .iter()
            .enumerate()
            .filter(|(_, &flits)| flits > 0)
            .map(|(index, &flits)| LinkUse {
                router: index / self.ports,
                port: index % self.ports,
                flits,
                utilisation: flits as f64 / cycles as f64,
            })
            .collect();
        let router_utilisation = self
            .link_flits
            .chunks(self.ports)
            .map(|ports| ports.iter().sum::<u64>() as f64 / (cycles as f64 * self.ports as f64))
            .collect();
        NetworkStats {
            cycles,
            packet_latency: self.packet.summary(),
            network_latency: self.network.summary(),
            flit_latency: self.flit.summary(),
            hops_average: if self.packet.count == 0 {
                0.0
            } else {
                self.hops as f64 / self.packet.count as f64
            },
            injected_flit_rate: self.flits_injected as f64 / cycles as f64 / nodes,
            accepted_flit_rate: self.flits_ejected as f64 / cycles as f64 / nodes,
            flits_injected: self.flits_injected,
            flits_ejected: self.flits_ejected,
            flits_absorbed: self.flits_absorbed,
            flits_replicated: self.flits_replicated,
            packets_delivered: self.packets_delivered,
            links,
            router_utilisation,
            mean_buffer_occupancy: self.occupancy as f64
                / (cycles as f64 * topology.routers().max(1) as f64),
            credit_stalls: self.credit_stalls,
        }
    }
}
