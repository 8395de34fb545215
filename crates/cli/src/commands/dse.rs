//! `maestro dse`: hardware design-space exploration on the analytical model — PE count, L1, L2 and
//! NoC bandwidth swept under area and power caps (the reference's 28 nm model, spec §12), with the
//! sub-spaces beyond a cap pruned before evaluation; the valid points and the Pareto front of the
//! objective and area.

use crate::args::{HardwareArgs, OutputFormat};
use crate::failure::Failure;
use crate::output::{emit, Output};
use crate::part_file::PartFile;
use crate::settings::assemble_accelerator;
use crate::shared::{
    check_shard_flags, load_workload, open_optional, progress_bar, usage_error, write_svg,
    ReportArgs, ShardArgs, StudyInputArgs, ThreadsArgs,
};
use clap::{Args, ValueEnum};
use maestro_report::study as render;
use maestro_report::study::{
    render_dse_outcome_line, render_dse_summary_line, PartHeader, PartKind,
};
use maestro_sim::SimOptions;
use maestro_study::param::Param;
use maestro_study::{
    evaluate_dse, plan_dse, run_dse, simulate_front, Dse, DseAxes, Objective, ParamSpec, Shard,
};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ObjectiveArg {
    Runtime,
    Energy,
    Edp,
}

#[derive(Debug, Args)]
pub struct DseArgs {
    #[command(flatten)]
    pub input: StudyInputArgs,
    /// The base hardware: every field the exploration does not sweep comes from it.
    #[command(flatten)]
    pub hardware: HardwareArgs,
    /// PE counts to explore (values or ranges as for --param) [default: 16..1024 x 2].
    #[arg(long, value_name = "VALUES")]
    pub pes: Option<String>,
    /// L1 sizes per PE, in elements [default: 64..1024 x 2].
    #[arg(long, value_name = "VALUES")]
    pub l1: Option<String>,
    /// L2 sizes, in elements [default: 16384..4194304 x 4].
    #[arg(long, value_name = "VALUES")]
    pub l2: Option<String>,
    /// NoC bandwidths, elements/cycle, both NoCs [default: 8..512 x 2].
    #[arg(long, value_name = "VALUES")]
    pub bandwidth: Option<String>,
    /// Largest area in mm² (the model's µm² / 10⁶).
    #[arg(long, value_name = "MM2", allow_negative_numbers = true)]
    pub area_cap: Option<f64>,
    /// Largest power in mW.
    #[arg(long, value_name = "MW", allow_negative_numbers = true)]
    pub power_cap: Option<f64>,
    /// What to minimise (with area, for the Pareto front).
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Edp)]
    pub objective: ObjectiveArg,
    #[command(flatten)]
    pub out: ReportArgs,
    /// Also draw the objective against area with the Pareto front into FILE (SVG).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub threads: ThreadsArgs,
    /// Also simulate every Pareto-front point on its hardware and mapping, and report the
    /// simulated runtime and energy and the model's errors beside it.
    #[arg(long)]
    pub simulate_front: bool,
    #[command(flatten)]
    pub sharding: ShardArgs,
}

/// The axis from its flag, or the default; a bad list is a usage error.
fn axis(param: Param, flag: &Option<String>, default: &[u64]) -> Result<Vec<u64>, Failure> {
    match flag {
        None => Ok(default.to_vec()),
        Some(text) => Ok(ParamSpec::with_values(param, text)
            .map_err(usage_error)?
            .values
            .iter()
            .map(|value| value.as_number())
            .collect()),
    }
}

pub fn run(args: DseArgs) -> Result<ExitCode, Failure> {
    let defaults = DseAxes::default();
    let axes = DseAxes {
        pes: axis(Param::PeCount, &args.pes, &defaults.pes)?,
        l1: axis(Param::L1Size, &args.l1, &defaults.l1)?,
        l2: axis(Param::L2Size, &args.l2, &defaults.l2)?,
        bandwidth: axis(Param::NocBandwidth, &args.bandwidth, &defaults.bandwidth)?,
    };
    for (flag, cap) in [
        ("--area-cap", args.area_cap),
        ("--power-cap", args.power_cap),
    ] {
        if let Some(value) = cap {
            if !(value.is_finite() && value > 0.0) {
                return Err(usage_error(format!(
                    "{flag} must be a positive number, found {value}"
                )));
            }
        }
    }
    if let Some(shard) = args.sharding.shard {
        let whole_only = (args.simulate_front || args.plot.is_some()).then_some(
            "--simulate-front and --plot need the whole exploration: run it whole, or merge the parts",
        );
        check_shard_flags(args.out.format, args.out.output.as_deref(), whole_only)?;
        if let Some(part) = &args.out.output {
            let part = PartFile::open(part, args.sharding.resume)?;
            let dse = exploration(&args, axes)?;
            return run_shard(&dse, shard, part, args.threads.count());
        }
    }
    let output = Output::open(args.out.output.as_deref())?;
    let plot = open_optional(args.plot.as_deref())?;
    let dse = exploration(&args, axes)?;
    // The number of evaluations is known only after pruning: the bar counts.
    let bar = progress_bar(None, "exploring");
    let threads = args.threads.count();
    let mut result = run_dse(&dse, threads, &|n| bar.inc(n)).map_err(usage_error)?;
    bar.finish_and_clear();
    if args.simulate_front {
        let layers = dse.workload.network.layers.len() as u64;
        let bar = progress_bar(
            Some((result.pareto.len() as u64).saturating_mul(layers)),
            "simulating the front",
        );
        simulate_front(&dse, &mut result, &SimOptions::default(), threads, &|n| {
            bar.inc(n)
        });
        bar.finish_and_clear();
    }
    if let Some(plot) = plot {
        write_svg(plot, render::dse_scatter_svg(&result))?;
    }
    let text = match args.out.format {
        OutputFormat::Table => render::render_dse_table(&result),
        OutputFormat::Csv => render::render_dse_csv(&result),
        OutputFormat::Json => render::render_dse_json(&result),
    };
    emit(&text, output)?;
    Ok(ExitCode::SUCCESS)
}

/// The exploration the flags describe.
fn exploration(args: &DseArgs, axes: DseAxes) -> Result<Dse, Failure> {
    let base = assemble_accelerator(&args.hardware, false)?;
    let (workload, _) = load_workload(&args.input, &base)?;
    Ok(Dse {
        base,
        axes,
        workload,
        area_cap_mm2: args.area_cap,
        power_cap_mw: args.power_cap,
        objective: match args.objective {
            ObjectiveArg::Runtime => Objective::Runtime,
            ObjectiveArg::Energy => Objective::Energy,
            ObjectiveArg::Edp => Objective::Edp,
        },
    })
}

/// The candidates evaluated per block of a shard: each block's outcomes are written (and survive an
/// interruption) before the next starts.
const SHARD_BLOCK: usize = 512;

/// One shard of the exploration: its candidates (the design points within the caps, numbered as
/// the whole run enumerates them) not yet in the part are evaluated block by block and appended;
/// `maestro merge` rebuilds the whole result from the parts.
fn run_shard(
    dse: &Dse,
    shard: Shard,
    mut part: PartFile,
    threads: usize,
) -> Result<ExitCode, Failure> {
    let plan = plan_dse(dse).map_err(usage_error)?;
    let header = PartHeader {
        kind: PartKind::Dse,
        study: format!("{:016x}", dse.fingerprint()),
        shard: shard.index,
        shards: shard.count,
        points: plan.candidates.len(),
        csv_header: render_dse_summary_line(&plan.summary),
    };
    let done = part.start(&header)?;
    let selected: Vec<usize> = (shard.index..plan.candidates.len())
        .step_by(shard.count)
        .filter(|candidate| !done.contains(candidate))
        .collect();
    let layers = dse.workload.network.layers.len() as u64;
    let bar = progress_bar(
        Some((selected.len() as u64).saturating_mul(layers)),
        "exploring shard",
    );
    for block in selected.chunks(SHARD_BLOCK) {
        let outcomes = evaluate_dse(dse, &plan, block, threads, &|n| bar.inc(n));
        for (&candidate, outcome) in block.iter().zip(&outcomes) {
            part.write_block(candidate, &render_dse_outcome_line(outcome))?;
        }
    }
    bar.finish_and_clear();
    part.finish()
}
