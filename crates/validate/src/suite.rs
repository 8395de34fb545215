//! Validation suites: a TOML file of cases (workload × hardware × dataflow, optional layer subset,
//! hardware overrides) with per-quantity tolerances, read with serde and toml. Every problem points
//! at the offending text. Paths in the file are relative to the file's directory; reading them is the
//! caller's business (this crate does no I/O).
//!
//! ```toml
//! baseline = "baseline.json"       # the committed baseline, relative to this file
//! [tolerance]                      # allowed drift of each signed error from the baseline (points)
//! runtime = 0.5
//! [[case]]
//! name = "resnet50-kcp-example"
//! mapping = "../workloads/mappings/resnet50_kcp_ws.m"   # or: model = "..." with dataflow = "kcp_ws"
//! hardware = "../hardware/example.toml"                 # optional; TOML or the reference's .m
//! layers = ["conv1", "conv2_1_a"]                       # optional subset, in any order
//! [case.overrides]                                      # optional; the CLI's flags, plus topology
//! noc_bw = 8
//! noc_topology = "tree"
//! [case.tolerance]                                      # optional; overrides the suite's
//! runtime = 1.0
//! ```

use crate::quantity::Quantity;
use maestro_ir::limits::{MAX_PES, MAX_SIZE};
use maestro_ir::{Accelerator, Network, NocTopology};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;
use thiserror::Error;
use toml::Spanned;

/// The tolerance of a quantity when neither the case nor the suite sets one (percentage points).
pub const DEFAULT_TOLERANCE_POINTS: f64 = 0.5;

/// The largest hop latency a suite may set (as in hardware files).
pub const MAX_HOP_LATENCY: u64 = 1 << 20;

/// A problem in a suite file, with the span of the offending text.
#[derive(Debug, Error, Diagnostic)]
#[error("invalid validation suite {file_name}: {message}")]
pub struct SuiteError {
    pub file_name: String,
    pub message: String,
    #[source_code]
    source_code: Arc<NamedSource<String>>,
    #[label("{label}")]
    span: Option<SourceSpan>,
    label: String,
}

impl SuiteError {
    fn new(source: &SuiteSource, message: String, span: Option<Range<usize>>, label: &str) -> Self {
        SuiteError {
            file_name: source.file_name.clone(),
            message,
            source_code: source.named.clone(),
            span: span.map(|span| (span.start, span.end - span.start).into()),
            label: label.to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
struct SuiteSource {
    file_name: String,
    named: Arc<NamedSource<String>>,
}

/// Allowed drift of each quantity's signed error from the baseline, in percentage points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerances {
    /// In [`Quantity::ALL`] order.
    points: [f64; 6],
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            points: [DEFAULT_TOLERANCE_POINTS; 6],
        }
    }
}

impl Tolerances {
    pub fn get(&self, quantity: Quantity) -> f64 {
        self.points[quantity_position(quantity)]
    }

    pub fn set(&mut self, quantity: Quantity, points: f64) {
        self.points[quantity_position(quantity)] = points;
    }
}

fn quantity_position(quantity: Quantity) -> usize {
    Quantity::ALL
        .iter()
        .position(|&candidate| candidate == quantity)
        .unwrap_or(0)
}

/// Changes to the assembled accelerator, per key (the `maestro` flags, plus the NoC topology and the
/// L2 port bandwidth, which have no flag).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HardwareOverrides {
    pub num_pes: Option<u64>,
    pub simd_lanes: Option<u64>,
    pub l1_size: Option<u64>,
    pub l2_size: Option<u64>,
    pub l2_bw: Option<u64>,
    /// Both NoCs.
    pub noc_bw: Option<u64>,
    pub noc_hop_latency: Option<u64>,
    pub noc_multicast: Option<bool>,
    /// Both NoCs.
    pub noc_topology: Option<NocTopology>,
    pub implicit_reduction: Option<bool>,
    pub reduction_op: Option<bool>,
    pub offchip_bw: Option<u64>,
}

impl HardwareOverrides {
    pub fn apply(&self, mut accelerator: Accelerator) -> Accelerator {
        let set = |target: &mut u64, value: Option<u64>| {
            if let Some(value) = value {
                *target = value;
            }
        };
        set(&mut accelerator.num_pes, self.num_pes);
        set(&mut accelerator.simd_lanes, self.simd_lanes);
        set(&mut accelerator.l1_size, self.l1_size);
        set(&mut accelerator.l2_size, self.l2_size);
        set(&mut accelerator.l2_bandwidth, self.l2_bw);
        set(&mut accelerator.distribution_noc.bandwidth, self.noc_bw);
        set(&mut accelerator.collection_noc.bandwidth, self.noc_bw);
        set(
            &mut accelerator.distribution_noc.hop_latency,
            self.noc_hop_latency,
        );
        set(
            &mut accelerator.collection_noc.hop_latency,
            self.noc_hop_latency,
        );
        set(&mut accelerator.offchip.bandwidth, self.offchip_bw);
        if let Some(multicast) = self.noc_multicast {
            accelerator.distribution_noc.multicast = multicast;
        }
        if let Some(topology) = self.noc_topology {
            accelerator.distribution_noc.topology = topology;
            accelerator.collection_noc.topology = topology;
        }
        if let Some(reduction) = self.implicit_reduction {
            accelerator.collection_noc.implicit_reduction = reduction;
        }
        if let Some(reduction_op) = self.reduction_op {
            accelerator.collection_noc.reduction_op = reduction_op;
        }
        accelerator
    }
}

/// Where a case's network comes from (paths relative to the suite file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseInput {
    Mapping(String),
    Model { path: String, dataflow: String },
}

/// One case of a suite.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    pub description: Option<String>,
    pub input: CaseInput,
    /// A hardware file relative to the suite file; `None` for `Accelerator::default()`.
    pub hardware: Option<String>,
    /// The layers to keep, in the suite's order; `None` keeps every layer.
    pub layers: Option<Vec<String>>,
    layer_spans: Vec<Range<usize>>,
    pub overrides: HardwareOverrides,
    pub tolerance: Tolerances,
}

/// A parsed suite.
#[derive(Clone, Debug)]
pub struct Suite {
    /// The baseline file, relative to the suite file.
    pub baseline: String,
    pub cases: Vec<Case>,
    source: SuiteSource,
}

impl Suite {
    /// The network restricted to the case's layers (in the suite's order). A layer the network does not
    /// have is an error pointing at its name in the suite.
    pub fn select_layers(&self, case: &Case, network: &Network) -> Result<Network, SuiteError> {
        let Some(names) = &case.layers else {
            return Ok(network.clone());
        };
        let mut layers = Vec::with_capacity(names.len());
        for (name, span) in names.iter().zip(&case.layer_spans) {
            match network.layers.iter().find(|layer| &layer.name == name) {
                Some(layer) => layers.push(layer.clone()),
                None => {
                    return Err(SuiteError::new(
                        &self.source,
                        format!(
                            "case `{}`: network {} has no layer `{name}`",
                            case.name, network.name
                        ),
                        Some(span.clone()),
                        "no such layer",
                    ))
                }
            }
        }
        Ok(Network {
            name: network.name.clone(),
            layers,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    baseline: Option<String>,
    tolerance: Option<Spanned<ToleranceFile>>,
    #[serde(default, rename = "case")]
    cases: Vec<CaseFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ToleranceFile {
    runtime: Option<Spanned<f64>>,
    energy: Option<Spanned<f64>>,
    l2_reads: Option<Spanned<f64>>,
    noc_elements: Option<Spanned<f64>>,
    l1_requirement: Option<Spanned<f64>>,
    l2_requirement: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    name: Spanned<String>,
    description: Option<String>,
    mapping: Option<Spanned<String>>,
    model: Option<Spanned<String>>,
    dataflow: Option<Spanned<String>>,
    hardware: Option<String>,
    layers: Option<Spanned<Vec<Spanned<String>>>>,
    overrides: Option<OverridesFile>,
    tolerance: Option<Spanned<ToleranceFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverridesFile {
    num_pes: Option<Spanned<u64>>,
    simd_lanes: Option<Spanned<u64>>,
    l1_size: Option<Spanned<u64>>,
    l2_size: Option<Spanned<u64>>,
    l2_bw: Option<Spanned<u64>>,
    noc_bw: Option<Spanned<u64>>,
    noc_hop_latency: Option<Spanned<u64>>,
    noc_multicast: Option<bool>,
    noc_topology: Option<NocTopology>,
    implicit_reduction: Option<bool>,
    reduction_op: Option<bool>,
    offchip_bw: Option<Spanned<u64>>,
}

/// Reads a suite file. `file_name` labels diagnostics; `dataflow_names` are the accepted template
/// names for `dataflow`.
pub fn parse_suite(
    file_name: &str,
    text: &str,
    dataflow_names: &[&str],
) -> Result<Suite, SuiteError> {
    let source = SuiteSource {
        file_name: file_name.to_owned(),
        named: Arc::new(NamedSource::new(file_name, text.to_owned())),
    };
    let file: SuiteFile = toml::from_str(text).map_err(|error| {
        SuiteError::new(
            &source,
            error.message().trim_end().to_owned(),
            error.span(),
            "here",
        )
    })?;
    let mut defaults = Tolerances::default();
    if let Some(tolerance) = &file.tolerance {
        apply_tolerances(&source, &mut defaults, tolerance.get_ref())?;
    }
    if file.cases.is_empty() {
        return Err(SuiteError::new(
            &source,
            "the suite has no [[case]]".to_owned(),
            None,
            "",
        ));
    }
    let mut names = BTreeSet::new();
    let mut cases = Vec::with_capacity(file.cases.len());
    for case in file.cases {
        if !names.insert(case.name.get_ref().clone()) {
            return Err(SuiteError::new(
                &source,
                format!("two cases are named `{}`", case.name.get_ref()),
                Some(case.name.span()),
                "duplicate name",
            ));
        }
        cases.push(lower_case(&source, case, defaults, dataflow_names)?);
    }
    Ok(Suite {
        baseline: file.baseline.unwrap_or_else(|| "baseline.json".to_owned()),
        cases,
        source,
    })
}

fn lower_case(
    source: &SuiteSource,
    case: CaseFile,
    defaults: Tolerances,
    dataflow_names: &[&str],
) -> Result<Case, SuiteError> {
    let name = case.name.get_ref().clone();
    let input = match (case.mapping, case.model, case.dataflow) {
        (Some(mapping), None, None) => CaseInput::Mapping(mapping.into_inner()),
        (None, Some(model), Some(dataflow)) => {
            if !dataflow_names.contains(&dataflow.get_ref().as_str()) {
                return Err(SuiteError::new(
                    source,
                    format!(
                        "case `{name}`: unknown dataflow `{}`; expected one of {}",
                        dataflow.get_ref(),
                        dataflow_names.join(", ")
                    ),
                    Some(dataflow.span()),
                    "unknown dataflow",
                ));
            }
            CaseInput::Model {
                path: model.into_inner(),
                dataflow: dataflow.into_inner(),
            }
        }
        (Some(_), Some(model), _) => {
            return Err(SuiteError::new(
                source,
                format!("case `{name}`: give either `mapping` or `model`, not both"),
                Some(model.span()),
                "second input",
            ))
        }
        (None, Some(model), None) => {
            return Err(SuiteError::new(
                source,
                format!("case `{name}`: a `model` needs a `dataflow`"),
                Some(model.span()),
                "no dataflow for this model",
            ))
        }
        (Some(_), None, Some(dataflow)) => {
            return Err(SuiteError::new(
                source,
                format!("case `{name}`: `dataflow` applies to a `model`, not to a `mapping`"),
                Some(dataflow.span()),
                "not with a mapping",
            ))
        }
        (None, None, _) => {
            return Err(SuiteError::new(
                source,
                format!("case `{name}`: give a `mapping` or a `model` with a `dataflow`"),
                Some(case.name.span()),
                "no input",
            ))
        }
    };
    let (layers, layer_spans) = match case.layers {
        None => (None, Vec::new()),
        Some(layers) => {
            let span = layers.span();
            let layers = layers.into_inner();
            if layers.is_empty() {
                return Err(SuiteError::new(
                    source,
                    format!("case `{name}`: `layers` is empty; leave it out to keep every layer"),
                    Some(span),
                    "no layers",
                ));
            }
            let spans = layers.iter().map(Spanned::span).collect();
            (
                Some(layers.into_iter().map(Spanned::into_inner).collect()),
                spans,
            )
        }
    };
    let mut tolerance = defaults;
    if let Some(own) = &case.tolerance {
        apply_tolerances(source, &mut tolerance, own.get_ref())?;
    }
    let overrides = match case.overrides {
        None => HardwareOverrides::default(),
        Some(overrides) => lower_overrides(source, overrides)?,
    };
    Ok(Case {
        name,
        description: case.description,
        input,
        hardware: case.hardware,
        layers,
        layer_spans,
        overrides,
        tolerance,
    })
}

fn apply_tolerances(
    source: &SuiteSource,
    tolerances: &mut Tolerances,
    file: &ToleranceFile,
) -> Result<(), SuiteError> {
    let entries = [
        (Quantity::Runtime, &file.runtime),
        (Quantity::Energy, &file.energy),
        (Quantity::L2Reads, &file.l2_reads),
        (Quantity::NocElements, &file.noc_elements),
        (Quantity::L1Requirement, &file.l1_requirement),
        (Quantity::L2Requirement, &file.l2_requirement),
    ];
    for (quantity, value) in entries {
        let Some(value) = value else {
            continue;
        };
        let points = *value.get_ref();
        if !(points.is_finite() && (0.0..=1000.0).contains(&points)) {
            return Err(SuiteError::new(
                source,
                format!(
                    "the {} tolerance must be between 0 and 1000 percentage points, found {points}",
                    quantity.key()
                ),
                Some(value.span()),
                "out of range",
            ));
        }
        tolerances.set(quantity, points);
    }
    Ok(())
}

fn lower_overrides(
    source: &SuiteSource,
    file: OverridesFile,
) -> Result<HardwareOverrides, SuiteError> {
    let ranged = |key: &str, value: Option<Spanned<u64>>, min: u64, max: u64| {
        let Some(value) = value else {
            return Ok(None);
        };
        let number = *value.get_ref();
        if (min..=max).contains(&number) {
            Ok(Some(number))
        } else {
            Err(SuiteError::new(
                source,
                format!("`{key}` must be between {min} and {max}, found {number}"),
                Some(value.span()),
                "out of range",
            ))
        }
    };
    Ok(HardwareOverrides {
        num_pes: ranged("num_pes", file.num_pes, 1, MAX_PES)?,
        simd_lanes: ranged("simd_lanes", file.simd_lanes, 1, MAX_SIZE)?,
        l1_size: ranged("l1_size", file.l1_size, 1, MAX_SIZE)?,
        l2_size: ranged("l2_size", file.l2_size, 1, MAX_SIZE)?,
        l2_bw: ranged("l2_bw", file.l2_bw, 1, MAX_SIZE)?,
        noc_bw: ranged("noc_bw", file.noc_bw, 1, MAX_SIZE)?,
        noc_hop_latency: ranged("noc_hop_latency", file.noc_hop_latency, 0, MAX_HOP_LATENCY)?,
        noc_multicast: file.noc_multicast,
        noc_topology: file.noc_topology,
        implicit_reduction: file.implicit_reduction,
        reduction_op: file.reduction_op,
        offchip_bw: ranged("offchip_bw", file.offchip_bw, 1, MAX_SIZE)?,
    })
}
