//! Why a template cannot build a mapping for a layer.

use maestro_ir::layer::ShapeError;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum TemplateError {
    /// The layer's loop nest cannot be formed (a missing dimension, a filter larger than its input, …).
    #[error("layer {layer}: {source}")]
    Shape {
        layer: String,
        #[source]
        source: ShapeError,
    },
    /// A stride of 0 leaves the output size undefined.
    #[error("layer {layer}: strides must be at least 1 (Y: {y}, X: {x})")]
    ZeroStride { layer: String, y: u64, x: u64 },
    /// There is nothing to map onto.
    #[error("the accelerator has no processing elements")]
    NoProcessingElements,
}
