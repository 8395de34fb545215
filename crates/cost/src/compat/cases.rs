//! §7.2–§7.3: iteration cases — one state per directive — their occurrence weight, and the reference's
//! enumeration order (an odometer whose digits all advance one step early).

use super::dims::DIM_COUNT;
use super::error::{CompatError, CompatResult};
use super::levels::Level;
use super::quirks;
use super::states::{State, StateList};

/// Enumerates the cases of a level in the reference's order.
#[derive(Debug)]
pub(crate) struct CaseOrder {
    /// `f_j = len_{j+1} · … · len_{J−1}`.
    place_values: Vec<u64>,
    lens: Vec<u64>,
    total: u64,
}

impl CaseOrder {
    pub(crate) fn new(lists: &[StateList]) -> CompatResult<CaseOrder> {
        let lens: Vec<u64> = lists.iter().map(|list| list.len() as u64).collect();
        let mut place_values = vec![1u64; lens.len()];
        let mut total = 1u64;
        for j in (0..lens.len()).rev() {
            place_values[j] = total;
            total = total.checked_mul(lens[j]).ok_or(CompatError::Overflow)?;
        }
        Ok(CaseOrder {
            place_values,
            lens,
            total,
        })
    }

    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// The state index of directive `j` in case number `case`.
    #[inline]
    pub(crate) fn state_index(&self, case: u64, j: usize) -> usize {
        if case == 0 {
            0
        } else {
            (((case - 1) / self.place_values[j] + 1) % self.lens[j]) as usize
        }
    }
}

/// One case of a level: the chosen state of every directive, and the same states looked up by dimension
/// name (where a dimension with two directives reads the later one, §7.2).
#[derive(Clone, Debug)]
pub(crate) struct Case {
    pub(crate) states: Vec<State>,
    pub(crate) by_dim: [State; DIM_COUNT],
    /// The changing directive: the innermost one whose (by-name) state is not Init.
    pub(crate) changing: Option<usize>,
    pub(crate) weight: i64,
}

impl Case {
    pub(crate) fn new(directives: usize) -> Case {
        Case {
            states: vec![State::default(); directives],
            by_dim: [State::default(); DIM_COUNT],
            changing: None,
            weight: 0,
        }
    }

    /// Loads case number `number` of `level`.
    pub(crate) fn load(
        &mut self,
        level: &Level,
        lists: &[StateList],
        order: &CaseOrder,
        number: u64,
    ) {
        for (j, (list, directive)) in lists.iter().zip(&level.directives).enumerate() {
            let state = list.get(order.state_index(number, j));
            self.states[j] = state;
            self.by_dim[directive.dim as usize] = state;
        }
        self.changing = level
            .directives
            .iter()
            .rposition(|directive| !self.by_dim[directive.dim as usize].is_init());
        self.weight = quirks::occurrence_weight(self.states.iter().map(|state| state.occurrences));
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
