//! `maestro check`: parse, map and validate a network, then print its summary.

use crate::failure::{invalid, Failure};
use crate::input::{check_mappings, load_network, LoadedNetwork};
use crate::output::{emit, Output};
use crate::settings::CheckSettings;
use maestro_cost::AnalysisOptions;
use std::process::ExitCode;

pub fn run(settings: CheckSettings) -> Result<ExitCode, Failure> {
    let output = Output::open(None)?;
    let loaded = load_network(&settings.source, &settings.accelerator)?;
    check_shapes(&loaded)?;
    // The engines' own checks, on the given hardware or the default accelerator: the shared
    // expansion (with the directive located), then the analytical model's verdict, so that `check`
    // accepts exactly what `analyze` accepts.
    check_mappings(&loaded, &settings.accelerator)?;
    maestro_cost::analyze_network(
        &loaded.network,
        &settings.accelerator,
        &AnalysisOptions::default(),
    )
    .map_err(|error| invalid(format!("{}: {error}", loaded.file_name)))?;
    let mut text = maestro_report::render_network_summary(&loaded.network);
    if let Some(summary) = &loaded.import_summary {
        text.push_str(&format!("Imported: {summary}\n"));
    }
    text.push_str(&format!("{}: valid\n", loaded.file_name));
    emit(&text, output)?;
    Ok(ExitCode::SUCCESS)
}

/// Every layer must have a well-formed loop nest (declared dimensions, filters no larger than inputs).
fn check_shapes(loaded: &LoadedNetwork) -> Result<(), Failure> {
    let problems: Vec<String> = loaded
        .network
        .layers
        .iter()
        .filter_map(|layer| {
            layer
                .loop_bounds()
                .err()
                .map(|error| format!("layer {}: {error}", layer.name))
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(invalid(format!(
            "{}: {}",
            loaded.file_name,
            problems.join("; ")
        )))
    }
}
