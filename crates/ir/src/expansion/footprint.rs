//! Which tensor elements a loop-space region touches: per tensor axis an index set, either a plain
//! interval or, for the input rows/columns of a convolution, the sliding-window set
//! `{y'·σ + r : y' ∈ Y'-range, r ∈ R-range}` (not contiguous when the filter tile is narrower than
//! the stride).

use super::region::Region;
use crate::dim::Dim;
use crate::layer::{LayerType, Strides, Tensor};
use std::ops::Range;

/// The most axes a tensor has (grouped convolution's input and weight have five).
pub const MAX_TENSOR_AXES: usize = 5;

/// The index set of one tensor axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AxisSet {
    /// `[start, end)` of a dimension that indexes the tensor directly.
    Interval { start: u64, end: u64 },
    /// Input rows (or columns) `{o·stride + f : o ∈ [out_start, out_end), f ∈ [filter_start, filter_end)}`.
    Window {
        out_start: u64,
        out_end: u64,
        filter_start: u64,
        filter_end: u64,
        stride: u64,
    },
}

impl AxisSet {
    /// Whether the set is one interval.
    fn contiguous(&self) -> Option<Range<u64>> {
        match *self {
            AxisSet::Interval { start, end } => Some(start..end.max(start)),
            AxisSet::Window {
                out_start,
                out_end,
                filter_start,
                filter_end,
                stride,
            } => {
                if out_end <= out_start || filter_end <= filter_start {
                    Some(0..0)
                } else if filter_end - filter_start >= stride || out_end - out_start == 1 {
                    Some(out_start * stride + filter_start..(out_end - 1) * stride + filter_end)
                } else {
                    None
                }
            }
        }
    }

    /// Number of indices in the set.
    pub fn len(&self) -> u64 {
        match *self {
            AxisSet::Interval { start, end } => end.saturating_sub(start),
            AxisSet::Window {
                out_start,
                out_end,
                filter_start,
                filter_end,
                ..
            } => match self.contiguous() {
                Some(range) => range.end - range.start,
                None => (out_end - out_start) * (filter_end - filter_start),
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `visit` with the set's maximal intervals in increasing order.
    pub fn for_each_interval(&self, mut visit: impl FnMut(Range<u64>)) {
        match (self.contiguous(), *self) {
            (Some(range), _) => {
                if range.start < range.end {
                    visit(range);
                }
            }
            (
                None,
                AxisSet::Window {
                    out_start,
                    out_end,
                    filter_start,
                    filter_end,
                    stride,
                },
            ) => {
                for out in out_start..out_end {
                    visit(out * stride + filter_start..out * stride + filter_end);
                }
            }
            (None, AxisSet::Interval { .. }) => {}
        }
    }

    /// Whether `index` is in the set.
    pub fn contains(&self, index: u64) -> bool {
        match *self {
            AxisSet::Interval { start, end } => (start..end).contains(&index),
            AxisSet::Window {
                out_start,
                out_end,
                filter_start,
                filter_end,
                stride,
            } => (out_start..out_end).any(|out| {
                let base = out * stride;
                (base + filter_start..base + filter_end).contains(&index)
            }),
        }
    }

    /// Number of indices in both sets.
    pub fn intersection_len(&self, other: &AxisSet) -> u64 {
        if let (Some(a), Some(b)) = (self.contiguous(), other.contiguous()) {
            return a.end.min(b.end).saturating_sub(a.start.max(b.start));
        }
        let mut mine = Vec::new();
        self.for_each_interval(|range| mine.push(range));
        let mut total = 0;
        let mut cursor = 0;
        other.for_each_interval(|range| {
            while cursor < mine.len() && mine[cursor].end <= range.start {
                cursor += 1;
            }
            let mut index = cursor;
            while index < mine.len() && mine[index].start < range.end {
                total += mine[index].end.min(range.end) - mine[index].start.max(range.start);
                index += 1;
            }
        });
        total
    }
}

/// The elements of one tensor that a region touches: the product of its axes' sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Footprint {
    axes: [AxisSet; MAX_TENSOR_AXES],
    axis_count: usize,
}

/// How one axis of a tensor is indexed by loop dimensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AxisIndex {
    /// Directly by one loop dimension.
    Plain(Dim),
    /// By an output coordinate and a filter coordinate: `out·stride + filter`.
    Window { out: Dim, filter: Dim, stride: u64 },
}

impl AxisIndex {
    /// Whether the loop dimension `dim` influences this axis.
    pub fn uses(&self, dim: Dim) -> bool {
        match *self {
            AxisIndex::Plain(own) => own == dim,
            AxisIndex::Window { out, filter, .. } => out == dim || filter == dim,
        }
    }

    /// The indices of this axis that the MACs of `region` touch.
    pub fn set_over(self, region: &Region) -> AxisSet {
        match self {
            AxisIndex::Plain(dim) => AxisSet::Interval {
                start: region.start(dim),
                end: region.end(dim),
            },
            AxisIndex::Window {
                out,
                filter,
                stride,
            } => AxisSet::Window {
                out_start: region.start(out),
                out_end: region.end(out),
                filter_start: region.start(filter),
                filter_end: region.end(filter),
                stride,
            },
        }
    }
}

/// The axes of `tensor` for a layer type and strides, in the tensor's dimension order.
pub fn tensor_axes(
    layer_type: LayerType,
    strides: Strides,
    tensor: Tensor,
) -> impl Iterator<Item = AxisIndex> {
    layer_type
        .tensor_dims(tensor)
        .iter()
        .map(move |&dim| match dim {
            Dim::Y => AxisIndex::Window {
                out: Dim::OutY,
                filter: Dim::R,
                stride: strides.y,
            },
            Dim::X => AxisIndex::Window {
                out: Dim::OutX,
                filter: Dim::S,
                stride: strides.x,
            },
            other => AxisIndex::Plain(other),
        })
}

/// Whether loop dimension `dim` indexes `tensor` (directly or through a window).
pub fn tensor_uses(layer_type: LayerType, tensor: Tensor, dim: Dim) -> bool {
    tensor_axes(layer_type, Strides::default(), tensor).any(|axis| axis.uses(dim))
}

impl Footprint {
    /// The elements of `tensor` that the MACs of `region` read or write.
    pub fn of(
        layer_type: LayerType,
        strides: Strides,
        tensor: Tensor,
        region: &Region,
    ) -> Footprint {
        let mut footprint = Footprint {
            axes: [AxisSet::Interval { start: 0, end: 0 }; MAX_TENSOR_AXES],
            axis_count: 0,
        };
        for axis in tensor_axes(layer_type, strides, tensor) {
            footprint.axes[footprint.axis_count] = axis.set_over(region);
            footprint.axis_count += 1;
        }
        footprint
    }

    pub fn axes(&self) -> &[AxisSet] {
        &self.axes[..self.axis_count]
    }

    /// Number of distinct elements.
    pub fn elements(&self) -> u64 {
        self.axes()
            .iter()
            .fold(1u64, |product, axis| product.saturating_mul(axis.len()))
    }

    /// Number of elements in both footprints (same tensor).
    pub fn intersection_elements(&self, other: &Footprint) -> u64 {
        self.axes()
            .iter()
            .zip(other.axes())
            .fold(1u64, |product, (mine, theirs)| {
                product.saturating_mul(mine.intersection_len(theirs))
            })
    }

    /// Whether the element with coordinates `coordinates` (one per axis) is in the footprint.
    pub fn contains(&self, coordinates: &[u64]) -> bool {
        self.axes()
            .iter()
            .zip(coordinates)
            .all(|(axis, &index)| axis.contains(index))
    }

    /// Calls `visit` with the coordinates of every element, axes in order, last axis fastest.
    pub fn for_each_element(&self, mut visit: impl FnMut(&[u64; MAX_TENSOR_AXES])) {
        let mut coordinates = [0u64; MAX_TENSOR_AXES];
        self.visit_from(0, &mut coordinates, &mut visit);
    }

    fn visit_from(
        &self,
        axis: usize,
        coordinates: &mut [u64; MAX_TENSOR_AXES],
        visit: &mut dyn FnMut(&[u64; MAX_TENSOR_AXES]),
    ) {
        if axis == self.axis_count {
            visit(coordinates);
            return;
        }
        self.axes[axis].for_each_interval(|range| {
            for index in range {
                coordinates[axis] = index;
                self.visit_from(axis + 1, coordinates, visit);
            }
        });
    }

    /// Number of elements in `self` that are not in `previous`.
    pub fn new_elements(&self, previous: &Footprint) -> u64 {
        self.elements() - self.intersection_elements(previous)
    }
}
