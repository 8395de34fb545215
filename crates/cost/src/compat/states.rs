//! §7.1: the iteration states of one directive (Init, Steady, Edge) with their occurrence counts and
//! flags, for the current iteration sizes of its level.

use super::error::{add, div, mul, sub, CompatResult};
use super::levels::LevelDirective;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Position {
    #[default]
    Init,
    Steady,
    Edge,
}

/// One state of a directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct State {
    pub(crate) position: Position,
    pub(crate) occurrences: i64,
    /// The whole dimension fits in the first tile.
    pub(crate) unrolled: bool,
    /// The first tile is already partial.
    pub(crate) init_edge: bool,
    /// Spatial only: the last fold has one extra, partially filled sub-cluster.
    pub(crate) edge_edge: bool,
}

impl State {
    /// Edge position, or a partial first tile.
    #[inline]
    pub(crate) fn is_edge(&self) -> bool {
        self.position == Position::Edge || self.init_edge
    }

    #[inline]
    pub(crate) fn is_init(&self) -> bool {
        self.position == Position::Init
    }
}

/// The (at most three) states of a directive, in Init, Steady, Edge order.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StateList {
    states: [State; 3],
    len: usize,
}

impl StateList {
    fn push(&mut self, state: State) {
        self.states[self.len] = state;
        self.len += 1;
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn get(&self, index: usize) -> State {
        self.states[index]
    }
}

/// The states of `directive` when its dimension has `extent` elements to iterate over and its level has
/// `sub_clusters` units.
pub(crate) fn directive_states(
    directive: &LevelDirective,
    extent: i64,
    sub_clusters: i64,
) -> CompatResult<StateList> {
    let (size, offset) = (directive.size, directive.offset);
    let mut list = StateList::default();
    if !directive.spatial {
        let init_edge = extent < size;
        list.push(State {
            position: Position::Init,
            occurrences: 1,
            unrolled: extent <= size,
            init_edge,
            edge_edge: false,
        });
        let steady = div(extent - size, offset)?;
        if size < extent && steady > 0 {
            list.push(State {
                position: Position::Steady,
                occurrences: steady,
                ..State::default()
            });
        }
        if !init_edge && add(mul(steady, offset)?, size)? < extent {
            list.push(State {
                position: Position::Edge,
                occurrences: 1,
                ..State::default()
            });
        }
        return Ok(list);
    }
    let covered = add(size, mul(offset, sub_clusters - 1)?)?;
    let init_edge = extent < covered;
    let unrolled = extent <= covered;
    list.push(State {
        position: Position::Init,
        occurrences: 1,
        unrolled,
        init_edge,
        edge_edge: init_edge,
    });
    let steady = div(div(extent - size, offset)? + 1, sub_clusters)? - 1;
    if covered < extent && steady > 0 {
        list.push(State {
            position: Position::Steady,
            occurrences: steady,
            ..State::default()
        });
    }
    let fold = mul(offset, sub_clusters)?;
    if !init_edge
        && !unrolled
        && add(mul(steady + 1, fold)?, covered)? > extent
        && add(mul(steady, fold)?, covered)? != extent
    {
        let remainder = sub(extent, mul(steady + 1, fold)?)?;
        let active = if remainder < size {
            1
        } else {
            div(remainder - size, offset)? + 1
        };
        let edge_edge = add(mul(active - 1, offset)?, size)? < remainder;
        list.push(State {
            position: Position::Edge,
            occurrences: 1,
            edge_edge,
            ..State::default()
        });
    }
    Ok(list)
}
