//! The corrected model's numbers in the reference's column layout (same names, corrected meanings),
//! and the layer's energy from its own counters.

use super::hardware::area_power;
use super::level::LevelVolumes;
use super::timing::{DelayRange, LevelTime};
use crate::detail::{Accesses, LayerDetail};
use crate::reference_row::{DelayStats, ReferenceRow, TensorAccess};
use maestro_ir::{Accelerator, EnergyTable, Tensor};

/// Buffer capacities the mapping needs (elements).
#[derive(Clone, Copy, Debug)]
pub struct Requirements {
    pub l1: u64,
    pub l2: u64,
}

fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn ratio(numerator: u64, denominator: u64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

fn delay_stats(range: &DelayRange, steps: u64) -> DelayStats {
    DelayStats {
        min: signed(if range.min == u64::MAX { 0 } else { range.min }),
        max: signed(range.max),
        avg: signed(range.sum / steps.max(1)),
    }
}

pub fn accesses_sum(accesses: &[Accesses]) -> u64 {
    accesses.iter().fold(0u64, |sum, a| {
        sum.saturating_add(a.reads).saturating_add(a.writes)
    })
}

/// Event counts that the layer's energy is made of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EnergyCounts {
    pub macs: u64,
    /// PE buffer accesses, and sub-cluster buffer accesses (both at the L1 energy).
    pub l1: u64,
    pub cluster: u64,
    pub l2: u64,
    pub offchip: u64,
    pub noc_element_hops: u64,
}

/// Energy per block (MAC, L1, L2, off-chip, NoC) and their sum, in nJ.
pub fn energy(counts: &EnergyCounts, table: &EnergyTable) -> ([f64; 5], f64) {
    let parts = [
        counts.macs as f64 * table.mac,
        counts.l1 as f64 * table.l1_access + counts.cluster as f64 * table.l1_access,
        counts.l2 as f64 * table.l2_access,
        counts.offchip as f64 * table.offchip_access,
        counts.noc_element_hops as f64 * table.noc_hop,
    ];
    (parts, parts[0] + parts[1] + parts[2] + parts[3] + parts[4])
}

/// The numbers of a layer that the row needs besides the detail.
#[derive(Clone, Copy, Debug)]
pub struct RowInputs<'a> {
    pub network: &'a str,
    pub layer: &'a str,
    pub top: &'a LevelVolumes,
    pub top_time: &'a LevelTime,
    pub runtime: u64,
    pub requirements: Requirements,
    pub tensor_sizes: [u64; 3],
}

pub fn assemble(
    inputs: &RowInputs<'_>,
    hardware: &Accelerator,
    mut detail: LayerDetail,
) -> (ReferenceRow, LayerDetail) {
    let top = inputs.top;
    let runtime = inputs.runtime;
    let requirements = inputs.requirements;
    let macs = top.totals.macs;
    let counts = EnergyCounts {
        macs,
        l1: accesses_sum(&[detail.l1.input, detail.l1.weight, detail.l1.output]),
        cluster: accesses_sum(&[detail.cluster_buffers]),
        l2: accesses_sum(&[detail.l2.input, detail.l2.weight, detail.l2.output]),
        offchip: accesses_sum(&[
            detail.offchip.input,
            detail.offchip.weight,
            detail.offchip.output,
        ]),
        noc_element_hops: top.totals.noc_element_hops,
    };
    let (parts, energy) = energy(&counts, &hardware.energy);
    [
        detail.energy_mac,
        detail.energy_l1,
        detail.energy_l2,
        detail.energy_offchip,
        detail.energy_noc,
    ] = parts;
    let hardware_cost = area_power(hardware);
    let throughput = macs as f64 / runtime as f64;
    let tensor_access = |tensor: Tensor| {
        let (l1, l2) = match tensor {
            Tensor::Input => (detail.l1.input, detail.l2.input),
            Tensor::Weight => (detail.l1.weight, detail.l2.weight),
            Tensor::Output => (detail.l1.output, detail.l2.output),
        };
        TensorAccess {
            l1_read: signed(l1.reads),
            l1_write: signed(l1.writes),
            l2_read: signed(l2.reads),
            l2_write: signed(l2.writes),
            reuse_factor: ratio(l1.reads, l1.writes),
        }
    };
    let top_noc = top
        .sent
        .iter()
        .chain(&top.upstream_writes[2..])
        .fold(0u64, |sum, &v| sum.saturating_add(v));
    let offchip_total = counts.offchip;
    let steps = top.steps.max(1);
    let time = inputs.top_time;
    let row = ReferenceRow {
        network: inputs.network.to_string(),
        layer: inputs.layer.to_string(),
        num_pes: signed(hardware.num_pes),
        runtime_cycles: signed(runtime),
        energy_nj: energy,
        throughput_macs_per_cycle: throughput,
        throughput_per_energy: if energy > 0.0 {
            throughput / energy * 1e9
        } else {
            0.0
        },
        area: hardware_cost.area,
        power: hardware_cost.power,
        peak_noc_bw: signed(time.peak_bandwidth),
        avg_noc_bw: top_noc as f64 / runtime as f64,
        vector_width: signed(hardware.simd_lanes),
        offchip_bw: signed(offchip_total.div_ceil(time.runtime.max(1))),
        l2_size_req: signed(requirements.l2),
        l1_size_req: signed(requirements.l1),
        multicast_factor_weight: ratio(detail.noc_delivered.weight, detail.noc_sent.weight),
        multicast_factor_input: ratio(detail.noc_delivered.input, detail.noc_sent.input),
        total_input_pixels: signed(inputs.tensor_sizes[0]),
        total_weight_pixels: signed(inputs.tensor_sizes[1]),
        ops_per_joule: if energy > 0.0 {
            macs as f64 / energy * 1e9
        } else {
            0.0
        },
        macs: signed(macs),
        pe_power: hardware_cost.pe_power,
        l1_power: hardware_cost.l1_power,
        l2_power: hardware_cost.l2_power,
        noc_power: hardware_cost.noc_power,
        tensors: [
            tensor_access(Tensor::Input),
            tensor_access(Tensor::Weight),
            tensor_access(Tensor::Output),
        ],
        ingress_delay: delay_stats(&time.ingress_delay, steps),
        egress_delay: delay_stats(&time.egress_delay, steps),
        compute_delay: delay_stats(&time.compute_delay, steps),
        avg_utilized_pes: top.totals.active_pe_steps / steps as f64,
        arithmetic_intensity: ratio(
            macs,
            top.sent[0]
                .saturating_add(top.sent[1])
                .saturating_add(top.upstream_writes[2]),
        ),
    };
    (row, detail)
}
