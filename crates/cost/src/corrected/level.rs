//! The closed-form analysis of one cluster level over one enclosing tile: its steps are grouped into
//! classes that behave alike (first step; then, per changing loop, each loop in its first, a middle or
//! its last tile), each class is evaluated once on a representative step and weighted by how often it
//! occurs. Inner levels are analysed recursively and memoised by tile shape.

use super::sampling::{elision_block, unit_entries, Run, UnitEntry};
use super::traffic::Ingress;
use super::traffic::{egress, ingress, UnitFootprints};
use super::union::Boxes;
use maestro_ir::expansion::{
    tensor_uses, Footprint, LevelGeometry, Region, ScheduleLoop, StepPosition, MAX_LOOPS_PER_LEVEL,
};
use maestro_ir::{Accelerator, Dim, Expansion, NocTopology, Tensor};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

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
    fn add_scaled(&mut self, other: &Totals, times: u64) {
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

/// Min/max/sum of a per-step delay, weighted by step counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DelayRange {
    pub min: u64,
    pub max: u64,
    pub sum: u64,
}

impl Default for DelayRange {
    fn default() -> Self {
        DelayRange {
            min: u64::MAX,
            max: 0,
            sum: 0,
        }
    }
}

impl DelayRange {
    fn record(&mut self, value: u64, times: u64) {
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        self.sum = self.sum.saturating_add(value.saturating_mul(times));
    }
}

/// Where a level's time goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeBreakdown {
    /// The first step: its ingress, then its compute (nothing to overlap with).
    pub fill: u64,
    /// Steps whose tiles are all full.
    pub steady: u64,
    /// Steps with a partial tile or a partial fold.
    pub edge: u64,
    /// The last output tiles leaving after the last step.
    pub drain: u64,
    /// Σ over steps of the compute, ingress and egress terms (before taking the max).
    pub compute: u64,
    pub ingress: u64,
    pub egress: u64,
}

/// The analysis of one level over one tile shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LevelCost {
    pub runtime: u64,
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
    pub ingress_delay: DelayRange,
    pub egress_delay: DelayRange,
    pub compute_delay: DelayRange,
    pub time: TimeBreakdown,
    /// Largest elements-per-cycle a step asks of the distribution or collection NoC.
    pub peak_bandwidth: u64,
    pub totals: Totals,
}

/// The lengths of a tile's loop dimensions (in the layer type's loop order).
type ShapeKey = [u64; MAX_LOOPS_PER_LEVEL];

/// A multiply-rotate hasher for the small integer keys of the level memo (the default SipHash costs
/// more than the lookups it serves; the keys are not attacker-chosen).
#[derive(Default)]
struct ShapeHasher(u64);

impl Hasher for ShapeHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
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

/// Shared state of one layer's analysis.
pub struct Analyzer<'a> {
    pub expansion: &'a Expansion,
    pub hardware: &'a Accelerator,
    /// Whether the PE buffers hold two steps' tiles (ingress overlaps compute).
    pub double_buffered: bool,
    memo: Vec<HashMap<ShapeKey, Rc<LevelCost>, BuildHasherDefault<ShapeHasher>>>,
    /// Scratch for exact multicast unions.
    boxes: Boxes,
    /// Evaluate every unit one by one (the oracle for run elision in tests).
    pub exhaustive: bool,
}

impl std::fmt::Debug for Analyzer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("layer", &self.expansion.layer)
            .finish_non_exhaustive()
    }
}

/// A representative step of a class and how many steps it stands for.
struct StepClass {
    current: StepPosition,
    previous: Option<StepPosition>,
    count: u64,
    /// A loop is at its last index and that tile (or fold) is partial.
    edge: bool,
    /// The output tile entering in this step was already visited (a reduction loop lies outside).
    revisit: bool,
}

fn transfer_cycles(elements: u64, bandwidth: u64, hops: u64, hop_latency: u64) -> u64 {
    if elements == 0 {
        return 0;
    }
    elements
        .div_ceil(bandwidth.max(1))
        .saturating_add(hops.saturating_mul(hop_latency))
}

impl<'a> Analyzer<'a> {
    pub fn new(expansion: &'a Expansion, hardware: &'a Accelerator, double_buffered: bool) -> Self {
        Analyzer {
            expansion,
            hardware,
            double_buffered,
            memo: vec![HashMap::default(); expansion.levels.len()],
            boxes: Boxes::default(),
            exhaustive: false,
        }
    }

    /// Hops a transfer of level `depth` makes on a NoC of `topology`.
    fn hops(&self, depth: usize, topology: NocTopology, units: u64) -> u64 {
        match topology {
            NocTopology::Bus => 1,
            NocTopology::Tree => (self.expansion.levels.len() - depth) as u64,
            NocTopology::Mesh => (units as f64).sqrt().ceil() as u64,
        }
    }

    /// The cost of a tile depends only on its lengths, not on where it lies: the memo key is the
    /// lengths of the loop dimensions, and the tile analysed is the same lengths placed at the origin.
    pub fn level(&mut self, depth: usize, region: &Region) -> Rc<LevelCost> {
        let loop_dims = self.expansion.bounds.layer_type.loop_dims();
        let mut key: ShapeKey = [0; MAX_LOOPS_PER_LEVEL];
        for (slot, &dim) in key.iter_mut().zip(loop_dims) {
            *slot = region.len(dim);
        }
        if let Some(cost) = self.memo[depth].get(&key) {
            return Rc::clone(cost);
        }
        let mut origin = Region::whole(&self.expansion.bounds);
        for &dim in loop_dims {
            origin.set(dim, 0..region.len(dim));
        }
        let cost = Rc::new(self.analyse(depth, &origin));
        self.memo[depth].insert(key, Rc::clone(&cost));
        cost
    }

    /// Ingress when some entries stand for the middles of runs. Delivered elements scale with the
    /// weights. The multicast union is measured over the sampled units; each elided middle adds what a
    /// whole run has beyond its two sampled ends: a run of `m` translates with `g(k)` distinct new
    /// elements in its first `k` units grows by `inc = g(k) − g(k − 1)` per unit once `k` exceeds the
    /// overlap reach, so `g(m) = g(k) + (m − k)·inc` and the middle adds `g(m) − 2·g(k)`. A tensor the
    /// mapped dimension does not index is the same for every unit of a run: nothing to add.
    fn elided_ingress(
        &mut self,
        units: &[UnitFootprints],
        weights: &[u64],
        runs: &[(usize, Run)],
        translated: bool,
        sampled: &mut Vec<UnitFootprints>,
    ) -> Ingress {
        let delivered = units
            .iter()
            .zip(weights)
            .fold(0u64, |sum, (unit, &weight)| {
                sum.saturating_add(unit.new_elements().saturating_mul(weight))
            });
        sampled.clear();
        sampled.extend(
            units
                .iter()
                .zip(weights)
                .filter(|(_, &weight)| weight == 1)
                .map(|(unit, _)| *unit),
        );
        let mut multicast_sent = ingress(sampled, &mut self.boxes).multicast_sent;
        if translated {
            for &(first, run) in runs {
                let block = run.block as usize;
                let whole = ingress(&units[first..first + block], &mut self.boxes).multicast_sent;
                let shorter =
                    ingress(&units[first..first + block - 1], &mut self.boxes).multicast_sent;
                let growth = whole.saturating_sub(shorter);
                let run_union = whole.saturating_add(growth.saturating_mul(run.len - run.block));
                multicast_sent = multicast_sent.saturating_add(run_union.saturating_sub(2 * whole));
            }
        }
        Ingress {
            delivered,
            multicast_sent,
        }
    }

    fn analyse(&mut self, depth: usize, region: &Region) -> LevelCost {
        let expansion = self.expansion;
        let hardware = self.hardware;
        let layer_type = expansion.bounds.layer_type;
        let strides = expansion.bounds.strides;
        let innermost = depth + 1 == expansion.levels.len();
        let geometry = expansion.geometry(depth, region);
        let units = expansion.levels[depth].sub_clusters;
        let in_hops = self.hops(depth, hardware.distribution_noc.topology, units);
        let out_hops = self.hops(depth, hardware.collection_noc.topology, units);
        let mut in_bandwidth = hardware.distribution_noc.bandwidth;
        let mut out_bandwidth = hardware.collection_noc.bandwidth;
        if depth == 0 {
            in_bandwidth = in_bandwidth.min(hardware.l2_bandwidth);
            out_bandwidth = out_bandwidth.min(hardware.l2_bandwidth);
        }
        let multicast = hardware.distribution_noc.multicast;
        let implicit_reduction = hardware.collection_noc.implicit_reduction;
        let footprint =
            |tensor: Tensor, region: &Region| Footprint::of(layer_type, strides, tensor, region);

        let mut cost = LevelCost {
            final_outputs: footprint(Tensor::Output, region).elements(),
            ..LevelCost::default()
        };
        // Per entry of a step: its regions now and before, how many units it stands for, and (for a
        // stand-in) the run it elides.
        let mut entries: Vec<UnitEntry> = Vec::new();
        let mut current_regions: Vec<Region> = Vec::new();
        let mut previous_regions: Vec<Option<Region>> = Vec::new();
        let mut weights: Vec<u64> = Vec::new();
        let mut runs: Vec<(usize, Run)> = Vec::new();
        let mut unit_footprints: Vec<UnitFootprints> = Vec::new();
        let mut sampled: Vec<UnitFootprints> = Vec::new();
        let mut leaving: Vec<Footprint> = Vec::new();
        let mut entering: Vec<Footprint> = Vec::new();
        let mut order: Vec<usize> = Vec::new();
        let elision = if self.exhaustive {
            None
        } else {
            elision_block(&geometry, layer_type, strides)
        };
        let spatial_uses =
            |tensor: Tensor| elision.is_some_and(|(dim, _)| tensor_uses(layer_type, tensor, dim));

        for class in classes(&geometry, layer_type) {
            let count = class.count;
            cost.steps += count;
            unit_entries(
                &geometry,
                &class.current,
                class.previous.as_ref(),
                elision.map(|(_, block)| block),
                &mut entries,
            );
            current_regions.clear();
            previous_regions.clear();
            weights.clear();
            runs.clear();
            leaving.clear();
            entering.clear();
            // Output tiles leaving units that are idle from this step on (they still send their last
            // output tile up), with their weights.
            let mut idle_leaving_extra = (0u64, 0u64);
            for entry in &entries {
                let previous = class
                    .previous
                    .as_ref()
                    .and_then(|previous| geometry.unit_region(previous, entry.unit));
                match geometry.unit_region(&class.current, entry.unit) {
                    Some(current) => {
                        if let Some(run) = entry.run {
                            // Entries of a run's sampled block precede it and are all active.
                            let first = current_regions.len() - run.block as usize;
                            runs.push((first, run));
                        }
                        current_regions.push(current);
                        previous_regions.push(previous);
                        weights.push(entry.weight);
                    }
                    None => {
                        if let Some(previous) = previous {
                            let tile = footprint(Tensor::Output, &previous);
                            if entry.run.is_some() {
                                let elements = tile.elements().saturating_mul(entry.weight);
                                idle_leaving_extra.0 += elements;
                                if spatial_uses(Tensor::Output) {
                                    idle_leaving_extra.1 += elements;
                                }
                            } else {
                                leaving.push(tile);
                            }
                        }
                    }
                }
            }

            // Ingress of input and weight: only what each unit did not hold in its previous step.
            let mut step_sent = 0u64;
            for (index, tensor) in [Tensor::Input, Tensor::Weight].into_iter().enumerate() {
                unit_footprints.clear();
                for (current, previous) in current_regions.iter().zip(&previous_regions) {
                    unit_footprints.push(UnitFootprints {
                        current: footprint(tensor, current),
                        previous: previous
                            .as_ref()
                            .map(|previous| footprint(tensor, previous)),
                    });
                }
                let moved = if runs.is_empty() {
                    ingress(&unit_footprints, &mut self.boxes)
                } else {
                    self.elided_ingress(
                        &unit_footprints,
                        &weights,
                        &runs,
                        spatial_uses(tensor),
                        &mut sampled,
                    )
                };
                let sent = if multicast {
                    moved.multicast_sent
                } else {
                    moved.delivered
                };
                cost.sent[index] = cost.sent[index].saturating_add(sent.saturating_mul(count));
                cost.delivered[index] =
                    cost.delivered[index].saturating_add(moved.delivered.saturating_mul(count));
                step_sent += sent;
            }

            // Output tiles: the previous tile leaves when the unit's output tile changes; a revisited
            // tile is read back (partial-sum reload). A stand-in's tiles are translates of a sampled
            // unit's: distinct from every other tile when the mapped dimension indexes the output,
            // equal to the sampled unit's otherwise.
            let mut leaving_extra = idle_leaving_extra;
            let mut entering_extra = (0u64, 0u64);
            for ((current, previous), &weight) in
                current_regions.iter().zip(&previous_regions).zip(&weights)
            {
                let Some(previous) = previous else { continue };
                let now = footprint(Tensor::Output, current);
                let before = footprint(Tensor::Output, previous);
                if now != before {
                    if weight == 1 {
                        leaving.push(before);
                        if class.revisit {
                            entering.push(now);
                        }
                    } else {
                        let distinct = spatial_uses(Tensor::Output);
                        let elements = before.elements().saturating_mul(weight);
                        leaving_extra.0 += elements;
                        leaving_extra.1 += if distinct { elements } else { 0 };
                        if class.revisit {
                            let elements = now.elements().saturating_mul(weight);
                            entering_extra.0 += elements;
                            entering_extra.1 += if distinct { elements } else { 0 };
                        }
                    }
                }
            }
            let mut out = egress(&leaving, &mut order);
            out.unit_elements += leaving_extra.0;
            out.distinct_elements += leaving_extra.1;
            let mut reload = egress(&entering, &mut order);
            reload.unit_elements += entering_extra.0;
            reload.distinct_elements += entering_extra.1;
            let arrived = if implicit_reduction {
                out.distinct_elements
            } else {
                out.unit_elements
            };
            cost.upstream_writes[2] =
                cost.upstream_writes[2].saturating_add(arrived.saturating_mul(count));
            let reductions = out.unit_elements - out.distinct_elements;
            cost.totals.reductions = cost
                .totals
                .reductions
                .saturating_add(reductions.saturating_mul(count));
            if !implicit_reduction {
                // Every partial after the first of an element is a read-modify-write upstream.
                cost.upstream_reads[2] =
                    cost.upstream_reads[2].saturating_add(reductions.saturating_mul(count));
            }
            let reload_sent = if multicast {
                reload.distinct_elements
            } else {
                reload.unit_elements
            };
            cost.partial_reloads = cost
                .partial_reloads
                .saturating_add(reload_sent.saturating_mul(count));
            cost.delivered[2] =
                cost.delivered[2].saturating_add(reload.unit_elements.saturating_mul(count));
            step_sent += reload_sent;

            // Compute: the slowest active unit.
            let mut compute = 0u64;
            let mut step_macs = 0u64;
            let mut active_pes = 0f64;
            if innermost {
                let mut active_units = 0u64;
                for (current, &weight) in current_regions.iter().zip(&weights) {
                    let macs = current.volume(layer_type);
                    step_macs += macs * weight;
                    active_units += weight;
                    compute = compute.max(macs.div_ceil(hardware.simd_lanes.max(1)));
                }
                compute = compute.saturating_add(hardware.mac_pipeline_latency);
                active_pes = active_units as f64;
                cost.totals.macs = cost
                    .totals
                    .macs
                    .saturating_add(step_macs.saturating_mul(count));
                for tensor in 0..3 {
                    cost.totals.l1_reads[tensor] = cost.totals.l1_reads[tensor]
                        .saturating_add(step_macs.saturating_mul(count));
                }
                cost.totals.l1_writes[2] =
                    cost.totals.l1_writes[2].saturating_add(step_macs.saturating_mul(count));
            } else {
                for (current, &weight) in current_regions.iter().zip(&weights) {
                    let inner = self.level(depth + 1, current);
                    compute = compute.max(inner.runtime);
                    let times = count.saturating_mul(weight);
                    cost.totals.add_scaled(&inner.totals, times);
                    // Added unit by unit, in unit order, so the floating-point sum does not depend
                    // on which units were sampled.
                    let utilisation = inner.totals.active_pe_steps / inner.steps.max(1) as f64;
                    for _ in 0..weight {
                        active_pes += utilisation;
                    }
                    // The sub-cluster's buffer is the inner level's upstream buffer.
                    let reads: u64 =
                        inner.upstream_reads.iter().sum::<u64>() + inner.sent[0] + inner.sent[1];
                    let writes: u64 = inner.upstream_writes.iter().sum();
                    cost.totals.cluster_reads = cost
                        .totals
                        .cluster_reads
                        .saturating_add(reads.saturating_mul(times));
                    cost.totals.cluster_writes = cost
                        .totals
                        .cluster_writes
                        .saturating_add(writes.saturating_mul(times));
                }
            }
            cost.totals.active_pe_steps += active_pes * count as f64;

            let ingress_time = transfer_cycles(
                step_sent,
                in_bandwidth,
                in_hops,
                hardware.distribution_noc.hop_latency,
            );
            let egress_time = transfer_cycles(
                arrived,
                out_bandwidth,
                out_hops,
                hardware.collection_noc.hop_latency,
            );
            cost.totals.noc_element_hops = cost
                .totals
                .noc_element_hops
                .saturating_add(step_sent.saturating_mul(in_hops).saturating_mul(count))
                .saturating_add(
                    out.unit_elements
                        .saturating_mul(out_hops)
                        .saturating_mul(count),
                );
            let step_time = if class.previous.is_none() {
                ingress_time + compute
            } else if self.double_buffered || !innermost {
                compute.max(ingress_time).max(egress_time)
            } else {
                (ingress_time + compute).max(egress_time)
            };
            let total = step_time.saturating_mul(count);
            if class.previous.is_none() {
                cost.time.fill = cost.time.fill.saturating_add(total);
            } else if class.edge {
                cost.time.edge = cost.time.edge.saturating_add(total);
            } else {
                cost.time.steady = cost.time.steady.saturating_add(total);
            }
            cost.time.compute = cost
                .time
                .compute
                .saturating_add(compute.saturating_mul(count));
            cost.time.ingress = cost
                .time
                .ingress
                .saturating_add(ingress_time.saturating_mul(count));
            cost.time.egress = cost
                .time
                .egress
                .saturating_add(egress_time.saturating_mul(count));
            cost.ingress_delay.record(ingress_time, count);
            cost.egress_delay.record(egress_time, count);
            cost.compute_delay.record(compute, count);
            let demand = step_sent.max(arrived);
            cost.peak_bandwidth = cost.peak_bandwidth.max(demand.div_ceil(compute.max(1)));
        }

        // Drain: after the last step every active unit sends its output tile up.
        let last = last_position(&geometry);
        leaving.clear();
        for unit in 0..geometry.active_units(&last) {
            if let Some(current) = geometry.unit_region(&last, unit) {
                leaving.push(footprint(Tensor::Output, &current));
            }
        }
        let out = egress(&leaving, &mut order);
        let arrived = if implicit_reduction {
            out.distinct_elements
        } else {
            out.unit_elements
        };
        cost.upstream_writes[2] = cost.upstream_writes[2].saturating_add(arrived);
        let reductions = out.unit_elements - out.distinct_elements;
        cost.totals.reductions = cost.totals.reductions.saturating_add(reductions);
        if !implicit_reduction {
            cost.upstream_reads[2] = cost.upstream_reads[2].saturating_add(reductions);
        }
        cost.totals.noc_element_hops = cost
            .totals
            .noc_element_hops
            .saturating_add(out.unit_elements.saturating_mul(out_hops));
        cost.time.drain = transfer_cycles(
            arrived,
            out_bandwidth,
            out_hops,
            hardware.collection_noc.hop_latency,
        );
        cost.time.egress = cost.time.egress.saturating_add(cost.time.drain);

        // Upstream output traffic: final values once, everything else is partial sums.
        let distinct_arrived = if implicit_reduction {
            cost.upstream_writes[2]
        } else {
            cost.upstream_writes[2] - cost.upstream_reads[2].min(cost.upstream_writes[2])
        };
        cost.partial_writes = distinct_arrived.saturating_sub(cost.final_outputs);
        cost.upstream_reads[2] = cost.upstream_reads[2].saturating_add(cost.partial_reloads);
        cost.upstream_reads[0] = cost.sent[0];
        cost.upstream_reads[1] = cost.sent[1];
        if innermost {
            cost.totals.l1_writes[0] = cost.totals.l1_writes[0].saturating_add(cost.delivered[0]);
            cost.totals.l1_writes[1] = cost.totals.l1_writes[1].saturating_add(cost.delivered[1]);
            cost.totals.l1_writes[2] = cost.totals.l1_writes[2].saturating_add(cost.delivered[2]);
        } else {
            cost.totals.cluster_writes = cost
                .totals
                .cluster_writes
                .saturating_add(cost.delivered.iter().sum());
        }
        cost.runtime = cost
            .time
            .fill
            .saturating_add(cost.time.steady)
            .saturating_add(cost.time.edge)
            .saturating_add(cost.time.drain);
        cost
    }
}

/// The last step's position.
fn last_position(geometry: &LevelGeometry) -> StepPosition {
    let mut last = StepPosition {
        indices: [0; MAX_LOOPS_PER_LEVEL],
        ordinal: 0,
        changed: None,
    };
    for (position, entry) in geometry.schedule().iter().enumerate() {
        last.indices[position] = entry.count().saturating_sub(1);
    }
    last.ordinal = geometry.steps().saturating_sub(1);
    last
}

/// Whether a schedule loop's index changes some unit's output tile.
fn affects_output(
    geometry: &LevelGeometry,
    entry: &ScheduleLoop,
    layer_type: maestro_ir::LayerType,
) -> bool {
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

/// The step classes of a level: the first step, then for every changing loop `j` (inner loops restart
/// at 0, loop `j` is at a middle or its last index) every combination of first/middle/last for the
/// loops outside it. Their counts add up to the number of steps.
fn classes(geometry: &LevelGeometry, layer_type: maestro_ir::LayerType) -> Vec<StepClass> {
    let schedule = geometry.schedule();
    let counts: Vec<u64> = schedule.iter().map(ScheduleLoop::count).collect();
    let output_loops: Vec<bool> = schedule
        .iter()
        .map(|entry| affects_output(geometry, entry, layer_type))
        .collect();
    let partial: Vec<bool> = schedule
        .iter()
        .map(|entry| last_is_partial(geometry, entry))
        .collect();
    // (index, occurrences) per state of a loop: first, middle, last.
    // Folds of several spatial maps mix tile shapes differently fold by fold, so each fold is its own
    // state there; elsewhere every middle index behaves like index 1.
    let exhaustive: Vec<bool> = schedule
        .iter()
        .map(|entry| {
            matches!(entry, ScheduleLoop::Folds { .. }) && geometry.spatial_loops().len() > 1
        })
        .collect();
    let states = |position: usize| -> Vec<(u64, u64)> {
        let count = counts[position];
        if exhaustive[position] {
            return (0..count.max(1)).map(|index| (index, 1)).collect();
        }
        match count {
            0 | 1 => vec![(0, 1)],
            2 => vec![(0, 1), (1, 1)],
            _ => vec![(0, 1), (1, count - 2), (count - 1, 1)],
        }
    };
    let first = StepPosition {
        indices: [0; MAX_LOOPS_PER_LEVEL],
        ordinal: 0,
        changed: None,
    };
    let mut result = vec![StepClass {
        current: first,
        previous: None,
        count: 1,
        edge: false,
        revisit: false,
    }];
    for changing in 0..schedule.len() {
        if counts[changing] < 2 {
            continue;
        }
        let outer: Vec<Vec<(u64, u64)>> = (0..changing).map(states).collect();
        let own: Vec<(u64, u64)> = states(changing)
            .into_iter()
            .filter(|&(index, _)| index > 0)
            .collect();
        let combinations: usize = outer.iter().map(Vec::len).product();
        let mut choice = vec![0usize; changing];
        for combination in 0..combinations {
            let mut rest = combination;
            for position in (0..changing).rev() {
                choice[position] = rest % outer[position].len();
                rest /= outer[position].len();
            }
            for &(own_index, own_count) in &own {
                let mut current = first;
                let mut previous = first;
                let mut count = own_count;
                let mut edge = false;
                let mut revisit = false;
                for (position, states) in outer.iter().enumerate() {
                    let (index, occurrences) = states[choice[position]];
                    current.indices[position] = index;
                    previous.indices[position] = index;
                    count = count.saturating_mul(occurrences);
                    edge |=
                        partial[position] && index + 1 == counts[position] && counts[position] > 1;
                    revisit |= !output_loops[position] && index > 0;
                }
                current.indices[changing] = own_index;
                previous.indices[changing] = own_index - 1;
                edge |= partial[changing] && own_index + 1 == counts[changing];
                revisit |= !output_loops[changing];
                for (position, &count) in counts.iter().enumerate().skip(changing + 1) {
                    previous.indices[position] = count - 1;
                }
                current.changed = Some(changing);
                result.push(StepClass {
                    current,
                    previous: Some(previous),
                    count,
                    edge,
                    revisit,
                });
            }
        }
    }
    result
}
