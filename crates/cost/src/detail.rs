//! What the corrected model reports beyond the reference's columns: per-tensor traffic at every buffer
//! level, NoC elements sent and delivered, partial sums and reductions, off-chip traffic, and the
//! runtime's breakdown.

use serde::{Deserialize, Serialize};

/// Reads and writes of one tensor at one buffer level, in elements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accesses {
    pub reads: u64,
    pub writes: u64,
}

/// One number per tensor (input, weight, output).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerTensor<T> {
    pub input: T,
    pub weight: T,
    pub output: T,
}

/// Where a layer's runtime goes, in cycles (top level).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeBreakdown {
    /// First step: ingress then compute, nothing overlapped.
    pub fill: u64,
    /// Steps with full tiles.
    pub steady: u64,
    /// Steps with a partial tile or a partial fold.
    pub edge: u64,
    /// Last outputs leaving after the last step.
    pub drain: u64,
    /// Σ over steps of each term before the per-step max (they overlap in the runtime).
    pub compute: u64,
    pub ingress: u64,
    pub egress: u64,
    /// Cycles to move the off-chip traffic at the off-chip bandwidth (overlapped with on-chip work).
    pub offchip: u64,
    /// Cycles added because off-chip transfers take longer than the on-chip schedule.
    pub offchip_stall: u64,
}

/// How every capacity warning of [`LayerDetail::warnings`] begins: a buffer smaller than a step needs.
pub const CAPACITY_WARNING_PREFIXES: [&str; 2] = ["L1 holds ", "L2 holds "];

/// Extra numbers of the corrected model for one layer (absent in `--compat` mode).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LayerDetail {
    /// Warnings that do not stop the analysis (e.g. an L1 smaller than one step's tiles).
    pub warnings: Vec<String>,
    /// PE-local buffers (summed over PEs).
    pub l1: PerTensor<Accesses>,
    /// The global buffer.
    pub l2: PerTensor<Accesses>,
    pub offchip: PerTensor<Accesses>,
    /// Buffers of the sub-clusters between levels (multi-level mappings), all tensors.
    pub cluster_buffers: Accesses,
    /// Distribution NoC from L2: elements sent (once per multicast) and delivered (per receiver).
    pub noc_sent: PerTensor<u64>,
    pub noc_delivered: PerTensor<u64>,
    /// Output partial sums written to L2 before their reduction was complete, and read back later.
    pub partial_sum_writes: u64,
    pub partial_sum_reloads: u64,
    /// Additions of partial sums done by spatial reduction (in the network or in L2).
    pub reductions: u64,
    pub runtime: RuntimeBreakdown,
    /// Whether the PE buffers hold two steps' tiles (ingress overlaps compute).
    pub double_buffered: bool,
    /// Elements one PE holds for one step (all tensors), and the L2 working set of one top-level step.
    pub l1_step_elements: u64,
    pub l2_step_elements: u64,
    /// Whether L2 holds all three tensors (else working sets are refetched from off-chip).
    pub l2_holds_layer: bool,
    /// Energy split (nJ).
    pub energy_mac: f64,
    pub energy_l1: f64,
    pub energy_l2: f64,
    pub energy_offchip: f64,
    pub energy_noc: f64,
}

impl LayerDetail {
    /// The warnings about L1 or L2 being smaller than a step needs (capacity findings).
    pub fn capacity_findings(&self) -> impl Iterator<Item = &str> + '_ {
        self.warnings.iter().map(String::as_str).filter(|warning| {
            CAPACITY_WARNING_PREFIXES
                .iter()
                .any(|prefix| warning.starts_with(prefix))
        })
    }
}
