//! Phase one of argument handling: the raw command line as clap sees it. Ranges that clap can check
//! (no zero PEs, no zero bandwidth) are checked here so that they are usage errors (exit 2); everything
//! that needs a file is checked in phase two (`settings`).

use crate::shared::{ReportArgs, ThreadsArgs};
use clap::builder::{BoolishValueParser, PossibleValuesParser};
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use maestro_config::MAX_LATENCY;
use maestro_ir::limits::{MAX_PES, MAX_SIZE};
use std::path::PathBuf;

/// What a dataflow template name may be, for `--dataflow`.
const DATAFLOW_NAMES: [&str; 5] = ["kcp_ws", "nlr", "xp_ws", "yxp_os", "rs"];

#[derive(Debug, Parser)]
#[command(
    name = "maestro",
    version,
    about = "Analytical cost model of DNN dataflows on spatial accelerators (MAESTRO-compatible).",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a network and its mappings and print a short summary (exit 0 valid, 1 invalid).
    Check(CheckArgs),
    /// Run the analytical cost model on every layer and print the costs.
    Analyze(AnalyzeArgs),
    /// Run the cycle-level simulator on every layer and print what it measured.
    Simulate(SimulateArgs),
    /// Compare the analytical model with the simulator layer by layer, or run a validation suite.
    Validate(ValidateArgs),
    /// Sweep hardware parameters and dataflows (a cartesian product) on the model and/or simulator.
    Sweep(crate::commands::sweep::SweepArgs),
    /// Explore PE count, L1, L2 and NoC bandwidth under area and power caps; the Pareto front.
    Dse(crate::commands::dse::DseArgs),
    /// Simulate the flit-level NoC alone under synthetic traffic (BookSim2 configuration keys).
    Noc(crate::commands::noc::NocArgs),
    /// Run the DRAM timing model on a DRAMsim3-format trace (a preset or a DRAMsim3 .ini file).
    Dram(crate::commands::dram::DramArgs),
    /// Play SCALE-Sim topologies (or one GEMM) on a cycle-level systolic array (os, ws, is).
    Systolic(crate::commands::systolic::SystolicArgs),
    /// Join the parts of a sharded sweep or dse (`--shard K/N`) into the output of the whole study.
    Merge(crate::commands::merge::MergeArgs),
    /// Import an ONNX model as a model file (layer shapes; operators without MACs are skipped).
    Import(crate::commands::import::ImportArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub hardware: HardwareArgs,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub hardware: HardwareArgs,
    #[command(flatten)]
    pub out: ReportArgs,
    /// Reproduce the reference MAESTRO binary's numbers, quirks included, and its hardware defaults.
    #[arg(long)]
    pub compat: bool,
    #[command(flatten)]
    pub threads: ThreadsArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub hardware: HardwareArgs,
    #[command(flatten)]
    pub out: ReportArgs,
    /// Also write report.md, report.json and SVG plots into DIR (created if needed).
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Also run the reference-compatible model, as a second analytical column.
    #[arg(long)]
    pub compat: bool,
    #[command(flatten)]
    pub threads: ThreadsArgs,
    /// Run every case of a validation suite (a directory with suite.toml, or the file) and check
    /// the errors against its baseline: exit 1 if any moved beyond its tolerance (--format table
    /// or json).
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with_all = ["mapping", "model", "onnx", "hw", "compat"]
    )]
    pub suite: Option<PathBuf>,
    /// With --suite: rewrite the baseline (and its Markdown report) from this run.
    #[arg(long, requires = "suite")]
    pub update_baseline: bool,
    /// Stop after SECONDS of wall-clock time; the error names the layer and the step it reached.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=MAX_TIME_LIMIT))]
    pub time_limit: Option<u64>,
}

/// The largest run `--trace` accepts by default, in PE work items (one compute event each, plus a
/// few transfer events per step): about a gigabyte of JSON lines.
pub const DEFAULT_TRACE_LIMIT: u64 = 10_000_000;

/// The longest `--time-limit` accepted: one year, in seconds.
pub const MAX_TIME_LIMIT: u64 = 365 * 24 * 3600;

#[derive(Debug, Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub hardware: HardwareArgs,
    #[command(flatten)]
    pub out: ReportArgs,
    #[command(flatten)]
    pub threads: ThreadsArgs,
    /// Write every event (transfers, computes, collections) to FILE as JSON lines; layers then run
    /// one after another, step by step.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// The largest run --trace accepts, in PE work items (one per PE per step with work).
    #[arg(long, value_name = "N", requires = "trace", default_value_t = DEFAULT_TRACE_LIMIT)]
    pub trace_limit: u64,
    /// Simulate layers whose tiles exceed L1 or whose working sets exceed L2 instead of rejecting them.
    #[arg(long)]
    pub ignore_capacity: bool,
    /// Stop simulating after SECONDS of wall-clock time: the layers that finished are still written,
    /// and the error names each unfinished layer and the step it reached.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=MAX_TIME_LIMIT))]
    pub time_limit: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A readable table, with totals.
    Table,
    /// CSV, one row per layer (per design point and layer in studies); with analyze --compat, the
    /// reference's columns.
    Csv,
    /// Every number, plus totals.
    Json,
}

/// Where the network comes from. Without any of these, the embedded default network is used.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// A mapping file (`.m`): layers with their `Dataflow` blocks.
    #[arg(long, value_name = "FILE", conflicts_with = "shapes")]
    pub mapping: Option<PathBuf>,
    /// A model file (`.m`): layer shapes only; pair it with --dataflow.
    #[arg(long, value_name = "FILE", group = "shapes")]
    pub model: Option<PathBuf>,
    /// The dataflow template that maps every layer of --model or --onnx.
    #[arg(
        long,
        value_name = "NAME",
        requires = "shapes",
        value_parser = PossibleValuesParser::new(DATAFLOW_NAMES)
    )]
    pub dataflow: Option<String>,
    /// An ONNX model, read as `maestro import` reads it (batch 1); pair it with --dataflow.
    #[arg(long, value_name = "FILE", group = "shapes")]
    pub onnx: Option<PathBuf>,
}

/// The accelerator: an optional file, then per-key overrides (`Default`: no file, no override).
#[derive(Debug, Default, Args)]
pub struct HardwareArgs {
    /// Hardware description: the reference's key/value format (`.m`) or TOML (`.toml`).
    #[arg(long, value_name = "FILE")]
    pub hw: Option<PathBuf>,
    /// Number of PEs.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_PES))]
    pub num_pes: Option<u64>,
    /// NoC bandwidth in elements/cycle (both the distribution and the collection NoC).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE))]
    pub noc_bw: Option<u64>,
    /// Cycles per NoC hop (both NoCs).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=MAX_LATENCY))]
    pub noc_hop_latency: Option<u64>,
    /// Whether the distribution NoC can multicast.
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub noc_multicast: Option<bool>,
    /// MAC lanes per PE.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE))]
    pub simd_lanes: Option<u64>,
    /// L1 capacity per PE, in elements.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE))]
    pub l1_size: Option<u64>,
    /// L2 capacity, in elements.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE))]
    pub l2_size: Option<u64>,
    /// Off-chip bandwidth in elements/cycle.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE))]
    pub offchip_bw: Option<u64>,
    /// Whether the collection NoC reduces partial sums on the way up.
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub implicit_reduction: Option<bool>,
    /// Whether reduction additions are counted as operations.
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub reduction_op: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn dataflow_names_are_the_templates() {
        let mut names: Vec<&str> = maestro_templates::DataflowStyle::ALL
            .iter()
            .map(|style| style.name())
            .collect();
        names.sort_unstable();
        let mut ours = DATAFLOW_NAMES.to_vec();
        ours.sort_unstable();
        assert_eq!(names, ours);
    }
}
