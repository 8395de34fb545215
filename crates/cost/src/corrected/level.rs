//! The hardware-independent analysis of one cluster level over one enclosing tile: its steps are
//! grouped into classes that behave alike (see `classes`), each distinct class is evaluated once on a
//! representative step (see `step`) and weighted by how often it occurs. The result is a
//! [`LevelPlan`]: the level's traffic counters and, per kind of step, the volumes its time depends on.
//! Inner levels are analysed recursively and memoised by tile shape; every plan is stored once, inner
//! plans before the plans that use them.

use super::classes::{for_each_class, ClassKey, ClassScratch, StepClass};
use super::step::{self, StepScratch};
use super::timing::{ComputeBound, StepKind, TimeRecord};
use maestro_ir::expansion::{Footprint, LevelGeometry, Region, MAX_LOOPS_PER_LEVEL};
use maestro_ir::{Expansion, NocTopology, Tensor};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Per-tensor counters in the order input, weight, output.
pub type PerTensor = [u64; 3];

/// Counters summed over a level and everything nested inside it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    pub macs: u64,
    /// Innermost (PE) buffer accesses.
    pub l1_reads: PerTensor,
    pub l1_writes: PerTensor,
    /// Accesses of the sub-cluster buffers between levels (multi-level mappings only).
    pub cluster_reads: u64,
    pub cluster_writes: u64,
    /// Σ elements × hops over every NoC transfer (for NoC energy).
    pub noc_element_hops: u64,
    /// Additions done by in-network (or upstream) spatial reduction.
    pub reductions: u64,
    /// Σ over steps of the PEs with work, weighted by step count (for average utilisation).
    pub active_pe_steps: f64,
}

impl Totals {
    /// Takes `times` × `other`'s integer counters away (what inner plans count and the hardware does
    /// not do, see `carry`).
    pub fn subtract_scaled(&mut self, other: &Totals, times: u64) {
        let less =
            |value: &mut u64, by: u64| *value = value.saturating_sub(by.saturating_mul(times));
        less(&mut self.macs, other.macs);
        for i in 0..3 {
            less(&mut self.l1_reads[i], other.l1_reads[i]);
            less(&mut self.l1_writes[i], other.l1_writes[i]);
        }
        less(&mut self.cluster_reads, other.cluster_reads);
        less(&mut self.cluster_writes, other.cluster_writes);
        less(&mut self.noc_element_hops, other.noc_element_hops);
        less(&mut self.reductions, other.reductions);
    }

    /// Adds `times` × `other`'s integer counters (utilisation is summed separately, in step order).
    pub fn add_scaled(&mut self, other: &Totals, times: u64) {
        self.macs = self.macs.saturating_add(other.macs.saturating_mul(times));
        for i in 0..3 {
            self.l1_reads[i] =
                self.l1_reads[i].saturating_add(other.l1_reads[i].saturating_mul(times));
            self.l1_writes[i] =
                self.l1_writes[i].saturating_add(other.l1_writes[i].saturating_mul(times));
        }
        self.cluster_reads = self
            .cluster_reads
            .saturating_add(other.cluster_reads.saturating_mul(times));
        self.cluster_writes = self
            .cluster_writes
            .saturating_add(other.cluster_writes.saturating_mul(times));
        self.noc_element_hops = self
            .noc_element_hops
            .saturating_add(other.noc_element_hops.saturating_mul(times));
        self.reductions = self
            .reductions
            .saturating_add(other.reductions.saturating_mul(times));
    }
}

/// The traffic of one level over one tile shape (everything that does not depend on time).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LevelVolumes {
    pub steps: u64,
    /// Reads of this level's upstream buffer per tensor: multicast sends (or every copy without
    /// multicast) for input and weight; partial-sum reloads and read-modify-write reads for output.
    pub upstream_reads: PerTensor,
    /// Writes into this level's upstream buffer (output tiles arriving).
    pub upstream_writes: PerTensor,
    /// Elements delivered into the units' buffers (per receiver).
    pub delivered: PerTensor,
    /// Elements the upstream buffer sends (once per multicast).
    pub sent: PerTensor,
    /// Output partial sums: written up before their reduction was complete, and read back later.
    pub partial_writes: u64,
    pub partial_reloads: u64,
    /// Distinct output elements of the tile (written up once as final values).
    pub final_outputs: u64,
    pub totals: Totals,
}

/// One level over one tile shape, ready to be timed on any hardware with the same structure.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelPlan {
    pub depth: usize,
    pub innermost: bool,
    pub volumes: LevelVolumes,
    /// Steps grouped by everything their time depends on.
    pub records: Vec<TimeRecord>,
    /// Inner plan ids that [`ComputeBound::Inner`] records refer to.
    pub inner_ids: Vec<u32>,
    /// Output elements arriving upstream after the last step.
    pub drain_arrived: u64,
    /// Hops of the level's distribution and collection transfers.
    pub hops: (u64, u64),
}

/// The hardware facts that change what moves (not how long it takes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Structure {
    pub multicast: bool,
    pub implicit_reduction: bool,
    pub distribution_topology: NocTopology,
    pub collection_topology: NocTopology,
}

/// Hardware-independent volumes of one step class (everything per step, before weighting by the
/// class's count).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepVolumes {
    /// Input and weight elements the upstream buffer sends (multicast-aware).
    pub sent: [u64; 2],
    /// Elements delivered into the units: input, weight, reloaded partial sums.
    pub delivered: PerTensor,
    /// Output elements arriving upstream (after in-network reduction, if any).
    pub arrived: u64,
    /// Output elements the units send (every partial sum).
    pub out_unit_elements: u64,
    /// Partial sums added by spatial reduction.
    pub reductions: u64,
    /// Partial sums read back from upstream (once per multicast).
    pub reload_sent: u64,
    /// Innermost level: MACs of the step, and the most MACs one unit does.
    pub step_macs: u64,
    pub max_unit_macs: u64,
    /// PEs with work (innermost), or the inner levels' utilisations summed unit by unit.
    pub active_pes: f64,
    /// Outer levels: the inner levels' counters, weighted by how many units run each.
    pub inner_totals: Totals,
    /// Outer levels: the inner plans the step's units run (compute is the slowest of them), as a
    /// range of the level's id arena.
    pub inner_ids: std::ops::Range<usize>,
}

/// The lengths of a tile's loop dimensions (in the layer type's loop order).
type ShapeKey = [u64; MAX_LOOPS_PER_LEVEL];

/// Two tiles of a unit, now and before: their shapes, where the first starts relative to the second
/// (what the unit keeps does not depend on where the pair lies), and whether the unit was idle in
/// between (see `carry::Before`).
pub(super) type CarryKey = (ShapeKey, ShapeKey, [u64; MAX_LOOPS_PER_LEVEL], bool);

/// A multiply-rotate hasher for the small integer keys of the memos (the default SipHash costs more
/// than the lookups it serves; the keys are not attacker-chosen).
#[derive(Default)]
pub struct SmallKeyHasher(u64);

impl Hasher for SmallKeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Slices of integers arrive as their bytes: take them eight at a time.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        for &byte in chunks.remainder() {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.write_u64(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<SmallKeyHasher>>;

/// Shared state of one layer's analysis.
pub struct Analyzer<'a> {
    pub expansion: &'a Expansion,
    pub structure: Structure,
    /// Evaluate every unit of every class one by one (the oracle for the closed forms in tests).
    pub exhaustive: bool,
    /// Every analysed level shape; inner plans precede the plans that use them.
    pub plans: Vec<LevelPlan>,
    pub(super) scratch: AnalyzerScratch,
    pub step_scratch: StepScratch,
}

/// The buffers of an analysis, kept between layers so that analysing a network allocates little.
#[derive(Default)]
pub struct AnalyzerScratch {
    /// Per depth: plan ids by tile shape.
    memo: Vec<FastMap<ShapeKey, u32>>,
    /// Per depth: what a unit's inner levels keep across a step (see `carry`), by the two tiles'
    /// shapes and relative offset.
    pub(super) carried: Vec<FastMap<CarryKey, Totals>>,
    /// Per depth (a level's analysis runs the inner level's inside it).
    levels: Vec<LevelScratch>,
    step: StepScratch,
}

thread_local! {
    /// This thread's analysis buffers (see [`Analyzer::with_scratch`]).
    static SCRATCH: std::cell::RefCell<AnalyzerScratch> =
        std::cell::RefCell::new(AnalyzerScratch::default());
}

/// Buffers of one level's analysis, reused from one tile shape to the next.
#[derive(Default)]
struct LevelScratch {
    classes: ClassScratch,
    /// The distinct classes and where each key's class is.
    tallies: Vec<ClassTally>,
    seen: FastMap<ClassKey, usize>,
    /// Inner plan ids of the classes' steps.
    inner_ids: Vec<u32>,
}

impl std::fmt::Debug for Analyzer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("layer", &self.expansion.layer)
            .finish_non_exhaustive()
    }
}

/// A class result and how many steps it stands for.
struct ClassTally {
    volumes: StepVolumes,
    kind: StepKind,
    count: u64,
}

impl<'a> Analyzer<'a> {
    fn new(
        expansion: &'a Expansion,
        structure: Structure,
        exhaustive: bool,
        mut scratch: AnalyzerScratch,
    ) -> Self {
        let depths = expansion.levels.len();
        scratch
            .memo
            .resize_with(depths.max(scratch.memo.len()), FastMap::default);
        scratch
            .levels
            .resize_with(depths.max(scratch.levels.len()), LevelScratch::default);
        for memo in &mut scratch.memo {
            memo.clear();
        }
        scratch
            .carried
            .resize_with(depths.max(scratch.carried.len()), FastMap::default);
        for memo in &mut scratch.carried {
            memo.clear();
        }
        let step_scratch = std::mem::take(&mut scratch.step);
        Analyzer {
            expansion,
            structure,
            exhaustive,
            plans: Vec::with_capacity(2 * depths),
            scratch,
            step_scratch,
        }
    }

    /// Analyses the whole layer (level 0 over the whole loop space) and returns every plan, the top
    /// level's last. Reuses this thread's buffers from earlier layers.
    pub fn analyse_layer(
        expansion: &'a Expansion,
        structure: Structure,
        exhaustive: bool,
    ) -> Vec<LevelPlan> {
        // A nested analysis on the same thread (there is none today) would get fresh buffers.
        let scratch = SCRATCH
            .with(|cell| {
                cell.try_borrow_mut()
                    .map(|mut held| std::mem::take(&mut *held))
            })
            .unwrap_or_default();
        let mut analyzer = Analyzer::new(expansion, structure, exhaustive, scratch);
        analyzer.level(0, &expansion.whole());
        let Analyzer {
            plans,
            mut scratch,
            step_scratch,
            ..
        } = analyzer;
        scratch.step = step_scratch;
        SCRATCH.with(|cell| {
            if let Ok(mut held) = cell.try_borrow_mut() {
                *held = scratch;
            }
        });
        plans
    }

    /// Hops a transfer of level `depth` makes on a NoC of `topology`.
    pub(super) fn hops(&self, depth: usize, topology: NocTopology, units: u64) -> u64 {
        match topology {
            NocTopology::Bus => 1,
            NocTopology::Tree => (self.expansion.levels.len() - depth) as u64,
            NocTopology::Mesh => (units as f64).sqrt().ceil() as u64,
        }
    }

    /// The plan id of level `depth` over a tile like `region`. The cost of a tile depends only on its
    /// lengths, not on where it lies: the memo key is the lengths of the loop dimensions, and the tile
    /// analysed is the same lengths placed at the origin.
    pub fn level(&mut self, depth: usize, region: &Region) -> u32 {
        let loop_dims = self.expansion.bounds.layer_type.loop_dims();
        let mut key: ShapeKey = [0; MAX_LOOPS_PER_LEVEL];
        for (slot, &dim) in key.iter_mut().zip(loop_dims) {
            *slot = region.len(dim);
        }
        if let Some(&id) = self.scratch.memo[depth].get(&key) {
            return id;
        }
        let mut origin = Region::whole(&self.expansion.bounds);
        for &dim in loop_dims {
            origin.set(dim, 0..region.len(dim));
        }
        let plan = self.analyse(depth, &origin);
        let id = u32::try_from(self.plans.len()).unwrap_or(u32::MAX);
        self.plans.push(plan);
        self.scratch.memo[depth].insert(key, id);
        id
    }

    fn analyse(&mut self, depth: usize, region: &Region) -> LevelPlan {
        let expansion = self.expansion;
        let layer_type = expansion.bounds.layer_type;
        let strides = expansion.bounds.strides;
        let innermost = depth + 1 == expansion.levels.len();
        let geometry = expansion.geometry(depth, region);
        let units = expansion.levels[depth].sub_clusters;
        let in_hops = self.hops(depth, self.structure.distribution_topology, units);
        let out_hops = self.hops(depth, self.structure.collection_topology, units);
        let implicit_reduction = self.structure.implicit_reduction;
        let context = step::LevelContext::new(&geometry, layer_type, strides, depth, innermost);

        let mut volumes = LevelVolumes {
            final_outputs: Footprint::of(layer_type, strides, Tensor::Output, region).elements(),
            ..LevelVolumes::default()
        };
        // Evaluate one class per key, in the order the classes come; utilisation is a floating-point
        // sum, so it is accumulated class by class in that order.
        let LevelScratch {
            classes: mut scratch,
            mut tallies,
            mut seen,
            inner_ids: mut arena,
        } = std::mem::take(&mut self.scratch.levels[depth]);
        tallies.clear();
        seen.clear();
        arena.clear();
        let mut active_pe_steps = 0f64;
        let mut steps = 0u64;
        for_each_class(&geometry, layer_type, &mut scratch, |key, count, class| {
            let known = if self.exhaustive {
                None
            } else {
                seen.get(&key).copied()
            };
            let index = match known {
                Some(index) => index,
                None => {
                    let class = class();
                    let volumes = self.step_volumes(&context, &geometry, &class, &mut arena);
                    tallies.push(ClassTally {
                        volumes,
                        kind: kind_of(&class),
                        count: 0,
                    });
                    seen.insert(key, tallies.len() - 1);
                    tallies.len() - 1
                }
            };
            let tally = &mut tallies[index];
            tally.count = tally.count.saturating_add(count);
            steps = steps.saturating_add(count);
            active_pe_steps += tally.volumes.active_pes * count as f64;
        });
        volumes.steps = steps;

        let mut records: Vec<TimeRecord> = Vec::new();
        let mut inner_ids: Vec<u32> = Vec::new();
        for tally in tallies.iter() {
            let count = tally.count;
            let step = &tally.volumes;
            for tensor in 0..2 {
                volumes.sent[tensor] =
                    volumes.sent[tensor].saturating_add(step.sent[tensor].saturating_mul(count));
                volumes.delivered[tensor] = volumes.delivered[tensor]
                    .saturating_add(step.delivered[tensor].saturating_mul(count));
            }
            volumes.upstream_writes[2] =
                volumes.upstream_writes[2].saturating_add(step.arrived.saturating_mul(count));
            volumes.totals.reductions = volumes
                .totals
                .reductions
                .saturating_add(step.reductions.saturating_mul(count));
            if !implicit_reduction {
                // Every partial after the first of an element is a read-modify-write upstream.
                volumes.upstream_reads[2] =
                    volumes.upstream_reads[2].saturating_add(step.reductions.saturating_mul(count));
            }
            volumes.partial_reloads = volumes
                .partial_reloads
                .saturating_add(step.reload_sent.saturating_mul(count));
            volumes.delivered[2] =
                volumes.delivered[2].saturating_add(step.delivered[2].saturating_mul(count));
            let step_sent = step.sent[0] + step.sent[1] + step.reload_sent;
            let compute = if innermost {
                let macs = step.step_macs.saturating_mul(count);
                volumes.totals.macs = volumes.totals.macs.saturating_add(macs);
                for tensor in 0..3 {
                    volumes.totals.l1_reads[tensor] =
                        volumes.totals.l1_reads[tensor].saturating_add(macs);
                }
                volumes.totals.l1_writes[2] = volumes.totals.l1_writes[2].saturating_add(macs);
                // Output tiles leaving the PEs are read out of L1 once per sending PE (egress reads,
                // counted with the operand reads in the output L1 read column).
                volumes.totals.l1_reads[2] = volumes.totals.l1_reads[2]
                    .saturating_add(step.out_unit_elements.saturating_mul(count));
                ComputeBound::Macs(step.max_unit_macs)
            } else {
                volumes.totals.add_scaled(&step.inner_totals, count);
                let start = u32::try_from(inner_ids.len()).unwrap_or(u32::MAX);
                inner_ids.extend_from_slice(&arena[step.inner_ids.clone()]);
                ComputeBound::Inner {
                    start,
                    len: u32::try_from(step.inner_ids.len()).unwrap_or(u32::MAX),
                }
            };
            volumes.totals.noc_element_hops = volumes
                .totals
                .noc_element_hops
                .saturating_add(step_sent.saturating_mul(in_hops).saturating_mul(count))
                .saturating_add(
                    step.out_unit_elements
                        .saturating_mul(out_hops)
                        .saturating_mul(count),
                );
            push_record(
                &mut records,
                &mut inner_ids,
                TimeRecord {
                    kind: tally.kind,
                    count,
                    sent: step_sent,
                    arrived: step.arrived,
                    fetched: step.sent[0] + step.sent[1],
                    compute,
                },
            );
        }
        volumes.totals.active_pe_steps = active_pe_steps;
        self.scratch.levels[depth] = LevelScratch {
            classes: scratch,
            tallies,
            seen,
            inner_ids: arena,
        };

        // Drain: after the last step every active unit sends its output tile up.
        let drain = self.drain(&context, &geometry);
        let arrived = if implicit_reduction { drain.1 } else { drain.0 };
        volumes.upstream_writes[2] = volumes.upstream_writes[2].saturating_add(arrived);
        if innermost {
            volumes.totals.l1_reads[2] = volumes.totals.l1_reads[2].saturating_add(drain.0);
        }
        let reductions = drain.0 - drain.1;
        volumes.totals.reductions = volumes.totals.reductions.saturating_add(reductions);
        if !implicit_reduction {
            volumes.upstream_reads[2] = volumes.upstream_reads[2].saturating_add(reductions);
        }
        volumes.totals.noc_element_hops = volumes
            .totals
            .noc_element_hops
            .saturating_add(drain.0.saturating_mul(out_hops));

        // Upstream output traffic: final values once, everything else is partial sums.
        let distinct_arrived = if implicit_reduction {
            volumes.upstream_writes[2]
        } else {
            volumes.upstream_writes[2] - volumes.upstream_reads[2].min(volumes.upstream_writes[2])
        };
        volumes.partial_writes = distinct_arrived.saturating_sub(volumes.final_outputs);
        volumes.upstream_reads[2] =
            volumes.upstream_reads[2].saturating_add(volumes.partial_reloads);
        volumes.upstream_reads[0] = volumes.sent[0];
        volumes.upstream_reads[1] = volumes.sent[1];
        if innermost {
            for tensor in 0..3 {
                volumes.totals.l1_writes[tensor] =
                    volumes.totals.l1_writes[tensor].saturating_add(volumes.delivered[tensor]);
            }
        } else {
            volumes.totals.cluster_writes = volumes
                .totals
                .cluster_writes
                .saturating_add(volumes.delivered.iter().sum());
            // A reloaded partial sum passes the sub-cluster's buffer into the L1 of the PE that
            // continues its accumulation (one per element and receiving sub-cluster).
            volumes.totals.l1_writes[2] =
                volumes.totals.l1_writes[2].saturating_add(volumes.delivered[2]);
        }
        LevelPlan {
            depth,
            innermost,
            volumes,
            records,
            inner_ids,
            drain_arrived: arrived,
            hops: (in_hops, out_hops),
        }
    }

    /// The volumes of one class, by the closed forms where they apply and unit by unit otherwise.
    fn step_volumes(
        &mut self,
        context: &step::LevelContext,
        geometry: &LevelGeometry,
        class: &StepClass,
        inner_ids: &mut Vec<u32>,
    ) -> StepVolumes {
        if !self.exhaustive && context.closed_form() {
            step::closed_form(self, context, geometry, class, inner_ids)
        } else {
            step::unit_by_unit(self, context, geometry, class, inner_ids)
        }
    }

    /// Output elements the units send after the last step, and the distinct ones among them.
    fn drain(&mut self, context: &step::LevelContext, geometry: &LevelGeometry) -> (u64, u64) {
        if !self.exhaustive && context.closed_form() {
            step::closed_form_drain(self, context, geometry)
        } else {
            step::unit_by_unit_drain(self, context, geometry)
        }
    }
}

fn kind_of(class: &StepClass) -> StepKind {
    if class.previous.is_none() {
        StepKind::Fill
    } else if class.edge {
        StepKind::Edge
    } else {
        StepKind::Steady
    }
}

/// Adds a record, merged with an earlier one that has the same time on any hardware. A merged
/// record's inner ids were appended last to `inner_ids`; they are dropped again.
fn push_record(records: &mut Vec<TimeRecord>, inner_ids: &mut Vec<u32>, record: TimeRecord) {
    let ids = |compute: &ComputeBound, inner_ids: &[u32]| -> Option<(usize, usize)> {
        match *compute {
            ComputeBound::Inner { start, len } => Some((start as usize, len as usize)),
            ComputeBound::Macs(_) => None,
        }
        .map(|(start, len)| (start, start + len.min(inner_ids.len() - start)))
    };
    let same = records.iter_mut().find(|earlier| {
        earlier.kind == record.kind
            && earlier.sent == record.sent
            && earlier.arrived == record.arrived
            && earlier.fetched == record.fetched
            && match (
                ids(&earlier.compute, inner_ids),
                ids(&record.compute, inner_ids),
            ) {
                (None, None) => earlier.compute == record.compute,
                (Some(a), Some(b)) => inner_ids[a.0..a.1] == inner_ids[b.0..b.1],
                _ => false,
            }
    });
    match same {
        Some(earlier) => {
            earlier.count = earlier.count.saturating_add(record.count);
            if let ComputeBound::Inner { start, .. } = record.compute {
                inner_ids.truncate(start as usize);
            }
        }
        None => records.push(record),
    }
}
