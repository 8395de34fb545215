//! `maestro dram`: the DRAM timing model alone, driven by a DRAMsim3-format trace, on a named preset
//! or a DRAMsim3 `.ini` configuration.

use crate::failure::{invalid, Failure};
use crate::output::{emit, Output};
use clap::{ArgGroup, Args, ValueEnum};
use maestro_dram::{
    parse_ini, preset, render_csv, render_json, render_table, run_trace, DramConfig, MemorySystem,
    TraceLines, TraceRunOptions,
};
use std::io::{BufReader, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("device").required(true).args(["preset", "config"])))]
pub struct DramArgs {
    /// A device preset: ddr4_3200, lpddr4_2400, hbm2 (one channel) or hbm2_stack (eight channels).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// A DRAMsim3 configuration file (.ini), read unchanged.
    #[arg(long, value_name = "FILE.ini")]
    pub config: Option<PathBuf>,
    /// The trace: one `0xADDRESS READ|WRITE CYCLE` per line (DRAMsim3's format), read as it runs.
    #[arg(long, value_name = "FILE")]
    pub trace: PathBuf,
    /// Simulate exactly N cycles (DRAMsim3's -c) [default: until every request has completed].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1 << 60))]
    pub cycles: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DramFormat::Table)]
    pub format: DramFormat,
    /// Write the report to FILE (replacing it) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DramFormat {
    /// Cycles, bandwidth against peak, read latency, row-buffer hits, refreshes, energy.
    Table,
    /// Every number as one CSV row under a header.
    Csv,
    /// Every number, with DRAMsim3's statistic names where one exists.
    Json,
}

pub fn run(args: DramArgs) -> Result<ExitCode, Failure> {
    // Every output path is opened before any work, so a bad path fails at once.
    let output = Output::open(args.output.as_deref())?;
    let config = device(&args)?;
    let mut system =
        MemorySystem::new(&config).map_err(|e| invalid(format!("{}: {e}", config.name)))?;
    let file = std::fs::File::open(&args.trace).map_err(|error| Failure::Read {
        path: args.trace.clone(),
        error,
    })?;
    let records = TraceLines::new(args.trace.display().to_string(), BufReader::new(file));
    run_trace(
        &mut system,
        records,
        TraceRunOptions {
            cycles: args.cycles,
        },
    )
    .map_err(|e| invalid(e.to_string()))?;
    let report = system.report();
    let text = match args.format {
        DramFormat::Table => render_table(&report),
        DramFormat::Csv => render_csv(&report),
        DramFormat::Json => render_json(&report),
    };
    emit(&text, output)?;
    Ok(ExitCode::SUCCESS)
}

/// The preset, or the configuration file with a warning for each key the model ignores.
fn device(args: &DramArgs) -> Result<DramConfig, Failure> {
    if let Some(name) = &args.preset {
        return preset(name).map_err(|e| invalid(e.to_string()));
    }
    let Some(path) = &args.config else {
        return Err(invalid("give --preset or --config"));
    };
    let text = std::fs::read_to_string(path).map_err(|error| Failure::Read {
        path: path.clone(),
        error,
    })?;
    let file = path.display().to_string();
    let parsed = parse_ini(&file, &text).map_err(|e| invalid(e.to_string()))?;
    if !parsed.ignored.is_empty() {
        let keys: Vec<String> = parsed
            .ignored
            .iter()
            .map(|k| format!("[{}] {} ({}:{})", k.section, k.key, k.line, k.column))
            .collect();
        // A warning that cannot be written changes nothing about the run.
        let _ = writeln!(
            std::io::stderr().lock(),
            "warning: {file}: keys the model does not use, ignored: {}",
            keys.join(", ")
        );
    }
    Ok(parsed.config)
}
