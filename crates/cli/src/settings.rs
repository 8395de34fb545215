//! Phase two of argument handling: turns the raw clap structs into a validated run configuration,
//! reading the hardware file and assembling the accelerator on the way.

use crate::args::{AnalyzeArgs, CheckArgs, HardwareArgs, InputArgs, OutputFormat, SimulateArgs};
use crate::failure::{invalid, Failure};
use crate::hardware::{self, ReferenceHardwareKeys};
use crate::input::{read_bytes, NetworkSource};
use maestro_cost::{AnalysisOptions, ModelMode};
use maestro_ir::Accelerator;
use maestro_sim::SimOptions;
use maestro_templates::DataflowStyle;
use std::path::PathBuf;

/// A validated `maestro check`.
#[derive(Debug)]
pub struct CheckSettings {
    pub source: NetworkSource,
    /// The given hardware, or the default accelerator: the mapping must fit it either way.
    pub accelerator: Accelerator,
}

/// A validated `maestro analyze`.
#[derive(Debug)]
pub struct AnalyzeSettings {
    pub source: NetworkSource,
    pub accelerator: Accelerator,
    pub format: OutputFormat,
    pub output: Option<PathBuf>,
    pub options: AnalysisOptions,
}

/// A validated `maestro simulate`.
#[derive(Debug)]
pub struct SimulateSettings {
    pub source: NetworkSource,
    pub accelerator: Accelerator,
    pub format: OutputFormat,
    pub output: Option<PathBuf>,
    pub options: SimOptions,
    pub trace: Option<PathBuf>,
    pub trace_limit: u64,
    pub time_limit: Option<std::time::Duration>,
}

impl SimulateSettings {
    pub fn from_args(args: SimulateArgs) -> Result<SimulateSettings, Failure> {
        Ok(SimulateSettings {
            source: network_source(args.input),
            accelerator: assemble_accelerator(&args.hardware, false)?,
            format: args.out.format,
            output: args.out.output,
            options: SimOptions {
                ignore_capacity: args.ignore_capacity,
                threads: args.threads.count(),
                ..SimOptions::default()
            },
            trace: args.trace,
            trace_limit: args.trace_limit,
            time_limit: args.time_limit.map(std::time::Duration::from_secs),
        })
    }
}

impl CheckSettings {
    pub fn from_args(args: CheckArgs) -> Result<CheckSettings, Failure> {
        Ok(CheckSettings {
            source: network_source(args.input),
            accelerator: assemble_accelerator(&args.hardware, false)?,
        })
    }
}

impl AnalyzeSettings {
    pub fn from_args(args: AnalyzeArgs) -> Result<AnalyzeSettings, Failure> {
        let threads = args.threads.count();
        let mode = if args.compat {
            ModelMode::Compat
        } else {
            ModelMode::Corrected
        };
        Ok(AnalyzeSettings {
            source: network_source(args.input),
            accelerator: assemble_accelerator(&args.hardware, args.compat)?,
            format: args.out.format,
            output: args.out.output,
            options: AnalysisOptions { mode, threads },
        })
    }
}

pub fn network_source(input: InputArgs) -> NetworkSource {
    // clap guarantees that --mapping, --model and --onnx are exclusive, that --dataflow comes with
    // --model or --onnx and
    // that its value is one of the template names.
    let dataflow = input.dataflow.as_deref().and_then(DataflowStyle::from_name);
    match (input.mapping, input.model, input.onnx) {
        (Some(path), _, _) => NetworkSource::Mapping(path),
        (None, Some(path), _) => NetworkSource::Model { path, dataflow },
        (None, None, Some(path)) => NetworkSource::Onnx { path, dataflow },
        (None, None, None) => NetworkSource::EmbeddedDefault,
    }
}

/// Baseline, then the hardware file, then the flags (see `hardware`).
pub fn assemble_accelerator(flags: &HardwareArgs, compat: bool) -> Result<Accelerator, Failure> {
    let baseline = if compat {
        hardware::compat_cli_defaults()
    } else {
        Accelerator::default()
    };
    let from_file = match &flags.hw {
        None => baseline,
        Some(path) => {
            let file_name = path.display().to_string();
            let bytes = read_bytes(path)?;
            let extension = path
                .extension()
                .and_then(|extension| extension.to_str())
                .map(str::to_ascii_lowercase);
            match extension.as_deref() {
                Some("toml") => {
                    let text = String::from_utf8(bytes).map_err(|_| {
                        invalid(format!(
                            "{file_name}: a TOML hardware file must be UTF-8 text"
                        ))
                    })?;
                    maestro_config::parse_accelerator_toml(&file_name, &text)
                        .map_err(miette::Report::new)?
                }
                Some("m") => {
                    let file = maestro_dsl::parse_hardware(&file_name, &bytes)
                        .map_err(miette::Report::new)?;
                    let keys = ReferenceHardwareKeys {
                        num_pes: file.num_pes,
                        l1_size: file.l1_size,
                        l2_size: file.l2_size,
                        noc_bandwidth: file.noc_bandwidth,
                        offchip_bandwidth: file.offchip_bandwidth,
                        noc_hops: file.noc_hops,
                    };
                    let accelerator = hardware::apply_reference_keys(baseline, keys, compat);
                    hardware::check_ranges(&accelerator)
                        .map_err(|problem| invalid(format!("{file_name}: {problem}")))?;
                    accelerator
                }
                _ => {
                    return Err(invalid(format!(
                        "{file_name}: unknown hardware file type; expected a `.m` (reference \
                         key/value format) or a `.toml` file"
                    )))
                }
            }
        }
    };
    Ok(hardware::apply_overrides(from_file, flags))
}
