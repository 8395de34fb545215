//! Hyper-rectangles of tensor indices: how the simulator represents which elements a unit holds or needs,
//! without per-element state.

use serde::Serialize;

/// The largest number of dimensions any tensor has (grouped convolution's output: N G K Y' X').
pub const MAX_TENSOR_DIMS: usize = 5;

/// A half-open index range `[start, end)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct IndexRange {
    pub start: u64,
    pub end: u64,
}

impl IndexRange {
    pub fn len(self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    pub fn intersect(self, other: IndexRange) -> IndexRange {
        let start = self.start.max(other.start);
        IndexRange {
            start,
            end: self.end.min(other.end).max(start),
        }
    }

    pub fn translated(self, by: u64) -> IndexRange {
        IndexRange {
            start: self.start + by,
            end: self.end + by,
        }
    }
}

/// A hyper-rectangle over a tensor's dimensions (in the tensor's dimension order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct TensorBox {
    rank: u8,
    ranges: [IndexRange; MAX_TENSOR_DIMS],
}

impl TensorBox {
    /// The empty box of rank 0 (holds nothing).
    pub const EMPTY: TensorBox = TensorBox {
        rank: 0,
        ranges: [IndexRange { start: 0, end: 0 }; MAX_TENSOR_DIMS],
    };

    pub fn new(ranges: &[IndexRange]) -> TensorBox {
        let mut tensor_box = TensorBox {
            rank: ranges.len() as u8,
            ..TensorBox::EMPTY
        };
        tensor_box.ranges[..ranges.len()].copy_from_slice(ranges);
        tensor_box
    }

    /// The box of the first `rank` ranges of a full-size array (no variable-length copy: hot paths
    /// build hulls this way every step).
    pub fn from_array(rank: usize, ranges: [IndexRange; MAX_TENSOR_DIMS]) -> TensorBox {
        let rank = rank.min(MAX_TENSOR_DIMS);
        let mut tensor_box = TensorBox {
            rank: rank as u8,
            ranges,
        };
        for unused in &mut tensor_box.ranges[rank..] {
            *unused = IndexRange::default();
        }
        tensor_box
    }

    pub fn ranges(&self) -> &[IndexRange] {
        &self.ranges[..self.rank as usize]
    }

    /// The number of elements; 0 for the empty box.
    pub fn volume(&self) -> u64 {
        if self.rank == 0 {
            return 0;
        }
        self.ranges().iter().map(|range| range.len()).product()
    }

    /// The common part of two boxes of the same tensor (empty if the ranks differ).
    pub fn intersect(&self, other: &TensorBox) -> TensorBox {
        if self.rank != other.rank || self.rank == 0 {
            return TensorBox::EMPTY;
        }
        let mut result = *self;
        for (mine, theirs) in result.ranges[..self.rank as usize]
            .iter_mut()
            .zip(other.ranges())
        {
            *mine = mine.intersect(*theirs);
        }
        if result.volume() == 0 {
            TensorBox::EMPTY
        } else {
            result
        }
    }

    /// Elements of `self` that are not in `held`: |self| − |self ∩ held|.
    pub fn missing_from(&self, held: &TensorBox) -> u64 {
        self.volume() - self.intersect(held).volume()
    }

    /// The smallest box containing both.
    pub fn bounding(&self, other: &TensorBox) -> TensorBox {
        if self.rank == 0 {
            return *other;
        }
        if other.rank == 0 {
            return *self;
        }
        let mut result = *self;
        for (mine, theirs) in result.ranges[..self.rank as usize]
            .iter_mut()
            .zip(other.ranges())
        {
            mine.start = mine.start.min(theirs.start);
            mine.end = mine.end.max(theirs.end);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: u64, end: u64) -> IndexRange {
        IndexRange { start, end }
    }

    #[test]
    fn a_sliding_window_misses_one_column() {
        let held = TensorBox::new(&[range(0, 4), range(0, 3)]);
        let needed = TensorBox::new(&[range(0, 4), range(1, 4)]);
        assert_eq!(needed.missing_from(&held), 4);
        assert_eq!(needed.missing_from(&TensorBox::EMPTY), 12);
        assert_eq!(held.bounding(&needed).volume(), 16);
    }
}
