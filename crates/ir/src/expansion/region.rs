//! Hyper-rectangles of the loop space: one half-open index range per loop dimension, in layer
//! coordinates. Plain `Copy` data so that step visitors never allocate.

use crate::dim::Dim;
use crate::layer::{LayerType, LoopBounds};
use std::fmt;
use std::ops::Range;

const DIM_COUNT: usize = Dim::ALL.len();

/// A half-open range `[start, end)` per dimension. Dimensions that are not loop dimensions of the layer
/// type stay at `[0, 1)`, so products over all dimensions are products over the loop dimensions.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    start: [u64; DIM_COUNT],
    end: [u64; DIM_COUNT],
}

impl Region {
    /// The whole loop space of a layer.
    pub fn whole(bounds: &LoopBounds) -> Region {
        let mut region = Region {
            start: [0; DIM_COUNT],
            end: [1; DIM_COUNT],
        };
        for &dim in bounds.layer_type.loop_dims() {
            region.end[dim as usize] = bounds.size(dim);
        }
        region
    }

    /// The index range of `dim`.
    pub fn range(&self, dim: Dim) -> Range<u64> {
        self.start[dim as usize]..self.end[dim as usize]
    }

    pub fn start(&self, dim: Dim) -> u64 {
        self.start[dim as usize]
    }

    pub fn end(&self, dim: Dim) -> u64 {
        self.end[dim as usize]
    }

    /// The number of indices of `dim` in the region.
    pub fn len(&self, dim: Dim) -> u64 {
        self.end[dim as usize] - self.start[dim as usize]
    }

    /// Whether some loop dimension has no index at all.
    pub fn is_empty(&self) -> bool {
        self.start
            .iter()
            .zip(&self.end)
            .any(|(start, end)| start >= end)
    }

    /// Replaces the range of `dim` (`start ≤ end` is the caller's promise).
    pub fn set(&mut self, dim: Dim, range: Range<u64>) {
        debug_assert!(range.start <= range.end);
        self.start[dim as usize] = range.start;
        self.end[dim as usize] = range.end;
    }

    /// The number of points (MACs) in the region: the product of the loop dimensions' lengths.
    /// Saturates instead of overflowing (regions inside a validated layer never reach 2^62).
    pub fn volume(&self, layer_type: LayerType) -> u64 {
        layer_type
            .loop_dims()
            .iter()
            .fold(1u64, |product, &dim| product.saturating_mul(self.len(dim)))
    }

    /// Whether `other` lies inside `self`.
    pub fn contains_region(&self, other: &Region) -> bool {
        (0..DIM_COUNT).all(|i| self.start[i] <= other.start[i] && other.end[i] <= self.end[i])
    }

    /// The intersection, or `None` when it is empty.
    pub fn intersection(&self, other: &Region) -> Option<Region> {
        let mut result = *self;
        for i in 0..DIM_COUNT {
            result.start[i] = self.start[i].max(other.start[i]);
            result.end[i] = self.end[i].min(other.end[i]);
            if result.start[i] >= result.end[i] {
                return None;
            }
        }
        Some(result)
    }
}

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_map();
        for dim in Dim::ALL {
            let range = self.range(dim);
            if range != (0..1) {
                list.entry(&dim.name(), &range);
            }
        }
        list.finish()
    }
}
