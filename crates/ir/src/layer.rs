//! Layers: type, declared dimension sizes, strides and (optionally) a mapping; plus the corrected
//! definition of each layer type's loop nest and tensors, which both engines share.
//!
//! The definitions here are this project's, written down once:
//! - `CONV` (and `TRCONV`, which the reference files use for already-upsampled transposed convolutions):
//!   `O[n,k,y',x'] += I[n,c,y'·σy+r,x'·σx+s] · W[k,c,r,s]`.
//! - `DSCONV` (depth-wise): every channel `c` is filtered on its own; `K` is the depth multiplier
//!   (1 in every shipped file): `O[n,c,k,y',x'] += I[n,c,…] · W[c,k,r,s]`.
//! - `NGCONV` (grouped): `G` groups, each with `C` input and `K` output channels:
//!   `O[n,g,k,y',x'] += I[n,g,c,…] · W[g,k,c,r,s]`.
//! - `GEMM`: `O[m,n] += I[m,k] · W[k,n]`.
//!
//! Output sizes follow the stride: `Y' = (Y − R) / σy + 1`. A layer may declare `Y'` instead of `Y`, in
//! which case `Y = (Y' − 1)·σy + R`.

use crate::dim::Dim;
use crate::limits::MAX_LAYER_MACS;
use crate::mapping::Mapping;
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// The five layer types of the reference's files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LayerType {
    Conv,
    TransposedConv,
    DepthwiseConv,
    GroupedConv,
    Gemm,
}

impl LayerType {
    /// The keyword used in `Type:` lines.
    pub fn keyword(self) -> &'static str {
        match self {
            LayerType::Conv => "CONV",
            LayerType::TransposedConv => "TRCONV",
            LayerType::DepthwiseConv => "DSCONV",
            LayerType::GroupedConv => "NGCONV",
            LayerType::Gemm => "GEMM",
        }
    }

    pub fn from_keyword(keyword: &str) -> Option<LayerType> {
        Some(match keyword {
            "CONV" => LayerType::Conv,
            "TRCONV" => LayerType::TransposedConv,
            "DSCONV" => LayerType::DepthwiseConv,
            "NGCONV" => LayerType::GroupedConv,
            "GEMM" => LayerType::Gemm,
            _ => return None,
        })
    }

    /// Whether the type is a convolution with sliding windows (`Y`/`R`, `X`/`S`).
    pub fn is_convolution(self) -> bool {
        !matches!(self, LayerType::Gemm)
    }

    /// The loop dimensions of the corrected loop nest, in a fixed order. Convolutions loop over output
    /// coordinates `Y'`/`X'`; the input coordinates `Y`/`X` are derived from them.
    pub fn loop_dims(self) -> &'static [Dim] {
        match self {
            LayerType::Conv | LayerType::TransposedConv => {
                &[Dim::N, Dim::K, Dim::C, Dim::R, Dim::S, Dim::OutY, Dim::OutX]
            }
            LayerType::DepthwiseConv => {
                &[Dim::N, Dim::C, Dim::K, Dim::R, Dim::S, Dim::OutY, Dim::OutX]
            }
            LayerType::GroupedConv => &[
                Dim::N,
                Dim::G,
                Dim::K,
                Dim::C,
                Dim::R,
                Dim::S,
                Dim::OutY,
                Dim::OutX,
            ],
            LayerType::Gemm => &[Dim::M, Dim::N, Dim::K],
        }
    }

    /// The dimensions that index `tensor` in the corrected model.
    pub fn tensor_dims(self, tensor: Tensor) -> &'static [Dim] {
        use Dim::*;
        match (self, tensor) {
            (LayerType::Conv | LayerType::TransposedConv, Tensor::Input) => &[N, C, Y, X],
            (LayerType::Conv | LayerType::TransposedConv, Tensor::Weight) => &[K, C, R, S],
            (LayerType::Conv | LayerType::TransposedConv, Tensor::Output) => &[N, K, OutY, OutX],
            (LayerType::DepthwiseConv, Tensor::Input) => &[N, C, Y, X],
            (LayerType::DepthwiseConv, Tensor::Weight) => &[C, K, R, S],
            (LayerType::DepthwiseConv, Tensor::Output) => &[N, C, K, OutY, OutX],
            (LayerType::GroupedConv, Tensor::Input) => &[N, G, C, Y, X],
            (LayerType::GroupedConv, Tensor::Weight) => &[G, K, C, R, S],
            (LayerType::GroupedConv, Tensor::Output) => &[N, G, K, OutY, OutX],
            (LayerType::Gemm, Tensor::Input) => &[M, K],
            (LayerType::Gemm, Tensor::Weight) => &[K, N],
            (LayerType::Gemm, Tensor::Output) => &[M, N],
        }
    }

    /// Dimensions summed over: they index an operand but not the output.
    pub fn reduction_dims(self) -> &'static [Dim] {
        match self {
            LayerType::Conv | LayerType::TransposedConv | LayerType::GroupedConv => {
                &[Dim::C, Dim::R, Dim::S]
            }
            LayerType::DepthwiseConv => &[Dim::R, Dim::S],
            LayerType::Gemm => &[Dim::K],
        }
    }

    /// Dimensions a layer of this type must declare (either `Y` or `Y'`, either `X` or `X'`).
    pub fn required_dims(self) -> &'static [Dim] {
        match self {
            LayerType::Conv | LayerType::TransposedConv | LayerType::DepthwiseConv => {
                &[Dim::K, Dim::C, Dim::R, Dim::S]
            }
            LayerType::GroupedConv => &[Dim::G, Dim::K, Dim::C, Dim::R, Dim::S],
            LayerType::Gemm => &[Dim::M, Dim::N, Dim::K],
        }
    }
}

impl fmt::Display for LayerType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// The three tensors of every layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tensor {
    Input,
    Weight,
    Output,
}

impl Tensor {
    pub const ALL: [Tensor; 3] = [Tensor::Input, Tensor::Weight, Tensor::Output];

    /// The name used in the reference's CSV columns (`input`, `filter`, `output`).
    pub fn csv_name(self) -> &'static str {
        match self {
            Tensor::Input => "input",
            Tensor::Weight => "filter",
            Tensor::Output => "output",
        }
    }
}

/// Strides of the output axes. `Stride { Y: 2 }` and `Stride { Y': 2 }` both set `y`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Strides {
    pub y: u64,
    pub x: u64,
}

impl Default for Strides {
    fn default() -> Self {
        Strides { y: 1, x: 1 }
    }
}

/// One layer as read from a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    pub name: String,
    pub layer_type: LayerType,
    /// Declared dimension sizes in file order; the reader guarantees no duplicates.
    pub dimensions: Vec<(Dim, u64)>,
    pub strides: Strides,
    /// `None` for layers of a model file (no `Dataflow` block).
    pub mapping: Option<Mapping>,
}

/// Why a layer's loop nest cannot be formed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ShapeError {
    #[error("layer type {layer_type} needs dimension {dim}, which is not declared")]
    MissingDimension { layer_type: LayerType, dim: Dim },
    #[error("both {input} and {output} are declared; declare one of them")]
    BothInputAndOutput { input: Dim, output: Dim },
    #[error("input extent {input}={input_size} is smaller than the filter {filter}={filter_size}")]
    InputSmallerThanFilter {
        input: Dim,
        input_size: u64,
        filter: Dim,
        filter_size: u64,
    },
    #[error("the layer has more than 2^62 MACs")]
    TooLarge,
}

/// The corrected loop bounds of a layer: every dimension of its type's loop nest, plus the input
/// extents `Y`/`X` for convolutions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoopBounds {
    sizes: [u64; Dim::ALL.len()],
    pub layer_type: LayerType,
    pub strides: Strides,
}

impl LoopBounds {
    /// The size of `dim`; 1 for a dimension that is not part of this layer type.
    pub fn size(&self, dim: Dim) -> u64 {
        self.sizes[dim as usize]
    }

    /// The number of MACs: the product of the loop dimensions.
    pub fn macs(&self) -> u64 {
        self.layer_type
            .loop_dims()
            .iter()
            .map(|&dim| self.size(dim))
            .product()
    }

    /// The number of distinct elements of `tensor`.
    pub fn tensor_elements(&self, tensor: Tensor) -> u64 {
        self.layer_type
            .tensor_dims(tensor)
            .iter()
            .map(|&dim| self.size(dim))
            .product()
    }
}

impl Layer {
    /// The declared size of `dim`, if declared.
    pub fn declared(&self, dim: Dim) -> Option<u64> {
        self.dimensions
            .iter()
            .find(|(declared, _)| *declared == dim)
            .map(|&(_, size)| size)
    }

    /// The corrected loop bounds (see the module documentation).
    pub fn loop_bounds(&self) -> Result<LoopBounds, ShapeError> {
        let layer_type = self.layer_type;
        let mut sizes = [1u64; Dim::ALL.len()];
        for &dim in layer_type.required_dims() {
            sizes[dim as usize] = self
                .declared(dim)
                .ok_or(ShapeError::MissingDimension { layer_type, dim })?;
        }
        if layer_type.is_convolution() {
            sizes[Dim::N as usize] = self.declared(Dim::N).unwrap_or(1);
            if layer_type == LayerType::DepthwiseConv {
                sizes[Dim::K as usize] = self.declared(Dim::K).unwrap_or(1);
            }
            for (input, output, filter, stride) in [
                (Dim::Y, Dim::OutY, Dim::R, self.strides.y),
                (Dim::X, Dim::OutX, Dim::S, self.strides.x),
            ] {
                let filter_size = sizes[filter as usize];
                let (input_size, output_size) = match (self.declared(input), self.declared(output))
                {
                    (Some(_), Some(_)) => {
                        return Err(ShapeError::BothInputAndOutput { input, output })
                    }
                    (Some(input_size), None) => {
                        if input_size < filter_size {
                            return Err(ShapeError::InputSmallerThanFilter {
                                input,
                                input_size,
                                filter,
                                filter_size,
                            });
                        }
                        (input_size, (input_size - filter_size) / stride + 1)
                    }
                    (None, Some(output_size)) => {
                        ((output_size - 1) * stride + filter_size, output_size)
                    }
                    (None, None) => {
                        return Err(ShapeError::MissingDimension {
                            layer_type,
                            dim: input,
                        })
                    }
                };
                sizes[input as usize] = input_size;
                sizes[output as usize] = output_size;
            }
        }
        let bounds = LoopBounds {
            sizes,
            layer_type,
            strides: self.strides,
        };
        let mut product: u64 = 1;
        for &dim in layer_type.loop_dims() {
            product = product
                .checked_mul(bounds.size(dim))
                .filter(|&p| p <= MAX_LAYER_MACS)
                .ok_or(ShapeError::TooLarge)?;
        }
        Ok(bounds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(dims: &[(Dim, u64)], stride: u64) -> Layer {
        Layer {
            name: "L".into(),
            layer_type: LayerType::Conv,
            dimensions: dims.to_vec(),
            strides: Strides {
                y: stride,
                x: stride,
            },
            mapping: None,
        }
    }

    #[test]
    fn resnet50_conv1_macs_follow_the_stride() {
        use Dim::*;
        let layer = conv(&[(K, 64), (C, 3), (R, 7), (S, 7), (Y, 224), (X, 224)], 2);
        let bounds = layer.loop_bounds().unwrap();
        assert_eq!(bounds.size(OutY), 109);
        assert_eq!(bounds.macs(), 111_776_448);
    }

    #[test]
    fn output_coordinates_derive_the_input_extent() {
        use Dim::*;
        let layer = conv(&[(K, 2), (C, 2), (R, 3), (S, 3), (OutY, 3), (OutX, 3)], 2);
        let bounds = layer.loop_bounds().unwrap();
        assert_eq!(bounds.size(Y), 7);
        assert_eq!(bounds.macs(), 2 * 2 * 9 * 9);
    }

    #[test]
    fn both_coordinates_are_rejected() {
        use Dim::*;
        let layer = conv(
            &[(K, 2), (C, 2), (R, 3), (S, 3), (Y, 7), (OutY, 5), (X, 7)],
            1,
        );
        assert!(matches!(
            layer.loop_bounds(),
            Err(ShapeError::BothInputAndOutput { .. })
        ));
    }
}
