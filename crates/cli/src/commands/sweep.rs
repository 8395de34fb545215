//! `maestro sweep`: a cartesian product of hardware parameters (`--param NAME=VALUES`, named by their
//! TOML paths) and dataflows, over a network or chosen layers, on the analytical model, the
//! simulator or both; optionally the NoC contention report and an SVG plot. The study input
//! (`--mapping`/`--model` with several `--dataflow`s, `--layers`) is shared with `maestro dse`.

use crate::args::{HardwareArgs, OutputFormat};
use crate::failure::Failure;
use crate::output::{emit, Output};
use crate::settings::assemble_accelerator;
use crate::shared::{
    check_shard_flags, load_workload, open_optional, progress_bar, usage_error, write_svg,
    ReportArgs, ShardArgs, StudyInputArgs, ThreadsArgs,
};
use clap::{Args, ValueEnum};
use maestro_report::study as render;
use maestro_sim::SimOptions;
use maestro_study::{
    contention_study, for_each_sweep_point, run_sweep, sweep_frame, Engine, ParamSpec, Shard,
    Sweep, SweepOptions, SweepSpace,
};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

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
    #[command(flatten)]
    pub out: ReportArgs,
    /// Also draw runtime and energy against the first swept parameter into FILE (SVG).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub threads: ThreadsArgs,
    /// Simulate layers whose tiles exceed L1 or L2 instead of reporting them as failed.
    #[arg(long)]
    pub ignore_capacity: bool,
    #[command(flatten)]
    pub sharding: ShardArgs,
}

fn parse_param(text: &str) -> Result<ParamSpec, String> {
    ParamSpec::parse(text).map_err(|error| error.to_string())
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
    if args.sharding.shard.is_some() {
        let whole_only = (args.contention || args.plot.is_some()).then_some(
            "--contention and --plot need the whole sweep: run them on the merged CSV's study",
        );
        check_shard_flags(args.out.format, args.out.output.as_deref(), whole_only)?;
    }
    let options = SweepOptions {
        engine,
        threads: args.threads.count(),
        sim: SimOptions {
            ignore_capacity: args.ignore_capacity,
            ..SimOptions::default()
        },
        shard: args.sharding.shard.unwrap_or(Shard::WHOLE),
        ..SweepOptions::default()
    };
    if let (Some(_), Some(part)) = (args.sharding.shard, &args.out.output) {
        let part = crate::part_file::PartFile::open(part, args.sharding.resume)?;
        let base = assemble_accelerator(&args.hardware, false)?;
        let (workload, _) = load_workload(&args.input, &base)?;
        let sweep = Sweep::new(base, space, workload).map_err(usage_error)?;
        return part.run_sweep(&sweep, options);
    }
    let output = Output::open(args.out.output.as_deref())?;
    let plot = open_optional(args.plot.as_deref())?;
    let base = assemble_accelerator(&args.hardware, false)?;
    let (workload, _) = load_workload(&args.input, &base)?;
    let sweep = Sweep::new(base, space, workload).map_err(usage_error)?;
    if args.out.format == OutputFormat::Csv && !args.contention {
        return streamed_csv(&sweep, &options, output, plot);
    }
    let bar = progress_bar(Some(sweep.evaluations()), "sweeping");
    let result = run_sweep(&sweep, &options, &|n| bar.inc(n));
    bar.finish_and_clear();
    let contention = if args.contention {
        Some(contention_study(&result).map_err(usage_error)?)
    } else {
        None
    };
    if let Some(plot) = plot {
        write_svg(plot, render::sweep_plot_svg(&result))?;
    }
    let text = match args.out.format {
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
    emit(&text, output)?;
    Ok(ExitCode::SUCCESS)
}

/// A CSV sweep streams: the header, then each point's rows as its block of points finishes, so memory
/// does not grow with the number of points (the plot, if any, keeps only each point's totals).
fn streamed_csv(
    sweep: &Sweep,
    options: &SweepOptions,
    mut output: Output,
    plot: Option<Output>,
) -> Result<ExitCode, Failure> {
    let frame = sweep_frame(sweep, options);
    output.write_str(&render::render_sweep_csv_header(&frame))?;
    let mut plotted = plot.as_ref().map(|_| sweep_frame(sweep, options));
    let mut failure = None;
    let bar = progress_bar(Some(sweep.evaluations()), "sweeping");
    for_each_sweep_point(sweep, options, &|n| bar.inc(n), &mut |_, mut point| {
        if let Err(error) = output.write_str(&render::render_sweep_csv_point(&frame, &point)) {
            failure = Some(error);
            return ControlFlow::Break(());
        }
        match &mut plotted {
            Some(plotted) => {
                point.layers = Vec::new();
                plotted.points.push(point);
            }
            // Nobody reads the rows any more and there is no plot to draw.
            None if output.is_closed() => return ControlFlow::Break(()),
            None => {}
        }
        ControlFlow::Continue(())
    });
    bar.finish_and_clear();
    if let Some(failure) = failure {
        return Err(failure);
    }
    if let (Some(plot), Some(plotted)) = (plot, &plotted) {
        write_svg(plot, render::sweep_plot_svg(plotted))?;
    }
    output.finish()?;
    Ok(ExitCode::SUCCESS)
}
