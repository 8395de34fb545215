//! The Markdown report written by `maestro validate --report DIR` (`report.md`): the error convention,
//! the statistics, the worst layers and why, every layer's comparison and runtime-gap attribution, and
//! links to the SVG plots written beside it.

use super::format::{amount, percent, signed_cycles, signed_percent, stat};
use super::table::render_gate;
use maestro_validate::{GapBucket, GateReport, NetworkValidation, Quantity};
use std::fmt::Write as _;

/// File names of the plots next to the report (relative links); `None` leaves the plot section out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlotFiles {
    pub error_per_layer: String,
    pub runtime_scatter: String,
    pub stall_breakdown: String,
}

impl PlotFiles {
    /// The standard names, each prefixed with `prefix` (empty for a single network).
    pub fn with_prefix(prefix: &str) -> PlotFiles {
        PlotFiles {
            error_per_layer: format!("{prefix}error_per_layer.svg"),
            runtime_scatter: format!("{prefix}runtime_scatter.svg"),
            stall_breakdown: format!("{prefix}stall_breakdown.svg"),
        }
    }
}

/// Renders the report of one network.
pub fn render_validation_markdown(
    validation: &NetworkValidation,
    plots: Option<&PlotFiles>,
) -> String {
    let mut text = format!(
        "# Validation: {} on {}\n\n",
        validation.network, validation.accelerator
    );
    text.push_str(&network_sections(validation, plots, "##"));
    text
}

/// One case of a suite for the Markdown report.
#[derive(Debug)]
pub struct SuiteCase<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub result: Result<&'a NetworkValidation, &'a str>,
    pub plots: Option<PlotFiles>,
}

/// Renders the report of a suite: the gate's verdict, an overview of every case, then each case.
pub fn render_suite_markdown(cases: &[SuiteCase<'_>], gate: Option<&GateReport>) -> String {
    let mut text = String::from("# Validation suite\n\n");
    if let Some(gate) = gate {
        text.push_str("## Regression gate\n\n```\n");
        text.push_str(&render_gate(gate));
        text.push_str("```\n\n");
    }
    text.push_str("## Cases\n\n");
    text.push_str(
        "| Case | Network | Accelerator | Layers | Mean \\|runtime error\\| % | Max \\|runtime error\\| % | Runtime error of the sum % |\n",
    );
    text.push_str("| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
    for case in cases {
        match case.result {
            Ok(validation) => {
                let runtime = validation.summary.quantity(Quantity::Runtime);
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    cell(case.name),
                    cell(&validation.network),
                    cell(&validation.accelerator),
                    validation.layers.len(),
                    runtime.map_or_else(String::new, |s| percent(s.unweighted.mean)),
                    runtime.map_or_else(String::new, |s| percent(s.unweighted.max)),
                    signed_percent(maestro_validate::signed_error_percent(
                        validation.summary.analytical_cycles,
                        validation.summary.simulated_cycles
                    )),
                );
            }
            Err(reason) => {
                let _ = writeln!(
                    text,
                    "| {} | failed: {} | | | | | |",
                    cell(case.name),
                    cell(reason)
                );
            }
        }
    }
    text.push('\n');
    for case in cases {
        let _ = writeln!(text, "## Case `{}`\n", case.name);
        if let Some(description) = case.description {
            let _ = writeln!(text, "{description}\n");
        }
        match case.result {
            Ok(validation) => {
                let _ = writeln!(
                    text,
                    "Network {} on {}.\n",
                    validation.network, validation.accelerator
                );
                text.push_str(&network_sections(validation, case.plots.as_ref(), "###"));
            }
            Err(reason) => {
                let _ = writeln!(text, "The case could not run: {reason}\n");
            }
        }
    }
    text
}

fn network_sections(
    validation: &NetworkValidation,
    plots: Option<&PlotFiles>,
    heading: &str,
) -> String {
    let mut text = String::new();
    text.push_str(
        "Errors are `(analytical − simulated) / simulated` in percent: positive when the corrected \
model predicts more than the simulator measured. Gaps are simulated minus modelled cycles.\n\n",
    );
    if let Some(perturbation) = &validation.perturbation {
        let _ = writeln!(text, "**Perturbation:** {perturbation}.\n");
    }
    let _ = writeln!(text, "{heading} Summary\n");
    text.push_str("| \\|Error\\| % | Layers | Mean | Median | P90 | Max | Mean (cycle-weighted) | Median (cw) | P90 (cw) |\n");
    text.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for summary in &validation.summary.quantities {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            summary.quantity.label(),
            summary.layers,
            stat(summary, summary.unweighted.mean),
            stat(summary, summary.unweighted.median),
            stat(summary, summary.unweighted.p90),
            stat(summary, summary.unweighted.max),
            stat(summary, summary.cycle_weighted.mean),
            stat(summary, summary.cycle_weighted.median),
            stat(summary, summary.cycle_weighted.p90),
        );
    }
    let _ = writeln!(
        text,
        "\nWhole network: {} analytical cycles, {} simulated ({} %).\n",
        amount(validation.summary.analytical_cycles),
        amount(validation.summary.simulated_cycles),
        signed_percent(maestro_validate::signed_error_percent(
            validation.summary.analytical_cycles,
            validation.summary.simulated_cycles
        )),
    );
    if !validation.summary.worst_layers.is_empty() {
        let _ = writeln!(text, "{heading} Worst layers\n");
        for (rank, worst) in validation.summary.worst_layers.iter().enumerate() {
            let _ = writeln!(
                text,
                "{}. `{}` ({} %): {}",
                rank + 1,
                worst.layer,
                signed_percent(Some(worst.runtime_error_percent)),
                worst.reason()
            );
        }
        text.push('\n');
    }
    let _ = writeln!(text, "{heading} Per layer\n");
    text.push_str("| Layer | Type | Analytical cycles | Simulated cycles | Runtime % |");
    if validation.compat {
        text.push_str(" Compat cycles | Compat % |");
    }
    for quantity in &Quantity::ALL[1..] {
        let _ = write!(text, " {} % |", quantity.label());
    }
    text.push_str("\n| --- | --- | ---: | ---: | ---: |");
    if validation.compat {
        text.push_str(" ---: | ---: |");
    }
    text.push_str(&" ---: |".repeat(Quantity::ALL.len() - 1));
    text.push('\n');
    for layer in &validation.layers {
        let runtime = layer.quantity(Quantity::Runtime);
        let _ = write!(
            text,
            "| {} | {} | {} | {} | {} |",
            cell(&layer.layer),
            layer.layer_type,
            runtime.map_or_else(String::new, |q| amount(q.analytical)),
            runtime.map_or_else(String::new, |q| amount(q.simulated)),
            signed_percent(runtime.and_then(|q| q.error_percent)),
        );
        if validation.compat {
            let _ = write!(
                text,
                " {} | {} |",
                runtime
                    .and_then(|q| q.compat)
                    .map_or_else(|| "n/a".to_owned(), amount),
                signed_percent(runtime.and_then(|q| q.compat_error_percent)),
            );
        }
        for &quantity in &Quantity::ALL[1..] {
            let _ = write!(
                text,
                " {} |",
                signed_percent(layer.quantity(quantity).and_then(|q| q.error_percent))
            );
        }
        text.push('\n');
    }
    let _ = writeln!(
        text,
        "\n{heading} Runtime gap attribution (cycles, simulated − modelled)\n"
    );
    text.push_str("| Layer |");
    for bucket in GapBucket::ALL {
        let _ = write!(text, " {} |", bucket.label());
    }
    text.push_str(" Mostly in |\n| --- |");
    text.push_str(&" ---: |".repeat(GapBucket::ALL.len()));
    text.push_str(" --- |\n");
    for layer in &validation.layers {
        let _ = write!(text, "| {} |", cell(&layer.layer));
        for bucket in GapBucket::ALL {
            let _ = write!(
                text,
                " {} |",
                signed_cycles(layer.attribution.gap.get(bucket))
            );
        }
        let _ = writeln!(
            text,
            " {} |",
            layer
                .attribution
                .dominant()
                .map_or("—", |bucket| bucket.label())
        );
    }
    text.push('\n');
    let warned: Vec<_> = validation
        .layers
        .iter()
        .filter(|layer| !layer.warnings.is_empty())
        .collect();
    if !warned.is_empty() {
        let _ = writeln!(text, "{heading} Model warnings\n");
        for layer in warned {
            for warning in &layer.warnings {
                let _ = writeln!(text, "- `{}`: {}", layer.layer, warning);
            }
        }
        text.push('\n');
    }
    if let Some(plots) = plots {
        let _ = writeln!(text, "{heading} Plots\n");
        let _ = writeln!(
            text,
            "![Signed error per layer]({})\n\n![Analytical vs simulated runtime]({})\n\n![Simulator stall breakdown per layer]({})\n",
            plots.error_per_layer, plots.runtime_scatter, plots.stall_breakdown
        );
    }
    text
}

/// Escapes the characters that would break a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
