//! What a template needs to know about a layer and the accelerator: loop bounds, strides, which
//! optional dimensions are declared, the PE count, and the tile arithmetic of strided windows.

use crate::error::TemplateError;
use maestro_ir::layer::LoopBounds;
use maestro_ir::{Accelerator, Dim, Layer, LayerType};

/// A layer's shape as the templates see it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shape<'a> {
    pub layer: &'a Layer,
    pub bounds: LoopBounds,
    /// Number of PEs (at least 1).
    pub pes: u64,
    /// L1 capacity per PE, in elements.
    pub l1_size: u64,
}

/// A map directive's size and offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tile {
    pub size: u64,
    pub offset: u64,
}

impl<'a> Shape<'a> {
    pub fn new(layer: &'a Layer, accelerator: &Accelerator) -> Result<Shape<'a>, TemplateError> {
        if accelerator.num_pes == 0 {
            return Err(TemplateError::NoProcessingElements);
        }
        let strides = layer.strides;
        if strides.x == 0 || strides.y == 0 {
            return Err(TemplateError::ZeroStride {
                layer: layer.name.clone(),
                y: strides.y,
                x: strides.x,
            });
        }
        let bounds = layer.loop_bounds().map_err(|source| TemplateError::Shape {
            layer: layer.name.clone(),
            source,
        })?;
        Ok(Shape {
            layer,
            bounds,
            pes: accelerator.num_pes,
            l1_size: accelerator.l1_size,
        })
    }

    pub fn layer_type(&self) -> LayerType {
        self.bounds.layer_type
    }

    pub fn size(&self, dim: Dim) -> u64 {
        self.bounds.size(dim)
    }

    /// Whether a convolution declares a batch dimension (only then may a directive name `N`).
    pub fn has_batch(&self) -> bool {
        self.layer_type().is_convolution() && self.layer.declared(Dim::N).is_some()
    }

    /// The tile of input rows (`Y`) that holds `outputs` consecutive output rows.
    pub fn row_window(&self, outputs: u64) -> Tile {
        window(
            outputs,
            self.size(Dim::OutY),
            self.size(Dim::R),
            self.bounds.strides.y,
        )
    }

    /// The tile of input columns (`X`) that holds `outputs` consecutive output columns.
    pub fn column_window(&self, outputs: u64) -> Tile {
        window(
            outputs,
            self.size(Dim::OutX),
            self.size(Dim::S),
            self.bounds.strides.x,
        )
    }

    /// How many output columns one column tile can hold: `wanted`, limited to the layer's output
    /// columns, and 1 when the stride exceeds the filter (see [`window`]).
    pub fn column_outputs(&self, wanted: u64) -> u64 {
        self.column_window(wanted).offset / self.bounds.strides.x
    }
}

/// The input tile of `outputs` consecutive outputs of a sliding window (`filter` wide, moving by
/// `stride`), and the offset that moves it to the next `outputs` outputs: `(q−1)·σ + F` and `q·σ`.
///
/// `q` is limited to `1..=total_outputs`. When the stride exceeds the filter, `q` is 1: the reference
/// re-derives a strided tile's size as `q·F` in that case (analytical-model §5.2.4), which only agrees
/// with `(q−1)·σ + F` for a single output.
pub(crate) fn window(outputs: u64, total_outputs: u64, filter: u64, stride: u64) -> Tile {
    let outputs = if stride > filter {
        1
    } else {
        outputs.clamp(1, total_outputs.max(1))
    };
    Tile {
        size: (outputs - 1).saturating_mul(stride).saturating_add(filter),
        offset: outputs.saturating_mul(stride),
    }
}

/// The largest `r` with `r·r ≤ n`.
pub(crate) fn integer_sqrt(n: u64) -> u64 {
    // Start from the floating-point estimate and correct it, since f64 cannot represent every u64.
    let mut root = (n as f64).sqrt() as u64;
    while root.checked_mul(root).map_or(true, |square| square > n) {
        root -= 1;
    }
    while (root + 1)
        .checked_mul(root + 1)
        .is_some_and(|square| square <= n)
    {
        root += 1;
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_whole_strided_outputs() {
        assert_eq!(window(1, 112, 7, 2), Tile { size: 7, offset: 2 });
        assert_eq!(
            window(8, 112, 7, 2),
            Tile {
                size: 21,
                offset: 16
            }
        );
        assert_eq!(window(8, 3, 3, 1), Tile { size: 5, offset: 3 });
        assert_eq!(window(0, 5, 3, 1), Tile { size: 3, offset: 1 });
        // A 1×1 filter with stride 2 only ever gets one output per tile.
        assert_eq!(window(8, 28, 1, 2), Tile { size: 1, offset: 2 });
    }

    #[test]
    fn integer_square_roots() {
        for (n, root) in [
            (0, 0),
            (1, 1),
            (3, 1),
            (4, 2),
            (255, 15),
            (256, 16),
            (1023, 31),
        ] {
            assert_eq!(integer_sqrt(n), root);
        }
        assert_eq!(integer_sqrt(u64::MAX), u32::MAX as u64);
    }
}
