//! One CSV row per simulated layer. Quantities that the cost model's CSV also reports keep its column
//! names (`Runtime (Cycles)`, `Num MACs`, `input l2 read`, …, `filter …`, `output …`) so that the two
//! files can be joined by name; the simulator's own measurements follow.

use crate::c_format::CReal;
use maestro_sim::{LatencySummary, LayerSimReport, NetworkSimReport, TensorTraffic};

/// The header line, without the line break.
pub const SIM_CSV_HEADER: &str = "Neural Network Name, Layer Number, NumPEs, Runtime (Cycles), \
Num MACs, input l1 read, input l1 write, input l2 read, input l2 write, filter l1 read, \
filter l1 write, filter l2 read, filter l2 write, output l1 read, output l1 write, output l2 read, \
output l2 write, PEs used, Steps, Steps skipped, Double buffered, PE utilisation, \
Computing (PE-cycles), Waiting for input (PE-cycles), Waiting for egress (PE-cycles), \
Waiting for off-chip (PE-cycles), Idle (PE-cycles), input noc sent, input noc delivered, \
filter noc sent, filter noc delivered, output noc sent, output noc delivered, input offchip read, \
filter offchip read, output offchip write, output partial sum writes, output partial sum reloads, \
output reductions, Distribution latency p50, Distribution latency p90, Distribution latency p99, \
Distribution latency max, Collection latency p50, Collection latency p90, Collection latency p99, \
Collection latency max, Offchip latency p50, Offchip latency p90, Offchip latency p99, \
Offchip latency max, Peak L1 occupancy (Elements), Peak L2 occupancy (Elements)";

fn access(traffic: &TensorTraffic) -> [u64; 4] {
    [
        traffic.l1_reads,
        traffic.l1_writes,
        traffic.l2_reads,
        traffic.l2_writes,
    ]
}

fn latency(summary: &LatencySummary) -> [u64; 4] {
    [summary.p50, summary.p90, summary.p99, summary.max]
}

/// Renders one layer's row (`num_pes` is the accelerator's PE count), without the line break.
pub fn sim_csv_row(network: &str, num_pes: u64, layer: &LayerSimReport) -> String {
    let tensors = &layer.tensors;
    let stalls = &layer.stalls;
    let mut fields = vec![
        network.to_owned(),
        layer.layer.clone(),
        num_pes.to_string(),
        layer.cycles.to_string(),
        layer.macs.to_string(),
    ];
    let numbers = |values: &[u64]| values.iter().map(u64::to_string).collect::<Vec<_>>();
    for traffic in [&tensors.input, &tensors.weight, &tensors.output] {
        fields.extend(numbers(&access(traffic)));
    }
    fields.extend(numbers(&[
        layer.pes_used,
        layer.steps,
        layer.steps_skipped_in_closed_form,
    ]));
    fields.push(layer.double_buffered.to_string());
    fields.push(CReal(layer.pe_utilisation).to_string());
    fields.extend(numbers(&[
        stalls.computing,
        stalls.waiting_for_input,
        stalls.waiting_for_egress,
        stalls.waiting_for_offchip,
        stalls.idle,
    ]));
    for traffic in [&tensors.input, &tensors.weight, &tensors.output] {
        fields.extend(numbers(&[
            traffic.noc_elements_sent,
            traffic.noc_elements_delivered,
        ]));
    }
    fields.extend(numbers(&[
        tensors.input.offchip_reads,
        tensors.weight.offchip_reads,
        tensors.output.offchip_writes,
        tensors.output.partial_sum_writes,
        tensors.output.partial_sum_reloads,
        tensors.output.reductions,
    ]));
    for summary in [
        &layer.distribution_latency,
        &layer.collection_latency,
        &layer.offchip_latency,
    ] {
        fields.extend(numbers(&latency(summary)));
    }
    fields.extend(numbers(&[layer.peak_l1_occupancy, layer.peak_l2_occupancy]));
    fields.join(", ")
}

/// The header and one row per layer, each line ending in a line break.
pub fn render_sim_csv(report: &NetworkSimReport, num_pes: u64) -> String {
    let mut text = String::from(SIM_CSV_HEADER);
    text.push('\n');
    for layer in &report.layers {
        text.push_str(&sim_csv_row(&report.network, num_pes, layer));
        text.push('\n');
    }
    text
}
