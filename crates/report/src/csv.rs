//! The reference's CSV layout (input-formats §7.3): its exact header line and one row per layer, with
//! the same separators and number formats, so our files can be compared with the reference's byte for
//! byte and read by the same scripts.

use crate::c_format::CReal;
use maestro_cost::{DelayStats, NetworkCost, ReferenceRow, TensorAccess};
use std::io;

/// The reference's header line, without the line break. Its irregular spacing (two spaces before the L2
/// column, none after each reuse-factor column, the second "Compute Delay (Min)" that is really the
/// maximum) is part of the format.
pub const CSV_HEADER: &str = "Neural Network Name, Layer Number, NumPEs, Runtime (Cycles), \
Activity count-based Energy (nJ), Throughput (MACs/Cycle), Throughput Per Energy (GMACs/s*J), Area, \
Power, NoC BW Req (Elements/cycle), Avg BW Req, Peak BW Req, Vector Width, \
Offchip BW Req (Elements/cycle),  L2 SRAM Size Req (Bytes), L1 SRAM Size Req (Bytes), \
Multicasting Factor (Weight), Multicasting Factor (Input), Num Total Input Pixels, \
Num Total Weight Pixels, Ops/J, Num MACs, PE power, L1 power, L2 power, NOC power, input l1 read, \
input l1 write, input l2 read, input l2 write, input reuse factor,filter l1 read, filter l1 write, \
filter l2 read, filter l2 write, filter reuse factor,output l1 read, output l1 write, output l2 read, \
output l2 write, output reuse factor,Ingress Delay (Min), Ingress Delay (Max), Ingress Delay (Avg), \
Egress Delay (Min), Egress Delay (Max),  Egress Delay (Avg),Compute Delay (Min), Compute Delay (Min), \
Compute Delay (Avg),Avg number of utilized PEs, Arithmetic Intensity";

/// Renders one data row, without the line break.
///
/// The reference joins the first 26 fields with `,` and every later field with `, `.
pub fn csv_row(row: &ReferenceRow) -> String {
    let head = [
        row.network.clone(),
        row.layer.clone(),
        row.num_pes.to_string(),
        row.runtime_cycles.to_string(),
        CReal(row.energy_nj).to_string(),
        CReal(row.throughput_macs_per_cycle).to_string(),
        CReal(row.throughput_per_energy).to_string(),
        CReal(row.area).to_string(),
        CReal(row.power).to_string(),
        row.peak_noc_bw.to_string(),
        CReal(row.avg_noc_bw).to_string(),
        row.peak_noc_bw.to_string(),
        row.vector_width.to_string(),
        row.offchip_bw.to_string(),
        row.l2_size_req.to_string(),
        row.l1_size_req.to_string(),
        CReal(row.multicast_factor_weight).to_string(),
        CReal(row.multicast_factor_input).to_string(),
        row.total_input_pixels.to_string(),
        row.total_weight_pixels.to_string(),
        CReal(row.ops_per_joule).to_string(),
        row.macs.to_string(),
        CReal(row.pe_power).to_string(),
        CReal(row.l1_power).to_string(),
        CReal(row.l2_power).to_string(),
        CReal(row.noc_power).to_string(),
    ];
    let mut tail: Vec<String> = Vec::with_capacity(26);
    for access in &row.tensors {
        tail.extend(tensor_fields(access));
    }
    for delay in [row.ingress_delay, row.egress_delay, row.compute_delay] {
        tail.extend(delay_fields(delay));
    }
    tail.push(CReal(row.avg_utilized_pes).to_string());
    tail.push(CReal(row.arithmetic_intensity).to_string());
    let mut line = head.join(",");
    line.push(',');
    line.push_str(&tail.join(", "));
    line
}

fn tensor_fields(access: &TensorAccess) -> [String; 5] {
    [
        access.l1_read.to_string(),
        access.l1_write.to_string(),
        access.l2_read.to_string(),
        access.l2_write.to_string(),
        CReal(access.reuse_factor).to_string(),
    ]
}

fn delay_fields(delay: DelayStats) -> [String; 3] {
    [
        delay.min.to_string(),
        delay.max.to_string(),
        delay.avg.to_string(),
    ]
}

/// The whole CSV of a network: the header, then one row per layer in layer order; every line ends in
/// `\n`.
pub fn render_csv(cost: &NetworkCost) -> String {
    let mut text = String::with_capacity(CSV_HEADER.len() + 400 * cost.layers.len());
    text.push_str(CSV_HEADER);
    text.push('\n');
    for layer in &cost.layers {
        text.push_str(&csv_row(&layer.row));
        text.push('\n');
    }
    text
}

/// Writes [`render_csv`]'s text to `out`.
pub fn write_csv(cost: &NetworkCost, out: &mut impl io::Write) -> io::Result<()> {
    out.write_all(render_csv(cost).as_bytes())
}
