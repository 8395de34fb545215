//! A design-space exploration: a summary and the Pareto front as a table, every valid point as CSV
//! (with a `pareto` column), everything as JSON; with the front simulated, its simulated runtime and
//! energy and the model's errors beside it.

use super::format::{field, number, signed};
use comfy_table::{presets, CellAlignment, Table};
use maestro_study::{DseResult, FrontSimulation, Objective};

fn cap(value: Option<f64>, unit: &str) -> String {
    value.map_or_else(
        || "none".to_owned(),
        |value| format!("{} {unit}", number(value)),
    )
}

/// The simulation of point `index`, if the front was simulated and the point is on it.
fn simulated(result: &DseResult, index: usize) -> Option<&FrontSimulation> {
    result
        .simulated_front
        .iter()
        .find(|simulation| simulation.point == index)
}

/// A simulated front point's runtime, runtime error, energy and energy error, as printed.
fn simulated_fields(simulation: &FrontSimulation) -> [String; 4] {
    [
        simulation
            .runtime
            .map_or_else(String::new, |cycles| cycles.to_string()),
        signed(simulation.runtime_error_pct),
        simulation.energy.map_or_else(String::new, number),
        signed(simulation.energy_error_pct),
    ]
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
    let with_simulation = !result.simulated_front.is_empty();
    let mut header = vec![
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
    ];
    if with_simulation {
        header.extend([
            "Sim runtime",
            "Runtime err %",
            "Sim energy (nJ)",
            "Energy err %",
        ]);
    }
    table.set_header(header.clone());
    for (rank, &index) in result.pareto.iter().enumerate() {
        let point = &result.points[index];
        let mut row = vec![
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
        ];
        if let Some(simulation) = simulated(result, index) {
            row.extend(simulated_fields(simulation));
        }
        table.add_row(row);
    }
    for index in 2..header.len() {
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
    if with_simulation {
        text.push_str(
            "Sim: the front point simulated on its hardware and mapping; errors are (model − simulated) / simulated.\n",
        );
        for simulation in &result.simulated_front {
            if let Some(reason) = &simulation.failure {
                text.push_str(&format!(
                    "  not simulated: point {}: {reason}\n",
                    result
                        .pareto
                        .iter()
                        .position(|&index| index == simulation.point)
                        .map_or(0, |rank| rank + 1)
                ));
            }
        }
    }
    text
}

/// Every valid point, in enumeration order, with whether it is on the Pareto front.
pub fn render_dse_csv(result: &DseResult) -> String {
    let with_simulation = !result.simulated_front.is_empty();
    let mut text = String::from(
        "dataflow,pes,l1_size,l2_size,noc_bandwidth,runtime,energy_nj,edp,area_mm2,power_mw,pareto",
    );
    if with_simulation {
        text.push_str(",sim_runtime,runtime_error_pct,sim_energy_nj,energy_error_pct");
    }
    text.push('\n');
    for (index, point) in result.points.iter().enumerate() {
        text.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}",
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
        if with_simulation {
            match simulated(result, index) {
                Some(simulation) => {
                    for value in simulated_fields(simulation) {
                        text.push(',');
                        text.push_str(&value);
                    }
                }
                None => text.push_str(",,,,"),
            }
        }
        text.push('\n');
    }
    text
}

pub fn render_dse_json(result: &DseResult) -> String {
    let mut text = serde_json::to_string_pretty(result)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}
