//! `maestro sweep`: a cartesian product of hardware parameters (`--param NAME=VALUES`, named by their
//! TOML paths) and dataflows, over a network or chosen layers, on the analytical model, the
//! simulator or both; optionally the NoC contention report and an SVG plot. The study input
//! (`--mapping`/`--model` with several `--dataflow`s, `--layers`) is shared with `maestro dse`.

use crate::args::{HardwareArgs, OutputFormat};
use crate::failure::{invalid, Failure};
use crate::input::{load_network, NetworkSource};
use crate::output::emit;
use crate::settings::assemble_accelerator;
use clap::builder::PossibleValuesParser;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use maestro_ir::Accelerator;
use maestro_report::study as render;
use maestro_sim::SimOptions;
use maestro_study::{
    contention_study, run_sweep, select_layers, Dataflow, Engine, ParamSpec, Sweep, SweepOptions,
    SweepSpace, Workload,
};
use maestro_templates::DataflowStyle;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What a dataflow template name may be.
const DATAFLOW_NAMES: [&str; 5] = ["kcp_ws", "nlr", "xp_ws", "yxp_os", "rs"];

/// The network and dataflows of a study.
#[derive(Debug, Args)]
pub struct StudyInputArgs {
    /// A mapping file (`.m`): layers with their `Dataflow` blocks.
    #[arg(long, value_name = "FILE", conflicts_with = "shapes")]
    pub mapping: Option<PathBuf>,
    /// A model file (`.m`): layer shapes only; pair it with --dataflow.
    #[arg(long, value_name = "FILE", group = "shapes")]
    pub model: Option<PathBuf>,
    /// An ONNX model, read as `maestro import` reads it (batch 1); pair it with --dataflow.
    #[arg(long, value_name = "FILE", group = "shapes")]
    pub onnx: Option<PathBuf>,
    /// Dataflow templates that map --model or --onnx, comma-separated; each is a line of the study.
    #[arg(
        long,
        value_name = "NAMES",
        requires = "shapes",
        value_delimiter = ',',
        value_parser = PossibleValuesParser::new(DATAFLOW_NAMES)
    )]
    pub dataflow: Vec<String>,
    /// Only these layers, comma-separated: names, or 0-based indices.
    #[arg(long, value_name = "LAYERS", value_delimiter = ',')]
    pub layers: Vec<String>,
}

/// Which engines a sweep runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    Analytical,
    Sim,
    Both,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub input: StudyInputArgs,
    #[command(flatten)]
    pub hardware: HardwareArgs,
    /// A swept hardware parameter, NAME=VALUES (repeatable; the product of all is swept). NAME is a
    /// TOML field path (pe.count, l1.size, noc.bandwidth, noc.topology, …); VALUES a comma list
    /// of values or ranges `LO..HI`, `LO..HI step S`, `LO..HI x F`.
    #[arg(long = "param", value_name = "NAME=VALUES", value_parser = parse_param)]
    pub params: Vec<ParamSpec>,
    /// The engines: the analytical model, the simulator, or both [default: analytical; both with
    /// --contention].
    #[arg(long, value_enum)]
    pub engine: Option<EngineArg>,
    /// Add the NoC contention report (needs the simulator and a swept NoC bandwidth).
    #[arg(long)]
    pub contention: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write the results to FILE (replacing it) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also draw runtime and energy against the first swept parameter into FILE (SVG).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Worker threads [default: the available parallelism]; results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// Simulate layers whose tiles exceed L1 or L2 instead of reporting them as failed.
    #[arg(long)]
    pub ignore_capacity: bool,
}

fn parse_param(text: &str) -> Result<ParamSpec, String> {
    ParamSpec::parse(text).map_err(|error| error.to_string())
}

/// A usage error (exit 2) raised after clap's own checks.
pub fn usage_error(message: impl std::fmt::Display) -> Failure {
    let mut command = <crate::args::Cli as clap::CommandFactory>::command();
    Failure::Usage(command.error(clap::error::ErrorKind::ArgumentConflict, message))
}

/// `--threads`, or the available parallelism.
pub fn worker_threads(flag: Option<u32>) -> usize {
    match flag {
        Some(threads) => threads as usize,
        None => std::thread::available_parallelism().map_or(1, |threads| threads.get()),
    }
}

/// Reads the network, keeps the chosen layers and lists the dataflows.
pub fn load_workload(
    input: &StudyInputArgs,
    accelerator: &Accelerator,
) -> Result<(Workload, String), Failure> {
    let styles: Vec<DataflowStyle> = input
        .dataflow
        .iter()
        .filter_map(|name| DataflowStyle::from_name(name))
        .collect();
    let source = match (&input.mapping, &input.model, &input.onnx) {
        (Some(path), _, _) => NetworkSource::Mapping(path.clone()),
        (None, Some(path), _) => NetworkSource::Model {
            path: path.clone(),
            dataflow: styles.first().copied(),
        },
        (None, None, Some(path)) => NetworkSource::Onnx {
            path: path.clone(),
            dataflow: styles.first().copied(),
        },
        (None, None, None) => NetworkSource::EmbeddedDefault,
    };
    // Loading checks that every layer has a dataflow (with a template: that the first applies).
    let loaded = load_network(&source, accelerator)?;
    let (network, dataflows) = match source {
        NetworkSource::Model { .. } | NetworkSource::Onnx { .. } => {
            let mut unique: Vec<Dataflow> = Vec::new();
            for style in styles {
                if !unique.contains(&Dataflow::Template(style)) {
                    unique.push(Dataflow::Template(style));
                }
            }
            (loaded.parsed.network.clone(), unique)
        }
        _ => (loaded.network.clone(), vec![Dataflow::Written]),
    };
    let network = if input.layers.is_empty() {
        network
    } else {
        select_layers(&network, &input.layers)
            .map_err(|error| invalid(format!("{}: {error}", loaded.file_name)))?
    };
    let workload = Workload::new(network, dataflows)
        .map_err(|error| invalid(format!("{}: {error}", loaded.file_name)))?;
    Ok((workload, loaded.file_name))
}

/// A progress bar on standard error when it is a terminal, hidden otherwise; without a known total,
/// a counter.
pub fn progress_bar(total: Option<u64>, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::new(total),
            format!("{what} {{bar:30}} {{pos}}/{{len}} evaluations [{{elapsed}}]"),
        ),
        None => (
            ProgressBar::no_length(),
            format!("{what} {{pos}} evaluations [{{elapsed}}]"),
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

pub fn write_svg(
    path: &Path,
    svg: Result<String, maestro_report::validation::PlotError>,
) -> Result<(), Failure> {
    let svg = svg.map_err(|error| invalid(error.to_string()))?;
    std::fs::write(path, svg).map_err(|error| Failure::Write {
        target: path.display().to_string(),
        error,
    })
}

pub fn run(args: SweepArgs) -> Result<ExitCode, Failure> {
    let engine = match (args.engine, args.contention) {
        (Some(EngineArg::Analytical), true) => {
            return Err(usage_error(
                "--contention needs the simulator: use --engine sim or --engine both",
            ))
        }
        (Some(EngineArg::Analytical), false) | (None, false) => Engine::Analytical,
        (Some(EngineArg::Sim), _) => Engine::Simulator,
        (Some(EngineArg::Both), _) | (None, true) => Engine::Both,
    };
    let space = SweepSpace::new(args.params).map_err(usage_error)?;
    if args.contention
        && !space
            .specs()
            .iter()
            .any(|spec| spec.param.is_noc_bandwidth() && spec.values.len() >= 2)
    {
        return Err(usage_error(
            maestro_study::StudyError::ContentionNeedsBandwidth,
        ));
    }
    let base = assemble_accelerator(&args.hardware, false)?;
    let (workload, _) = load_workload(&args.input, &base)?;
    let sweep = Sweep::new(base, space, workload).map_err(usage_error)?;
    let options = SweepOptions {
        engine,
        threads: worker_threads(args.threads),
        sim: SimOptions {
            ignore_capacity: args.ignore_capacity,
            ..SimOptions::default()
        },
    };
    let bar = progress_bar(Some(sweep.evaluations()), "sweeping");
    let result = run_sweep(&sweep, &options, &|n| bar.inc(n));
    bar.finish_and_clear();
    let contention = if args.contention {
        Some(contention_study(&result).map_err(usage_error)?)
    } else {
        None
    };
    if let Some(path) = &args.plot {
        write_svg(path, render::sweep_plot_svg(&result))?;
    }
    let text = match args.format {
        OutputFormat::Table => {
            let mut text = render::render_sweep_table(&result);
            if let Some(study) = &contention {
                text.push('\n');
                text.push_str(&render::render_contention_text(study));
            }
            text
        }
        OutputFormat::Csv => render::render_sweep_csv(&result),
        OutputFormat::Json => render::render_sweep_json(&result, contention.as_ref()),
    };
    emit(&text, args.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}
