//! The step classes of a level over one tile: the first step, then for every changing loop `j` (inner
//! loops restart at 0, loop `j` at a middle or its last index) every combination of first/middle/last
//! for the loops outside it. Their counts add up to the number of steps.
//!
//! Each class also gets a canonical key. Every quantity of a step is invariant under translating all
//! units' regions along one dimension (footprint sizes, their overlaps and unions, and the inner
//! level's cost all depend only on relative positions), so two classes whose loops have the same
//! relative index changes, the same partial-tile situation and the same revisit flag have the same
//! volumes; the level analysis evaluates one class per key and reuses it for the others.

use maestro_ir::expansion::{
    tensor_uses, LevelGeometry, ScheduleLoop, StepPosition, MAX_LOOPS_PER_LEVEL,
};
use maestro_ir::{Dim, LayerType, Tensor};

/// A representative step of a class.
#[derive(Clone, Copy, Debug)]
pub struct StepClass {
    pub current: StepPosition,
    pub previous: Option<StepPosition>,
    /// A loop is at its last index and that tile (or fold) is partial.
    pub edge: bool,
    /// The output tile entering in this step was already visited (a reduction loop lies outside).
    pub revisit: bool,
}

/// Identifies the classes whose volumes are equal (see the module documentation): the changing loop
/// in bits 0..4 (15 for the first step), whether the step is a revisit in bit 4, one bit per schedule
/// loop from bit 5 (its tile is the partial last one), and the fold index from bit 13 where each fold
/// is its own state. Which loops make the step a revisit does not matter, only whether one does.
pub type ClassKey = u64;

const FIRST_STEP_KEY: ClassKey = 15;
const REVISIT_BIT: ClassKey = 1 << 4;
const EDGE_SHIFT: u32 = 5;
const RAW_SHIFT: u32 = EDGE_SHIFT + MAX_LOOPS_PER_LEVEL as u32;

/// One schedule loop's state: its index, how many steps it stands for, its key bits, and whether it
/// makes the step an edge or a revisit.
#[derive(Clone, Copy, Debug)]
struct State {
    index: u64,
    occurrences: u64,
    key: ClassKey,
    edge: bool,
    revisit: bool,
}

/// The facts about a level's schedule that the classes need.
struct Schedule {
    len: usize,
    counts: [u64; MAX_LOOPS_PER_LEVEL],
    /// The loop's index changes some unit's output tile.
    output_loops: [bool; MAX_LOOPS_PER_LEVEL],
    /// The loop's last index has a smaller tile (or fewer active units).
    partial: [bool; MAX_LOOPS_PER_LEVEL],
    /// Folds of several spatial maps mix tile shapes differently fold by fold, so each fold is its own
    /// state there; elsewhere every middle index behaves like index 1.
    exhaustive: [bool; MAX_LOOPS_PER_LEVEL],
}

impl Schedule {
    fn new(geometry: &LevelGeometry, layer_type: LayerType) -> Schedule {
        let schedule = geometry.schedule();
        let mut facts = Schedule {
            len: schedule.len(),
            counts: [0; MAX_LOOPS_PER_LEVEL],
            output_loops: [false; MAX_LOOPS_PER_LEVEL],
            partial: [false; MAX_LOOPS_PER_LEVEL],
            exhaustive: [false; MAX_LOOPS_PER_LEVEL],
        };
        for (position, entry) in schedule.iter().enumerate() {
            facts.counts[position] = entry.count();
            facts.output_loops[position] = affects_output(geometry, entry, layer_type);
            facts.partial[position] = last_is_partial(geometry, entry);
            facts.exhaustive[position] =
                matches!(entry, ScheduleLoop::Folds { .. }) && geometry.spatial_loops().len() > 1;
        }
        facts
    }

    /// The `(index, occurrences)` states of loop `position`: at most three unless exhaustive.
    fn raw_states(&self, position: usize, into: &mut Vec<(u64, u64)>) {
        into.clear();
        let count = self.counts[position];
        if self.exhaustive[position] {
            into.extend((0..count.max(1)).map(|index| (index, 1)));
            return;
        }
        match count {
            0 | 1 => into.push((0, 1)),
            2 => into.extend([(0, 1), (1, 1)]),
            _ => into.extend([(0, 1), (1, count - 2), (count - 1, 1)]),
        }
    }

    /// Loop `position` at `index` while it does not change: its raw index where each fold is
    /// distinct, else whether its tile is the partial last one (and whether it makes the step a
    /// revisit, which goes into the key once for all loops).
    fn outer_state(&self, position: usize, (index, occurrences): (u64, u64)) -> State {
        let edge = self.partial[position]
            && index + 1 == self.counts[position]
            && self.counts[position] > 1;
        let revisit = !self.output_loops[position] && index > 0;
        let key = if self.exhaustive[position] {
            index << RAW_SHIFT
        } else {
            u64::from(edge) << (EDGE_SHIFT + position as u32)
        };
        State {
            index,
            occurrences,
            key,
            edge,
            revisit,
        }
    }

    /// The changing loop moving to `index`.
    fn own_state(&self, position: usize, (index, occurrences): (u64, u64)) -> State {
        let edge = self.partial[position] && index + 1 == self.counts[position];
        let key = if self.exhaustive[position] {
            index << RAW_SHIFT
        } else {
            u64::from(edge) << (EDGE_SHIFT + position as u32)
        };
        State {
            index,
            occurrences,
            key: key | position as u64,
            edge,
            revisit: !self.output_loops[position],
        }
    }
}

/// Whether a schedule loop's index changes some unit's output tile.
fn affects_output(geometry: &LevelGeometry, entry: &ScheduleLoop, layer_type: LayerType) -> bool {
    let uses = |dim: Dim| tensor_uses(layer_type, Tensor::Output, dim);
    match *entry {
        ScheduleLoop::Tiles { loop_index, .. } => uses(geometry.loop_at(loop_index).spec.dim),
        ScheduleLoop::Folds { .. } => geometry
            .spatial_loops()
            .iter()
            .any(|&index| uses(geometry.loop_at(index).spec.dim)),
    }
}

/// Whether the last index of a schedule loop has a smaller tile (or fewer active units).
fn last_is_partial(geometry: &LevelGeometry, entry: &ScheduleLoop) -> bool {
    match *entry {
        ScheduleLoop::Tiles { loop_index, .. } => geometry.loop_at(loop_index).has_partial_edge(),
        ScheduleLoop::Folds { .. } => {
            geometry.spatial.last_fold_active != geometry.spatial.sub_clusters
                || geometry
                    .spatial_loops()
                    .iter()
                    .any(|&index| geometry.loop_at(index).has_partial_edge())
        }
    }
}

/// The first step of a level.
pub fn first_position() -> StepPosition {
    StepPosition {
        indices: [0; MAX_LOOPS_PER_LEVEL],
        ordinal: 0,
        changed: None,
    }
}

/// Reusable buffers for [`for_each_class`].
#[derive(Debug, Default)]
pub struct ClassScratch {
    /// States of every outer loop, concatenated; `offsets[i]..offsets[i + 1]` are loop `i`'s.
    states: Vec<State>,
    own: Vec<State>,
    raw: Vec<(u64, u64)>,
}

/// Calls `visit(key, count, class)` for every step class of the level, in a fixed order (the first
/// step, then by changing loop, outer states in row-major order, own states inside); `class()` builds
/// the class's representative step (only needed once per key).
pub fn for_each_class(
    geometry: &LevelGeometry,
    layer_type: LayerType,
    scratch: &mut ClassScratch,
    mut visit: impl FnMut(ClassKey, u64, &dyn Fn() -> StepClass),
) {
    let schedule = Schedule::new(geometry, layer_type);
    let first = first_position();
    visit(FIRST_STEP_KEY, 1, &|| StepClass {
        current: first,
        previous: None,
        edge: false,
        revisit: false,
    });
    let mut offsets = [0usize; MAX_LOOPS_PER_LEVEL + 1];
    scratch.states.clear();
    for position in 0..schedule.len {
        schedule.raw_states(position, &mut scratch.raw);
        for &raw in &scratch.raw {
            scratch.states.push(schedule.outer_state(position, raw));
        }
        offsets[position + 1] = scratch.states.len();
    }
    for changing in 0..schedule.len {
        if schedule.counts[changing] < 2 {
            continue;
        }
        schedule.raw_states(changing, &mut scratch.raw);
        scratch.own.clear();
        for &raw in scratch.raw.iter().filter(|&&(index, _)| index > 0) {
            scratch.own.push(schedule.own_state(changing, raw));
        }
        let mut choice = [0usize; MAX_LOOPS_PER_LEVEL];
        loop {
            let mut count = 1u64;
            let mut key = 0;
            let mut edge = false;
            let mut revisit = false;
            for position in 0..changing {
                let state = &scratch.states[offsets[position] + choice[position]];
                count = count.saturating_mul(state.occurrences);
                key |= state.key;
                edge |= state.edge;
                revisit |= state.revisit;
            }
            for own in &scratch.own {
                let count = count.saturating_mul(own.occurrences);
                let class = || {
                    let mut current = first;
                    for position in 0..changing {
                        current.indices[position] =
                            scratch.states[offsets[position] + choice[position]].index;
                    }
                    let mut previous = current;
                    current.indices[changing] = own.index;
                    previous.indices[changing] = own.index - 1;
                    // Inner loops restart: the previous step had them at their last index.
                    for position in changing + 1..schedule.len {
                        previous.indices[position] = schedule.counts[position] - 1;
                    }
                    current.changed = Some(changing);
                    StepClass {
                        current,
                        previous: Some(previous),
                        edge: edge || own.edge,
                        revisit: revisit || own.revisit,
                    }
                };
                let revisit_bit = if revisit || own.revisit {
                    REVISIT_BIT
                } else {
                    0
                };
                visit(key | own.key | revisit_bit, count, &class);
            }
            // Next combination of the outer loops' states, the innermost outer loop fastest.
            let mut position = changing;
            loop {
                if position == 0 {
                    break;
                }
                position -= 1;
                choice[position] += 1;
                if offsets[position] + choice[position] < offsets[position + 1] {
                    break;
                }
                choice[position] = 0;
            }
            if choice[..changing].iter().all(|&c| c == 0) {
                break;
            }
        }
    }
}

/// The last step's position.
pub fn last_position(geometry: &LevelGeometry) -> StepPosition {
    let mut last = first_position();
    for (position, entry) in geometry.schedule().iter().enumerate() {
        last.indices[position] = entry.count().saturating_sub(1);
    }
    last.ordinal = geometry.steps().saturating_sub(1);
    last
}
