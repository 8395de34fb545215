//! What a study evaluates: a network (optionally cut down to chosen layers) and the dataflows to map
//! it with — the mappings written in its file, or named templates, which are re-applied for every
//! hardware structure because they size tiles from the accelerator.

use crate::error::StudyError;
use maestro_ir::{Accelerator, Network};
use maestro_templates::DataflowStyle;

/// One way to map the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dataflow {
    /// The mappings written in the network's file (every layer has one).
    Written,
    /// A template applied to every layer for each accelerator.
    Template(DataflowStyle),
}

impl Dataflow {
    /// The label of the dataflow in reports: the template's name, or `mapping`.
    pub fn label(self) -> &'static str {
        match self {
            Dataflow::Written => "mapping",
            Dataflow::Template(style) => style.name(),
        }
    }

    /// The dataflow whose [`Dataflow::label`] is `label`.
    pub fn from_label(label: &str) -> Option<Dataflow> {
        if label == Dataflow::Written.label() {
            return Some(Dataflow::Written);
        }
        DataflowStyle::from_name(label).map(Dataflow::Template)
    }

    /// The network mapped for `accelerator`.
    pub fn map(self, network: &Network, accelerator: &Accelerator) -> Result<Network, String> {
        match self {
            Dataflow::Written => Ok(network.clone()),
            Dataflow::Template(style) => maestro_templates::apply(style, network, accelerator)
                .map_err(|error| format!("cannot apply dataflow {}: {error}", style.name())),
        }
    }

    /// Whether the mapping depends on the L1 size as well as on the PE count: templates size their
    /// tiles from both (`maestro-templates`), written mappings from neither.
    pub fn depends_on_l1(self) -> bool {
        matches!(self, Dataflow::Template(_))
    }
}

/// A network and the dataflows to evaluate it with.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    pub network: Network,
    pub dataflows: Vec<Dataflow>,
}

impl Workload {
    pub fn new(network: Network, dataflows: Vec<Dataflow>) -> Result<Workload, StudyError> {
        if network.layers.is_empty() {
            return Err(StudyError::NoLayers);
        }
        if dataflows.is_empty() {
            return Err(StudyError::NoDataflow);
        }
        Ok(Workload { network, dataflows })
    }
}

/// Keeps the layers that `selection` names, in the order written: each item is a layer name or, if
/// no layer has that name and it is a number, a 0-based index. Repeated layers are kept once.
pub fn select_layers(network: &Network, selection: &[String]) -> Result<Network, StudyError> {
    let mut chosen: Vec<usize> = Vec::new();
    for item in selection {
        let item = item.trim();
        // A name selects every layer that bears it (names may repeat in a network).
        let named: Vec<usize> = (0..network.layers.len())
            .filter(|&index| network.layers[index].name == item)
            .collect();
        if !named.is_empty() {
            for index in named {
                if !chosen.contains(&index) {
                    chosen.push(index);
                }
            }
            continue;
        }
        let index = match item.parse::<usize>() {
            Ok(index) if index < network.layers.len() => index,
            Ok(index) => {
                return Err(StudyError::LayerIndexOutOfRange {
                    index,
                    count: network.layers.len(),
                })
            }
            Err(_) => {
                return Err(StudyError::UnknownLayer {
                    name: item.to_owned(),
                    available: available_names(network),
                })
            }
        };
        if !chosen.contains(&index) {
            chosen.push(index);
        }
    }
    Ok(Network {
        name: network.name.clone(),
        layers: chosen
            .into_iter()
            .map(|index| network.layers[index].clone())
            .collect(),
    })
}

/// The first layer names, for an error message (long networks are cut after 20).
fn available_names(network: &Network) -> String {
    const SHOWN: usize = 20;
    let mut names: Vec<&str> = network
        .layers
        .iter()
        .take(SHOWN)
        .map(|layer| layer.name.as_str())
        .collect();
    if network.layers.len() > SHOWN {
        names.push("…");
    }
    names.join(", ")
}
