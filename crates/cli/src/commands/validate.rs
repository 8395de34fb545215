//! `maestro validate`: the analytical model against the simulator, layer by layer, on one network
//! (rendered as a table, CSV or JSON, optionally with a report directory), or on every case of a
//! validation suite, checked against the suite's committed baseline (the regression gate).

use crate::args::{HardwareArgs, OutputFormat, ValidateArgs};
use crate::failure::{invalid, Failure};
use crate::input::{check_mappings, load_network, read_bytes, NetworkSource};
use crate::output::{emit, write_file, Output};
use crate::settings::{assemble_accelerator, network_source};
use maestro_ir::{Accelerator, Network};
use maestro_report::validation::{self as render, PlotFiles, SuiteCase, SuiteCaseJson};
use maestro_templates::DataflowStyle;
use maestro_validate::{
    check_against_baseline, parse_suite, Baseline, CaseInput, CaseOutcome, NetworkValidation,
    Suite, ValidationOptions,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The accelerator of the embedded default run: the reference's example accelerator.
const DEFAULT_HARDWARE: &str = include_str!("../../../../hardware/example.toml");
const DEFAULT_HARDWARE_NAME: &str = "<embedded hardware/example.toml>";

/// A validated `maestro validate`.
#[derive(Debug)]
pub struct ValidateSettings {
    mode: Mode,
    format: OutputFormat,
    output: Option<PathBuf>,
    report: Option<PathBuf>,
    options: ValidationOptions,
}

#[derive(Debug)]
enum Mode {
    Network {
        source: NetworkSource,
        accelerator: Accelerator,
    },
    Suite {
        path: PathBuf,
        update_baseline: bool,
    },
}

impl ValidateSettings {
    pub fn from_args(args: ValidateArgs) -> Result<ValidateSettings, Failure> {
        let threads = args.threads.count();
        let mut options = ValidationOptions {
            threads,
            compat: args.compat,
            ..ValidationOptions::default()
        };
        options.sim.deadline = args
            .time_limit
            .map(|seconds| std::time::Instant::now() + std::time::Duration::from_secs(seconds));
        if args.suite.is_some() && args.out.format == OutputFormat::Csv {
            return Err(crate::shared::usage_error(
                "--format csv describes one network; with --suite use table or json (or --report DIR)",
            ));
        }
        let mode = match args.suite {
            Some(path) => Mode::Suite {
                path,
                update_baseline: args.update_baseline,
            },
            None => {
                let source = network_source(args.input);
                let accelerator = match (&source, &args.hardware.hw) {
                    (NetworkSource::EmbeddedDefault, None) => {
                        let example = maestro_config::parse_accelerator_toml(
                            DEFAULT_HARDWARE_NAME,
                            DEFAULT_HARDWARE,
                        )
                        .map_err(miette::Report::new)?;
                        crate::hardware::apply_overrides(example, &args.hardware)
                    }
                    _ => assemble_accelerator(&args.hardware, false)?,
                };
                Mode::Network {
                    source,
                    accelerator,
                }
            }
        };
        Ok(ValidateSettings {
            mode,
            format: args.out.format,
            output: args.out.output,
            report: args.report,
            options,
        })
    }
}

pub fn run(settings: ValidateSettings) -> Result<ExitCode, Failure> {
    // Every output is checked before any work: the main output is opened, the report directory made.
    let output = Output::open(settings.output.as_deref())?;
    if let Some(directory) = &settings.report {
        create_directory(directory)?;
    }
    match &settings.mode {
        Mode::Network {
            source,
            accelerator,
        } => run_network(&settings, source, accelerator, output),
        Mode::Suite {
            path,
            update_baseline,
        } => run_suite(&settings, path, *update_baseline, output),
    }
}

fn run_network(
    settings: &ValidateSettings,
    source: &NetworkSource,
    accelerator: &Accelerator,
    output: Output,
) -> Result<ExitCode, Failure> {
    let loaded = load_network(source, accelerator)?;
    check_mappings(&loaded, accelerator)?;
    let network = &loaded.network;
    let validation = maestro_validate::validate_network(network, accelerator, &settings.options)
        .map_err(|error| {
            let reason = match &error {
                maestro_validate::ValidateError::Simulator {
                    source: maestro_sim::SimError::Stopped { .. },
                    ..
                } => "time limit reached: ",
                _ => "",
            };
            invalid(format!("{}: {reason}{error}", loaded.file_name))
        })?;
    let text = match settings.format {
        OutputFormat::Table => render::render_validation_table(&validation),
        OutputFormat::Csv => render::render_validation_csv(&validation),
        OutputFormat::Json => render::render_validation_json(&validation),
    };
    if let Some(directory) = &settings.report {
        write_network_report(directory, &validation)?;
    }
    emit(&text, output)?;
    Ok(ExitCode::SUCCESS)
}

fn write_network_report(directory: &Path, validation: &NetworkValidation) -> Result<(), Failure> {
    create_directory(directory)?;
    let plots = PlotFiles::with_prefix("");
    write_file(
        &directory.join("report.md"),
        &render::render_validation_markdown(validation, Some(&plots)),
    )?;
    write_file(
        &directory.join("report.json"),
        &render::render_validation_json(validation),
    )?;
    write_plots(directory, &plots, validation)
}

fn write_plots(
    directory: &Path,
    plots: &PlotFiles,
    validation: &NetworkValidation,
) -> Result<(), Failure> {
    for (file, svg) in [
        (
            &plots.error_per_layer,
            render::error_per_layer_svg(validation),
        ),
        (
            &plots.runtime_scatter,
            render::runtime_scatter_svg(validation),
        ),
        (
            &plots.stall_breakdown,
            render::stall_breakdown_svg(validation),
        ),
    ] {
        let svg = svg.map_err(|error| invalid(error.to_string()))?;
        write_file(&directory.join(file), &svg)?;
    }
    Ok(())
}

fn run_suite(
    settings: &ValidateSettings,
    path: &Path,
    update_baseline: bool,
    output: Output,
) -> Result<ExitCode, Failure> {
    let suite_file = if path.is_dir() {
        path.join("suite.toml")
    } else {
        path.to_owned()
    };
    let directory = suite_file.parent().unwrap_or(Path::new(".")).to_owned();
    let file_name = suite_file.display().to_string();
    let text = String::from_utf8(read_bytes(&suite_file)?)
        .map_err(|_| invalid(format!("{file_name}: a suite file must be UTF-8 text")))?;
    let names: Vec<&str> = DataflowStyle::ALL
        .iter()
        .map(|style| style.name())
        .collect();
    let suite = parse_suite(&file_name, &text, &names).map_err(miette::Report::new)?;
    let mut outcomes = Vec::with_capacity(suite.cases.len());
    for case in &suite.cases {
        let (network, accelerator) = load_case(&suite, case, &directory)?;
        let result = maestro_validate::validate_network(&network, &accelerator, &settings.options)
            .map_err(|error| error.to_string());
        outcomes.push(CaseOutcome {
            case: case.name.clone(),
            result,
        });
    }
    let baseline_path = directory.join(&suite.baseline);
    let gate = if update_baseline {
        let failed: Vec<String> = outcomes
            .iter()
            .filter_map(|outcome| {
                outcome
                    .result
                    .as_ref()
                    .err()
                    .map(|reason| format!("case `{}`: {reason}", outcome.case))
            })
            .collect();
        if !failed.is_empty() {
            return Err(invalid(format!(
                "cannot update the baseline, some cases did not run: {}",
                failed.join("; ")
            )));
        }
        let baseline = Baseline::from_results(outcomes.iter().filter_map(|outcome| {
            outcome
                .result
                .as_ref()
                .ok()
                .map(|validation| (outcome.case.as_str(), validation))
        }));
        write_file(&baseline_path, &baseline.to_json())?;
        let report_path = baseline_path.with_extension("md");
        write_file(
            &report_path,
            &render::render_suite_markdown(&markdown_cases(&suite, &outcomes, false), None),
        )?;
        None
    } else {
        let text = String::from_utf8(read_bytes(&baseline_path)?).map_err(|_| {
            invalid(format!(
                "{}: a baseline must be UTF-8 text",
                baseline_path.display()
            ))
        })?;
        let baseline = Baseline::from_json(&text)
            .map_err(|error| invalid(format!("{}: {error}", baseline_path.display())))?;
        Some(check_against_baseline(&suite, &outcomes, &baseline))
    };
    if let Some(report_directory) = &settings.report {
        create_directory(report_directory)?;
        for (case, outcome) in suite.cases.iter().zip(&outcomes) {
            if let Ok(validation) = &outcome.result {
                write_plots(
                    report_directory,
                    &PlotFiles::with_prefix(&format!("{}-", case.name)),
                    validation,
                )?;
            }
        }
        write_file(
            &report_directory.join("report.md"),
            &render::render_suite_markdown(&markdown_cases(&suite, &outcomes, true), gate.as_ref()),
        )?;
        write_file(
            &report_directory.join("report.json"),
            &render::render_suite_json(&json_cases(&outcomes), gate.as_ref()),
        )?;
    }
    let text = match settings.format {
        OutputFormat::Json => render::render_suite_json(&json_cases(&outcomes), gate.as_ref()),
        OutputFormat::Table | OutputFormat::Csv => {
            let mut text = render::render_suite_overview(&suite_overview_rows(&outcomes));
            match &gate {
                Some(gate) => text.push_str(&render::render_gate(gate)),
                None => text.push_str(&format!(
                    "baseline updated: {} ({} cases)\n",
                    baseline_path.display(),
                    outcomes.len()
                )),
            }
            text
        }
    };
    emit(&text, output)?;
    Ok(match gate {
        Some(gate) if !gate.passed() => ExitCode::from(crate::failure::EXIT_INVALID_INPUT),
        _ => ExitCode::SUCCESS,
    })
}

/// Reads a case's network and hardware (paths relative to the suite's directory), applies its
/// overrides and keeps its layers.
fn load_case(
    suite: &Suite,
    case: &maestro_validate::Case,
    directory: &Path,
) -> Result<(Network, Accelerator), Failure> {
    let flags = HardwareArgs {
        hw: case.hardware.as_ref().map(|path| directory.join(path)),
        ..HardwareArgs::default()
    };
    let accelerator = case.overrides.apply(assemble_accelerator(&flags, false)?);
    let source = match &case.input {
        CaseInput::Mapping(path) => NetworkSource::Mapping(directory.join(path)),
        CaseInput::Model { path, dataflow } => NetworkSource::Model {
            path: directory.join(path),
            dataflow: DataflowStyle::from_name(dataflow),
        },
    };
    let loaded = load_network(&source, &accelerator)?;
    let network = suite
        .select_layers(case, &loaded.network)
        .map_err(miette::Report::new)?;
    Ok((network, accelerator))
}

fn markdown_cases<'a>(
    suite: &'a Suite,
    outcomes: &'a [CaseOutcome],
    with_plots: bool,
) -> Vec<SuiteCase<'a>> {
    suite
        .cases
        .iter()
        .zip(outcomes)
        .map(|(case, outcome)| SuiteCase {
            name: &case.name,
            description: case.description.as_deref(),
            result: outcome.result.as_ref().map_err(String::as_str),
            plots: (with_plots && outcome.result.is_ok())
                .then(|| PlotFiles::with_prefix(&format!("{}-", case.name))),
        })
        .collect()
}

fn json_cases(outcomes: &[CaseOutcome]) -> Vec<SuiteCaseJson<'_>> {
    outcomes
        .iter()
        .map(|outcome| SuiteCaseJson {
            case: &outcome.case,
            validation: outcome.result.as_ref().ok(),
            error: outcome.result.as_ref().err().map(String::as_str),
        })
        .collect()
}

fn suite_overview_rows(outcomes: &[CaseOutcome]) -> Vec<render::SuiteOverviewRow<'_>> {
    outcomes
        .iter()
        .map(|outcome| render::SuiteOverviewRow {
            case: &outcome.case,
            result: outcome.result.as_ref().map_err(String::as_str),
        })
        .collect()
}

fn create_directory(directory: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(directory).map_err(|error| Failure::Write {
        target: directory.display().to_string(),
        error,
    })
}
