//! Where the runtime gap between the simulator and the model goes: both runtimes are split into the
//! same seven buckets, and the gap of each bucket is simulated minus modelled. The buckets of each side
//! add up to its runtime, so the gaps add up to the runtime gap.
//!
//! Simulator side, in cycles per PE that has work (its stall breakdown divided by the PEs used; the
//! PEs without any work are left out because they idle for the whole layer):
//! - compute: cycles spent computing;
//! - edge tiles: cycles a working PE sat idle — at a partial fold or an edge tile it finishes early
//!   and waits for the slowest unit;
//! - off-chip: cycles waiting for off-chip transfers;
//! - fill/drain: waiting for egress, up to the model's drain (the last outputs leaving);
//! - NoC contention: waiting for input or egress beyond the serialised transfer time the model counts
//!   (`Σ ingress + Σ egress`): no schedule without queueing can wait longer than that;
//! - ingress and egress: the remaining waits.
//!
//! Model side, from `LayerDetail::runtime`:
//! - compute: the MACs spread evenly over the working PEs, `ceil(MACs / (SIMD × PEs used))`;
//! - edge tiles: `Σ compute` (the slowest unit of each top-level step) minus that even spread. In a
//!   multi-level mapping a top-level step's compute is the inner level's whole runtime, so this bucket
//!   also holds the inner levels' own transfer and serialisation time, not only imbalance;
//! - off-chip: `offchip_stall`; fill/drain: `drain`; NoC contention: 0 (the model has none);
//! - ingress: the exposed transfer time `fill + steady + edge − Σ compute`, up to `Σ ingress`;
//! - egress: the rest of the exposed transfer time.

use maestro_cost::detail::RuntimeBreakdown;
use maestro_sim::LayerSimReport;
use serde::Serialize;

/// One bucket of the runtime split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapBucket {
    Compute,
    Ingress,
    Egress,
    Offchip,
    NocContention,
    FillDrain,
    EdgeTiles,
}

impl GapBucket {
    pub const ALL: [GapBucket; 7] = [
        GapBucket::Compute,
        GapBucket::Ingress,
        GapBucket::Egress,
        GapBucket::Offchip,
        GapBucket::NocContention,
        GapBucket::FillDrain,
        GapBucket::EdgeTiles,
    ];

    pub fn label(self) -> &'static str {
        match self {
            GapBucket::Compute => "compute",
            GapBucket::Ingress => "ingress",
            GapBucket::Egress => "egress",
            GapBucket::Offchip => "off-chip",
            GapBucket::NocContention => "NoC contention",
            GapBucket::FillDrain => "fill/drain",
            GapBucket::EdgeTiles => "edge tiles",
        }
    }
}

/// Cycles per bucket, in [`GapBucket::ALL`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct BucketCycles {
    pub compute: f64,
    pub ingress: f64,
    pub egress: f64,
    pub offchip: f64,
    pub noc_contention: f64,
    pub fill_drain: f64,
    pub edge_tiles: f64,
}

impl BucketCycles {
    pub fn get(&self, bucket: GapBucket) -> f64 {
        match bucket {
            GapBucket::Compute => self.compute,
            GapBucket::Ingress => self.ingress,
            GapBucket::Egress => self.egress,
            GapBucket::Offchip => self.offchip,
            GapBucket::NocContention => self.noc_contention,
            GapBucket::FillDrain => self.fill_drain,
            GapBucket::EdgeTiles => self.edge_tiles,
        }
    }

    pub fn total(&self) -> f64 {
        GapBucket::ALL.iter().map(|&bucket| self.get(bucket)).sum()
    }

    fn minus(&self, other: &BucketCycles) -> BucketCycles {
        BucketCycles {
            compute: self.compute - other.compute,
            ingress: self.ingress - other.ingress,
            egress: self.egress - other.egress,
            offchip: self.offchip - other.offchip,
            noc_contention: self.noc_contention - other.noc_contention,
            fill_drain: self.fill_drain - other.fill_drain,
            edge_tiles: self.edge_tiles - other.edge_tiles,
        }
    }
}

/// Both runtimes split into buckets, and the gap per bucket (simulated − modelled).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct GapAttribution {
    pub simulated: BucketCycles,
    pub modelled: BucketCycles,
    pub gap: BucketCycles,
}

impl GapAttribution {
    /// The bucket with the largest gap in magnitude (the first in [`GapBucket::ALL`] order on ties);
    /// `None` when every bucket agrees.
    pub fn dominant(&self) -> Option<GapBucket> {
        let mut best: Option<(GapBucket, f64)> = None;
        for bucket in GapBucket::ALL {
            let size = self.gap.get(bucket).abs();
            if size >= 0.5 && best.map_or(true, |(_, largest)| size > largest) {
                best = Some((bucket, size));
            }
        }
        best.map(|(bucket, _)| bucket)
    }
}

/// What the attribution needs from the model for one layer.
#[derive(Clone, Copy, Debug)]
pub struct ModelTime<'a> {
    pub runtime_cycles: u64,
    pub breakdown: &'a RuntimeBreakdown,
    pub macs: u64,
    pub simd_lanes: u64,
}

/// Splits both runtimes into buckets (see the module documentation for the rules).
pub fn attribute_gap(model: ModelTime<'_>, sim: &LayerSimReport) -> GapAttribution {
    let modelled = attribute_model(model, sim.pes_used);
    let simulated = sim_buckets(model.breakdown, sim);
    GapAttribution {
        gap: simulated.minus(&modelled),
        simulated,
        modelled,
    }
}

/// The model's side of the split alone, for `pes_used` working PEs.
pub fn attribute_model(model: ModelTime<'_>, pes_used: u64) -> BucketCycles {
    let time = model.breakdown;
    let lanes = model.simd_lanes.max(1).saturating_mul(pes_used.max(1));
    let even_compute = model.macs.div_ceil(lanes).min(time.compute);
    let on_chip = time
        .fill
        .saturating_add(time.steady)
        .saturating_add(time.edge);
    let exposed = on_chip.saturating_sub(time.compute);
    let ingress = exposed.min(time.ingress);
    let mut buckets = BucketCycles {
        compute: even_compute as f64,
        ingress: ingress as f64,
        egress: (exposed - ingress) as f64,
        offchip: time.offchip_stall as f64,
        noc_contention: 0.0,
        fill_drain: time.drain as f64,
        edge_tiles: (time.compute - even_compute) as f64,
    };
    // The breakdown's terms add up to the runtime in the corrected model; if a future model reports a
    // runtime its terms do not explain, the remainder is shown as compute so that the buckets still add
    // up to the runtime.
    buckets.compute += model.runtime_cycles as f64 - buckets.total();
    buckets
}

fn sim_buckets(model_time: &RuntimeBreakdown, sim: &LayerSimReport) -> BucketCycles {
    let used = sim.pes_used.max(1) as f64;
    let stalls = &sim.stalls;
    let runtime = sim.cycles as f64;
    let compute = stalls.computing as f64 / used;
    let input_wait = stalls.waiting_for_input as f64 / used;
    let egress_wait = stalls.waiting_for_egress as f64 / used;
    let offchip = stalls.waiting_for_offchip as f64 / used;
    // Whatever the working PEs did not spend computing or waiting, they spent idle.
    let edge_tiles = (runtime - compute - input_wait - egress_wait - offchip).max(0.0);
    let fill_drain = egress_wait.min(model_time.drain as f64);
    let egress_left = egress_wait - fill_drain;
    let serialised = model_time.ingress.saturating_add(model_time.egress) as f64;
    let noc_contention = (input_wait + egress_left - serialised).max(0.0);
    // Contention is taken from the egress wait first, then from the input wait.
    let from_egress = noc_contention.min(egress_left);
    let from_input = noc_contention - from_egress;
    BucketCycles {
        compute,
        ingress: input_wait - from_input,
        egress: egress_left - from_egress,
        offchip,
        noc_contention,
        fill_drain,
        edge_tiles,
    }
}
