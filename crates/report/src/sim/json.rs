//! The JSON document of a simulation: every layer's report and the network totals, pretty-printed.

use maestro_sim::NetworkSimReport;
use serde::Serialize;

/// Network-wide sums of a simulation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SimTotals {
    pub layers: usize,
    /// Layers run one after another.
    pub runtime_cycles: u64,
    pub macs: u64,
    pub steps: u64,
    pub steps_skipped_in_closed_form: u64,
    pub throughput_macs_per_cycle: f64,
}

impl SimTotals {
    pub fn of(report: &NetworkSimReport) -> SimTotals {
        let sum = |field: fn(&maestro_sim::LayerSimReport) -> u64| {
            report
                .layers
                .iter()
                .fold(0u64, |total, layer| total.saturating_add(field(layer)))
        };
        SimTotals {
            layers: report.layers.len(),
            runtime_cycles: report.total_cycles,
            macs: report.total_macs,
            steps: sum(|layer| layer.steps),
            steps_skipped_in_closed_form: sum(|layer| layer.steps_skipped_in_closed_form),
            throughput_macs_per_cycle: if report.total_cycles == 0 {
                0.0
            } else {
                report.total_macs as f64 / report.total_cycles as f64
            },
        }
    }
}

/// The document written by `maestro simulate --format json`.
#[derive(Debug, Serialize)]
pub struct SimJsonReport<'a> {
    pub num_pes: u64,
    #[serde(flatten)]
    pub report: &'a NetworkSimReport,
    pub totals: SimTotals,
}

/// Renders the report as pretty-printed JSON followed by a line break.
pub fn render_sim_json(report: &NetworkSimReport, num_pes: u64) -> String {
    let document = SimJsonReport {
        num_pes,
        report,
        totals: SimTotals::of(report),
    };
    // Only strings, integers, booleans and finite ratios: serialisation cannot fail.
    let mut text =
        serde_json::to_string_pretty(&document).expect("a simulation report always serialises");
    text.push('\n');
    text
}
