//! Why a validation could not run.

use maestro_cost::{CostError, ModelMode};
use maestro_sim::SimError;
use thiserror::Error;

/// Every failure of a validation run. A case that fails is an error of the regression gate, never a
/// pass.
#[derive(Debug, Error)]
pub enum ValidateError {
    /// The analytical model rejected a layer.
    #[error("the {} model failed: {source}", mode_name(*.mode))]
    Model {
        mode: ModelMode,
        #[source]
        source: CostError,
    },
    /// The simulator rejected the hardware (e.g. a topology it does not model).
    #[error("the simulator cannot run on this hardware: {0}")]
    SimulatorSetup(#[source] SimError),
    /// The simulator failed on a layer.
    #[error("the simulator failed on layer {layer_index} ({layer}): {source}")]
    Simulator {
        layer_index: usize,
        layer: String,
        #[source]
        source: SimError,
    },
    /// The corrected model returned no detail for a layer (it always should).
    #[error("the corrected model returned no detail for layer {layer}")]
    MissingDetail { layer: String },
}

fn mode_name(mode: ModelMode) -> &'static str {
    match mode {
        ModelMode::Corrected => "corrected",
        ModelMode::Compat => "reference-compatible",
    }
}
