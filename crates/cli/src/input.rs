//! Reading the network of a run: a mapping file, a model file or an ONNX model mapped by a dataflow
//! template, or the embedded default network; then checking that every layer has a dataflow.

use crate::failure::{invalid, Failure};
use maestro_dsl::{parse_network, ParsedNetwork};
use maestro_ir::{Accelerator, Network};
use maestro_templates::DataflowStyle;
use std::path::{Path, PathBuf};

/// The default network and mapping: the project's ResNet-50 with a KC-P weight-stationary mapping
/// (output channels across clusters, input channels across the PEs of a cluster), compiled into the
/// binary so that `maestro analyze` works anywhere.
const DEFAULT_MAPPING: &str = include_str!("../../../workloads/mappings/resnet50_kcp_ws.m");
const DEFAULT_MAPPING_NAME: &str = "<embedded workloads/mappings/resnet50_kcp_ws.m>";

/// Where the network comes from, after the command line has been validated.
#[derive(Debug)]
pub enum NetworkSource {
    Mapping(PathBuf),
    Model {
        path: PathBuf,
        dataflow: Option<DataflowStyle>,
    },
    /// An ONNX model, imported to model text first (as `maestro import` writes it).
    Onnx {
        path: PathBuf,
        dataflow: Option<DataflowStyle>,
    },
    EmbeddedDefault,
}

/// A parsed network with the text it came from, so that later checks can point into the file.
#[derive(Debug)]
pub struct LoadedNetwork {
    pub network: Network,
    pub file_name: String,
    pub text: String,
    pub parsed: ParsedNetwork,
    /// Whether the mappings were written in the file (true) or built by a template (false): only
    /// written mappings have spans to point at.
    pub mappings_from_file: bool,
    /// For an ONNX model: what the import made of it (layers, skipped operators with counts).
    pub import_summary: Option<String>,
}

pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|error| Failure::Read {
        path: path.to_owned(),
        error,
    })
}

/// Reads and parses the network; maps it with the template if one was chosen; and rejects layers
/// left without a dataflow.
pub fn load_network(
    source: &NetworkSource,
    accelerator: &Accelerator,
) -> Result<LoadedNetwork, Failure> {
    let mut import_summary = None;
    let (file_name, bytes) = match source {
        NetworkSource::Mapping(path) | NetworkSource::Model { path, .. } => {
            (path.display().to_string(), read_bytes(path)?)
        }
        NetworkSource::Onnx { path, .. } => {
            let options = maestro_onnx::ImportOptions::default();
            let imported = crate::commands::import::import_file(path, options)?;
            let name = path.display().to_string();
            import_summary = Some(format!(
                "{}; {}",
                imported.layer_summary(),
                imported.skipped_summary()
            ));
            (
                format!("{name} (imported)"),
                imported.model_text(&name).into_bytes(),
            )
        }
        NetworkSource::EmbeddedDefault => (
            DEFAULT_MAPPING_NAME.to_owned(),
            DEFAULT_MAPPING.as_bytes().to_vec(),
        ),
    };
    // Invalid UTF-8 is the parser's to report, with a position; the lossy text is only for spans.
    let parsed = parse_network(&file_name, &bytes).map_err(miette::Report::new)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut network = parsed.network.clone();
    let mut mappings_from_file = true;
    if let NetworkSource::Model {
        dataflow: Some(style),
        ..
    }
    | NetworkSource::Onnx {
        dataflow: Some(style),
        ..
    } = source
    {
        let style = *style;
        network = maestro_templates::apply(style, &network, accelerator).map_err(|error| {
            invalid(format!(
                "{file_name}: cannot apply dataflow {style}: {error}"
            ))
        })?;
        mappings_from_file = false;
    }
    let loaded = LoadedNetwork {
        network,
        file_name,
        text,
        parsed,
        mappings_from_file,
        import_summary,
    };
    if let Some(index) = loaded
        .network
        .layers
        .iter()
        .position(|layer| layer.mapping.is_none())
    {
        let help = match source {
            NetworkSource::Model { .. } | NetworkSource::Onnx { .. } => {
                "choose a dataflow template with --dataflow NAME"
            }
            _ => "add a Dataflow block to the layer, or give a model file with --model and --dataflow",
        };
        let message = format!(
            "layer {} has no dataflow",
            loaded.network.layers[index].name
        );
        return Err(crate::spans::layer_name_diagnostic(
            &loaded, index, message, help,
        ));
    }
    Ok(loaded)
}
