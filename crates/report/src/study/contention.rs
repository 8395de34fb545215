//! The NoC contention report: per series (dataflow, layer, fixed parameters), a table across the
//! swept bandwidths and the findings — saturating link, knees and why the engines diverge.

use super::format::number;
use super::sweep::share;
use comfy_table::{presets, CellAlignment, Table};
use maestro_study::contention::{ContentionSeries, ContentionStudy};
use serde::Serialize;

fn title(series: &ContentionSeries) -> String {
    let mut title = format!("{} — layer {}", series.dataflow, series.layer);
    if !series.fixed.is_empty() {
        let fixed: Vec<String> = series
            .fixed
            .iter()
            .map(|fixed| format!("{}={}", fixed.param, fixed.value))
            .collect();
        title.push_str(&format!(" ({})", fixed.join(", ")));
    }
    title
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

/// A table per series followed by its findings.
pub fn render_contention_text(study: &ContentionStudy) -> String {
    let mut text = format!(
        "NoC contention across {} (knee: the smallest swept bandwidth beyond which runtime improves by less than {} %)\n",
        study.bandwidth_param.name(),
        number(study.threshold * 100.0)
    );
    for series in &study.series {
        text.push('\n');
        text.push_str(&title(series));
        text.push('\n');
        let mut table = Table::new();
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        table.set_header([
            "Bandwidth",
            "Model runtime",
            "Sim runtime",
            "Busiest NoC link",
            "Busy %",
            "NoC stall %",
            "Dist p50/p90/p99/max",
            "Gap mostly in",
        ]);
        for point in &series.points {
            table.add_row([
                point.bandwidth.to_string(),
                optional(point.analytical_runtime),
                optional(point.simulated_runtime),
                point
                    .busiest_link
                    .as_ref()
                    .map(|link| link.name.clone())
                    .unwrap_or_default(),
                point
                    .busiest_link
                    .as_ref()
                    .map(|link| share(link.utilisation))
                    .unwrap_or_default(),
                point.noc_stall_share.map(share).unwrap_or_default(),
                point
                    .distribution_latency
                    .map(|[p50, p90, p99, max]| format!("{p50}/{p90}/{p99}/{max}"))
                    .unwrap_or_default(),
                point
                    .gap
                    .map(|gap| gap.bucket.label().to_owned())
                    .unwrap_or_default(),
            ]);
        }
        for index in [0, 1, 2, 4, 5, 6] {
            if let Some(column) = table.column_mut(index) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        text.push_str(&table.to_string());
        text.push('\n');
        for finding in &series.findings {
            text.push_str(&format!("  - {finding}\n"));
        }
    }
    text
}

#[derive(Serialize)]
struct ContentionJson<'a> {
    contention: &'a ContentionStudy,
}

pub fn render_contention_json(study: &ContentionStudy) -> String {
    let mut text = serde_json::to_string_pretty(&ContentionJson { contention: study })
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}
