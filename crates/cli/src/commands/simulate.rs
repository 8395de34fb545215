//! `maestro simulate`: run the cycle-level simulator on every layer and render what it measured.

use crate::args::OutputFormat;
use crate::failure::{invalid, Failure};
use crate::input::{check_mappings, load_network, LoadedNetwork};
use crate::output::{emit, Output};
use crate::settings::SimulateSettings;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use maestro_sim::{
    simulate_network_observed, simulate_network_traced, JsonLinesTrace, NetworkObserver,
    NetworkSimReport, SimBuilder, SimError,
};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

pub fn run(settings: SimulateSettings) -> Result<ExitCode, Failure> {
    let output = Output::open(settings.output.as_deref())?;
    let trace = settings
        .trace
        .as_deref()
        .map(|path| Output::open(Some(path)))
        .transpose()?;
    let loaded = load_network(&settings.source, &settings.accelerator)?;
    check_mappings(&loaded, &settings.accelerator)?;
    let report = match trace {
        Some(trace) => traced(&settings, &loaded, trace)?,
        None => match with_progress(&settings, &loaded)? {
            Ok(report) => report,
            Err((report, failure)) => {
                render_and_emit(&settings, &report, output)?;
                return Err(failure);
            }
        },
    };
    render_and_emit(&settings, &report, output)?;
    Ok(ExitCode::SUCCESS)
}

fn render_and_emit(
    settings: &SimulateSettings,
    report: &NetworkSimReport,
    output: Output,
) -> Result<(), Failure> {
    let pes = settings.accelerator.num_pes;
    let text = match settings.format {
        OutputFormat::Table => maestro_report::sim::render_sim_table(report, pes),
        OutputFormat::Csv => maestro_report::sim::render_sim_csv(report, pes),
        OutputFormat::Json => maestro_report::sim::render_sim_json(report, pes),
    };
    emit(&text, output)
}

fn simulation_failure(loaded: &LoadedNetwork, error: SimError) -> Failure {
    invalid(format!("{}: {error}", loaded.file_name))
}

/// Layers with at least this many steps get their own step bar on a terminal.
const LONG_LAYER_STEPS: u64 = 4096;

/// Progress bars (hidden unless standard error is a terminal) and the time limit.
struct Watch {
    bars: MultiProgress,
    layers: ProgressBar,
    step_bars: Vec<Mutex<Option<ProgressBar>>>,
    layer_names: Vec<String>,
    deadline: Option<Instant>,
    terminal: bool,
}

impl NetworkObserver for Watch {
    fn step(&self, layer: usize, step: u64, steps: u64) -> bool {
        if self.terminal && steps >= LONG_LAYER_STEPS {
            if let Ok(mut slot) = self.step_bars[layer].lock() {
                let bar = slot.get_or_insert_with(|| {
                    let bar = self.bars.add(ProgressBar::new(steps));
                    if let Ok(style) = ProgressStyle::with_template(
                        "  {msg} {bar:30} {pos}/{len} steps [{elapsed}, {eta} left]",
                    ) {
                        bar.set_style(style);
                    }
                    bar.set_message(self.layer_names[layer].clone());
                    bar
                });
                bar.set_position(step);
            }
        }
        self.deadline
            .map_or(true, |deadline| Instant::now() < deadline)
    }

    fn layer_done(&self, layer: usize) {
        if let Ok(mut slot) = self.step_bars[layer].lock() {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
                self.bars.remove(&bar);
            }
        }
        self.layers.inc(1);
    }
}

/// Runs the layers on worker threads, with progress bars when standard error is a terminal (one
/// for the layers, one per long layer for its steps). When the time limit stops layers, the finished
/// ones are returned beside the error, to be written before it is reported.
fn with_progress(
    settings: &SimulateSettings,
    loaded: &LoadedNetwork,
) -> Result<Result<NetworkSimReport, (NetworkSimReport, Failure)>, Failure> {
    let layers = loaded.network.layers.len() as u64;
    let terminal = std::io::stderr().is_terminal();
    let bars = if terminal {
        MultiProgress::new()
    } else {
        MultiProgress::with_draw_target(ProgressDrawTarget::hidden())
    };
    let layer_bar = bars.add(ProgressBar::new(layers));
    if let Ok(style) =
        ProgressStyle::with_template("simulating {bar:30} {pos}/{len} layers [{elapsed}]")
    {
        layer_bar.set_style(style);
    }
    let watch = Watch {
        bars,
        layers: layer_bar,
        step_bars: loaded
            .network
            .layers
            .iter()
            .map(|_| Mutex::new(None))
            .collect(),
        layer_names: loaded
            .network
            .layers
            .iter()
            .map(|layer| layer.name.clone())
            .collect(),
        deadline: settings.time_limit.map(|limit| Instant::now() + limit),
        terminal,
    };
    let observed = simulate_network_observed(
        &loaded.network,
        &settings.accelerator,
        &settings.options,
        &watch,
    );
    watch.layers.finish_and_clear();
    let observed = observed.map_err(|error| simulation_failure(loaded, error))?;
    let mut errors = observed.errors.into_iter().map(|(_, error)| error);
    let Some(first) = errors.next() else {
        return Ok(Ok(observed.report));
    };
    let limit = match (settings.time_limit, &first) {
        (Some(limit), SimError::Stopped { .. }) => limit,
        _ => return Err(simulation_failure(loaded, first)),
    };
    // The time limit stopped layers: write what finished, then name what did not.
    let unfinished: Vec<String> = std::iter::once(first)
        .chain(errors)
        .map(|error| error.to_string())
        .collect();
    let finished = observed.report.layers.len();
    let failure = invalid(format!(
        "{}: time limit of {} s reached; {}; the {finished} finished layer(s) were written",
        loaded.file_name,
        limit.as_secs(),
        unfinished.join("; ")
    ));
    Ok(Err((observed.report, failure)))
}

/// Runs the layers one after another, writing every event to the trace file; refuses runs larger
/// than the trace limit.
fn traced(
    settings: &SimulateSettings,
    loaded: &LoadedNetwork,
    trace: Output,
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
    let path = settings.trace.as_deref().unwrap_or(Path::new("trace"));
    let write_failure = |error| Failure::Write {
        target: path.display().to_string(),
        error,
    };
    let mut sink = JsonLinesTrace::new(trace);
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
    sink.into_inner().finish()?;
    Ok(report)
}
