//! What a simulation reports: per layer and per network, serialisable with serde.

use serde::Serialize;

/// Element counts for one tensor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TensorTraffic {
    pub l2_reads: u64,
    pub l2_writes: u64,
    pub l1_reads: u64,
    pub l1_writes: u64,
    /// Elements put on the distribution or collection NoC (once per multicast).
    pub noc_elements_sent: u64,
    /// Elements received (once per receiving unit, or once at L2 for collection).
    pub noc_elements_delivered: u64,
    /// Additions performed by the in-network reduction tree.
    pub reductions: u64,
    pub offchip_reads: u64,
    pub offchip_writes: u64,
    /// Output only: partial sums sent up before their reduction was complete.
    pub partial_sum_writes: u64,
    /// Output only: partial sums read back from L2 when their tile is revisited.
    pub partial_sum_reloads: u64,
    /// Output only: final results written to L2 (each output element exactly once).
    pub final_writes: u64,
}

/// Traffic of the three tensors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PerTensor {
    pub input: TensorTraffic,
    pub weight: TensorTraffic,
    pub output: TensorTraffic,
}

/// Where PE time went, summed over all PEs of the accelerator (PE-cycles).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StallBreakdown {
    pub computing: u64,
    pub waiting_for_input: u64,
    pub waiting_for_egress: u64,
    pub waiting_for_offchip: u64,
    /// Neither computing nor waiting for a step of its own (no work, or work finished).
    pub idle: u64,
}

/// Occupancy of one link, bus or port.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkReport {
    pub name: String,
    pub busy_cycles: u64,
    pub utilisation: f64,
}

/// Percentiles of transfer latency (from ready to arrival), in cycles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LatencySummary {
    pub transfers: u64,
    pub p50: u64,
    pub p90: u64,
    pub p99: u64,
    pub max: u64,
}

/// Everything measured while simulating one layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerSimReport {
    pub layer: String,
    pub cycles: u64,
    pub macs: u64,
    pub pes_used: u64,
    pub steps: u64,
    /// Steps whose effect was computed in closed form from an identical, steady-state predecessor.
    pub steps_skipped_in_closed_form: u64,
    pub double_buffered: bool,
    pub tensors: PerTensor,
    /// Compute cycles over (PEs × cycles).
    pub pe_utilisation: f64,
    pub stalls: StallBreakdown,
    pub links: Vec<LinkReport>,
    pub distribution_latency: LatencySummary,
    pub collection_latency: LatencySummary,
    pub offchip_latency: LatencySummary,
    pub peak_l1_occupancy: u64,
    pub peak_l2_occupancy: u64,
}

/// A network: its layers in order, and totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkSimReport {
    pub network: String,
    pub layers: Vec<LayerSimReport>,
    /// Layers run one after another: the sum of their cycles.
    pub total_cycles: u64,
    pub total_macs: u64,
}

/// The report of a simulation run (a whole network).
pub type SimReport = NetworkSimReport;
