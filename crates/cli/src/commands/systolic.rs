//! `maestro systolic`: SCALE-Sim's inputs (`--topology T.csv`, `--hw C.cfg`) or one GEMM (`--gemm
//! M,N,K`) played on the cycle-level systolic array (`maestro-systolic`), one row per layer with
//! SCALE-Sim's compute-report and bandwidth-report columns.

use crate::args::OutputFormat;
use crate::failure::{invalid, Failure};
use crate::input::read_bytes;
use crate::output::{emit, Output};
use clap::{Args, ValueEnum};
use maestro_systolic::text::Note;
use maestro_systolic::{
    parse_config, parse_topology, run_layer, ArrayConfig, Conventions, Dataflow, Layer,
    LayerReport, Playback, TopologyFormat,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DataflowArg {
    Os,
    Ws,
    Is,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ConventionsArg {
    /// SCALE-Sim's (folds back to back, the total is the cycle of the last output write).
    Scalesim,
    /// STONNE's TPU-like output-stationary mesh (each fold configures only its used PEs; fold latency).
    Stonne,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlaybackArg {
    /// Every operand moves through every PE register, cycle by cycle.
    Stepped,
    /// Cycles in which only the links move are skipped (same cycles and counters; faster).
    Skipping,
}

#[derive(Debug, Args)]
pub struct SystolicArgs {
    /// A SCALE-Sim topology file: `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter
    /// Width, Channels, Num Filter, Strides` or `Layer, M, N, K` (IFMAP sizes include padding).
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "gemm",
        conflicts_with = "gemm"
    )]
    pub topology: Option<PathBuf>,
    /// One GEMM layer M×K · K×N instead of a topology file.
    #[arg(long, value_name = "M,N,K", value_delimiter = ',', num_args = 1,
          value_parser = clap::value_parser!(u64).range(1..=(1 << 24)))]
    pub gemm: Vec<u64>,
    /// A SCALE-Sim configuration (`.cfg`) [default: 32×32 output-stationary, 64 kB buffers, CALC].
    #[arg(long, value_name = "FILE")]
    pub hw: Option<PathBuf>,
    /// The dataflow, overriding the configuration's `Dataflow`.
    #[arg(long, value_enum)]
    pub dataflow: Option<DataflowArg>,
    /// Whose timing conventions to follow (docs/systolic.md).
    #[arg(long, value_enum, default_value_t = ConventionsArg::Scalesim)]
    pub conventions: ConventionsArg,
    /// How the grid is played.
    #[arg(long, value_enum, default_value_t = PlaybackArg::Skipping)]
    pub playback: PlaybackArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write the report to FILE (replacing it) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn text_of(path: &Path) -> Result<String, Failure> {
    String::from_utf8(read_bytes(path)?)
        .map_err(|_| invalid(format!("{}: not UTF-8 text", path.display())))
}

pub fn run(args: SystolicArgs) -> Result<ExitCode, Failure> {
    // Every output path is opened before any work, so a bad path fails at once.
    let output = Output::open(args.output.as_deref())?;
    let (mut config, notes, hw_name) = match &args.hw {
        Some(path) => {
            let name = path.display().to_string();
            let file = parse_config(&text_of(path)?, &name).map_err(|e| invalid(e.to_string()))?;
            (file.config, file.notes, name)
        }
        None => (
            ArrayConfig::new(32, 32, Dataflow::Os),
            Vec::new(),
            String::new(),
        ),
    };
    if let Some(dataflow) = args.dataflow {
        config.dataflow = match dataflow {
            DataflowArg::Os => Dataflow::Os,
            DataflowArg::Ws => Dataflow::Ws,
            DataflowArg::Is => Dataflow::Is,
        };
    }
    config.conventions = match args.conventions {
        ConventionsArg::Scalesim => Conventions::ScaleSim,
        ConventionsArg::Stonne => Conventions::Stonne,
    };
    let (layers, source): (Vec<Layer>, String) = match &args.topology {
        Some(path) => {
            let name = path.display().to_string();
            let layers = parse_topology(&text_of(path)?, &name, TopologyFormat::Auto)
                .map_err(|e| invalid(e.to_string()))?;
            (layers, name)
        }
        None => match args.gemm.as_slice() {
            [m, n, k] => (
                vec![Layer::gemm(format!("gemm_{m}x{n}x{k}"), *m, *n, *k)],
                "--gemm".into(),
            ),
            other => {
                return Err(invalid(format!(
                    "--gemm: expected M,N,K (three numbers), found {} numbers",
                    other.len()
                )))
            }
        },
    };
    let playback = match args.playback {
        PlaybackArg::Stepped => Playback::Stepped,
        PlaybackArg::Skipping => Playback::Skipping,
    };
    let mut reports = Vec::with_capacity(layers.len());
    for layer in &layers {
        let report =
            run_layer(layer, &config, playback).map_err(|e| invalid(format!("{source}: {e}")))?;
        reports.push(report);
    }
    print_notes(&hw_name, &notes);
    let text = match args.format {
        OutputFormat::Csv => render_csv(&reports),
        OutputFormat::Table => render_table(&reports),
        OutputFormat::Json => {
            let mut json = serde_json::to_string_pretty(&serde_json::json!({
                "config": config,
                "layers": reports,
            }))
            .map_err(|e| invalid(format!("cannot render JSON: {e}")))?;
            json.push('\n');
            json
        }
    };
    emit(&text, output)?;
    Ok(ExitCode::SUCCESS)
}

/// SCALE-Sim keys that were read but are not modelled, one line each on standard error.
fn print_notes(file: &str, notes: &[Note]) {
    use std::io::Write as _;
    let mut stderr = std::io::stderr().lock();
    for note in notes {
        // A closed standard error leaves nobody to tell; the report itself still goes out.
        let _ = writeln!(
            stderr,
            "note: {file}:{}:{}: {}",
            note.line, note.col, note.message
        );
    }
}

/// (column name, value) for every column, in order.
fn columns(r: &LayerReport) -> Vec<(&'static str, String)> {
    let f = |x: f64| format!("{x:.4}");
    vec![
        ("layer", r.layer.clone()),
        ("dataflow", r.dataflow.name().to_string()),
        ("array", format!("{}x{}", r.rows, r.cols)),
        ("macs", r.macs.to_string()),
        ("folds", r.folds.to_string()),
        ("total_cycles", r.total_cycles.to_string()),
        ("stall_cycles", r.stall_cycles.to_string()),
        (
            "total_cycles_incl_prefetch",
            r.total_cycles_incl_prefetch.to_string(),
        ),
        ("overall_util_pct", f(r.overall_utilisation)),
        ("mapping_efficiency_pct", f(r.mapping_efficiency)),
        ("compute_util_pct", f(r.compute_utilisation)),
        ("sram_ifmap_reads", r.sram_ifmap_reads.to_string()),
        ("sram_filter_reads", r.sram_filter_reads.to_string()),
        ("sram_ofmap_writes", r.sram_ofmap_writes.to_string()),
        ("dram_ifmap_reads", r.dram_ifmap_reads.to_string()),
        ("dram_filter_reads", r.dram_filter_reads.to_string()),
        ("dram_ofmap_writes", r.dram_ofmap_writes.to_string()),
        ("avg_ifmap_sram_bw", f(r.avg_ifmap_sram_bw)),
        ("avg_filter_sram_bw", f(r.avg_filter_sram_bw)),
        ("avg_ofmap_sram_bw", f(r.avg_ofmap_sram_bw)),
        ("max_ifmap_sram_bw", f(r.max_ifmap_sram_bw)),
        ("max_filter_sram_bw", f(r.max_filter_sram_bw)),
        ("max_ofmap_sram_bw", f(r.max_ofmap_sram_bw)),
        ("avg_ifmap_dram_bw", f(r.avg_ifmap_dram_bw)),
        ("avg_filter_dram_bw", f(r.avg_filter_dram_bw)),
        ("avg_ofmap_dram_bw", f(r.avg_ofmap_dram_bw)),
        ("max_ifmap_dram_bw", f(r.max_ifmap_dram_bw)),
        ("max_filter_dram_bw", f(r.max_filter_dram_bw)),
        ("max_ofmap_dram_bw", f(r.max_ofmap_dram_bw)),
    ]
}

fn render_csv(reports: &[LayerReport]) -> String {
    let mut out = String::new();
    for (index, report) in reports.iter().enumerate() {
        let cols = columns(report);
        if index == 0 {
            out.push_str(
                &cols
                    .iter()
                    .map(|(name, _)| *name)
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
        }
        out.push_str(
            &cols
                .into_iter()
                .map(|(_, value)| value)
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

/// The compute report as an aligned table, with totals; the bandwidth columns are in CSV and JSON.
fn render_table(reports: &[LayerReport]) -> String {
    let header = [
        "layer",
        "df",
        "array",
        "MACs",
        "folds",
        "cycles",
        "stalls",
        "util %",
        "map eff %",
        "comp util %",
    ];
    let mut rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| {
            vec![
                r.layer.clone(),
                r.dataflow.name().to_string(),
                format!("{}x{}", r.rows, r.cols),
                r.macs.to_string(),
                r.folds.to_string(),
                r.total_cycles.to_string(),
                r.stall_cycles.to_string(),
                format!("{:.2}", r.overall_utilisation),
                format!("{:.2}", r.mapping_efficiency),
                format!("{:.2}", r.compute_utilisation),
            ]
        })
        .collect();
    let sum = |f: fn(&LayerReport) -> u64| reports.iter().map(f).sum::<u64>().to_string();
    rows.push(vec![
        "total".into(),
        String::new(),
        String::new(),
        sum(|r| r.macs),
        sum(|r| r.folds),
        sum(|r| r.total_cycles),
        sum(|r| r.stall_cycles),
        String::new(),
        String::new(),
        String::new(),
    ]);
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].len())
                .chain([header[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                if c < 3 {
                    format!("{cell:<w$}", w = widths[c])
                } else {
                    format!("{cell:>w$}", w = widths[c])
                }
            })
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    for row in rows {
        out.push_str(&line(row));
    }
    out
}
