//! `maestro_rs._native`: the Rust half of the Python package. The Python half (`maestro_rs/__init__.py`)
//! reads files, turns hardware dictionaries into TOML and parses the rendered rows; this half takes
//! bytes with their names (as the library crates do), runs the engines with the GIL released, and
//! returns the CLI's CSV and JSON renderings, or an error with its rendered message and location.

use maestro_cost::{AnalysisOptions, ModelMode};
use maestro_ir::{Accelerator, Network};
use maestro_onnx::ImportOptions;
use maestro_sim::SimOptions;
use maestro_study::{
    run_sweep, Dataflow, Engine, ParamSpec, Shard, Sweep, SweepOptions, SweepSpace, Workload,
};
use maestro_templates::DataflowStyle;
use maestro_validate::ValidationOptions;
use miette::Diagnostic;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The default network, as the CLI's: ResNet-50 with the KC-P weight-stationary mapping.
const DEFAULT_MAPPING: &str = include_str!("../../workloads/mappings/resnet50_kcp_ws.m");
const DEFAULT_MAPPING_NAME: &str = "<embedded workloads/mappings/resnet50_kcp_ws.m>";

/// What the Python side passes: the network (kind, name, bytes, dataflows, ONNX options) and the
/// hardware (name and TOML text, or none for the default accelerator).
#[derive(Debug, FromPyObject)]
#[pyo3(from_item_all)]
struct Spec {
    kind: String,
    name: String,
    payload: Vec<u8>,
    dataflows: Vec<String>,
    batch: Option<u64>,
    inputs: Vec<(String, Vec<u64>)>,
    hardware_name: Option<String>,
    hardware_text: Option<String>,
    threads: Option<usize>,
}

/// A failure: the rendered message (as the CLI prints it, without colours) and, when the error points
/// into a file, that file's name and the 1-based line and column.
#[derive(Debug)]
struct Failure {
    message: String,
    location: Option<(String, usize, usize)>,
}

impl Failure {
    fn plain(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            location: None,
        }
    }

    fn diagnostic(diagnostic: &dyn Diagnostic) -> Failure {
        let mut message = String::new();
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100)
                .with_links(false);
        if handler.render_report(&mut message, diagnostic).is_err() {
            message = diagnostic.to_string();
        }
        Failure {
            message: message.trim_end().to_owned(),
            location: location(diagnostic),
        }
    }
}

/// The first labelled span of a diagnostic or of its related diagnostics.
fn location(diagnostic: &dyn Diagnostic) -> Option<(String, usize, usize)> {
    if let (Some(source), Some(mut labels)) = (diagnostic.source_code(), diagnostic.labels()) {
        if let Some(label) = labels.next() {
            if let Ok(contents) = source.read_span(label.inner(), 0, 0) {
                let name = contents.name().unwrap_or_default().to_owned();
                return Some((name, contents.line() + 1, contents.column() + 1));
            }
        }
    }
    diagnostic
        .related()
        .and_then(|mut related| related.find_map(location))
}

fn accelerator(spec: &Spec) -> Result<Accelerator, Failure> {
    match (&spec.hardware_name, &spec.hardware_text) {
        (Some(name), Some(text)) => maestro_config::parse_accelerator_toml(name, text)
            .map_err(|error| Failure::diagnostic(&error)),
        _ => Ok(Accelerator::default()),
    }
}

fn style(name: &str) -> Result<DataflowStyle, Failure> {
    DataflowStyle::from_name(name).ok_or_else(|| {
        Failure::plain(format!(
            "unknown dataflow `{name}`; expected one of kcp_ws, nlr, xp_ws, yxp_os, rs"
        ))
    })
}

/// The network as read (`parsed`, mappings only if written) and the file name used in messages.
fn read_network(spec: &Spec) -> Result<(Network, String), Failure> {
    let (name, bytes): (String, Vec<u8>) = match spec.kind.as_str() {
        "mapping" | "model" => (spec.name.clone(), spec.payload.clone()),
        "onnx" => {
            let options = ImportOptions {
                batch: spec.batch,
                inputs: spec.inputs.clone(),
                fallback_name: String::new(),
            };
            let imported = maestro_onnx::import_model(&spec.payload, &options)
                .map_err(|error| Failure::plain(format!("{}: {error}", spec.name)))?;
            (
                format!("{} (imported)", spec.name),
                imported.model_text(&spec.name).into_bytes(),
            )
        }
        "default" => (
            DEFAULT_MAPPING_NAME.to_owned(),
            DEFAULT_MAPPING.as_bytes().to_vec(),
        ),
        other => return Err(Failure::plain(format!("unknown input kind `{other}`"))),
    };
    let parsed =
        maestro_dsl::parse_network(&name, &bytes).map_err(|error| Failure::diagnostic(&error))?;
    Ok((parsed.network, name))
}

/// The network mapped (by the first dataflow template for a model), every layer checked to have a
/// dataflow, as the CLI's `load_network` does.
fn mapped_network(spec: &Spec, accelerator: &Accelerator) -> Result<(Network, String), Failure> {
    let (mut network, name) = read_network(spec)?;
    if matches!(spec.kind.as_str(), "model" | "onnx") {
        if let Some(first) = spec.dataflows.first() {
            let style = style(first)?;
            network = maestro_templates::apply(style, &network, accelerator).map_err(|error| {
                Failure::plain(format!("{name}: cannot apply dataflow {style}: {error}"))
            })?;
        }
    }
    if let Some(layer) = network.layers.iter().find(|layer| layer.mapping.is_none()) {
        return Err(Failure::plain(format!(
            "{name}: layer {} has no dataflow; give a dataflow template (dataflow=\"kcp_ws\", …)",
            layer.name
        )));
    }
    Ok((network, name))
}

fn threads(spec: &Spec) -> usize {
    spec.threads
        .filter(|&threads| threads >= 1)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |threads| threads.get()))
}

/// The renderings handed back to Python: `{"csv": …, "json": …}` or `{"error": …, "file": …, …}`.
fn answer(py: Python<'_>, result: Result<(String, String), Failure>) -> PyResult<Py<PyDict>> {
    let dict = PyDict::new(py);
    match result {
        Ok((csv, json)) => {
            dict.set_item("csv", csv)?;
            dict.set_item("json", json)?;
        }
        Err(failure) => {
            dict.set_item("error", failure.message)?;
            let (file, line, column) = match failure.location {
                Some((file, line, column)) => (Some(file), Some(line), Some(column)),
                None => (None, None, None),
            };
            dict.set_item("file", file)?;
            dict.set_item("line", line)?;
            dict.set_item("column", column)?;
        }
    }
    Ok(dict.unbind())
}

fn run_analyze(spec: &Spec, compat: bool) -> Result<(String, String), Failure> {
    let accelerator = accelerator(spec)?;
    let (network, name) = mapped_network(spec, &accelerator)?;
    let options = AnalysisOptions {
        mode: if compat {
            ModelMode::Compat
        } else {
            ModelMode::Corrected
        },
        threads: threads(spec),
    };
    let cost = maestro_cost::analyze_network(&network, &accelerator, &options)
        .map_err(|error| Failure::plain(format!("{name}: {error}")))?;
    Ok((
        maestro_report::render_csv(&cost),
        maestro_report::render_json(&cost),
    ))
}

fn run_simulate(spec: &Spec, ignore_capacity: bool) -> Result<(String, String), Failure> {
    let accelerator = accelerator(spec)?;
    let (network, name) = mapped_network(spec, &accelerator)?;
    let options = SimOptions {
        ignore_capacity,
        threads: threads(spec),
        ..SimOptions::default()
    };
    let report = maestro_sim::simulate_network(&network, &accelerator, &options)
        .map_err(|error| Failure::plain(format!("{name}: {error}")))?;
    let pes = accelerator.num_pes;
    Ok((
        maestro_report::sim::render_sim_csv(&report, pes),
        maestro_report::sim::render_sim_json(&report, pes),
    ))
}

fn run_validate(spec: &Spec, compat: bool) -> Result<(String, String), Failure> {
    let accelerator = accelerator(spec)?;
    let (network, name) = mapped_network(spec, &accelerator)?;
    let options = ValidationOptions {
        threads: threads(spec),
        compat,
        ..ValidationOptions::default()
    };
    let validation = maestro_validate::validate_network(&network, &accelerator, &options)
        .map_err(|error| Failure::plain(format!("{name}: {error}")))?;
    Ok((
        maestro_report::validation::render_validation_csv(&validation),
        maestro_report::validation::render_validation_json(&validation),
    ))
}

fn run_sweep_spec(
    spec: &Spec,
    params: &[String],
    engine: &str,
    shard: Option<(usize, usize)>,
) -> Result<(String, String), Failure> {
    let shard = match shard {
        None => Shard::WHOLE,
        Some((index, count)) => Shard::new(index, count).ok_or_else(|| {
            Failure::plain(format!(
                "shard ({index}, {count}) does not exist: (k, n) needs 0 <= k < n"
            ))
        })?,
    };
    let engine = match engine {
        "analytical" => Engine::Analytical,
        "sim" => Engine::Simulator,
        "both" => Engine::Both,
        other => {
            return Err(Failure::plain(format!(
                "unknown engine `{other}`; expected analytical, sim or both"
            )))
        }
    };
    let specs = params
        .iter()
        .map(|text| {
            ParamSpec::parse(text).map_err(|error| Failure::plain(format!("param {text}: {error}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let space = SweepSpace::new(specs).map_err(|error| Failure::plain(error.to_string()))?;
    let base = accelerator(spec)?;
    // As `maestro sweep`: a model gets every listed template, a mapping file its written mappings.
    let (mapped, name) = mapped_network(spec, &base)?;
    let (network, dataflows) = if matches!(spec.kind.as_str(), "model" | "onnx") {
        let (parsed, _) = read_network(spec)?;
        let mut dataflows: Vec<Dataflow> = Vec::new();
        for name in &spec.dataflows {
            let dataflow = Dataflow::Template(style(name)?);
            if !dataflows.contains(&dataflow) {
                dataflows.push(dataflow);
            }
        }
        (parsed, dataflows)
    } else {
        (mapped, vec![Dataflow::Written])
    };
    let workload = Workload::new(network, dataflows)
        .map_err(|error| Failure::plain(format!("{name}: {error}")))?;
    let sweep =
        Sweep::new(base, space, workload).map_err(|error| Failure::plain(error.to_string()))?;
    let options = SweepOptions {
        engine,
        threads: threads(spec),
        sim: SimOptions::default(),
        shard,
        ..SweepOptions::default()
    };
    let result = run_sweep(&sweep, &options, &|_| {});
    Ok((
        maestro_report::study::render_sweep_csv(&result),
        maestro_report::study::render_sweep_json(&result, None),
    ))
}

fn run_import(spec: &Spec) -> Result<(String, String), Failure> {
    let options = ImportOptions {
        batch: spec.batch,
        inputs: spec.inputs.clone(),
        fallback_name: String::new(),
    };
    let imported = maestro_onnx::import_model(&spec.payload, &options)
        .map_err(|error| Failure::plain(format!("{}: {error}", spec.name)))?;
    let summary = format!(
        "{}; {}",
        imported.layer_summary(),
        imported.skipped_summary()
    );
    Ok((imported.model_text(&spec.name), summary))
}

/// `analyze(spec, compat)`: the analytical model; the reference CSV columns and the JSON report.
#[pyfunction]
fn analyze(py: Python<'_>, spec: Spec, compat: bool) -> PyResult<Py<PyDict>> {
    let result = py.detach(|| run_analyze(&spec, compat));
    answer(py, result)
}

/// `simulate(spec, ignore_capacity)`: the cycle-level simulator.
#[pyfunction]
fn simulate(py: Python<'_>, spec: Spec, ignore_capacity: bool) -> PyResult<Py<PyDict>> {
    let result = py.detach(|| run_simulate(&spec, ignore_capacity));
    answer(py, result)
}

/// `validate(spec, compat)`: the analytical model against the simulator, layer by layer.
#[pyfunction]
fn validate(py: Python<'_>, spec: Spec, compat: bool) -> PyResult<Py<PyDict>> {
    let result = py.detach(|| run_validate(&spec, compat));
    answer(py, result)
}

/// `sweep(spec, params, engine, shard)`: a cartesian product of hardware parameters (`NAME=VALUES` as
/// for `maestro sweep --param`) and dataflows; with `shard = (k, n)` only the design points
/// `k, k + n, …` (the CLI's `--shard k/n`).
#[pyfunction]
#[pyo3(signature = (spec, params, engine, shard=None))]
fn sweep(
    py: Python<'_>,
    spec: Spec,
    params: Vec<String>,
    engine: String,
    shard: Option<(usize, usize)>,
) -> PyResult<Py<PyDict>> {
    let result = py.detach(|| run_sweep_spec(&spec, &params, &engine, shard));
    answer(py, result)
}

/// `noc(name, text, rates)`: the flit-level NoC (`maestro noc`) configured by BookSim configuration
/// text, one run (or one latency-mode run per injection rate of `rates`); the results as `json`.
#[pyfunction]
#[pyo3(signature = (name, text, rates=None))]
fn noc(py: Python<'_>, name: String, text: String, rates: Option<Vec<f64>>) -> PyResult<Py<PyDict>> {
    let result = py.detach(|| run_noc(&name, &text, rates.as_deref()));
    answer(py, result)
}

fn run_noc(name: &str, text: &str, rates: Option<&[f64]>) -> Result<(String, String), Failure> {
    use maestro_noc::{run, RunSettings, SimType};
    let file = maestro_noc::booksim_config::parse_booksim_config(text, name).map_err(|diagnostics| {
        Failure {
            message: diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            location: diagnostics
                .first()
                .map(|first| (first.file.clone(), first.line, first.column)),
        }
    })?;
    let (network, settings) = (file.network, file.run);
    let check = |error: maestro_noc::NocError| Failure::plain(error.to_string());
    network.validate().map_err(check)?;
    settings.validate(&network).map_err(check)?;
    let runs: Vec<RunSettings> = match rates {
        None => vec![settings.clone()],
        Some(rates) => rates
            .iter()
            .map(|&rate| RunSettings {
                injection_rate: rate,
                sim_type: SimType::Latency,
                ..settings.clone()
            })
            .collect(),
    };
    let mut results = Vec::with_capacity(runs.len());
    for point in &runs {
        point.validate(&network).map_err(check)?;
        results.push(run(&network, point).map_err(check)?);
    }
    let report = serde_json::json!({ "network": network, "run": settings, "results": results });
    Ok((String::new(), report.to_string()))
}

/// `import_onnx(spec)`: the model file text (as `csv`) and the import summary (as `json`).
#[pyfunction]
fn import_onnx(py: Python<'_>, spec: Spec) -> PyResult<Py<PyDict>> {
    let result = py.detach(|| run_import(&spec));
    answer(py, result)
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(analyze, module)?)?;
    module.add_function(wrap_pyfunction!(simulate, module)?)?;
    module.add_function(wrap_pyfunction!(validate, module)?)?;
    module.add_function(wrap_pyfunction!(sweep, module)?)?;
    module.add_function(wrap_pyfunction!(import_onnx, module)?)?;
    module.add_function(wrap_pyfunction!(noc, module)?)?;
    Ok(())
}
