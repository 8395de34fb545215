//! §10–§12: one reference CSV row from a layer's records — derived metrics, the CSV energy (§11.2), and
//! the area and power model (§12).

use super::analysis::{LayerAnalysis, Stats};
use super::quirks::{self, L1Counters};
use super::CompatHardware;
use crate::reference_row::{DelayStats, ReferenceRow, TensorAccess};

/// Everything besides the records that a row needs.
pub(crate) struct RowContext<'a> {
    pub(crate) network: &'a str,
    pub(crate) layer: &'a str,
    pub(crate) hardware: &'a CompatHardware,
    pub(crate) input_pixels: i64,
    pub(crate) weight_pixels: i64,
    /// The previous layer's top L1 counters (Q-R1), zeros for the first layer.
    pub(crate) previous_l1: L1Counters,
}

/// The six top-level L1 counters of a layer, in the order of §11.2.
pub(crate) fn l1_counters(analysis: &LayerAnalysis) -> L1Counters {
    let [input, filter, output] = analysis.top.counters;
    [
        input.l1_read,
        input.l1_write,
        filter.l1_read,
        filter.l1_write,
        output.l1_read,
        output.l1_write,
    ]
}

fn delay_stats(stats: Stats) -> DelayStats {
    DelayStats {
        min: stats.min,
        max: stats.max,
        avg: stats.avg,
    }
}

/// §12: area and power of the instantiated accelerator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct AreaPower {
    pub(crate) area: f64,
    pub(crate) power: f64,
    pub(crate) pe_power: f64,
    pub(crate) l1_power: f64,
    pub(crate) l2_power: f64,
    pub(crate) noc_power: f64,
}

/// `cells(x) = ⌈x / 1⌉`, and 1 when that is 0.
fn sram_cells(size: i64) -> f64 {
    if size == 0 {
        1.0
    } else {
        size as f64
    }
}

pub(crate) fn area_power(hardware: &CompatHardware, l1_size: i64, l2_size: i64) -> AreaPower {
    let pes = hardware.num_pes as f64;
    let lanes = hardware.simd_lanes as f64;
    let bandwidth = hardware.noc_bandwidth as f64;
    let (l1_cells, l2_cells) = (sram_cells(l1_size), sram_cells(l2_size));
    let mac_area = 283.0 * lanes;
    let mac_power = 1.2223 * lanes;
    let l1_area = 0.104 * l1_cells;
    let l1_power = 0.00345 * l1_cells;
    let l2_area = 0.104 * l2_cells;
    let l2_power = 0.00345 * l2_cells;
    let bus_links = 14.662 * pes + 28.895;
    let bus_area = 101.7938 * bus_links * bandwidth;
    let bus_power = 0.8 * bus_links / 1000.0 * bandwidth;
    let arbiter = 1.2886 * pes * pes + 5.5814 * pes - 23.711;
    let arbiter_area = (395.473 * arbiter).max(395.473);
    let arbiter_power = (0.34 * arbiter / 1000.0).max(0.34);
    let pe_power = pes * mac_power;
    let l1_power_total = pes * l1_power;
    let noc_power = bus_power + arbiter_power;
    AreaPower {
        area: pes * (mac_area + l1_area) + l2_area + bus_area + arbiter_area,
        power: pe_power + l1_power_total + l2_power + noc_power,
        pe_power,
        l1_power: l1_power_total,
        l2_power,
        noc_power,
    }
}

/// The reference's CSV row for a layer.
pub(crate) fn reference_row(context: &RowContext<'_>, analysis: &LayerAnalysis) -> ReferenceRow {
    let top = &analysis.top;
    let [input, filter, output] = top.counters;
    let l2_terms = [
        input.l2_read,
        input.l2_write,
        filter.l2_read,
        filter.l2_write,
        output.l2_write,
    ];
    let energy = quirks::energy_nj(
        l2_terms,
        l1_counters(analysis),
        context.previous_l1,
        analysis.multi_record,
    );
    let l1_size =
        quirks::as_reference_int(quirks::reported_l1_requirement(analysis.first_record_l1));
    let l2_size = quirks::as_reference_int(
        top.l2_requirement
            .iter()
            .fold(0i64, |sum, &size| sum.wrapping_add(size)),
    );
    let area_power = area_power(context.hardware, l1_size, l2_size);
    let (macs, runtime) = (top.macs as f64, top.runtime as f64);
    let throughput = macs / runtime;
    let ratio = |numerator: i64, denominator: i64| numerator as f64 / denominator as f64;
    let access = |counters: super::analysis::Counters| TensorAccess {
        l1_read: counters.l1_read,
        l1_write: counters.l1_write,
        l2_read: counters.l2_read,
        l2_write: counters.l2_write,
        reuse_factor: ratio(counters.l1_read, counters.l1_write),
    };
    ReferenceRow {
        network: quirks::reference_name(context.network),
        layer: quirks::reference_name(context.layer),
        num_pes: context.hardware.num_pes,
        runtime_cycles: top.runtime,
        energy_nj: energy,
        throughput_macs_per_cycle: throughput,
        throughput_per_energy: macs / runtime / energy * 1e9,
        area: area_power.area,
        power: area_power.power,
        peak_noc_bw: top.peak_bandwidth,
        avg_noc_bw: top.average_bandwidth,
        vector_width: context.hardware.simd_lanes,
        offchip_bw: top.offchip_bandwidth,
        l2_size_req: l2_size,
        l1_size_req: l1_size,
        multicast_factor_weight: ratio(filter.l1_write, filter.l2_read),
        multicast_factor_input: ratio(input.l1_write, input.l2_read),
        total_input_pixels: context.input_pixels,
        total_weight_pixels: context.weight_pixels,
        ops_per_joule: macs / energy * 1e9,
        macs: top.macs,
        pe_power: area_power.pe_power,
        l1_power: area_power.l1_power,
        l2_power: area_power.l2_power,
        noc_power: area_power.noc_power,
        tensors: [access(input), access(filter), access(output)],
        ingress_delay: delay_stats(top.ingress_delay),
        egress_delay: delay_stats(top.egress_delay),
        compute_delay: delay_stats(top.computation_delay),
        avg_utilized_pes: top.average_active,
        arithmetic_intensity: top.arithmetic_intensity,
    }
}
