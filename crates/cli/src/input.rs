//! Reading the network of a run: a mapping file, a model file or an ONNX model mapped by a dataflow
//! template, or the embedded default network; then checking that every layer has a dataflow.

use crate::failure::{invalid, Failure};
use maestro_dsl::{parse_network, ParsedNetwork};
use maestro_ir::{Accelerator, Network};
use maestro_onnx::{import_model, ImportOptions, ImportedModel};
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

/// The largest input file read (mapping, model, hardware, suite, baseline): 64 MiB, far above any
/// real description (the largest workload is under 100 KB). Larger inputs — or endless ones like
/// `/dev/zero` — are refused after reading one byte past the limit, never read whole.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    read_bytes_within(path, MAX_INPUT_BYTES)
}

/// Reads `path` whole if it is at most `limit` bytes, else refuses it (after reading one byte more).
pub fn read_bytes_within(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let failure = |error| Failure::Read {
        path: path.to_owned(),
        error,
    };
    let file = std::fs::File::open(path).map_err(failure)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(failure)?;
    if bytes.len() as u64 > limit {
        return Err(failure(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "the file is larger than the input limit of {} MiB",
                limit >> 20
            ),
        )));
    }
    Ok(bytes)
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
            let imported = import_file(path, options)?;
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
    // A byte-order mark is dropped here as the parser drops it, so that spans point into this text.
    let bytes = match bytes.strip_prefix("\u{FEFF}".as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => bytes,
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
    warn_repeated_names(&file_name, &network);
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

/// The checks both engines make before any analysis, with the shared expansion: every layer's mapping
/// must expand into an iteration space on `accelerator` (cluster sizes within the PEs, no gaps between
/// tiles, one directive per dimension, ...). Errors point at the directive.
pub fn check_mappings(loaded: &LoadedNetwork, accelerator: &Accelerator) -> Result<(), Failure> {
    for (index, layer) in loaded.network.layers.iter().enumerate() {
        if let Err(error) = maestro_ir::Expansion::new(layer, accelerator.num_pes) {
            return Err(crate::spans::expansion_diagnostic(loaded, index, &error));
        }
    }
    Ok(())
}

/// Layer names that several layers share: legal, but a `--layers NAME` selects all of them and rows
/// are told apart only by position, so say so.
fn warn_repeated_names(file_name: &str, network: &Network) {
    let mut names: Vec<(&str, usize)> = network
        .layers
        .iter()
        .enumerate()
        .map(|(index, layer)| (layer.name.as_str(), index))
        .collect();
    names.sort_unstable();
    for group in names
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|group| group.len() > 1)
    {
        let indices: Vec<String> = group.iter().map(|(_, index)| index.to_string()).collect();
        crate::output::warn(&format!(
            "{file_name}: {} layers are named `{}` (indices {}); `--layers {}` selects all of them",
            group.len(),
            crate::shared::shorten_name(group[0].0),
            indices.join(", "),
            crate::shared::shorten_name(group[0].0),
        ));
    }
}

/// Reads and imports an ONNX file; the network is named after the graph, else the file stem.
pub fn import_file(path: &Path, mut options: ImportOptions) -> Result<ImportedModel, Failure> {
    let bytes = read_bytes(path)?;
    if options.fallback_name.is_empty() {
        options.fallback_name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    import_model(&bytes, &options).map_err(|error| invalid(format!("{}: {error}", path.display())))
}
