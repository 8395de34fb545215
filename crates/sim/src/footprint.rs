//! Canonical tensor footprints: the set of elements a PE's region touches, in a fixed-size form whose
//! equality is set equality (so PEs that need the same elements compare equal even when they reach
//! them through different output/filter index pairs, as the diagonals of a row-stationary array do).
//!
//! Each axis is a union of `windows` equally spaced runs `{first + i·pitch + w : i < windows,
//! w < width}`; contiguous sets have one run. The axes follow `maestro_ir::expansion::tensor_axes`,
//! the shared definition of which loop dimensions index which tensor axis.

use crate::geometry::{IndexRange, TensorBox, MAX_TENSOR_DIMS};
use maestro_ir::expansion::{tensor_axes, AxisIndex, MAX_TENSOR_AXES};
use maestro_ir::{LayerType, Region, Strides, Tensor};

/// One axis' index set in canonical form (the empty set is all zeros).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AxisRuns {
    pub first: u64,
    pub windows: u64,
    pub width: u64,
    /// Distance between run starts; 0 when there is one run.
    pub pitch: u64,
}

impl AxisRuns {
    fn interval(start: u64, end: u64) -> AxisRuns {
        if end <= start {
            return AxisRuns::default();
        }
        AxisRuns {
            first: start,
            windows: 1,
            width: end - start,
            pitch: 0,
        }
    }

    /// `{o·stride + f : o ∈ outputs, f ∈ filters}`.
    fn window(outputs: (u64, u64), filters: (u64, u64), stride: u64) -> AxisRuns {
        let (out_start, out_end) = outputs;
        let (filter_start, filter_end) = filters;
        if out_end <= out_start || filter_end <= filter_start {
            return AxisRuns::default();
        }
        let width = filter_end - filter_start;
        let windows = out_end - out_start;
        let first = out_start * stride + filter_start;
        if windows == 1 || width >= stride {
            AxisRuns::interval(first, (out_end - 1) * stride + filter_end)
        } else {
            AxisRuns {
                first,
                windows,
                width,
                pitch: stride,
            }
        }
    }

    pub fn len(&self) -> u64 {
        self.windows * self.width
    }

    /// The smallest interval holding the set.
    pub fn hull(&self) -> IndexRange {
        if self.windows == 0 {
            return IndexRange::default();
        }
        IndexRange {
            start: self.first,
            end: self.first + (self.windows - 1) * self.pitch + self.width,
        }
    }

    /// Run `i`'s half-open range.
    fn run(&self, i: u64) -> (u64, u64) {
        let start = self.first + i * self.pitch;
        (start, start + self.width)
    }

    /// Number of indices of `self` inside `[low, high)`.
    fn count_within(&self, low: u64, high: u64) -> u64 {
        if self.windows == 0 || high <= low {
            return 0;
        }
        if self.windows == 1 {
            let (start, end) = self.run(0);
            return end.min(high).saturating_sub(start.max(low));
        }
        // Runs that can overlap `[low, high)`: from the first ending after `low` to the last starting
        // before `high`.
        let first_run = (low + 1)
            .saturating_sub(self.first + self.width)
            .div_ceil(self.pitch);
        let last_run = if high <= self.first {
            return 0;
        } else {
            ((high - 1 - self.first) / self.pitch).min(self.windows - 1)
        };
        (first_run..=last_run)
            .map(|i| {
                let (start, end) = self.run(i);
                end.min(high).saturating_sub(start.max(low))
            })
            .sum()
    }

    /// Number of indices in both sets.
    pub fn intersection_len(&self, other: &AxisRuns) -> u64 {
        let (few, many) = if self.windows <= other.windows {
            (self, other)
        } else {
            (other, self)
        };
        (0..few.windows)
            .map(|i| {
                let (start, end) = few.run(i);
                many.count_within(start, end)
            })
            .sum()
    }
}

/// The elements of one tensor that a region touches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Footprint {
    pub axes: [AxisRuns; MAX_TENSOR_AXES],
    pub rank: u8,
}

impl Footprint {
    /// Holds nothing.
    pub const EMPTY: Footprint = Footprint {
        axes: [AxisRuns {
            first: 0,
            windows: 0,
            width: 0,
            pitch: 0,
        }; MAX_TENSOR_AXES],
        rank: 0,
    };

    pub fn elements(&self) -> u64 {
        if self.rank == 0 {
            return 0;
        }
        self.axes[..self.rank as usize]
            .iter()
            .fold(1u64, |product, axis| product.saturating_mul(axis.len()))
    }

    /// Elements in both footprints (of the same tensor).
    pub fn intersection(&self, other: &Footprint) -> u64 {
        if self.rank == 0 || self.rank != other.rank {
            return 0;
        }
        self.axes[..self.rank as usize]
            .iter()
            .zip(&other.axes)
            .fold(1u64, |product, (mine, theirs)| {
                product.saturating_mul(mine.intersection_len(theirs))
            })
    }

    /// Elements of `self` not in `held`.
    pub fn missing_from(&self, held: &Footprint) -> u64 {
        self.elements() - self.intersection(held)
    }

    /// A 64-bit digest of the set, for sorting equal footprints next to each other; equal footprints
    /// have equal digests (the converse is checked by whoever groups by it).
    pub fn digest(&self, seed: u64) -> u64 {
        let mut state = seed ^ u64::from(self.rank);
        for axis in &self.axes[..self.rank as usize] {
            for value in [axis.first, axis.windows, axis.width, axis.pitch] {
                state = (state.rotate_left(5) ^ value).wrapping_mul(0x517c_c1b7_2722_0a95);
            }
        }
        state
    }

    /// The bounding box (exact for outputs, whose axes are plain intervals).
    pub fn hull(&self) -> TensorBox {
        let mut ranges = [IndexRange::default(); MAX_TENSOR_DIMS];
        for (slot, axis) in ranges.iter_mut().zip(&self.axes[..self.rank as usize]) {
            *slot = axis.hull();
        }
        TensorBox::from_array(usize::from(self.rank), ranges)
    }
}

/// How the axes of the three tensors are indexed, fixed per layer.
#[derive(Clone, Copy, Debug)]
pub struct TensorAxes {
    axes: [[Option<AxisIndex>; MAX_TENSOR_AXES]; 3],
}

impl TensorAxes {
    pub fn new(layer_type: LayerType, strides: Strides) -> TensorAxes {
        let mut axes = [[None; MAX_TENSOR_AXES]; 3];
        for (slots, tensor) in axes.iter_mut().zip(Tensor::ALL) {
            for (slot, axis) in slots
                .iter_mut()
                .zip(tensor_axes(layer_type, strides, tensor))
            {
                *slot = Some(axis);
            }
        }
        TensorAxes { axes }
    }

    /// The footprint of `tensor` (index into `Tensor::ALL`) for `region`.
    pub fn footprint(&self, tensor: usize, region: &Region) -> Footprint {
        let mut footprint = Footprint::EMPTY;
        for axis in self.axes[tensor].iter().flatten() {
            footprint.axes[footprint.rank as usize] = match *axis {
                AxisIndex::Plain(dim) => AxisRuns::interval(region.start(dim), region.end(dim)),
                AxisIndex::Window {
                    out,
                    filter,
                    stride,
                } => AxisRuns::window(
                    (region.start(out), region.end(out)),
                    (region.start(filter), region.end(filter)),
                    stride,
                ),
            };
            footprint.rank += 1;
        }
        footprint
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn members(runs: &AxisRuns) -> Vec<u64> {
        (0..runs.windows)
            .flat_map(|i| {
                let (start, end) = runs.run(i);
                start..end
            })
            .collect()
    }

    #[test]
    fn diagonal_windows_are_the_same_rows() {
        // Output row 1 with filter row 0, and output row 0 with filter row 1: both read input row 1.
        let a = AxisRuns::window((1, 2), (0, 1), 1);
        let b = AxisRuns::window((0, 1), (1, 2), 1);
        assert_eq!(a, b);
    }

    proptest! {
        #[test]
        fn runs_count_like_sets(
            out_a in (0u64..6, 1u64..5), filter_a in (0u64..3, 1u64..4), stride_a in 1u64..4,
            out_b in (0u64..6, 1u64..5), filter_b in (0u64..3, 1u64..4),
        ) {
            let a = AxisRuns::window((out_a.0, out_a.0 + out_a.1), (filter_a.0, filter_a.0 + filter_a.1), stride_a);
            let b = AxisRuns::window((out_b.0, out_b.0 + out_b.1), (filter_b.0, filter_b.0 + filter_b.1), stride_a);
            let set_a: std::collections::BTreeSet<u64> = (out_a.0..out_a.0 + out_a.1)
                .flat_map(|o| (filter_a.0..filter_a.0 + filter_a.1).map(move |f| o * stride_a + f))
                .collect();
            let set_b: std::collections::BTreeSet<u64> = (out_b.0..out_b.0 + out_b.1)
                .flat_map(|o| (filter_b.0..filter_b.0 + filter_b.1).map(move |f| o * stride_a + f))
                .collect();
            prop_assert_eq!(members(&a), set_a.iter().copied().collect::<Vec<_>>());
            prop_assert_eq!(a.len(), set_a.len() as u64);
            prop_assert_eq!(a.intersection_len(&b), set_a.intersection(&set_b).count() as u64);
            prop_assert_eq!(a == b, set_a == set_b);
        }
    }
}
