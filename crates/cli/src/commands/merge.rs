//! `maestro merge PARTS… [--output FILE]`: joins the parts of a sharded sweep (`maestro sweep
//! --shard K/N`) into the CSV the whole sweep writes on one machine, byte for byte; or the parts of
//! a sharded exploration (`maestro dse --shard K/N`) into the output of the whole exploration, in
//! any `--format`. Sweep parts are streamed (one design point per part in memory), in two passes:
//! every part is checked whole first, so a failing merge writes nothing. Parts of different studies, a missing or repeated
//! shard, or a part that stopped early are errors naming the part.

use crate::args::OutputFormat;
use crate::failure::{invalid, Failure};
use crate::output::{emit, Output};
use crate::shared::usage_error;
use clap::Args;
use maestro_report::study::{
    merge_dse_parts, merge_parts, render_dse_csv, render_dse_json, render_dse_table, verify_part,
    PartKind,
};
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The parts, one per shard, in any order.
    #[arg(value_name = "PARTS", required = true)]
    pub parts: Vec<PathBuf>,
    /// Write the merged CSV to FILE (replacing it) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format: csv for sweep parts; table, csv or json for exploration (dse) parts, as the
    /// whole `maestro dse` run writes them.
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    pub format: OutputFormat,
}

pub fn run(args: MergeArgs) -> Result<ExitCode, Failure> {
    let mut output = Output::open(args.output.as_deref())?;
    let open = |path: &PathBuf| {
        std::fs::File::open(path)
            .map(BufReader::new)
            .map_err(|error| Failure::Read {
                path: path.clone(),
                error,
            })
    };
    // A first pass checks every part whole, so that nothing is written for a merge that would fail.
    let mut kind = None;
    for path in &args.parts {
        let header = verify_part(&path.display().to_string(), open(path)?)
            .map_err(|error| invalid(error.to_string()))?;
        kind.get_or_insert(header.kind);
    }
    let mut parts = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        parts.push((path.display().to_string(), open(path)?));
    }
    let target = args.output.as_ref().map_or_else(
        || "standard output".to_owned(),
        |path| path.display().to_string(),
    );
    if kind == Some(PartKind::Dse) {
        let result = merge_dse_parts(parts, &target).map_err(|error| invalid(error.to_string()))?;
        let text = match args.format {
            OutputFormat::Table => render_dse_table(&result),
            OutputFormat::Csv => render_dse_csv(&result),
            OutputFormat::Json => render_dse_json(&result),
        };
        emit(&text, output)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.format != OutputFormat::Csv {
        return Err(usage_error(
            "sweep parts merge into CSV only: drop --format or use --format csv",
        ));
    }
    let mut write_failure = None;
    let merged = merge_parts(
        parts,
        &mut |text| {
            output.write_str(text).map_err(|failure| {
                write_failure = Some(failure);
                std::io::Error::other("the output failed")
            })
        },
        &target,
    );
    if let Some(failure) = write_failure {
        return Err(failure);
    }
    merged.map_err(|error| invalid(error.to_string()))?;
    output.finish()?;
    Ok(ExitCode::SUCCESS)
}
