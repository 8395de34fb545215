//! Area and power of the configured hardware (the reference's §12 formulas, applied to the configured
//! PE count, SIMD width, L1/L2 capacities and NoC bandwidth rather than to the mapping's requirements).

use maestro_ir::Accelerator;

/// Area (µm², the reference's unit) and power (mW) per block.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AreaPower {
    pub area: f64,
    pub power: f64,
    pub pe_power: f64,
    pub l1_power: f64,
    pub l2_power: f64,
    pub noc_power: f64,
}

fn cells(elements: u64) -> f64 {
    elements.max(1) as f64
}

pub fn area_power(hardware: &Accelerator) -> AreaPower {
    let pes = hardware.num_pes as f64;
    let lanes = hardware.simd_lanes as f64;
    let bandwidth = hardware.distribution_noc.bandwidth as f64;
    let l1 = cells(hardware.l1_size);
    let l2 = cells(hardware.l2_size);
    let arbiter_size = 1.2886 * pes * pes + 5.5814 * pes - 23.711;
    let bus_wires = 14.662 * pes + 28.895;
    let pe_area = pes * (283.0 * lanes + 0.104 * l1);
    let l2_area = 0.104 * l2;
    let bus_area = 101.7938 * bus_wires * bandwidth;
    let arbiter_area = (395.473 * arbiter_size).max(395.473);
    let pe_power = pes * 1.2223 * lanes;
    let l1_power = pes * 0.00345 * l1;
    let l2_power = 0.00345 * l2;
    let noc_power = 0.8 * bus_wires / 1000.0 * bandwidth + (0.34 * arbiter_size / 1000.0).max(0.34);
    AreaPower {
        area: pe_area + l2_area + bus_area + arbiter_area,
        power: pe_power + l1_power + l2_power + noc_power,
        pe_power,
        l1_power,
        l2_power,
        noc_power,
    }
}
