//! What several subcommands share: the study input (`maestro sweep` and `maestro dse`), usage errors
//! raised after clap, worker-thread counts, progress bars and SVG files. Commands import from here,
//! never from each other, so a new command is one file, one enum variant and one match arm.

use crate::args::OutputFormat;
use crate::failure::{invalid, Failure};
use crate::input::{load_network, NetworkSource};
use crate::output::{emit, Output};
use clap::builder::PossibleValuesParser;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use maestro_ir::Accelerator;
use maestro_study::{select_layers, Dataflow, Shard, Workload};
use maestro_templates::DataflowStyle;
use std::io::IsTerminal;
use std::path::PathBuf;

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

/// `--format` and `--output`, as the commands that write a report take them.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write the output to FILE (replaced atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `--threads`, as the commands that run work in parallel take it.
#[derive(Debug, Args)]
pub struct ThreadsArgs {
    /// Worker threads [default: the available parallelism]; results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
}

impl ThreadsArgs {
    /// `--threads`, or the available parallelism.
    pub fn count(&self) -> usize {
        worker_threads(self.threads)
    }
}

/// A sharded study's flags (`maestro sweep` and `maestro dse`).
#[derive(Debug, Args)]
pub struct ShardArgs {
    /// Evaluate only shard K of N (0 ≤ K < N: design points K, K + N, K + 2N, …) and write it to
    /// --output as a part; `maestro merge` joins the N parts into the output of the whole study.
    /// Needs --format csv and --output.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// With --shard: keep the design points an earlier run of the same shard already wrote (its
    /// part, or the unfinished part beside it) and evaluate only the rest.
    #[arg(long, requires = "shard")]
    pub resume: bool,
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    let (index, count) = text
        .split_once('/')
        .ok_or_else(|| format!("expected K/N (shard K of N), found `{text}`"))?;
    let number = |part: &str| {
        part.trim()
            .parse::<usize>()
            .map_err(|_| format!("expected K/N with whole numbers, found `{text}`"))
    };
    let (index, count) = (number(index)?, number(count)?);
    Shard::new(index, count).ok_or_else(|| {
        format!("shard {index} of {count} does not exist: K/N needs 0 ≤ K < N (found `{text}`)")
    })
}

/// Checks the flags of a sharded run: CSV parts written to a file, nothing that needs the whole
/// study (`whole_only` says why when such a flag is given).
pub fn check_shard_flags(
    format: OutputFormat,
    output: Option<&std::path::Path>,
    whole_only: Option<&str>,
) -> Result<(), Failure> {
    let problem = if format != OutputFormat::Csv {
        Some("--shard writes CSV rows: add --format csv".to_owned())
    } else if let Some(problem) = whole_only {
        Some(problem.to_owned())
    } else if output.is_none() {
        Some("--shard needs --output PART (the part that maestro merge reads)".to_owned())
    } else {
        None
    };
    problem.map_or(Ok(()), |problem| Err(usage_error(problem)))
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
    if let Some(repeated) = input
        .dataflow
        .iter()
        .enumerate()
        .find_map(|(index, name)| input.dataflow[..index].contains(name).then_some(name))
    {
        return Err(usage_error(format!(
            "--dataflow names `{repeated}` twice; give each template once"
        )));
    }
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

/// Writes a rendered SVG to its (already opened) output.
pub fn write_svg(
    output: Output,
    svg: Result<String, maestro_report::validation::PlotError>,
) -> Result<(), Failure> {
    let svg = svg.map_err(|error| invalid(error.to_string()))?;
    emit(&svg, output)
}

/// Opens an optional output path (a plot, a trace) before the work starts.
pub fn open_optional(path: Option<&std::path::Path>) -> Result<Option<Output>, Failure> {
    path.map(|path| Output::open(Some(path))).transpose()
}

/// A name short enough for a message (names can be megabytes long).
pub fn shorten_name(name: &str) -> String {
    maestro_report::cell::name_cell(name)
}
