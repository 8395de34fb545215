//! A readable terminal table of a simulation: one row per layer, then totals.

use super::json::SimTotals;
use crate::c_format::CReal;
use comfy_table::{presets, CellAlignment, Table};
use maestro_sim::{LayerSimReport, NetworkSimReport};

const HEADER: [&str; 11] = [
    "Layer",
    "Runtime",
    "MACs",
    "MACs/cycle",
    "PE util",
    "Input wait",
    "Egress wait",
    "Off-chip wait",
    "NoC delivered",
    "Dist p99",
    "Peak L1",
];

/// The units of the short column names, printed under the table.
const UNITS: &str =
    "Runtime in cycles; PE util: computing share of all PE-cycles; waits: shares of \
all PE-cycles; NoC delivered: elements received by PEs and L2; Dist p99: 99th percentile of \
distribution latency in cycles; Peak L1: elements per PE.";

fn share(part: u64, layer: &LayerSimReport, num_pes: u64) -> String {
    let whole = layer.cycles.saturating_mul(num_pes);
    if whole == 0 {
        return "0".into();
    }
    format!("{:.1}%", 100.0 * part as f64 / whole as f64)
}

/// Renders the table, preceded by the network name and followed by the units of its columns.
pub fn render_sim_table(report: &NetworkSimReport, num_pes: u64) -> String {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(HEADER);
    for layer in &report.layers {
        let tensors = &layer.tensors;
        let delivered = tensors.input.noc_elements_delivered
            + tensors.weight.noc_elements_delivered
            + tensors.output.noc_elements_delivered;
        table.add_row([
            crate::cell::name_cell(&layer.layer),
            layer.cycles.to_string(),
            layer.macs.to_string(),
            CReal(if layer.cycles == 0 {
                0.0
            } else {
                layer.macs as f64 / layer.cycles as f64
            })
            .to_string(),
            format!("{:.1}%", 100.0 * layer.pe_utilisation),
            share(layer.stalls.waiting_for_input, layer, num_pes),
            share(layer.stalls.waiting_for_egress, layer, num_pes),
            share(layer.stalls.waiting_for_offchip, layer, num_pes),
            delivered.to_string(),
            layer.distribution_latency.p99.to_string(),
            layer.peak_l1_occupancy.to_string(),
        ]);
    }
    let totals = SimTotals::of(report);
    let mut total_row = vec![
        format!("Total ({} layers)", totals.layers),
        totals.runtime_cycles.to_string(),
        totals.macs.to_string(),
        CReal(totals.throughput_macs_per_cycle).to_string(),
    ];
    total_row.resize(HEADER.len(), String::new());
    table.add_row(total_row);
    for column in 1..HEADER.len() {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!(
        "Network: {} (simulated, {} PEs; {} of {} steps skipped in closed form)\n{table}\n{UNITS}\n",
        report.network, num_pes, totals.steps_skipped_in_closed_form, totals.steps
    )
}
