//! A layer analysed once for a hardware *structure*, then costed for any number of hardware
//! *parameters* (the design-space sweep's inner loop).
//!
//! What moves where — every traffic counter, per kind of step the elements sent and received and what
//! bounds the compute — depends on the layer, its mapping and the structural fields of the
//! accelerator only. Time, buffering, off-chip traffic, energy, area and power depend on the others.
//!
//! | structural (a different value needs a new [`PreparedLayer`]) | evaluation-time |
//! |---|---|
//! | `num_pes` | `simd_lanes`, `mac_pipeline_latency` |
//! | `distribution_noc.multicast` | `l1_size` (double buffering), `l2_size` (off-chip refetches) |
//! | `collection_noc.implicit_reduction` | `l2_bandwidth`, both NoCs' `bandwidth` and `hop_latency` |
//! | `distribution_noc.topology`, `collection_noc.topology` | `offchip`, `energy`, `name`, `collection_noc.reduction_op` |

use super::level::{Analyzer, LevelPlan, LevelVolumes, Structure};
use super::row::{self, accesses_sum, EnergyCounts, Requirements, RowInputs};
use super::timing::{
    fill_split, level_compute, level_period, level_time, transfer_cycles, FillSplit, Fills,
    LevelLinks, LevelTime, Streaming,
};
use super::{area_power, check_hardware};
use crate::detail::{Accesses, LayerDetail, PerTensor, RuntimeBreakdown};
use crate::{CostError, LayerCost};
use maestro_ir::expansion::{Adjustment, StepPosition, MAX_LOOPS_PER_LEVEL};
use maestro_ir::{Accelerator, Duplex, Expansion, Layer, Region, Tensor};

/// The structural fields of an accelerator (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HardwareStructure {
    pub num_pes: u64,
    pub multicast: bool,
    pub implicit_reduction: bool,
    pub distribution_topology: maestro_ir::NocTopology,
    pub collection_topology: maestro_ir::NocTopology,
}

impl HardwareStructure {
    pub fn of(accelerator: &Accelerator) -> HardwareStructure {
        HardwareStructure {
            num_pes: accelerator.num_pes,
            multicast: accelerator.distribution_noc.multicast,
            implicit_reduction: accelerator.collection_noc.implicit_reduction,
            distribution_topology: accelerator.distribution_noc.topology,
            collection_topology: accelerator.collection_noc.topology,
        }
    }

    fn traffic(&self) -> Structure {
        Structure {
            multicast: self.multicast,
            implicit_reduction: self.implicit_reduction,
            distribution_topology: self.distribution_topology,
            collection_topology: self.collection_topology,
        }
    }
}

/// The headline numbers of one layer on one accelerator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerSummary {
    /// Cycles.
    pub runtime: u64,
    /// nJ.
    pub energy: f64,
    /// µm² (the reference's unit).
    pub area: f64,
    /// mW.
    pub power: f64,
    /// Energy-delay product: `energy × runtime` (nJ·cycles).
    pub edp: f64,
}

/// Off-chip and L2 traffic when L2 holds the whole layer (index 1) or not (index 0).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Storage {
    offchip: PerTensor<Accesses>,
    energy: EnergyCounts,
    offchip_total: u64,
    /// Off-chip reads and writes apart (they share one bandwidth only with half duplex).
    offchip_reads: u64,
    offchip_writes: u64,
}

/// A layer analysed for one hardware structure (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct PreparedLayer {
    layer: String,
    structure: HardwareStructure,
    /// Every level shape analysed; inner plans first, the top level last.
    plans: Vec<LevelPlan>,
    tensor_sizes: [u64; 3],
    /// Elements one PE holds for one step, and the L2 working set of one top-level step.
    l1_step: u64,
    l2_step: u64,
    /// Warnings that do not depend on evaluation-time fields (adjusted tiles, unused PEs).
    structural_warnings: Vec<String>,
    storage: [Storage; 2],
    /// Cluster levels and PEs the mapping uses (the hops of a path from L2 to a PE).
    levels: u64,
    used_pes: u64,
}

/// The error of a layer on its own (a network's analysis puts in the layer's index).
fn layer_error(layer: &Layer, reason: String) -> CostError {
    CostError {
        layer_index: 0,
        layer: layer.name.clone(),
        reason,
    }
}

impl PreparedLayer {
    /// Analyses `layer` for the structural fields of `accelerator`. Errors (with `layer_index` 0) when
    /// the hardware has a zero bandwidth, PE count or SIMD width, or the mapping cannot be expanded.
    pub fn new(layer: &Layer, accelerator: &Accelerator) -> Result<PreparedLayer, CostError> {
        Self::build(layer, accelerator, false).map_err(|reason| layer_error(layer, reason))
    }

    /// [`PreparedLayer::new`], optionally evaluating every unit of every step one by one instead of
    /// by the closed forms (the two must agree exactly; the tests compare them).
    pub(super) fn build(
        layer: &Layer,
        accelerator: &Accelerator,
        exhaustive: bool,
    ) -> Result<PreparedLayer, String> {
        check_hardware(accelerator)?;
        let structure = HardwareStructure::of(accelerator);
        let expansion =
            Expansion::new(layer, structure.num_pes).map_err(|error| error.to_string())?;
        let bounds = expansion.bounds;
        let mut structural_warnings = Vec::new();
        for adjustment in &expansion.adjustments {
            let Adjustment::TrimmedOverlap {
                level,
                dim,
                written_size,
                size,
            } = *adjustment;
            structural_warnings.push(format!(
                "level {level}: tiles of {dim} overlapped (size {written_size}); trimmed to {size} so that no MAC repeats"
            ));
        }
        if expansion.used_pes < structure.num_pes {
            structural_warnings.push(format!(
                "the mapping uses {} of {} PEs",
                expansion.used_pes, structure.num_pes
            ));
        }
        let (l1_step, l2_step) = step_working_sets(&expansion);
        let plans = Analyzer::analyse_layer(&expansion, structure.traffic(), exhaustive);
        let top = &plans
            .last()
            .ok_or_else(|| "internal inconsistency: no level analysed".to_string())?
            .volumes;
        let macs = top.totals.macs;
        if macs != bounds.macs() || macs == 0 {
            return Err(format!(
                "internal inconsistency: {macs} MACs analysed, {} in the layer",
                bounds.macs()
            ));
        }
        let tensor_sizes = [
            bounds.tensor_elements(Tensor::Input),
            bounds.tensor_elements(Tensor::Weight),
            bounds.tensor_elements(Tensor::Output),
        ];
        let storage = [false, true].map(|holds| storage(top, &tensor_sizes, holds));
        Ok(PreparedLayer {
            layer: layer.name.clone(),
            structure,
            plans,
            tensor_sizes,
            l1_step,
            l2_step,
            structural_warnings,
            storage,
            levels: expansion.levels.len() as u64,
            used_pes: expansion.used_pes,
        })
    }

    /// The structure this layer was prepared for.
    pub fn structure(&self) -> HardwareStructure {
        self.structure
    }

    /// Whether `accelerator` has the structure this layer was prepared for.
    pub fn fits(&self, accelerator: &Accelerator) -> bool {
        HardwareStructure::of(accelerator) == self.structure
    }

    fn check(&self, accelerator: &Accelerator) -> Result<(), CostError> {
        let error = |reason: String| CostError {
            layer_index: 0,
            layer: self.layer.clone(),
            reason,
        };
        check_hardware(accelerator).map_err(error)?;
        if !self.fits(accelerator) {
            return Err(error(format!(
                "the layer was prepared for {:?}, not for {:?}",
                self.structure,
                HardwareStructure::of(accelerator)
            )));
        }
        Ok(())
    }

    /// The full cost on `accelerator` (the same as `analyze_network` gives for this layer).
    pub fn evaluate(
        &self,
        network: &str,
        accelerator: &Accelerator,
    ) -> Result<LayerCost, CostError> {
        self.check(accelerator)?;
        Ok(self.evaluate_unchecked(network, &self.layer, accelerator))
    }

    /// Runtime, energy, area, power and energy-delay product on `accelerator`; allocation-free.
    pub fn evaluate_summary(&self, accelerator: &Accelerator) -> Result<LayerSummary, CostError> {
        self.check(accelerator)?;
        let double_buffered = self.double_buffered(accelerator);
        let l2_holds_layer = self.l2_holds_layer(accelerator);
        let top_time = self.top_time(accelerator, double_buffered, l2_holds_layer);
        let storage = &self.storage[usize::from(l2_holds_layer)];
        let (runtime, _) = self.runtime(&top_time, storage, accelerator, l2_holds_layer);
        let (_, energy) = row::energy(&storage.energy, &accelerator.energy);
        let hardware_cost = area_power(accelerator);
        Ok(LayerSummary {
            runtime,
            energy,
            area: hardware_cost.area,
            power: hardware_cost.power,
            edp: energy * runtime as f64,
        })
    }

    /// The layer's runtime and the part of it the on-chip pipeline does not explain (off-chip).
    /// When L2 holds the layer, inputs and weights are loaded before the first step and outputs
    /// written back after the last; otherwise the top level's steps stream working sets and outputs
    /// (in `top_time`). Either way no runtime is shorter than moving the off-chip traffic once.
    fn runtime(
        &self,
        top_time: &LevelTime,
        storage: &Storage,
        hardware: &Accelerator,
        l2_holds_layer: bool,
    ) -> (u64, u64) {
        let staging = if l2_holds_layer {
            let offchip = &hardware.offchip;
            let inputs = self.tensor_sizes[0].saturating_add(self.tensor_sizes[1]);
            transfer_cycles(inputs, offchip.bandwidth, 1, offchip.latency).saturating_add(
                transfer_cycles(self.tensor_sizes[2], offchip.bandwidth, 1, offchip.latency),
            )
        } else {
            0
        };
        let runtime = top_time
            .runtime
            .saturating_add(staging)
            .max(offchip_time(storage, hardware))
            .max(1);
        (runtime, runtime - top_time.runtime.min(runtime))
    }

    fn double_buffered(&self, accelerator: &Accelerator) -> bool {
        self.l1_step.saturating_mul(2) <= accelerator.l1_size
    }

    fn l2_holds_layer(&self, accelerator: &Accelerator) -> bool {
        self.tensor_sizes
            .iter()
            .fold(0u64, |sum, &size| sum.saturating_add(size))
            <= accelerator.l2_size
    }

    /// Hops of a transfer between L2 and a PE: one on a bus, the root link plus one link per level
    /// on a tree, and on a mesh the columns of the near-square PE grid (the farthest destination).
    fn path_hops(&self, topology: maestro_ir::NocTopology) -> u64 {
        match topology {
            maestro_ir::NocTopology::Bus => 1,
            maestro_ir::NocTopology::Tree => self.levels + 1,
            maestro_ir::NocTopology::Mesh => {
                let mut columns = 1u64;
                while columns.saturating_mul(columns) < self.used_pes {
                    columns += 1;
                }
                columns
            }
        }
    }

    fn links(
        &self,
        plan: &LevelPlan,
        accelerator: &Accelerator,
        double_buffered: bool,
    ) -> LevelLinks {
        let mut in_bandwidth = accelerator.distribution_noc.bandwidth;
        let mut out_bandwidth = accelerator.collection_noc.bandwidth;
        if plan.depth == 0 {
            in_bandwidth = in_bandwidth.min(accelerator.l2_bandwidth);
            out_bandwidth = out_bandwidth.min(accelerator.l2_bandwidth);
        }
        let path = |topology, hop_latency: u64| {
            if plan.innermost {
                self.path_hops(topology).saturating_mul(hop_latency)
            } else {
                0
            }
        };
        LevelLinks {
            in_bandwidth,
            out_bandwidth,
            in_latency: path(
                accelerator.distribution_noc.topology,
                accelerator.distribution_noc.hop_latency,
            ),
            out_latency: path(
                accelerator.collection_noc.topology,
                accelerator.collection_noc.hop_latency,
            ),
            simd_lanes: accelerator.simd_lanes,
            mac_pipeline_latency: accelerator.mac_pipeline_latency,
            double_buffered,
        }
    }

    /// Runs `finish` on every plan's period sum (half cycles), compute sum (inner plans first) and
    /// the innermost plans' fills, on stack buffers when they fit.
    fn with_periods<T>(
        &self,
        accelerator: &Accelerator,
        double_buffered: bool,
        finish: impl FnOnce(&[u64], &[u64], Option<&Fills<'_>>) -> T,
    ) -> T {
        const ON_STACK: usize = 32;
        let mut stack = [[0u64; ON_STACK]; 2];
        let mut stack_splits = [FillSplit::default(); ON_STACK];
        let mut heap = [Vec::new(), Vec::new()];
        let mut heap_splits = Vec::new();
        let count = self.plans.len();
        let ([periods, computes], splits): ([&mut [u64]; 2], &mut [FillSplit]) =
            if count <= ON_STACK {
                let [a, b] = &mut stack;
                (
                    [&mut a[..count], &mut b[..count]],
                    &mut stack_splits[..count],
                )
            } else {
                heap[0].resize(count, 0);
                heap[1].resize(count, 0);
                heap_splits.resize(count, FillSplit::default());
                let [a, b] = &mut heap;
                (
                    [a.as_mut_slice(), b.as_mut_slice()],
                    heap_splits.as_mut_slice(),
                )
            };
        // The top plan is timed by `level_time`; only inner plans need their sums.
        let inner = count.saturating_sub(1);
        let mut fill_links = None;
        for (index, plan) in self.plans.iter().enumerate().take(inner) {
            let links = self.links(plan, accelerator, double_buffered);
            if plan.innermost {
                splits[index] = fill_split(&plan.records, plan.drain_arrived, &links);
                fill_links = Some(links);
            }
            let fills = fill_links.map(|links| Fills {
                splits: &splits[..index],
                links,
            });
            periods[index] = level_period(
                &plan.records,
                plan.drain_arrived,
                plan.innermost,
                &links,
                &plan.inner_ids,
                &periods[..index],
                fills.as_ref(),
            );
            computes[index] =
                level_compute(&plan.records, &links, &plan.inner_ids, &computes[..index]);
        }
        let fills = fill_links.map(|links| Fills {
            splits: &splits[..inner],
            links,
        });
        finish(periods, computes, fills.as_ref())
    }

    /// The top level's time with every statistic (the whole on-chip pipeline, and the streaming of
    /// working sets when L2 cannot hold the layer).
    fn top_time(
        &self,
        accelerator: &Accelerator,
        double_buffered: bool,
        l2_holds_layer: bool,
    ) -> LevelTime {
        self.with_periods(accelerator, double_buffered, |periods, computes, fills| {
            let Some(top) = self.plans.last() else {
                return LevelTime::default();
            };
            let links = self.links(top, accelerator, double_buffered);
            let hop_latency = accelerator.distribution_noc.hop_latency;
            let streaming = (!l2_holds_layer).then_some(Streaming {
                bandwidth: accelerator.offchip.bandwidth,
                latency: accelerator.offchip.latency,
                path: self
                    .path_hops(accelerator.distribution_noc.topology)
                    .saturating_mul(hop_latency),
                final_outputs: top.volumes.final_outputs,
                arrived_outputs: top.volumes.upstream_writes[2],
                half_duplex: accelerator.offchip.duplex == Duplex::Half,
            });
            level_time(
                &top.records,
                top.drain_arrived,
                top.innermost,
                &links,
                streaming,
                &top.inner_ids,
                periods,
                computes,
                fills,
            )
        })
    }

    /// The full cost, once the hardware is known to be valid and to fit.
    pub(super) fn evaluate_unchecked(
        &self,
        network: &str,
        layer: &str,
        hardware: &Accelerator,
    ) -> LayerCost {
        let top_plan = self.plans.last();
        let empty = LevelVolumes::default();
        let top = top_plan.map_or(&empty, |plan| &plan.volumes);
        let mut warnings = self.structural_warnings.clone();
        let l1_step = self.l1_step;
        let l2_step = self.l2_step;
        let double_buffered = self.double_buffered(hardware);
        if l1_step > hardware.l1_size {
            warnings.push(format!(
                "L1 holds {} elements but one step's tiles need {l1_step}",
                hardware.l1_size
            ));
        } else if !double_buffered {
            warnings.push(format!(
                "L1 ({}) cannot hold two steps' tiles ({}): no double buffering, ingress and compute serialize",
                hardware.l1_size,
                2 * l1_step
            ));
        }
        let l2_holds_layer = self.l2_holds_layer(hardware);
        let top_time = self.top_time(hardware, double_buffered, l2_holds_layer);
        let l2_requirement = if l2_holds_layer {
            l2_step.saturating_mul(2)
        } else {
            l2_step
        };
        if l2_step > hardware.l2_size {
            warnings.push(format!(
                "L2 holds {} elements but one top-level step needs {l2_step}",
                hardware.l2_size
            ));
        }
        let storage = &self.storage[usize::from(l2_holds_layer)];
        let offchip = storage.offchip;
        let offchip_time = offchip_time(storage, hardware);
        let (runtime, offchip_stall) = self.runtime(&top_time, storage, hardware, l2_holds_layer);
        let (l1, l2) = buffer_accesses(top, &offchip);
        let detail = LayerDetail {
            warnings,
            l1,
            l2,
            offchip,
            cluster_buffers: Accesses {
                reads: top.totals.cluster_reads,
                writes: top.totals.cluster_writes,
            },
            // Output NoC traffic goes both ways: tiles collected into L2 (delivered once, at L2)
            // and partial sums reloaded from L2 (delivered once per receiving unit).
            noc_sent: PerTensor {
                input: top.sent[0],
                weight: top.sent[1],
                output: top.upstream_writes[2].saturating_add(top.partial_reloads),
            },
            noc_delivered: PerTensor {
                input: top.delivered[0],
                weight: top.delivered[1],
                output: top.upstream_writes[2].saturating_add(top.delivered[2]),
            },
            partial_sum_writes: top.partial_writes,
            partial_sum_reloads: top.partial_reloads,
            reductions: top.totals.reductions,
            runtime: RuntimeBreakdown {
                fill: top_time.time.fill,
                steady: top_time.time.steady,
                edge: top_time.time.edge,
                drain: top_time.time.drain,
                compute: top_time.time.compute,
                ingress: top_time.time.ingress,
                egress: top_time.time.egress,
                offchip: offchip_time,
                offchip_stall,
            },
            double_buffered,
            l1_step_elements: l1_step,
            l2_step_elements: l2_step,
            l2_holds_layer,
            ..LayerDetail::default()
        };
        let requirements = Requirements {
            l1: if double_buffered {
                l1_step.saturating_mul(2)
            } else {
                l1_step
            },
            l2: l2_requirement,
        };
        let inputs = RowInputs {
            network,
            layer,
            top,
            top_time: &top_time,
            runtime,
            requirements,
            tensor_sizes: self.tensor_sizes,
        };
        let (row, detail) = row::assemble(&inputs, hardware, detail);
        LayerCost {
            row,
            detail: Some(detail),
        }
    }
}

fn offchip_time(storage: &Storage, hardware: &Accelerator) -> u64 {
    let busiest = match hardware.offchip.duplex {
        Duplex::Half => storage.offchip_total,
        Duplex::Full => storage.offchip_reads.max(storage.offchip_writes),
    };
    busiest
        .div_ceil(hardware.offchip.bandwidth)
        .saturating_add(hardware.offchip.latency)
}

/// L1 (summed over PEs) and L2 accesses per tensor.
fn buffer_accesses(
    top: &LevelVolumes,
    offchip: &PerTensor<Accesses>,
) -> (PerTensor<Accesses>, PerTensor<Accesses>) {
    let l1 = |tensor: usize| Accesses {
        reads: top.totals.l1_reads[tensor],
        writes: top.totals.l1_writes[tensor],
    };
    let l2 = PerTensor {
        input: Accesses {
            reads: top.upstream_reads[0],
            writes: offchip.input.reads,
        },
        weight: Accesses {
            reads: top.upstream_reads[1],
            writes: offchip.weight.reads,
        },
        // Output reads from L2: read-modify-writes and partial-sum reloads, plus every final
        // output read once on its way to off-chip memory.
        output: Accesses {
            reads: top.upstream_reads[2].saturating_add(offchip.output.writes),
            writes: top.upstream_writes[2],
        },
    };
    (
        PerTensor {
            input: l1(0),
            weight: l1(1),
            output: l1(2),
        },
        l2,
    )
}

/// Off-chip traffic: every input and weight element at least once, every final output once; when L2
/// cannot hold the layer, every top-level working set's new inputs and weights are refetched, while
/// partial sums stay in L2.
fn storage(top: &LevelVolumes, sizes: &[u64; 3], l2_holds_layer: bool) -> Storage {
    let offchip = if l2_holds_layer {
        PerTensor {
            input: Accesses {
                reads: sizes[0],
                writes: 0,
            },
            weight: Accesses {
                reads: sizes[1],
                writes: 0,
            },
            output: Accesses {
                reads: 0,
                writes: sizes[2],
            },
        }
    } else {
        PerTensor {
            input: Accesses {
                reads: top.sent[0].max(sizes[0]),
                writes: 0,
            },
            weight: Accesses {
                reads: top.sent[1].max(sizes[1]),
                writes: 0,
            },
            // Partial sums stay in L2 (they are reloaded from it); only final values go on to
            // off-chip memory, once each, as they reach L2.
            output: Accesses {
                reads: 0,
                writes: sizes[2],
            },
        }
    };
    let offchip_total = accesses_sum(&[offchip.input, offchip.weight, offchip.output]);
    let offchip_reads = [offchip.input, offchip.weight, offchip.output]
        .iter()
        .fold(0u64, |sum, accesses| sum.saturating_add(accesses.reads));
    let (l1, l2) = buffer_accesses(top, &offchip);
    Storage {
        offchip,
        energy: EnergyCounts {
            macs: top.totals.macs,
            l1: accesses_sum(&[l1.input, l1.weight, l1.output]),
            cluster: accesses_sum(&[Accesses {
                reads: top.totals.cluster_reads,
                writes: top.totals.cluster_writes,
            }]),
            l2: accesses_sum(&[l2.input, l2.weight, l2.output]),
            offchip: offchip_total,
            noc_element_hops: top.totals.noc_element_hops,
        },
        offchip_total,
        offchip_reads,
        offchip_writes: offchip_total.saturating_sub(offchip_reads),
    }
}

/// Elements of all three tensors that one region touches.
fn tile_set(expansion: &Expansion, region: &Region) -> u64 {
    Tensor::ALL
        .iter()
        .map(|&tensor| expansion.footprint(tensor, region).elements())
        .sum()
}

/// One PE's tiles in its first step (the largest: edges are smaller), and the union of the top level's
/// active units' tiles in its first step.
fn step_working_sets(expansion: &Expansion) -> (u64, u64) {
    let first = StepPosition {
        indices: [0; MAX_LOOPS_PER_LEVEL],
        ordinal: 0,
        changed: None,
    };
    let whole = expansion.whole();
    let top = expansion.geometry(0, &whole);
    let active = top.active_units(&first);
    let union = if top.spatial_loops().len() <= 1 {
        // Units of one spatial map hold consecutive tiles: the union spans the first to the last.
        top.unit_region(&first, 0).map(|mut joined| {
            if let (Some(&spatial), Some(last)) = (
                top.spatial_loops().first(),
                top.unit_region(&first, active.saturating_sub(1)),
            ) {
                let dim = top.loop_at(spatial).spec.dim;
                joined.set(dim, joined.start(dim)..last.end(dim));
            }
            joined
        })
    } else {
        let mut union: Option<Region> = None;
        for unit in 0..active {
            if let Some(region) = top.unit_region(&first, unit) {
                union = Some(match union {
                    None => region,
                    Some(mut joined) => {
                        for &dim in expansion.bounds.layer_type.loop_dims() {
                            joined.set(
                                dim,
                                joined.start(dim).min(region.start(dim))
                                    ..joined.end(dim).max(region.end(dim)),
                            );
                        }
                        joined
                    }
                });
            }
        }
        union
    };
    let l2 = union.map_or(0, |region| tile_set(expansion, &region));
    let mut region = whole;
    for depth in 0..expansion.levels.len() {
        let geometry = expansion.geometry(depth, &region);
        if let Some(unit) = geometry.unit_region(&first, 0) {
            region = unit;
        }
    }
    (tile_set(expansion, &region), l2)
}
