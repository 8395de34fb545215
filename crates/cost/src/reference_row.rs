//! One layer's numbers in the shape of the reference's CSV row (input-formats §7.3): the common view that
//! both cost modes produce and that `maestro-report` renders with the reference's column names.
//!
//! Integer columns are `i64` because the reference model can legitimately print negative counters and the
//! `i64::MIN` sentinel for empty delay statistics in `--compat` mode; the corrected model never does.

use serde::{Deserialize, Serialize};

/// Access counters of one tensor at the top level (the reference's "L2" = the buffer above the level,
/// "L1" = the buffers of its sub-clusters), and its reuse factor `l1_read / l1_write`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TensorAccess {
    pub l1_read: i64,
    pub l1_write: i64,
    pub l2_read: i64,
    pub l2_write: i64,
    pub reuse_factor: f64,
}

/// Minimum, maximum and average of a per-iteration delay, in cycles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelayStats {
    pub min: i64,
    pub max: i64,
    pub avg: i64,
}

/// The 52 columns of the reference CSV, in order, as typed values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferenceRow {
    pub network: String,
    pub layer: String,
    pub num_pes: i64,
    pub runtime_cycles: i64,
    pub energy_nj: f64,
    pub throughput_macs_per_cycle: f64,
    pub throughput_per_energy: f64,
    pub area: f64,
    pub power: f64,
    /// "NoC BW Req (Elements/cycle)" and "Peak BW Req" (the same value twice in the reference).
    pub peak_noc_bw: i64,
    pub avg_noc_bw: f64,
    pub vector_width: i64,
    pub offchip_bw: i64,
    pub l2_size_req: i64,
    pub l1_size_req: i64,
    pub multicast_factor_weight: f64,
    pub multicast_factor_input: f64,
    pub total_input_pixels: i64,
    pub total_weight_pixels: i64,
    pub ops_per_joule: f64,
    pub macs: i64,
    pub pe_power: f64,
    pub l1_power: f64,
    pub l2_power: f64,
    pub noc_power: f64,
    /// Input, filter, output — in that order.
    pub tensors: [TensorAccess; 3],
    pub ingress_delay: DelayStats,
    pub egress_delay: DelayStats,
    pub compute_delay: DelayStats,
    pub avg_utilized_pes: f64,
    pub arithmetic_intensity: f64,
}
