//! §7.2–§7.3: iteration cases — one state per directive — their occurrence weight, and the reference's
//! enumeration order (an odometer whose digits all advance one step early).

use super::dims::DIM_COUNT;
use super::error::{CompatError, CompatResult};
use super::levels::Level;
use super::quirks;
use super::states::{State, StateList};

/// Enumerates the cases of a level in the reference's order: case `c` uses, for directive `j`, state
/// `idx_j(c) = 0` for `c = 0`, else `((c − 1) ÷ f_j + 1) mod len_j` with `f_j = len_{j+1} · … · len_{J−1}`.
/// Since `(c − 1) ÷ f_j ≡ digit_j(c − 1) (mod len_j)` in the mixed radix of the `len_j`, this is a plain
/// odometer over `c − 1` (last directive fastest) with every digit shifted by one, which needs no
/// divisions.
#[derive(Debug)]
pub(crate) struct CaseOrder {
    lens: Vec<usize>,
    /// The odometer digits of `c − 1`.
    digits: Vec<usize>,
    /// The state indices of the current case.
    indices: Vec<usize>,
    next_case: u64,
    total: u64,
}

impl CaseOrder {
    pub(crate) fn new(lists: &[StateList]) -> CompatResult<CaseOrder> {
        let lens: Vec<usize> = lists.iter().map(StateList::len).collect();
        let total = lens
            .iter()
            .try_fold(1u64, |product, &len| product.checked_mul(len as u64))
            .ok_or(CompatError::Overflow)?;
        let count = lens.len();
        Ok(CaseOrder {
            lens,
            digits: vec![0; count],
            indices: vec![0; count],
            next_case: 0,
            total,
        })
    }

    /// The state indices of the next case, or `None` after the last.
    pub(crate) fn next_case(&mut self) -> Option<&[usize]> {
        let case = self.next_case;
        if case >= self.total {
            return None;
        }
        self.next_case += 1;
        if case >= 2 {
            // Advance the odometer from c − 2 to c − 1.
            for j in (0..self.digits.len()).rev() {
                self.digits[j] += 1;
                if self.digits[j] < self.lens[j] {
                    break;
                }
                self.digits[j] = 0;
            }
        }
        if case >= 1 {
            for ((index, &digit), &len) in self.indices.iter_mut().zip(&self.digits).zip(&self.lens)
            {
                *index = if digit + 1 == len { 0 } else { digit + 1 };
            }
        }
        Some(&self.indices)
    }
}

/// One case of a level: the chosen states, looked up by dimension name as the reference stores them
/// (a dimension with two directives reads the later one's state, §7.2).
#[derive(Clone, Debug)]
pub(crate) struct Case {
    pub(crate) by_dim: [State; DIM_COUNT],
    /// The changing directive: the innermost one whose (by-name) state is not Init.
    pub(crate) changing: Option<usize>,
    pub(crate) weight: i64,
}

impl Case {
    pub(crate) fn new() -> Case {
        Case {
            by_dim: [State::default(); DIM_COUNT],
            changing: None,
            weight: 0,
        }
    }

    /// Loads the case whose state indices are `indices`.
    pub(crate) fn load(&mut self, level: &Level, lists: &[StateList], indices: &[usize]) {
        let mut weight = quirks::OccurrenceWeight::default();
        for ((list, directive), &index) in lists.iter().zip(&level.directives).zip(indices) {
            let state = list.get(index);
            weight.multiply(state.occurrences);
            self.by_dim[directive.dim as usize] = state;
        }
        self.changing = level
            .directives
            .iter()
            .rposition(|directive| !self.by_dim[directive.dim as usize].is_init());
        self.weight = weight.value();
    }

    /// Every dimension is in its Init state: the pipeline-fill iteration.
    pub(crate) fn all_init(&self) -> bool {
        self.changing.is_none()
    }

    #[inline]
    pub(crate) fn state_of(&self, dim: maestro_ir::Dim) -> State {
        self.by_dim[dim as usize]
    }
}
