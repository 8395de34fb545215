//! The exact number of distinct elements in a union of footprint differences `⋃ (current \ previous)`,
//! in closed form over intervals instead of by enumerating elements.
//!
//! Every footprint is a product of per-axis index sets, each a short list of disjoint intervals (a
//! sliding-window axis is one interval, or one per window when the filter tile is narrower than the
//! stride). A difference `C \ P` of two products is the disjoint union of at most one box per axis
//! (`C₀∩P₀ × … × Cₖ₋₁∩Pₖ₋₁ × (Cₖ \ Pₖ) × Cₖ₊₁ × …`), so the union is a union of boxes. Its size is
//! found axis by axis: axes on which every box agrees factor out; when the boxes differ on one axis
//! only, that axis' intervals are merged; otherwise the first differing axis is cut into elementary
//! segments (between consecutive interval ends) and the boxes covering each segment are measured on
//! the remaining axes, reusing the result while the covering set stays the same.

use maestro_ir::expansion::{AxisSet, Footprint, MAX_TENSOR_AXES};
use std::ops::Range;

/// A half-open interval `[start, end)`.
pub type Interval = (u64, u64);

/// Where one axis' interval list of a box lives in [`Boxes::intervals`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

/// Boxes (products of per-axis interval lists) in one reusable arena.
#[derive(Debug, Default)]
pub struct Boxes {
    axes: usize,
    intervals: Vec<Interval>,
    boxes: Vec<[Span; MAX_TENSOR_AXES]>,
    /// Scratch for per-axis lists while a difference is decomposed.
    current: Vec<Vec<Interval>>,
    previous: Vec<Vec<Interval>>,
    common: Vec<Vec<Interval>>,
    difference: Vec<Interval>,
}

pub fn intervals_of(axis: &AxisSet, into: &mut Vec<Interval>) {
    into.clear();
    axis.for_each_interval(|range: Range<u64>| into.push((range.start, range.end)));
}

fn total(list: &[Interval]) -> u64 {
    list.iter().map(|&(start, end)| end - start).sum()
}

/// `a ∩ b` for sorted disjoint interval lists.
fn intersect(a: &[Interval], b: &[Interval], into: &mut Vec<Interval>) {
    into.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let start = a[i].0.max(b[j].0);
        let end = a[i].1.min(b[j].1);
        if start < end {
            into.push((start, end));
        }
        if a[i].1 <= b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// `a \ b` for sorted disjoint interval lists.
pub fn subtract(a: &[Interval], b: &[Interval], into: &mut Vec<Interval>) {
    into.clear();
    let mut j = 0;
    for &(start, end) in a {
        let mut cursor = start;
        while j < b.len() && b[j].1 <= cursor {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].0 < end {
            if b[k].0 > cursor {
                into.push((cursor, b[k].0));
            }
            cursor = cursor.max(b[k].1);
            k += 1;
        }
        if cursor < end {
            into.push((cursor, end));
        }
    }
}

impl Boxes {
    /// Forgets every box (keeps the memory).
    pub fn clear(&mut self, axes: usize) {
        self.axes = axes;
        self.intervals.clear();
        self.boxes.clear();
        for lists in [&mut self.current, &mut self.previous, &mut self.common] {
            lists.resize_with(axes.max(lists.len()), Vec::new);
        }
    }

    fn push_list(&mut self, list: ListRef) -> Span {
        let start = self.intervals.len();
        let source = match list {
            ListRef::Current(axis) => &self.current[axis],
            ListRef::Common(axis) => &self.common[axis],
            ListRef::Difference => &self.difference,
        };
        self.intervals.extend_from_slice(source);
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(source.len()).unwrap_or(u32::MAX),
        }
    }

    /// Adds the boxes of `current \ previous` (all of `current` without a previous footprint).
    pub fn add_difference(&mut self, current: &Footprint, previous: Option<&Footprint>) {
        let axes = self.axes;
        for (axis, set) in current.axes().iter().enumerate().take(axes) {
            intervals_of(set, &mut self.current[axis]);
        }
        let Some(previous) = previous else {
            let mut spans = [Span::default(); MAX_TENSOR_AXES];
            for (axis, span) in spans.iter_mut().enumerate().take(axes) {
                *span = self.push_list(ListRef::Current(axis));
            }
            self.boxes.push(spans);
            return;
        };
        for (axis, set) in previous.axes().iter().enumerate().take(axes) {
            intervals_of(set, &mut self.previous[axis]);
        }
        // Term k: the common part on the axes before k, the new part on axis k, everything after.
        for k in 0..axes {
            subtract(&self.current[k], &self.previous[k], &mut self.difference);
            if !self.difference.is_empty() {
                let mut spans = [Span::default(); MAX_TENSOR_AXES];
                for (axis, span) in spans.iter_mut().enumerate().take(axes) {
                    *span = match axis.cmp(&k) {
                        std::cmp::Ordering::Less => self.push_list(ListRef::Common(axis)),
                        std::cmp::Ordering::Equal => self.push_list(ListRef::Difference),
                        std::cmp::Ordering::Greater => self.push_list(ListRef::Current(axis)),
                    };
                }
                self.boxes.push(spans);
            }
            let (current, previous) = (&self.current[k], &self.previous[k]);
            intersect(current, previous, &mut self.common[k]);
            if self.common[k].is_empty() {
                // Nothing of `current` lies in `previous`: the later terms are empty.
                return;
            }
        }
    }

    fn list(&self, index: usize, axis: usize) -> &[Interval] {
        let span = self.boxes[index][axis];
        &self.intervals[span.start as usize..(span.start + span.len) as usize]
    }

    /// The number of distinct elements in the union of the boxes added since [`Boxes::clear`].
    pub fn union_size(&self) -> u64 {
        let all: Vec<usize> = (0..self.boxes.len()).collect();
        self.measure(&all, 0)
    }

    fn same_on(&self, boxes: &[usize], axis: usize) -> bool {
        let first = self.list(boxes[0], axis);
        boxes[1..]
            .iter()
            .all(|&other| self.list(other, axis) == first)
    }

    fn measure(&self, boxes: &[usize], from: usize) -> u64 {
        let Some(&first) = boxes.first() else {
            return 0;
        };
        let mut factor = 1u64;
        let mut axis = from;
        while axis < self.axes && self.same_on(boxes, axis) {
            factor = factor.saturating_mul(total(self.list(first, axis)));
            axis += 1;
        }
        if axis == self.axes || factor == 0 {
            return factor;
        }
        if let Some(partitioned) = self.partitioned(boxes, axis) {
            return factor.saturating_mul(partitioned);
        }
        if (axis + 1..self.axes).all(|later| self.same_on(boxes, later)) {
            let rest = (axis + 1..self.axes).fold(1u64, |product, later| {
                product.saturating_mul(total(self.list(first, later)))
            });
            return factor
                .saturating_mul(self.merged_len(boxes, axis))
                .saturating_mul(rest);
        }
        factor.saturating_mul(self.sweep(boxes, axis))
    }

    /// When the boxes' lists on `axis` are pairwise equal or disjoint (tiles of one partition, the
    /// usual case for plain axes), the union splits into independent groups: each group's list length
    /// times the measure of its boxes on the later axes. `None` when two distinct lists overlap.
    fn partitioned(&self, boxes: &[usize], axis: usize) -> Option<u64> {
        let mut sorted = boxes.to_vec();
        sorted.sort_unstable_by(|&a, &b| self.list(a, axis).cmp(self.list(b, axis)));
        let mut lists: Vec<Interval> = Vec::new();
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        for end in 1..=sorted.len() {
            if end == sorted.len() || self.list(sorted[end], axis) != self.list(sorted[start], axis)
            {
                groups.push((start, end));
                lists.extend_from_slice(self.list(sorted[start], axis));
                start = end;
            }
        }
        lists.sort_unstable();
        if lists.windows(2).any(|pair| pair[0].1 > pair[1].0) {
            return None;
        }
        let mut result = 0u64;
        for (start, end) in groups {
            let length = total(self.list(sorted[start], axis));
            result = result
                .saturating_add(length.saturating_mul(self.measure(&sorted[start..end], axis + 1)));
        }
        Some(result)
    }

    /// The size of the union of the boxes' interval lists on `axis`.
    fn merged_len(&self, boxes: &[usize], axis: usize) -> u64 {
        let mut intervals: Vec<Interval> = boxes
            .iter()
            .flat_map(|&index| self.list(index, axis).iter().copied())
            .collect();
        intervals.sort_unstable();
        let mut length = 0u64;
        let mut reach = 0u64;
        for (start, end) in intervals {
            let start = start.max(reach);
            if end > start {
                length += end - start;
                reach = end;
            }
        }
        length
    }

    /// Cuts `axis` at every interval end and measures the covering boxes of each segment on the later
    /// axes.
    fn sweep(&self, boxes: &[usize], axis: usize) -> u64 {
        let mut cuts: Vec<u64> = boxes
            .iter()
            .flat_map(|&index| {
                self.list(index, axis)
                    .iter()
                    .flat_map(|&(start, end)| [start, end])
            })
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut result = 0u64;
        let mut covering: Vec<usize> = Vec::with_capacity(boxes.len());
        let mut last_covering: Vec<usize> = Vec::with_capacity(boxes.len());
        let mut last_value = 0u64;
        for segment in cuts.windows(2) {
            let (start, end) = (segment[0], segment[1]);
            covering.clear();
            covering.extend(boxes.iter().copied().filter(|&index| {
                self.list(index, axis)
                    .iter()
                    .any(|&(low, high)| low <= start && end <= high)
            }));
            if covering.is_empty() {
                continue;
            }
            if covering != last_covering {
                last_value = self.measure(&covering, axis + 1);
                std::mem::swap(&mut covering, &mut last_covering);
            }
            result = result.saturating_add((end - start).saturating_mul(last_value));
        }
        result
    }
}

/// Which scratch list to copy into the arena.
#[derive(Clone, Copy)]
enum ListRef {
    Current(usize),
    Common(usize),
    Difference,
}

#[cfg(test)]
mod tests {
    use super::Boxes;
    use maestro_ir::expansion::{Footprint, MAX_TENSOR_AXES};
    use maestro_ir::{Dim, Layer, LayerType, Region, Strides, Tensor};
    use proptest::prelude::*;
    use std::collections::HashSet;

    /// Per loop dimension of a convolution (N, C, Y', R, X', S): a start and a length.
    type Ranges = [(u64, u64); 6];

    const DIMS: [Dim; 6] = [Dim::N, Dim::C, Dim::OutY, Dim::R, Dim::OutX, Dim::S];

    fn region(ranges: &Ranges) -> Region {
        let layer = Layer {
            name: "U".into(),
            layer_type: LayerType::Conv,
            dimensions: vec![
                (Dim::N, 16),
                (Dim::K, 1),
                (Dim::C, 16),
                (Dim::R, 16),
                (Dim::S, 16),
                (Dim::Y, 64),
                (Dim::X, 64),
            ],
            strides: Strides::default(),
            mapping: None,
        };
        let mut region = Region::whole(&layer.loop_bounds().expect("valid shape"));
        for (dim, &(start, len)) in DIMS.iter().zip(ranges) {
            region.set(*dim, start..start + len);
        }
        region
    }

    fn footprint(ranges: &Ranges, stride: u64) -> Footprint {
        let strides = Strides {
            y: stride,
            x: stride,
        };
        Footprint::of(LayerType::Conv, strides, Tensor::Input, &region(ranges))
    }

    /// The union by enumeration: the oracle.
    fn enumerated(groups: &[(Footprint, Option<Footprint>)]) -> u64 {
        let mut union: HashSet<[u64; MAX_TENSOR_AXES]> = HashSet::new();
        for (current, previous) in groups {
            current.for_each_element(|element| {
                if !previous.is_some_and(|previous| previous.contains(element)) {
                    union.insert(*element);
                }
            });
        }
        union.len() as u64
    }

    fn ranges() -> impl Strategy<Value = Ranges> {
        prop::array::uniform6((0u64..4, 1u64..4))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn closed_form_union_equals_enumeration(
            stride in 1u64..4,
            groups in prop::collection::vec((ranges(), prop::option::of(ranges())), 1..6),
        ) {
            let groups: Vec<(Footprint, Option<Footprint>)> = groups
                .iter()
                .map(|(current, previous)| {
                    (footprint(current, stride), previous.as_ref().map(|p| footprint(p, stride)))
                })
                .collect();
            let mut boxes = Boxes::default();
            boxes.clear(groups[0].0.axes().len());
            for (current, previous) in &groups {
                boxes.add_difference(current, previous.as_ref());
            }
            prop_assert_eq!(boxes.union_size(), enumerated(&groups));
        }
    }
}
