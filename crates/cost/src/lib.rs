//! The analytical cost model: pure functions from (layer, mapping, accelerator) to a cost report, in two
//! modes — [`ModelMode::Compat`], which reproduces the reference MAESTRO binary's numbers quirks included,
//! and [`ModelMode::Corrected`], which implements the project's execution semantics.

pub mod compat;
pub mod corrected;
pub mod detail;
pub mod reference_row;

pub use detail::LayerDetail;
pub use reference_row::{DelayStats, ReferenceRow, TensorAccess};

use maestro_ir::{Accelerator, Network};
use serde::Serialize;
use thiserror::Error;

/// Which model to evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ModelMode {
    /// The project's corrected model (the default).
    #[default]
    Corrected,
    /// The reference binary's behaviour, quirks included.
    Compat,
}

/// How to run an analysis.
#[derive(Clone, Copy, Debug)]
pub struct AnalysisOptions {
    pub mode: ModelMode,
    /// Worker threads for per-layer analysis; results come out in layer order regardless.
    pub threads: usize,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            mode: ModelMode::Corrected,
            threads: 1,
        }
    }
}

/// A mapping that cannot be analysed, with the layer it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("layer {layer_index} ({layer}): {reason}")]
pub struct CostError {
    pub layer_index: usize,
    pub layer: String,
    pub reason: String,
}

/// The cost of one layer: the reference-shaped row, plus the corrected model's detail where available.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerCost {
    pub row: ReferenceRow,
    /// The corrected model's detail; `None` in `--compat` mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<LayerDetail>,
}

/// The cost of every layer of a network, in layer order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkCost {
    pub network: String,
    pub layers: Vec<LayerCost>,
}

/// Analyses every layer of `network` on `accelerator` with the model that `options.mode` selects.
pub fn analyze_network(
    network: &Network,
    accelerator: &Accelerator,
    options: &AnalysisOptions,
) -> Result<NetworkCost, CostError> {
    match options.mode {
        ModelMode::Compat => compat::analyze_network(network, accelerator, options),
        ModelMode::Corrected => corrected::analyze_network(network, accelerator, options),
    }
}
