//! `maestro noc`: the flit-level network alone under synthetic traffic, configured by a BookSim2
//! configuration file and/or flags; one run, or a latency-load sweep with an optional SVG plot.

use crate::failure::{invalid, Failure};
use crate::input::read_bytes;
use crate::output::{emit, Output};
use clap::{Args, ValueEnum};
use maestro_noc::booksim_config::parse_booksim_config;
use maestro_noc::{
    run, NocConfig, RoutingKind, RunResult, RunSettings, SimType, TopologyKind, TrafficPattern,
};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct NocArgs {
    /// A BookSim2 configuration file; flags override its keys.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// mesh or torus.
    #[arg(long, value_enum)]
    pub topology: Option<TopologyArg>,
    /// Routers per dimension (k-ary 2-cube).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=64))]
    pub k: Option<u32>,
    /// Terminals per router (concentration).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16))]
    pub c: Option<u32>,
    /// Virtual channels per port.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub num_vcs: Option<u32>,
    /// Flits per VC buffer.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub vc_buf_size: Option<u32>,
    /// dor or min_adapt.
    #[arg(long, value_enum)]
    pub routing_function: Option<RoutingArg>,
    /// Flits per packet.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub packet_size: Option<u32>,
    /// uniform, transpose, bitcomp, bitrev, shuffle, tornado, neighbor or hotspot.
    #[arg(long, value_name = "NAME")]
    pub traffic: Option<String>,
    /// Hotspot nodes for --traffic hotspot, comma-separated.
    #[arg(long, value_name = "N,N,...", value_delimiter = ',')]
    pub hotspots: Vec<usize>,
    /// Offered load in flits per node per cycle (0 to 1).
    #[arg(long, value_name = "RATE")]
    pub injection_rate: Option<f64>,
    /// latency, throughput or batch.
    #[arg(long, value_enum)]
    pub sim_type: Option<SimTypeArg>,
    /// Cycles per sample period (latency mode).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub sample_period: Option<u32>,
    /// Packets per node (batch mode).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub batch_size: Option<u32>,
    /// Seed of the traffic's random numbers.
    #[arg(long)]
    pub seed: Option<u64>,
    /// A latency-load curve: comma-separated offered loads, each run in latency mode.
    #[arg(long, value_name = "R,R,...", value_delimiter = ',')]
    pub sweep_rates: Vec<f64>,
    /// With --sweep-rates: draw the curve into this SVG file.
    #[arg(long, value_name = "FILE.svg", requires = "sweep_rates")]
    pub plot: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = NocFormat::Table)]
    pub format: NocFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TopologyArg {
    Mesh,
    Torus,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoutingArg {
    Dor,
    MinAdapt,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SimTypeArg {
    Latency,
    Throughput,
    Batch,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NocFormat {
    Table,
    Csv,
    Json,
}

/// BookSim's statistic names, in output order.
const COLUMNS: [&str; 9] = [
    "injection_rate",
    "stable",
    "avg_packet_latency",
    "avg_network_latency",
    "avg_flit_latency",
    "accepted_flit_rate",
    "hops_avg",
    "batch_time",
    "cycles",
];

pub fn run_command(args: NocArgs) -> Result<ExitCode, Failure> {
    // Every output path is opened before any work, so a bad path fails at once.
    let output = Output::open(args.output.as_deref())?;
    let plot_output = args
        .plot
        .as_deref()
        .map(|path| Output::open(Some(path)))
        .transpose()?;
    let (mut network, mut settings) = match &args.config {
        Some(path) => {
            let bytes = read_bytes(path)?;
            let text = String::from_utf8_lossy(&bytes);
            let name = path.display().to_string();
            let file = parse_booksim_config(&text, &name).map_err(|diagnostics| {
                invalid(
                    diagnostics
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            })?;
            (file.network, file.run)
        }
        None => (NocConfig::default(), RunSettings::default()),
    };
    apply_flags(&args, &mut network, &mut settings)?;
    let check = |error: maestro_noc::NocError| invalid(format!("error: {error}"));
    network.validate().map_err(check)?;
    settings.validate(&network).map_err(check)?;
    let results: Vec<RunResult> = if args.sweep_rates.is_empty() {
        vec![run(&network, &settings).map_err(check)?]
    } else {
        let mut results = Vec::new();
        for &rate in &args.sweep_rates {
            let point = RunSettings {
                injection_rate: rate,
                sim_type: SimType::Latency,
                ..settings.clone()
            };
            point.validate(&network).map_err(check)?;
            results.push(run(&network, &point).map_err(check)?);
        }
        results
    };
    if let Some(plot_output) = plot_output {
        let svg = plot(&results, &network, &settings)?;
        emit(&svg, plot_output)?;
    }
    let text = match args.format {
        NocFormat::Table => render_table(&results),
        NocFormat::Csv => render_csv(&results),
        NocFormat::Json => render_json(&network, &settings, &results)?,
    };
    emit(&text, output)?;
    Ok(ExitCode::SUCCESS)
}

fn apply_flags(
    args: &NocArgs,
    network: &mut NocConfig,
    settings: &mut RunSettings,
) -> Result<(), Failure> {
    if let Some(topology) = args.topology {
        network.topology = match topology {
            TopologyArg::Mesh => TopologyKind::Mesh,
            TopologyArg::Torus => TopologyKind::Torus,
        };
        if network.topology == TopologyKind::Torus {
            network.channel_latency = 2;
        }
    }
    if let Some(k) = args.k {
        network.k = k;
    }
    if let Some(c) = args.c {
        network.concentration = c;
    }
    if let Some(vcs) = args.num_vcs {
        network.num_vcs = vcs;
    }
    if let Some(size) = args.vc_buf_size {
        network.vc_buf_size = size;
    }
    if let Some(routing) = args.routing_function {
        network.routing = match routing {
            RoutingArg::Dor => RoutingKind::DimensionOrder,
            RoutingArg::MinAdapt => RoutingKind::MinimalAdaptive,
        };
    }
    if let Some(size) = args.packet_size {
        settings.packet_size = size;
    }
    if let Some(name) = &args.traffic {
        settings.traffic = TrafficPattern::parse(name, &args.hotspots)
            .map_err(|error| invalid(format!("error: --traffic: {error}")))?;
    } else if !args.hotspots.is_empty() {
        settings.traffic = TrafficPattern::Hotspot(args.hotspots.clone());
    }
    if let Some(rate) = args.injection_rate {
        settings.injection_rate = rate;
    }
    if let Some(sim_type) = args.sim_type {
        settings.sim_type = match sim_type {
            SimTypeArg::Latency => SimType::Latency,
            SimTypeArg::Throughput => SimType::Throughput,
            SimTypeArg::Batch => SimType::Batch,
        };
    }
    if let Some(period) = args.sample_period {
        settings.sample_period = period;
    }
    if let Some(size) = args.batch_size {
        settings.batch_size = size;
    }
    if let Some(seed) = args.seed {
        settings.seed = seed;
    }
    Ok(())
}

fn cells(result: &RunResult) -> Vec<String> {
    vec![
        format!("{}", result.injection_rate),
        format!("{}", u8::from(result.stable)),
        format!("{:.4}", result.avg_packet_latency),
        format!("{:.4}", result.avg_network_latency),
        format!("{:.4}", result.avg_flit_latency),
        format!("{:.6}", result.accepted_flit_rate),
        format!("{:.4}", result.hops_avg),
        result
            .batch_time
            .map_or(String::new(), |time| time.to_string()),
        result.cycles.to_string(),
    ]
}

fn render_csv(results: &[RunResult]) -> String {
    let mut text = COLUMNS.join(",");
    text.push('\n');
    for result in results {
        text.push_str(&cells(result).join(","));
        text.push('\n');
    }
    text
}

fn render_table(results: &[RunResult]) -> String {
    let rows: Vec<Vec<String>> = results.iter().map(cells).collect();
    let widths: Vec<usize> = COLUMNS
        .iter()
        .enumerate()
        .map(|(index, name)| {
            rows.iter()
                .map(|row| row[index].len())
                .chain(std::iter::once(name.len()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    let line = |values: Vec<String>| {
        values
            .iter()
            .zip(&widths)
            .map(|(value, width)| format!("{value:>width$}"))
            .collect::<Vec<_>>()
            .join("  ")
            + "\n"
    };
    text.push_str(&line(COLUMNS.iter().map(|c| c.to_string()).collect()));
    for row in rows {
        text.push_str(&line(row));
    }
    if let [single] = results {
        let stats = &single.stats;
        text.push_str(&format!(
            "packet latency p50/p90/p99/max: {}/{}/{}/{}; flits injected {}, ejected {}; mean buffer occupancy {:.3} flits/router; credit stalls {}\n",
            stats.packet_latency.p50,
            stats.packet_latency.p90,
            stats.packet_latency.p99,
            stats.packet_latency.max,
            stats.flits_injected,
            stats.flits_ejected,
            stats.mean_buffer_occupancy,
            stats.credit_stalls
        ));
    }
    text
}

fn render_json(
    network: &NocConfig,
    settings: &RunSettings,
    results: &[RunResult],
) -> Result<String, Failure> {
    let value = serde_json::json!({
        "network": network,
        "run": settings,
        "results": results,
    });
    serde_json::to_string_pretty(&value)
        .map(|text| text + "\n")
        .map_err(|error| invalid(format!("error: cannot render JSON: {error}")))
}

fn plot(
    results: &[RunResult],
    network: &NocConfig,
    settings: &RunSettings,
) -> Result<String, Failure> {
    use plotters::prelude::*;
    let points: Vec<(f64, f64)> = results
        .iter()
        .filter(|result| result.stable)
        .map(|result| (result.injection_rate, result.avg_packet_latency))
        .collect();
    let max_rate = results
        .iter()
        .map(|result| result.injection_rate)
        .fold(0.0_f64, f64::max)
        .max(1e-3);
    let max_latency = points.iter().map(|p| p.1).fold(1.0_f64, f64::max) * 1.1;
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (720, 480)).into_drawing_area();
        let failure = |error: String| invalid(format!("error: cannot draw the plot: {error}"));
        area.fill(&WHITE).map_err(|e| failure(e.to_string()))?;
        let caption = format!(
            "{}x{} {:?}, {:?} traffic, {} flit(s)/packet",
            network.k, network.k, network.topology, settings.traffic, settings.packet_size
        );
        let mut chart = ChartBuilder::on(&area)
            .caption(caption, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..max_rate * 1.05, 0.0..max_latency)
            .map_err(|e| failure(e.to_string()))?;
        chart
            .configure_mesh()
            .x_desc("offered load (flits/node/cycle)")
            .y_desc("average packet latency (cycles)")
            .draw()
            .map_err(|e| failure(e.to_string()))?;
        chart
            .draw_series(LineSeries::new(points.iter().copied(), &BLUE))
            .map_err(|e| failure(e.to_string()))?;
        chart
            .draw_series(points.iter().map(|&p| Circle::new(p, 3, BLUE.filled())))
            .map_err(|e| failure(e.to_string()))?;
        area.present().map_err(|e| failure(e.to_string()))?;
    }
    Ok(svg)
}
