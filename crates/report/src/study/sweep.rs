//! A sweep as a table (one row per dataflow and point, summed over the layers), as CSV (one row per
//! dataflow, point and layer) and as JSON (everything, with the contention study when it was asked).

use super::format::{field, number, percent, signed};
use comfy_table::{presets, CellAlignment, Table};
use maestro_study::contention::ContentionStudy;
use maestro_study::sweep::{LayerOutcome, PointResult};
use maestro_study::SweepResult;
use serde::Serialize;

fn error_percent(model: u64, sim: u64) -> String {
    if sim == 0 {
        return String::new();
    }
    signed(maestro_validate::signed_error_percent(
        model as f64,
        sim as f64,
    ))
}

/// One row per dataflow and point; runtimes and energies are sums over the swept layers.
pub fn render_sweep_table(result: &SweepResult) -> String {
    let mut header: Vec<String> = vec!["Dataflow".into()];
    header.extend(result.params.iter().map(|param| param.name().to_owned()));
    if result.engine.analytical() {
        header.extend(["Model runtime".into(), "Model energy (nJ)".into()]);
    }
    if result.engine.simulated() {
        header.extend(["Sim runtime".into(), "Sim energy (nJ)".into()]);
    }
    if result.engine.analytical() && result.engine.simulated() {
        header.push("Runtime err %".into());
    }
    header.extend(["Area (mm²)".into(), "Power (mW)".into()]);
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(header.clone());
    let mut failed = 0usize;
    for point in &result.points {
        let mut row: Vec<String> = vec![point.dataflow.to_owned()];
        row.extend(point.values.iter().map(|value| value.to_string()));
        let unavailable = || "failed".to_owned();
        if result.engine.analytical() {
            match point.analytical_total {
                Some(total) => row.extend([total.runtime.to_string(), number(total.energy)]),
                None => row.extend([unavailable(), unavailable()]),
            }
        }
        if result.engine.simulated() {
            match point.simulated_total {
                Some(total) => row.extend([total.runtime.to_string(), number(total.energy)]),
                None => row.extend([unavailable(), unavailable()]),
            }
        }
        if result.engine.analytical() && result.engine.simulated() {
            row.push(match (point.analytical_total, point.simulated_total) {
                (Some(model), Some(sim)) => error_percent(model.runtime, sim.runtime),
                _ => String::new(),
            });
        }
        row.extend([number(point.area / 1e6), number(point.power)]);
        if point.layers.iter().any(|layer| layer.error.is_some()) {
            failed += 1;
        }
        table.add_row(row);
    }
    for (index, _) in header.iter().enumerate().skip(1 + result.params.len()) {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut text = format!(
        "Sweep of {} ({} layer{}: {}), engine {}\n",
        result.network,
        result.layers.len(),
        if result.layers.len() == 1 { "" } else { "s" },
        result.layers.join(", "),
        result.engine.name()
    );
    text.push_str(&table.to_string());
    text.push_str(
        "\nRuntimes in cycles, summed over the layers; area and power of the configured hardware (spec §12).\n",
    );
    if failed > 0 {
        text.push_str(&format!(
            "{failed} point(s) failed on some layer; --format csv or json gives the reasons.\n"
        ));
    }
    text
}

fn latency_fields(summary: &maestro_sim::LatencySummary) -> [String; 4] {
    [summary.p50, summary.p90, summary.p99, summary.max].map(|value| value.to_string())
}

/// One row per dataflow, point and layer; columns of engines that did not run are left out.
pub fn render_sweep_csv(result: &SweepResult) -> String {
    let mut text = render_sweep_csv_header(result);
    for point in &result.points {
        text.push_str(&render_sweep_csv_point(result, point));
    }
    text
}

/// The CSV header line of a sweep (`frame`'s points are not read): a streamed CSV is this header,
/// then [`render_sweep_csv_point`] for each point in order — the same bytes as [`render_sweep_csv`].
pub fn render_sweep_csv_header(frame: &SweepResult) -> String {
    let result = frame;
    let mut header: Vec<String> = vec!["dataflow".into()];
    header.extend(result.params.iter().map(|param| param.name().to_owned()));
    header.extend(["layer", "area_um2", "power_mw"].map(String::from));
    if result.engine.analytical() {
        header.extend(["model_runtime", "model_energy_nj", "model_edp"].map(String::from));
    }
    if result.engine.simulated() {
        header.extend(
            [
                "sim_runtime",
                "sim_energy_nj",
                "pe_utilisation",
                "noc_stall_share",
                "offchip_stall_share",
                "busiest_link",
                "busiest_link_utilisation",
                "dist_p50",
                "dist_p90",
                "dist_p99",
                "dist_max",
                "coll_p50",
                "coll_p90",
                "coll_p99",
                "coll_max",
            ]
            .map(String::from),
        );
    }
    if result.engine.analytical() && result.engine.simulated() {
        header.extend(["runtime_error_pct", "gap_mostly_in"].map(String::from));
    }
    header.push("error".into());
    let mut text = header.join(",");
    text.push('\n');
    text
}

/// The CSV rows of one point (one per layer), each ending in a line break.
pub fn render_sweep_csv_point(frame: &SweepResult, point: &PointResult) -> String {
    let mut text = String::new();
    for (layer, outcome) in frame.layers.iter().zip(&point.layers) {
        let row = csv_row(frame, point, layer, outcome);
        text.push_str(&row.join(","));
        text.push('\n');
    }
    text
}

fn csv_row(
    result: &SweepResult,
    point: &PointResult,
    layer: &str,
    outcome: &LayerOutcome,
) -> Vec<String> {
    let mut row: Vec<String> = vec![point.dataflow.to_owned()];
    row.extend(point.values.iter().map(|value| value.to_string()));
    row.extend([field(layer), number(point.area), number(point.power)]);
    if result.engine.analytical() {
        match outcome.analytical {
            Some(numbers) => row.extend([
                numbers.runtime.to_string(),
                number(numbers.energy),
                number(numbers.edp),
            ]),
            None => row.extend([String::new(), String::new(), String::new()]),
        }
    }
    if result.engine.simulated() {
        match &outcome.simulated {
            Some(sim) => {
                row.extend([
                    sim.runtime.to_string(),
                    number(sim.energy),
                    number(sim.pe_utilisation),
                    number(sim.noc_stall_share),
                    number(sim.offchip_stall_share),
                ]);
                match &sim.busiest_link {
                    Some(link) => row.extend([field(&link.name), number(link.utilisation)]),
                    None => row.extend([String::new(), String::new()]),
                }
                row.extend(latency_fields(&sim.distribution_latency));
                row.extend(latency_fields(&sim.collection_latency));
            }
            None => row.extend(std::iter::repeat(String::new()).take(15)),
        }
    }
    if result.engine.analytical() && result.engine.simulated() {
        row.push(match (outcome.analytical, &outcome.simulated) {
            (Some(model), Some(sim)) => error_percent(model.runtime, sim.runtime),
            _ => String::new(),
        });
        row.push(
            outcome
                .gap
                .map(|gap| gap.bucket.label().to_owned())
                .unwrap_or_default(),
        );
    }
    row.push(field(outcome.error.as_deref().unwrap_or("")));
    row
}

#[derive(Serialize)]
struct SweepJson<'a> {
    #[serde(flatten)]
    sweep: &'a SweepResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    contention: Option<&'a ContentionStudy>,
}

/// Every number of every point and layer, and the contention study when given.
pub fn render_sweep_json(result: &SweepResult, contention: Option<&ContentionStudy>) -> String {
    let mut text = serde_json::to_string_pretty(&SweepJson {
        sweep: result,
        contention,
    })
    .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}

/// Shares as percentages for the contention table.
pub(super) fn share(value: f64) -> String {
    percent(value)
}
