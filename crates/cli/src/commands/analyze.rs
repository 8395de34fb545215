//! `maestro analyze`: run the cost model on every layer and render the result.

use crate::args::OutputFormat;
use crate::failure::{invalid, Failure};
use crate::input::{check_mappings, load_network};
use crate::output::{emit, warn, Output};
use crate::settings::AnalyzeSettings;
use std::process::ExitCode;

pub fn run(settings: AnalyzeSettings) -> Result<ExitCode, Failure> {
    let output = Output::open(settings.output.as_deref())?;
    let loaded = load_network(&settings.source, &settings.accelerator)?;
    if settings.options.mode == maestro_cost::ModelMode::Corrected {
        check_mappings(&loaded, &settings.accelerator)?;
    }
    let cost =
        maestro_cost::analyze_network(&loaded.network, &settings.accelerator, &settings.options)
            .map_err(|error| invalid(format!("{}: {error}", loaded.file_name)))?;
    for layer in &cost.layers {
        let name = &layer.row.layer;
        for finding in layer
            .detail
            .iter()
            .flat_map(|detail| detail.capacity_findings())
        {
            warn(&format!("{}: layer {name}: {finding}", loaded.file_name));
        }
        if settings.options.mode == maestro_cost::ModelMode::Compat {
            for quirk in layer.row.quirks() {
                warn(&format!(
                    "{}: layer {name}: --compat reproduces a reference quirk, not a result: {quirk}",
                    loaded.file_name
                ));
            }
        }
    }
    let text = match settings.format {
        OutputFormat::Table => maestro_report::render_table(&cost),
        OutputFormat::Csv => maestro_report::render_csv(&cost),
        OutputFormat::Json => maestro_report::render_json(&cost),
    };
    emit(&text, output)?;
    Ok(ExitCode::SUCCESS)
}
