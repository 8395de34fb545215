//! A readable terminal table: the numbers an architect looks at first, one row per layer, then totals.

use crate::c_format::CReal;
use crate::totals::NetworkTotals;
use comfy_table::{presets, CellAlignment, Table};
use maestro_cost::NetworkCost;
use std::io;

const HEADER: [&str; 10] = [
    "Layer",
    "Runtime",
    "Energy (nJ)",
    "MACs",
    "MACs/cycle",
    "PEs used",
    "L1 req",
    "L2 req",
    "NoC BW",
    "Off-chip BW",
];

/// The units of the short column names, printed under the table.
const UNITS: &str =
    "Runtime in cycles; PEs used on average; L1 (per PE) and L2 requirements in elements; \
NoC and off-chip bandwidth requirements in elements/cycle.";

/// Renders the table, preceded by the network name and followed by the units of its columns.
pub fn render_table(cost: &NetworkCost) -> String {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(HEADER);
    for layer in &cost.layers {
        let row = &layer.row;
        table.add_row([
            crate::cell::name_cell(&row.layer),
            row.runtime_cycles.to_string(),
            CReal(row.energy_nj).to_string(),
            row.macs.to_string(),
            CReal(row.throughput_macs_per_cycle).to_string(),
            CReal(row.avg_utilized_pes).to_string(),
            row.l1_size_req.to_string(),
            row.l2_size_req.to_string(),
            row.peak_noc_bw.to_string(),
            row.offchip_bw.to_string(),
        ]);
    }
    let totals = NetworkTotals::of(cost);
    table.add_row([
        format!("Total ({} layers)", totals.layers),
        totals.runtime_cycles.to_string(),
        CReal(totals.energy_nj).to_string(),
        totals.macs.to_string(),
        CReal(totals.throughput_macs_per_cycle).to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    for column in 1..HEADER.len() {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut text = format!("Network: {}\n{table}\n{UNITS}\n", cost.network);
    for layer in &cost.layers {
        for finding in layer
            .detail
            .iter()
            .flat_map(|detail| detail.capacity_findings())
        {
            text.push_str(&format!("capacity: layer {}: {finding}\n", layer.row.layer));
        }
    }
    text
}

/// Writes [`render_table`]'s text to `out`.
pub fn write_table(cost: &NetworkCost, out: &mut impl io::Write) -> io::Result<()> {
    out.write_all(render_table(cost).as_bytes())
}
