//! The simulator's lock-step schedule over the shared iteration space (`maestro_ir::expansion`).
//!
//! Every cluster level's step schedule (temporal tiles and spatial folds, outermost first) is taken from
//! the expansion's *nominal* geometry: the geometry of the first unit at every level, whose enclosing
//! tile is never an edge tile and therefore has the most iterations in every schedule loop. The
//! concatenation of these schedules over all levels (outermost level first, loops of one iteration
//! dropped) is the global step odometer. A unit whose own enclosing tile is an edge tile has a schedule
//! with the same loops and at most as many iterations in each; in a global step it works on its own
//! step with the same indices, and is idle when an index lies beyond its own count. So every unit sees
//! exactly its expansion steps, in the expansion's order (the work-region test checks this against
//! `Expansion::for_each_pe_work`).

use crate::error::SimError;
use maestro_ir::expansion::{tensor_uses, LevelGeometry, ScheduleLoop, StepPosition};
use maestro_ir::{Dim, Expansion, Layer, Region, Tensor};

/// One loop of the global odometer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalLoop {
    pub level: usize,
    /// Index into the level's schedule.
    pub entry: usize,
    /// Iterations in the nominal geometry (at least 2).
    pub count: u64,
}

/// How the regions of a block move when a global loop advances by one iteration (for closed-form
/// skipping): every unit region of the loop's level moves by `amount` along `dim`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Translation {
    pub dim: Dim,
    pub amount: u64,
}

/// What one PE does in one global step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeWork {
    pub active: bool,
    pub region: Region,
    /// Some earlier step worked on this output tile (a reduction loop outside it has advanced).
    pub revisit: bool,
    /// No later step works on this output tile.
    pub final_output: bool,
}

/// A level-`d` unit whose geometry is laid over its own enclosing tile.
#[derive(Clone, Copy, Debug)]
struct Node {
    geometry: LevelGeometry,
    first_pe: u64,
    revisit: bool,
    final_output: bool,
    /// Index (in the same level's node list) of the first sibling working on the same output tile
    /// (itself if none before it). Siblings share an output tile when their parent maps a reduction
    /// dimension spatially; the first of them has the longest reduction loops (later ones may hold
    /// edge tiles), so a contribution is final only once that sibling's loops are done.
    reference: usize,
}

/// The global schedule of one layer.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub expansion: Expansion,
    pub loops: Vec<GlobalLoop>,
    /// Global loop indices of each level's loops (a contiguous range per level).
    level_ranges: Vec<std::ops::Range<usize>>,
    pub pes_used: u64,
    /// One more than the highest PE index that ever has work: the PEs whose state the simulator keeps.
    /// It follows the mapping's spatial tiles, not the PE count: a level's units beyond its spatial
    /// tiles never work, so 16 M PEs mapping 64 tiles cost 64 PEs of memory.
    pub pe_extent: u64,
    pub total_steps: u64,
    /// Steps in one iteration of each global loop (the product of the counts inside it).
    pub block_steps: Vec<u64>,
    /// Whether a loop dimension indexes the output tensor.
    output_dims: [bool; Dim::ALL.len()],
    /// Cached nodes of every level below the top, valid for the outer indices in `cache_keys`.
    cache: Vec<Vec<Node>>,
    cache_keys: Vec<Option<Vec<u64>>>,
}

impl Schedule {
    pub fn new(layer: &Layer, num_pes: u64) -> Result<Schedule, SimError> {
        let expansion = Expansion::new(layer, num_pes)?;
        let mut loops = Vec::new();
        let mut level_ranges = Vec::new();
        let mut region = expansion.whole();
        let mut highest_pe = 0u64;
        for depth in 0..expansion.levels.len() {
            let geometry = expansion.geometry(depth, &region);
            // The nominal tile is the largest of its level, so no unit has more spatial tiles.
            let working_units = if geometry.spatial_loops().is_empty() {
                1
            } else {
                geometry
                    .spatial
                    .sub_clusters
                    .min(geometry.spatial.tiles)
                    .max(1)
            };
            highest_pe = highest_pe.saturating_add(
                (working_units - 1).saturating_mul(expansion.levels[depth].pes_per_sub_cluster),
            );
            let first = loops.len();
            for (entry, schedule) in geometry.schedule().iter().enumerate() {
                if schedule.count() > 1 {
                    loops.push(GlobalLoop {
                        level: depth,
                        entry,
                        count: schedule.count(),
                    });
                }
            }
            level_ranges.push(first..loops.len());
            let start = StepPosition {
                indices: [0; maestro_ir::expansion::MAX_LOOPS_PER_LEVEL],
                ordinal: 0,
                changed: None,
            };
            // Unit 0 at step 0 always has work and the largest tile of the level.
            region = geometry.unit_region(&start, 0).unwrap_or(region);
        }
        let mut block_steps = vec![1u64; loops.len()];
        for j in (0..loops.len().saturating_sub(1)).rev() {
            block_steps[j] = block_steps[j + 1].saturating_mul(loops[j + 1].count);
        }
        let total_steps = loops
            .first()
            .map_or(1, |first| block_steps[0].saturating_mul(first.count));
        let mut output_dims = [false; Dim::ALL.len()];
        for &dim in expansion.bounds.layer_type.loop_dims() {
            output_dims[dim as usize] =
                tensor_uses(expansion.bounds.layer_type, Tensor::Output, dim);
        }
        let levels = expansion.levels.len();
        Ok(Schedule {
            pes_used: expansion.used_pes,
            pe_extent: highest_pe.saturating_add(1).min(expansion.used_pes.max(1)),
            expansion,
            loops,
            level_ranges,
            total_steps,
            block_steps,
            output_dims,
            cache: vec![Vec::new(); levels],
            cache_keys: vec![None; levels],
        })
    }

    /// The global loop indices of step `ordinal` (`indices` has one slot per global loop).
    pub fn indices_of(&self, mut ordinal: u64, indices: &mut [u64]) {
        for (slot, global) in indices.iter_mut().zip(&self.loops).rev() {
            *slot = ordinal % global.count;
            ordinal /= global.count;
        }
    }

    /// Advances `indices` to the next step; returns the outermost global loop that changed, or
    /// `None` after the last step.
    pub fn advance(&self, indices: &mut [u64]) -> Option<usize> {
        for position in (0..self.loops.len()).rev() {
            indices[position] += 1;
            if indices[position] < self.loops[position].count {
                return Some(position);
            }
            indices[position] = 0;
        }
        None
    }

    /// The level position of `level` for the global `indices`, or `None` if an index lies beyond
    /// `geometry`'s own counts (the global loop `except`, if given, is left out of that check).
    fn position(
        &self,
        level: usize,
        indices: &[u64],
        geometry: &LevelGeometry,
        except: Option<usize>,
    ) -> Option<StepPosition> {
        let mut position = StepPosition {
            indices: [0; maestro_ir::expansion::MAX_LOOPS_PER_LEVEL],
            ordinal: 0,
            changed: None,
        };
        let schedule = geometry.schedule();
        for global in self.level_ranges[level].clone() {
            let entry = self.loops[global].entry;
            let index = indices[global];
            if index >= schedule[entry].count() {
                if except == Some(global) {
                    continue;
                }
                return None;
            }
            position.indices[entry] = index;
        }
        Some(position)
    }

    /// Reduction bookkeeping of one unit in one level step: (revisit, final). `reference` is the
    /// geometry of the first sibling sharing the unit's output tile (see [`Node::reference`]): a
    /// reduction loop is finished when the longest of theirs is.
    fn unit_flags(
        &self,
        geometry: &LevelGeometry,
        reference: &LevelGeometry,
        step: &StepPosition,
        unit: u64,
    ) -> (bool, bool) {
        let mut revisit = false;
        let mut final_output = true;
        let longest = reference.schedule();
        for (entry, schedule) in geometry.schedule().iter().enumerate() {
            if let ScheduleLoop::Tiles { loop_index, count } = *schedule {
                if !self.output_dims[geometry.loop_at(loop_index).spec.dim as usize] {
                    let count = longest
                        .get(entry)
                        .map_or(count, |other| other.count().max(count));
                    revisit |= step.indices[entry] > 0;
                    final_output &= step.indices[entry] + 1 == count;
                }
            }
        }
        let spatial = geometry.spatial_loops();
        if !spatial.is_empty() {
            let units = geometry.spatial.sub_clusters.max(1);
            let fold = geometry.fold_of(step);
            let mut joint = fold * units + unit;
            // Tile indices per spatial loop (innermost last), then the joint indices of the first and
            // last tiles with the same output components.
            let mut components = [0u64; 2];
            for (slot, &loop_index) in components.iter_mut().zip(spatial).rev() {
                let tiles = geometry.loop_at(loop_index).tiles;
                *slot = joint % tiles;
                joint /= tiles;
            }
            // The last tile sharing the output is counted in the reference's tiles (the longest).
            let (mut first, mut last) = (0u64, 0u64);
            for (&component, &loop_index) in components.iter().zip(spatial) {
                let walked = geometry.loop_at(loop_index);
                let longest = if reference.spatial_loops().len() == spatial.len() {
                    reference.loop_at(loop_index).tiles.max(walked.tiles)
                } else {
                    walked.tiles
                };
                let (low, high) = if self.output_dims[walked.spec.dim as usize] {
                    (component, component)
                } else {
                    (0, longest - 1)
                };
                first = first * walked.tiles + low;
                last = last * longest + high;
            }
            revisit |= first / units < fold;
            final_output &= last / units <= fold;
        }
        (revisit, final_output)
    }

    /// Makes `cache[level]` hold the nodes of level `level` (the units of level `level − 1` with work,
    /// each with its own geometry) for the outer indices of `indices`. Recomputed only when an index
    /// of an outer level changed, so the innermost steps reuse them.
    fn ensure_nodes(&mut self, level: usize, indices: &[u64]) {
        let key_end = if level == 0 {
            0
        } else {
            self.level_ranges[level - 1].end
        };
        if self.cache_keys[level].as_deref() == Some(&indices[..key_end]) {
            return;
        }
        let mut nodes = std::mem::take(&mut self.cache[level]);
        nodes.clear();
        if level == 0 {
            nodes.push(Node {
                geometry: self.expansion.geometry(0, &self.expansion.whole()),
                first_pe: 0,
                revisit: false,
                final_output: true,
                reference: 0,
            });
        } else {
            self.ensure_nodes(level - 1, indices);
            let pes_per_unit = self.expansion.levels[level - 1].pes_per_sub_cluster;
            let mut firsts: Vec<(Region, usize)> = Vec::new();
            // Where each parent's children start in `nodes`, and how many it has: a child of a
            // parent whose reference is another parent takes the corresponding child there.
            let mut children: Vec<(usize, usize)> = Vec::with_capacity(self.cache[level - 1].len());
            for (parent_index, parent) in self.cache[level - 1].iter().enumerate() {
                let start = nodes.len();
                let Some(step) = self.position(level - 1, indices, &parent.geometry, None) else {
                    children.push((start, 0));
                    continue;
                };
                let reference = &self.cache[level - 1][parent.reference].geometry;
                let shares_outputs = parent.geometry.spatial_loops().iter().any(|&loop_index| {
                    !self.output_dims[parent.geometry.loop_at(loop_index).spec.dim as usize]
                });
                firsts.clear();
                for unit in 0..parent.geometry.active_units(&step) {
                    let Some(region) = parent.geometry.unit_region(&step, unit) else {
                        continue;
                    };
                    let (revisit, final_output) =
                        self.unit_flags(&parent.geometry, reference, &step, unit);
                    let ordinal = nodes.len() - start;
                    let first =
                        if shares_outputs {
                            let same_output =
                                |other: &Region| {
                                    self.expansion.bounds.layer_type.loop_dims().iter().all(
                                        |&dim| {
                                            !self.output_dims[dim as usize]
                                                || other.range(dim) == region.range(dim)
                                        },
                                    )
                                };
                            match firsts.iter().find(|(other, _)| same_output(other)) {
                                Some(&(_, first)) => first,
                                None => {
                                    firsts.push((region, ordinal));
                                    ordinal
                                }
                            }
                        } else {
                            ordinal
                        };
                    let reference = match children.get(parent.reference) {
                        Some(&(their_start, count))
                            if parent.reference != parent_index && first < count =>
                        {
                            their_start + first
                        }
                        _ => start + first,
                    };
                    nodes.push(Node {
                        geometry: self.expansion.geometry(level, &region),
                        first_pe: parent.first_pe + unit * pes_per_unit,
                        revisit: parent.revisit || revisit,
                        final_output: parent.final_output && final_output,
                        reference,
                    });
                }
                children.push((start, nodes.len() - start));
            }
        }
        self.cache[level] = nodes;
        let key = self.cache_keys[level].get_or_insert_with(Vec::new);
        key.clear();
        key.extend_from_slice(&indices[..key_end]);
    }

    /// Fills `work` (one entry per used PE) with what every PE does at the step with `indices`.
    pub fn work_at(&mut self, indices: &[u64], work: &mut [PeWork]) {
        for item in work.iter_mut() {
            item.active = false;
        }
        let innermost = self.expansion.levels.len() - 1;
        self.ensure_nodes(innermost, indices);
        for node in &self.cache[innermost] {
            let Some(step) = self.position(innermost, indices, &node.geometry, None) else {
                continue;
            };
            for unit in 0..node.geometry.active_units(&step) {
                let Some(region) = node.geometry.unit_region(&step, unit) else {
                    continue;
                };
                let reference = &self.cache[innermost][node.reference].geometry;
                let (revisit, final_output) =
                    self.unit_flags(&node.geometry, reference, &step, unit);
                let pe = (node.first_pe + unit) as usize;
                debug_assert!(pe < work.len(), "the PE extent covers every PE with work");
                if let Some(slot) = work.get_mut(pe) {
                    *slot = PeWork {
                        active: true,
                        region,
                        revisit: node.revisit || revisit,
                        final_output: node.final_output && final_output,
                    };
                }
            }
        }
    }

    /// The level-0 unit regions with work at `indices` (the tiles whose footprints form L2's working
    /// set).
    pub fn top_regions(&mut self, indices: &[u64], into: &mut Vec<Region>) {
        into.clear();
        self.ensure_nodes(0, indices);
        for node in &self.cache[0] {
            if let Some(step) = self.position(0, indices, &node.geometry, None) {
                for unit in 0..node.geometry.active_units(&step) {
                    if let Some(region) = node.geometry.unit_region(&step, unit) {
                        into.push(region);
                    }
                }
            }
        }
    }

    /// Number of global loops that belong to level 0 (a prefix of `loops`).
    pub fn top_loops(&self) -> usize {
        self.level_ranges.first().map_or(0, |range| range.end)
    }

    /// For closed-form skipping at global loop `global`, in the current outer context (`indices`):
    /// how its iterations translate the regions, and the last iteration `b` such that every pair of
    /// consecutive iterations from `first − 1` to `b + 1` is an exact translate for every unit of
    /// the loop's level (full tiles on both sides, or idle on both sides). `None` if the loop cannot
    /// be skipped here.
    pub fn translation(
        &mut self,
        global: usize,
        indices: &[u64],
        first: u64,
    ) -> Option<(Translation, u64)> {
        let GlobalLoop {
            level,
            entry,
            count,
        } = self.loops[global];
        if first == 0 || count < 3 {
            return None;
        }
        self.ensure_nodes(level, indices);
        let mut translation: Option<Translation> = None;
        let mut last = count - 2;
        for node in &self.cache[level] {
            let geometry = &node.geometry;
            // The node must be active in the outer context: its own indices of the level's other loops
            // lie within its counts.
            if self
                .position(level, indices, geometry, Some(global))
                .is_none()
            {
                continue;
            }
            let own = geometry.schedule()[entry];
            let (node_translation, full_iterations) = match own {
                ScheduleLoop::Tiles { loop_index, count } => {
                    let walked = geometry.loop_at(loop_index);
                    let full = count - u64::from(walked.has_partial_edge());
                    (
                        Translation {
                            dim: walked.spec.dim,
                            amount: walked.tile,
                        },
                        full,
                    )
                }
                ScheduleLoop::Folds { count: _ } => {
                    let spatial = geometry.spatial_loops();
                    let units = geometry.spatial.sub_clusters.max(1);
                    let outer = geometry.loop_at(spatial[0]);
                    let per_fold = match spatial {
                        [_] => units,
                        [_, inner] => {
                            let inner_tiles = geometry.loop_at(*inner).tiles;
                            if units % inner_tiles != 0 {
                                return None;
                            }
                            units / inner_tiles
                        }
                        _ => return None,
                    };
                    let full_tiles = outer.tiles - u64::from(outer.has_partial_edge());
                    (
                        Translation {
                            dim: outer.spec.dim,
                            amount: per_fold.saturating_mul(outer.tile),
                        },
                        full_tiles / per_fold,
                    )
                }
            };
            if first > own.count() {
                // Idle on both sides of every pair.
                continue;
            }
            match translation {
                None => translation = Some(node_translation),
                Some(t) if t == node_translation => {}
                Some(_) => return None,
            }
            last = last.min(full_iterations.checked_sub(2)?);
        }
        let translation = translation?;
        (last >= first).then_some((translation, last))
    }

    /// Calls `visit(pe, region)` for every PE work item, in global step order (PEs in order within a
    /// step). Used to check the schedule against the expansion.
    pub fn for_each_pe_work(&mut self, mut visit: impl FnMut(u64, &Region)) {
        let mut indices = vec![0u64; self.loops.len()];
        let mut work = vec![
            PeWork {
                active: false,
                region: self.expansion.whole(),
                revisit: false,
                final_output: false,
            };
            self.pe_extent as usize
        ];
        loop {
            self.work_at(&indices, &mut work);
            for (pe, item) in work.iter().enumerate() {
                if item.active {
                    visit(pe as u64, &item.region);
                }
            }
            if self.advance(&mut indices).is_none() {
                break;
            }
        }
    }
}
