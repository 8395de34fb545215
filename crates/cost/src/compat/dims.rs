//! Per-dimension tables keyed by the closed `Dim` set. A name without an entry reads as 0, as in the
//! reference's maps (spec §1); whether an entry exists is tracked separately where it matters.

use maestro_ir::Dim;

pub(crate) const DIM_COUNT: usize = Dim::ALL.len();

/// The bit of `dim` in a dimension set.
#[inline]
pub(crate) fn bit(dim: Dim) -> u16 {
    1 << (dim as usize)
}

/// A set of dimensions as a bit mask.
#[inline]
pub(crate) fn mask_of(dims: &[Dim]) -> u16 {
    dims.iter().fold(0, |mask, &dim| mask | bit(dim))
}

/// The reference orders dimension names byte-wise (`C G K M N R S X X' Y Y'`).
pub(crate) fn sort_by_name(dims: &mut [Dim]) {
    dims.sort_by(|a, b| a.name().as_bytes().cmp(b.name().as_bytes()));
}

/// Sizes by dimension name, with presence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct DimTable {
    sizes: [i64; DIM_COUNT],
    present: u16,
}

impl DimTable {
    #[inline]
    pub(crate) fn get(&self, dim: Dim) -> Option<i64> {
        self.contains(dim).then(|| self.sizes[dim as usize])
    }

    /// The entry, or 0 for a missing name (the reference's map lookup).
    #[inline]
    pub(crate) fn or_zero(&self, dim: Dim) -> i64 {
        self.sizes[dim as usize]
    }

    #[inline]
    pub(crate) fn contains(&self, dim: Dim) -> bool {
        self.present & bit(dim) != 0
    }

    #[inline]
    pub(crate) fn set(&mut self, dim: Dim, size: i64) {
        self.sizes[dim as usize] = size;
        self.present |= bit(dim);
    }
}
