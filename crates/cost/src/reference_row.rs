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

impl ReferenceRow {
    /// The values of this row that are the reference's garbage rather than results, reproduced on
    /// purpose in `--compat` mode: a runtime of 0 for a layer with MACs, NaN or infinite reals, and
    /// the `i64::MIN` sentinel of an empty delay statistic. Each entry names the quirk and its columns.
    pub fn quirks(&self) -> Vec<String> {
        let mut quirks = Vec::new();
        if self.runtime_cycles <= 0 && self.macs > 0 {
            quirks.push(format!(
                "runtime {} for {} MACs",
                self.runtime_cycles, self.macs
            ));
        }
        let reals = [
            ("energy", self.energy_nj),
            ("throughput", self.throughput_macs_per_cycle),
            ("throughput per energy", self.throughput_per_energy),
            ("average NoC bandwidth", self.avg_noc_bw),
            ("weight multicast factor", self.multicast_factor_weight),
            ("input multicast factor", self.multicast_factor_input),
            ("ops per joule", self.ops_per_joule),
            ("average utilized PEs", self.avg_utilized_pes),
            ("arithmetic intensity", self.arithmetic_intensity),
            ("input reuse factor", self.tensors[0].reuse_factor),
            ("filter reuse factor", self.tensors[1].reuse_factor),
            ("output reuse factor", self.tensors[2].reuse_factor),
        ];
        let not_finite: Vec<&str> = reals
            .iter()
            .filter(|(_, value)| !value.is_finite())
            .map(|(name, _)| *name)
            .collect();
        if !not_finite.is_empty() {
            quirks.push(format!("not a number: {}", not_finite.join(", ")));
        }
        let delays = [
            ("ingress", self.ingress_delay),
            ("egress", self.egress_delay),
            ("compute", self.compute_delay),
        ];
        let sentinels: Vec<&str> = delays
            .iter()
            .filter(|(_, delay)| [delay.min, delay.max, delay.avg].contains(&i64::MIN))
            .map(|(name, _)| *name)
            .collect();
        if !sentinels.is_empty() {
            quirks.push(format!(
                "delay {} (an empty statistic) in: {}",
                i64::MIN,
                sentinels.join(", ")
            ));
        }
        quirks
    }
}

#[cfg(test)]
mod quirk_tests {
    use super::*;

    #[test]
    fn garbage_values_are_named() {
        let clean = ReferenceRow {
            runtime_cycles: 10,
            macs: 100,
            ..ReferenceRow::default()
        };
        assert!(clean.quirks().is_empty());
        let garbage = ReferenceRow {
            runtime_cycles: 0,
            macs: 100,
            energy_nj: f64::NAN,
            ingress_delay: DelayStats {
                min: i64::MIN,
                max: 0,
                avg: 0,
            },
            ..ReferenceRow::default()
        };
        assert_eq!(
            garbage.quirks(),
            [
                "runtime 0 for 100 MACs",
                "not a number: energy",
                "delay -9223372036854775808 (an empty statistic) in: ingress",
            ]
        );
    }
}
