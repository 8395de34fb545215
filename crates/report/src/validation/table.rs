//! The terminal rendering of a validation: per layer the runtimes and every quantity's signed error,
//! the bucket that explains most of the runtime gap, then the error statistics and the worst layers.

use super::format::{amount, signed_percent, stat};
use comfy_table::{presets, CellAlignment, Table};
use maestro_validate::{GateReport, NetworkValidation, Quantity};

const ERROR_CONVENTION: &str = "Errors in percent: (analytical − simulated) / simulated; positive \
when the model predicts more. \"Gap mostly in\": the bucket holding most of the runtime gap \
(simulated − modelled cycles).";

/// Renders the per-layer table, the summary and the worst layers.
pub fn render_validation_table(validation: &NetworkValidation) -> String {
    let mut text = format!(
        "Network: {} on {} — analytical model vs simulator\n",
        validation.network, validation.accelerator
    );
    if let Some(perturbation) = &validation.perturbation {
        text.push_str(&format!("Perturbation: {perturbation}\n"));
    }
    text.push_str(&layer_table(validation).to_string());
    text.push('\n');
    text.push_str(&summary_table(validation).to_string());
    text.push('\n');
    text.push_str(&worst_layers(validation));
    text.push_str(ERROR_CONVENTION);
    text.push('\n');
    text
}

fn layer_table(validation: &NetworkValidation) -> Table {
    let mut header = vec![
        "Layer".to_owned(),
        "Analytical".to_owned(),
        "Simulated".to_owned(),
        "Runtime err %".to_owned(),
    ];
    if validation.compat {
        header.push("Compat".to_owned());
        header.push("Compat err %".to_owned());
    }
    for quantity in &Quantity::ALL[1..] {
        header.push(format!("{} err %", quantity.label()));
    }
    header.push("Gap mostly in".to_owned());
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(header.clone());
    for layer in &validation.layers {
        let runtime = layer.quantity(Quantity::Runtime);
        let mut row = vec![
            crate::cell::name_cell(&layer.layer),
            runtime.map_or_else(String::new, |q| amount(q.analytical)),
            runtime.map_or_else(String::new, |q| amount(q.simulated)),
            signed_percent(runtime.and_then(|q| q.error_percent)),
        ];
        if validation.compat {
            row.push(
                runtime
                    .and_then(|q| q.compat)
                    .map_or_else(|| "n/a".to_owned(), amount),
            );
            row.push(signed_percent(runtime.and_then(|q| q.compat_error_percent)));
        }
        for &quantity in &Quantity::ALL[1..] {
            row.push(signed_percent(
                layer.quantity(quantity).and_then(|q| q.error_percent),
            ));
        }
        row.push(
            layer
                .attribution
                .dominant()
                .map_or("—", |bucket| bucket.label())
                .to_owned(),
        );
        table.add_row(row);
    }
    let summary = &validation.summary;
    let mut total = vec![
        format!("Total ({} layers)", validation.layers.len()),
        amount(summary.analytical_cycles),
        amount(summary.simulated_cycles),
        signed_percent(maestro_validate::signed_error_percent(
            summary.analytical_cycles,
            summary.simulated_cycles,
        )),
    ];
    total.resize(header.len(), String::new());
    table.add_row(total);
    right_align(&mut table, 1..header.len() - 1);
    table
}

fn summary_table(validation: &NetworkValidation) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header([
        "|Error| %",
        "Layers",
        "Mean",
        "Median",
        "P90",
        "Max",
        "Mean (cycle-weighted)",
        "Median (cw)",
        "P90 (cw)",
    ]);
    for summary in &validation.summary.quantities {
        table.add_row([
            summary.quantity.label().to_owned(),
            summary.layers.to_string(),
            stat(summary, summary.unweighted.mean),
            stat(summary, summary.unweighted.median),
            stat(summary, summary.unweighted.p90),
            stat(summary, summary.unweighted.max),
            stat(summary, summary.cycle_weighted.mean),
            stat(summary, summary.cycle_weighted.median),
            stat(summary, summary.cycle_weighted.p90),
        ]);
    }
    right_align(&mut table, 1..9);
    table
}

fn worst_layers(validation: &NetworkValidation) -> String {
    if validation.summary.worst_layers.is_empty() {
        return String::new();
    }
    let mut text = String::from("Worst layers by |runtime error|:\n");
    for (rank, worst) in validation.summary.worst_layers.iter().enumerate() {
        text.push_str(&format!(
            "  {}. {} ({} %): {}\n",
            rank + 1,
            worst.layer,
            signed_percent(Some(worst.runtime_error_percent)),
            worst.reason()
        ));
    }
    text
}

fn right_align(table: &mut Table, columns: std::ops::Range<usize>) {
    for column in columns {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// The regression gate's verdict: one line per finding, then the outcome.
pub fn render_gate(report: &GateReport) -> String {
    let mut text = String::new();
    for finding in &report.findings {
        text.push_str(&format!("FAIL {finding}\n"));
    }
    if report.passed() {
        text.push_str(&format!(
            "gate passed: {} cases, {} comparisons within tolerance of the baseline\n",
            report.cases, report.comparisons
        ));
    } else {
        text.push_str(&format!(
            "gate failed: {} finding(s) over {} cases\n",
            report.findings.len(),
            report.cases
        ));
    }
    text
}

/// One case of a suite in the terminal overview.
#[derive(Debug)]
pub struct SuiteOverviewRow<'a> {
    pub case: &'a str,
    pub result: Result<&'a NetworkValidation, &'a str>,
}

/// One line per case: layers, runtime error statistics, the error of the summed runtime, and the
/// worst layer; a case that failed shows why.
pub fn render_suite_overview(rows: &[SuiteOverviewRow<'_>]) -> String {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header([
        "Case",
        "Layers",
        "Mean |runtime err| %",
        "Max |runtime err| %",
        "Sum err %",
        "Mean |energy err| %",
        "Worst layer",
    ]);
    for row in rows {
        match row.result {
            Ok(validation) => {
                let summary = &validation.summary;
                let runtime = summary.quantity(Quantity::Runtime);
                let energy = summary.quantity(Quantity::Energy);
                table.add_row([
                    crate::cell::name_cell(row.case),
                    validation.layers.len().to_string(),
                    runtime.map_or_else(String::new, |s| stat(s, s.unweighted.mean)),
                    runtime.map_or_else(String::new, |s| stat(s, s.unweighted.max)),
                    signed_percent(maestro_validate::signed_error_percent(
                        summary.analytical_cycles,
                        summary.simulated_cycles,
                    )),
                    energy.map_or_else(String::new, |s| stat(s, s.unweighted.mean)),
                    summary
                        .worst_layers
                        .first()
                        .map_or_else(String::new, |worst| {
                            format!(
                                "{} ({} %, {})",
                                worst.layer,
                                signed_percent(Some(worst.runtime_error_percent)),
                                worst.dominant.map_or("—", |bucket| bucket.label())
                            )
                        }),
                ]);
            }
            Err(reason) => {
                table.add_row([
                    crate::cell::name_cell(row.case),
                    "failed".to_owned(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    reason.to_owned(),
                ]);
            }
        }
    }
    right_align(&mut table, 1..6);
    format!("{table}\n")
}
