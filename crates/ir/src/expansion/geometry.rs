//! The dynamic part of the expansion: a level's loops laid over one enclosing tile (a [`Region`]),
//! with steps, edge tiles and spatial folds, and an allocation-free walk over its steps.

use super::region::Region;
use super::spec::{LevelSpec, LoopSpec, MAX_LOOPS_PER_LEVEL};
use crate::directive::MapKind;

/// One loop of a level over a concrete enclosing tile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopGeometry {
    pub spec: LoopSpec,
    /// Where the walked extent starts (layer coordinates).
    pub origin: u64,
    /// The extent it walks: the enclosing tile's length in this dimension.
    pub extent: u64,
    /// The regular tile size: the directive's size, clipped to the extent.
    pub tile: u64,
    /// Number of tiles: `ceil(extent / tile)`.
    pub tiles: u64,
    /// Size of the last tile; smaller than `tile` exactly when `extent` is not a multiple of `tile`.
    pub edge_tile: u64,
}

impl LoopGeometry {
    fn new(spec: LoopSpec, origin: u64, extent: u64) -> LoopGeometry {
        let tile = spec.size.min(extent).max(1);
        let tiles = extent.div_ceil(tile);
        let edge_tile = extent - tiles.saturating_sub(1) * tile;
        LoopGeometry {
            spec,
            origin,
            extent,
            tile,
            tiles,
            edge_tile,
        }
    }

    /// Whether the last tile is partial.
    pub fn has_partial_edge(&self) -> bool {
        self.edge_tile != self.tile
    }

    /// The index range of tile `index` (layer coordinates).
    pub fn tile_range(&self, index: u64) -> std::ops::Range<u64> {
        let start = self.origin + index * self.tile;
        start..(start + self.tile).min(self.origin + self.extent)
    }

    /// The size of tile `index`.
    pub fn tile_len(&self, index: u64) -> u64 {
        if index + 1 == self.tiles {
            self.edge_tile
        } else {
            self.tile
        }
    }

    pub fn is_spatial(&self) -> bool {
        self.spec.kind == MapKind::Spatial
    }
}

/// How a level's spatial maps spread over its units. Several spatial maps of one level combine: their
/// tiles form a row-major product (first spatial map outermost) that is dealt out in folds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpatialGeometry {
    /// Number of units at the level.
    pub sub_clusters: u64,
    /// Tiles to distribute: the product of the spatial loops' tile counts (1 without spatial map).
    pub tiles: u64,
    /// `ceil(tiles / sub_clusters)`; 1 without spatial map.
    pub folds: u64,
    /// Units with work in the last fold (all others are idle in it).
    pub last_fold_active: u64,
}

/// What one loop of the step schedule iterates over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleLoop {
    /// The tiles of a temporal loop (index into [`LevelGeometry::loops`]).
    Tiles { loop_index: usize, count: u64 },
    /// The folds of the spatial maps, at the position of the first spatial map.
    Folds { count: u64 },
}

impl ScheduleLoop {
    pub fn count(&self) -> u64 {
        match *self {
            ScheduleLoop::Tiles { count, .. } | ScheduleLoop::Folds { count } => count,
        }
    }
}

/// A position in a level's step sequence: one index per schedule loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepPosition {
    /// Index per schedule loop (outermost first); only the first `len` entries are meaningful.
    pub indices: [u64; MAX_LOOPS_PER_LEVEL],
    /// The step's number in the sequence (0-based).
    pub ordinal: u64,
    /// The outermost schedule loop whose index changed from the previous step (every loop inside it
    /// restarted at 0); `None` for the first step.
    pub changed: Option<usize>,
}

/// A level's loops over one enclosing tile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelGeometry {
    pub depth: usize,
    pub region: Region,
    loops: [Option<LoopGeometry>; MAX_LOOPS_PER_LEVEL],
    loop_count: usize,
    schedule: [ScheduleLoop; MAX_LOOPS_PER_LEVEL],
    schedule_count: usize,
    spatial_loops: [usize; 2],
    spatial_count: usize,
    pub spatial: SpatialGeometry,
}

impl LevelGeometry {
    /// Lays `level`'s loops over `region`, the tile its enclosing level gave this unit.
    pub fn new(level: &LevelSpec, region: &Region) -> LevelGeometry {
        let mut geometry = LevelGeometry {
            depth: level.depth,
            region: *region,
            loops: [None; MAX_LOOPS_PER_LEVEL],
            loop_count: 0,
            schedule: [ScheduleLoop::Folds { count: 1 }; MAX_LOOPS_PER_LEVEL],
            schedule_count: 0,
            spatial_loops: [0; 2],
            spatial_count: 0,
            spatial: SpatialGeometry {
                sub_clusters: level.sub_clusters,
                tiles: 1,
                folds: 1,
                last_fold_active: 1,
            },
        };
        let mut fold_placed = false;
        for (index, spec) in level.loops.iter().enumerate().take(MAX_LOOPS_PER_LEVEL) {
            let walked = LoopGeometry::new(*spec, region.start(spec.dim), region.len(spec.dim));
            geometry.loops[index] = Some(walked);
            geometry.loop_count = index + 1;
            if walked.is_spatial() {
                geometry.spatial_loops[geometry.spatial_count] = index;
                geometry.spatial_count += 1;
                geometry.spatial.tiles = geometry.spatial.tiles.saturating_mul(walked.tiles);
                if !fold_placed {
                    fold_placed = true;
                    geometry.push_schedule(ScheduleLoop::Folds { count: 1 });
                }
            } else {
                geometry.push_schedule(ScheduleLoop::Tiles {
                    loop_index: index,
                    count: walked.tiles,
                });
            }
        }
        if geometry.spatial_count > 0 {
            let units = level.sub_clusters.max(1);
            let folds = geometry.spatial.tiles.div_ceil(units);
            geometry.spatial.folds = folds;
            geometry.spatial.last_fold_active = geometry.spatial.tiles - (folds - 1) * units;
            for entry in &mut geometry.schedule[..geometry.schedule_count] {
                if let ScheduleLoop::Folds { count } = entry {
                    *count = folds;
                }
            }
        }
        geometry
    }

    fn push_schedule(&mut self, entry: ScheduleLoop) {
        self.schedule[self.schedule_count] = entry;
        self.schedule_count += 1;
    }

    /// The completed loops over this tile, in order.
    pub fn loops(&self) -> impl Iterator<Item = &LoopGeometry> + '_ {
        self.loops[..self.loop_count].iter().flatten()
    }

    /// The loop at `index` (as in [`LevelSpec::loops`]).
    pub fn loop_at(&self, index: usize) -> &LoopGeometry {
        self.loops[index]
            .as_ref()
            .expect("loop index within the level")
    }

    /// The step schedule, outermost first.
    pub fn schedule(&self) -> &[ScheduleLoop] {
        &self.schedule[..self.schedule_count]
    }

    /// Indices (into the loops) of the spatial loops, in order.
    pub fn spatial_loops(&self) -> &[usize] {
        &self.spatial_loops[..self.spatial_count]
    }

    /// The number of steps: the product of the schedule's counts.
    pub fn steps(&self) -> u64 {
        self.schedule()
            .iter()
            .fold(1u64, |product, entry| product.saturating_mul(entry.count()))
    }

    /// The fold index of a step (0 without spatial map).
    pub fn fold_of(&self, step: &StepPosition) -> u64 {
        self.schedule()
            .iter()
            .position(|entry| matches!(entry, ScheduleLoop::Folds { .. }))
            .map_or(0, |position| step.indices[position])
    }

    /// Units with work in `step`: all units except in the last fold; exactly one without spatial map.
    pub fn active_units(&self, step: &StepPosition) -> u64 {
        if self.spatial_count == 0 {
            return 1;
        }
        if self.fold_of(step) + 1 == self.spatial.folds {
            self.spatial.last_fold_active
        } else {
            self.spatial.sub_clusters
        }
    }

    /// The region unit `unit` works on in `step`, or `None` if the unit is idle.
    pub fn unit_region(&self, step: &StepPosition, unit: u64) -> Option<Region> {
        if unit >= self.active_units(step) {
            return None;
        }
        let mut region = self.region;
        for (position, entry) in self.schedule().iter().enumerate() {
            if let ScheduleLoop::Tiles { loop_index, .. } = *entry {
                let walked = self.loop_at(loop_index);
                region.set(walked.spec.dim, walked.tile_range(step.indices[position]));
            }
        }
        if self.spatial_count > 0 {
            let mut joint = self.fold_of(step) * self.spatial.sub_clusters + unit;
            for &loop_index in self.spatial_loops().iter().rev() {
                let walked = self.loop_at(loop_index);
                region.set(walked.spec.dim, walked.tile_range(joint % walked.tiles));
                joint /= walked.tiles;
            }
        }
        Some(region)
    }

    /// Calls `visit` for every step in order. The position is reused between calls; nothing is
    /// allocated.
    pub fn for_each_step(&self, mut visit: impl FnMut(&StepPosition)) {
        let schedule = self.schedule();
        if schedule.iter().any(|entry| entry.count() == 0) {
            return;
        }
        let mut step = StepPosition {
            indices: [0; MAX_LOOPS_PER_LEVEL],
            ordinal: 0,
            changed: None,
        };
        loop {
            visit(&step);
            // Advance the odometer: the innermost loop moves fastest.
            let mut position = schedule.len();
            loop {
                if position == 0 {
                    return;
                }
                position -= 1;
                step.indices[position] += 1;
                if step.indices[position] < schedule[position].count() {
                    break;
                }
                step.indices[position] = 0;
            }
            step.changed = Some(position);
            step.ordinal += 1;
        }
    }
}
