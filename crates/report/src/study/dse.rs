//! A design-space exploration: a summary and the Pareto front as a table, every valid point as CSV
//! (with a `pareto` column), everything as JSON.

use super::format::{field, number};
use comfy_table::{presets, CellAlignment, Table};
use maestro_study::{DseResult, Objective};

fn cap(value: Option<f64>, unit: &str) -> String {
    value.map_or_else(
        || "none".to_owned(),
        |value| format!("{} {unit}", number(value)),
    )
}

fn objective_label(objective: Objective) -> &'static str {
    match objective {
        Objective::Runtime => "runtime (cycles)",
        Objective::Energy => "energy (nJ)",
        Objective::Edp => "EDP (nJ·cycles)",
    }
}

/// The summary (space, pruned, invalid, valid) and the Pareto front by increasing objective.
pub fn render_dse_table(result: &DseResult) -> String {
    let mut text = format!(
        "Design-space exploration of {}: objective {}, area cap {}, power cap {}\n",
        result.network,
        objective_label(result.objective),
        cap(result.area_cap_mm2, "mm²"),
        cap(result.power_cap_mw, "mW"),
    );
    text.push_str(&format!(
        "space {} points; pruned before evaluation (over a cap) {}; invalid {}; valid {}; {} point × layer evaluations\n",
        result.space,
        result.pruned,
        result.invalid,
        result.points.len(),
        result.evaluations
    ));
    for reason in &result.invalid_reasons {
        text.push_str(&format!("  invalid: {reason}\n"));
    }
    if result.points.is_empty() {
        text.push_str("no valid point\n");
        return text;
    }
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header([
        "Pareto",
        "Dataflow",
        "PEs",
        "L1",
        "L2",
        "NoC BW",
        "Runtime",
        "Energy (nJ)",
        "EDP",
        "Area (mm²)",
        "Power (mW)",
    ]);
    for (rank, &index) in result.pareto.iter().enumerate() {
        let point = &result.points[index];
        table.add_row([
            if Some(index) == result.best {
                format!("{} (best)", rank + 1)
            } else {
                (rank + 1).to_string()
            },
            point.dataflow.to_owned(),
            point.pes.to_string(),
            point.l1.to_string(),
            point.l2.to_string(),
            point.bandwidth.to_string(),
            point.runtime.to_string(),
            number(point.energy),
            number(point.edp),
            number(point.area_mm2),
            number(point.power_mw),
        ]);
    }
    for index in 2..11 {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    text.push_str(&format!(
        "Pareto front of {} and area ({} points):\n",
        result.objective.name(),
        result.pareto.len()
    ));
    text.push_str(&table.to_string());
    text.push_str(
        "\nL1 in elements per PE, L2 in elements, NoC bandwidth in elements/cycle (both NoCs).\n",
    );
    text
}

/// Every valid point, in enumeration order, with whether it is on the Pareto front.
pub fn render_dse_csv(result: &DseResult) -> String {
    let mut text = String::from(
        "dataflow,pes,l1_size,l2_size,noc_bandwidth,runtime,energy_nj,edp,area_mm2,power_mw,pareto\n",
    );
    for (index, point) in result.points.iter().enumerate() {
        text.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            field(point.dataflow),
            point.pes,
            point.l1,
            point.l2,
            point.bandwidth,
            point.runtime,
            number(point.energy),
            number(point.edp),
            number(point.area_mm2),
            number(point.power_mw),
            result.pareto.contains(&index)
        ));
    }
    text
}

pub fn render_dse_json(result: &DseResult) -> String {
    let mut text = serde_json::to_string_pretty(result)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}
