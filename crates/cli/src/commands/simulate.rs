//! `maestro simulate`: run the cycle-level simulator on every layer and render what it measured.

use crate::args::OutputFormat;
use crate::failure::{invalid, Failure};
use crate::input::{load_network, LoadedNetwork};
use crate::output::emit;
use crate::settings::SimulateSettings;
use indicatif::{ProgressBar, ProgressStyle};
use maestro_sim::{
    simulate_network_traced, simulate_network_with_progress, JsonLinesTrace, NetworkSimReport,
    SimBuilder, SimError,
};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

pub fn run(settings: SimulateSettings) -> Result<ExitCode, Failure> {
    let loaded = load_network(&settings.source, &settings.accelerator)?;
    let report = match &settings.trace {
        Some(path) => traced(&settings, &loaded, path)?,
        None => with_progress(&settings, &loaded)?,
    };
    let pes = settings.accelerator.num_pes;
    let text = match settings.format {
        OutputFormat::Table => maestro_report::sim::render_sim_table(&report, pes),
        OutputFormat::Csv => maestro_report::sim::render_sim_csv(&report, pes),
        OutputFormat::Json => maestro_report::sim::render_sim_json(&report, pes),
    };
    emit(&text, settings.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

fn simulation_failure(loaded: &LoadedNetwork, error: SimError) -> Failure {
    invalid(format!("{}: {error}", loaded.file_name))
}

/// Runs the layers on worker threads, with a progress bar when standard error is a terminal.
fn with_progress(
    settings: &SimulateSettings,
    loaded: &LoadedNetwork,
) -> Result<NetworkSimReport, Failure> {
    let layers = loaded.network.layers.len() as u64;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(layers);
        if let Ok(style) =
            ProgressStyle::with_template("simulating {bar:30} {pos}/{len} layers [{elapsed}]")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let result = simulate_network_with_progress(
        &loaded.network,
        &settings.accelerator,
        &settings.options,
        &|_| bar.inc(1),
    );
    bar.finish_and_clear();
    result.map_err(|error| simulation_failure(loaded, error))
}

/// Runs the layers one after another, writing every event to the trace file; refuses runs larger
/// than the trace limit.
fn traced(
    settings: &SimulateSettings,
    loaded: &LoadedNetwork,
    path: &Path,
) -> Result<NetworkSimReport, Failure> {
    let simulator = SimBuilder::new(&settings.accelerator)
        .options(settings.options.clone())
        .build()
        .map_err(|error| simulation_failure(loaded, error))?;
    let mut work_items = 0u64;
    for layer in &loaded.network.layers {
        let (_, items) = simulator
            .work_size(layer)
            .map_err(|error| simulation_failure(loaded, error))?;
        work_items = work_items.saturating_add(items);
    }
    if work_items > settings.trace_limit {
        return Err(invalid(format!(
            "{}: a trace of this run would hold about {work_items} PE work items, more than the \
             trace limit of {}; raise it with --trace-limit N or trace a smaller network",
            loaded.file_name, settings.trace_limit
        )));
    }
    let write_failure = |error| Failure::Write {
        target: path.display().to_string(),
        error,
    };
    let file = std::fs::File::create(path).map_err(write_failure)?;
    let mut sink = JsonLinesTrace::new(std::io::BufWriter::new(file));
    let report = simulate_network_traced(
        &loaded.network,
        &settings.accelerator,
        &settings.options,
        &mut sink,
    );
    let report = match report {
        Err(SimError::Trace(error)) => return Err(write_failure(error)),
        other => other.map_err(|error| simulation_failure(loaded, error))?,
    };
    sink.into_inner().flush().map_err(write_failure)?;
    Ok(report)
}
