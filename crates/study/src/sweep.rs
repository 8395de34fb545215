//! Parameter sweeps: every dataflow × every point of a [`SweepSpace`] × every layer, on the
//! analytical model, the simulator or both.
//!
//! The analytical engine prepares each layer once per *hardware structure* (PE count, multicast,
//! reduction and topologies; for a template dataflow also the L1 size, which sizes its tiles) with
//! `maestro_cost::corrected::PreparedLayer`, and evaluates every point of that structure with the
//! allocation-free `evaluate_summary`. Layers of one network with equal shape and mapping share one
//! preparation. The simulator runs each (point, layer) pair on its own. Work is spread over scoped
//! worker threads; results are stored by index, so the output is the same with any thread count.

use crate::error::StudyError;
use crate::param::{Param, ParamValue};
use crate::space::{SweepSpace, MAX_POINTS};
use crate::workload::{Dataflow, Workload};
use maestro_cost::corrected::{area_power, HardwareStructure, PreparedLayer};
use maestro_ir::{Accelerator, Layer, Network};
use maestro_parallel::{ordered_map, ordered_map_with};
use maestro_sim::{LatencySummary, LayerSimReport, SimBuilder, SimOptions};
use maestro_validate::{attribute_gap, simulated_energy, GapBucket};
use serde::Serialize;
use std::collections::HashMap;

/// Which engines evaluate each point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Analytical,
    #[serde(rename = "sim")]
    Simulator,
    Both,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Analytical => "analytical",
            Engine::Simulator => "sim",
            Engine::Both => "both",
        }
    }

    pub fn analytical(self) -> bool {
        matches!(self, Engine::Analytical | Engine::Both)
    }

    pub fn simulated(self) -> bool {
        matches!(self, Engine::Simulator | Engine::Both)
    }
}

/// A deterministic part of a sweep's design points, for studies spread over several processes or
/// machines: shard `index` of `count` takes the points `index, index + count, index + 2·count, …`
/// (dataflows first, then points in space order, as everywhere), so the shards are balanced and
/// together hold every point exactly once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// The whole sweep.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Shard `index` of `count`; `None` unless `index < count`.
    pub fn new(index: usize, count: usize) -> Option<Shard> {
        (index < count).then_some(Shard { index, count })
    }

    /// Whether design point `point` belongs to this shard.
    pub fn holds(self, point: usize) -> bool {
        point % self.count == self.index
    }

    /// How many of `points` design points belong to this shard.
    pub fn len(self, points: usize) -> usize {
        points.saturating_sub(self.index).div_ceil(self.count)
    }

    /// Whether the shard holds no point of a sweep of `points`.
    pub fn is_empty(self, points: usize) -> bool {
        self.len(points) == 0
    }
}

/// How to run a sweep.
#[derive(Clone, Debug)]
pub struct SweepOptions {
    pub engine: Engine,
    /// Worker threads; results do not depend on it.
    pub threads: usize,
    /// Simulator options (its own `threads` is ignored: the sweep parallelises over points).
    pub sim: SimOptions,
    /// The design points to evaluate (all by default).
    pub shard: Shard,
    /// Design points already evaluated (a resumed shard): skipped.
    pub done: std::collections::BTreeSet<usize>,
}

impl Default for SweepOptions {
    fn default() -> Self {
        SweepOptions {
            engine: Engine::Analytical,
            threads: 1,
            sim: SimOptions::default(),
            shard: Shard::WHOLE,
            done: std::collections::BTreeSet::new(),
        }
    }
}

impl SweepOptions {
    /// The design points this run evaluates, in order: its shard's, less those already done.
    pub fn selected_points(&self, sweep: &Sweep) -> Vec<usize> {
        (self.shard.index..sweep.points())
            .step_by(self.shard.count.max(1))
            .filter(|point| !self.done.contains(point))
            .collect()
    }
}

/// A sweep: the base hardware, the swept parameters and what to evaluate.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub base: Accelerator,
    pub space: SweepSpace,
    pub workload: Workload,
}

impl Sweep {
    /// Checks that dataflows × points stays within [`MAX_POINTS`].
    pub fn new(
        base: Accelerator,
        space: SweepSpace,
        workload: Workload,
    ) -> Result<Sweep, StudyError> {
        let points = u128::from(space.len()) * workload.dataflows.len() as u128;
        if points > u128::from(MAX_POINTS) {
            return Err(StudyError::TooManyPoints {
                points,
                limit: MAX_POINTS,
            });
        }
        Ok(Sweep {
            base,
            space,
            workload,
        })
    }

    /// Design points over all dataflows.
    pub fn points(&self) -> usize {
        // Bounded by MAX_POINTS in `new`.
        self.space.len() as usize * self.workload.dataflows.len()
    }

    /// A fingerprint of the study (base hardware, swept space, workload and mappings, engines and
    /// simulator options), so that parts of different studies are never merged: FNV-1a over the
    /// study's `Debug` text, which is the same for the same inputs on any machine.
    pub fn fingerprint(&self, options: &SweepOptions) -> u64 {
        let text = format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}",
            self.base, self.space, self.workload, options.engine, options.sim.ignore_capacity
        );
        text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// Design point × layer evaluations (per engine).
    pub fn evaluations(&self) -> u64 {
        (self.points() as u64).saturating_mul(self.workload.network.layers.len() as u64)
    }
}

/// The analytical model's numbers for one layer at one point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AnalyticalNumbers {
    pub runtime: u64,
    /// nJ.
    pub energy: f64,
    /// nJ·cycles.
    pub edp: f64,
}

/// The busiest NoC link of a simulated layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkLoad {
    pub name: String,
    /// Busy share of the layer's cycles (elements moved over bandwidth × cycles).
    pub utilisation: f64,
}

/// The simulator's numbers for one layer at one point, with its NoC contention measures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimulatedNumbers {
    pub runtime: u64,
    /// The simulator's counters priced with the accelerator's energy table, nJ.
    pub energy: f64,
    pub pe_utilisation: f64,
    /// Share of the working PEs' cycles spent waiting for the NoC: input and egress waits over
    /// `PEs used × cycles`.
    pub noc_stall_share: f64,
    /// Share of the working PEs' cycles spent waiting for off-chip transfers.
    pub offchip_stall_share: f64,
    /// The NoC link (bus, tree link or mesh link of either NoC; not the L2 ports or off-chip) with the
    /// highest utilisation; the first in link order on ties. `None` if no NoC link was used.
    pub busiest_link: Option<LinkLoad>,
    /// Transfer latency (ready to arrival) percentiles of the distribution and collection NoCs, from
    /// the simulator's histograms.
    pub distribution_latency: LatencySummary,
    pub collection_latency: LatencySummary,
}

/// Where the runtime gap between the engines mostly is (`maestro_validate::attribute_gap`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GapSummary {
    pub bucket: GapBucket,
    /// Simulated minus modelled cycles (per working PE) in that bucket.
    pub cycles: f64,
}

/// One layer at one point.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LayerOutcome {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytical: Option<AnalyticalNumbers>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulated: Option<SimulatedNumbers>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<GapSummary>,
    /// Why an engine could not evaluate the layer here (the analytical model's reason first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Sums over the layers of a point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub runtime: u64,
    pub energy: f64,
}

/// One dataflow at one design point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointResult {
    pub dataflow: &'static str,
    /// One value per swept parameter, in the sweep's parameter order.
    pub values: Vec<ParamValue>,
    /// The configured hardware's area (µm²) and power (mW), spec §12.
    pub area: f64,
    pub power: f64,
    /// One outcome per layer, in the sweep's layer order.
    pub layers: Vec<LayerOutcome>,
    /// Sums over the layers, per engine; `None` for an engine that failed on some layer.
    pub analytical_total: Option<Totals>,
    pub simulated_total: Option<Totals>,
}

/// Every point of a sweep: dataflows in the order given, then points in space order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepResult {
    pub network: String,
    pub engine: Engine,
    pub params: Vec<Param>,
    pub layers: Vec<String>,
    pub points: Vec<PointResult>,
}

/// The points of one dataflow that share a hardware structure: one preparation serves them all.
#[derive(Debug)]
pub(crate) struct Group {
    pub(crate) dataflow: Dataflow,
    /// The first point's accelerator (its structure is the group's).
    pub(crate) accelerator: Accelerator,
}

/// A group's network as mapped, its layers' preparations (shared between equal layers).
#[derive(Debug)]
pub(crate) struct PreparedGroup {
    pub(crate) mapped: Result<Network, String>,
    /// Per layer, the slot of its preparation.
    pub(crate) slot_of: Vec<usize>,
    pub(crate) prepared: Vec<Result<PreparedLayer, String>>,
}

/// Which points belong to which group, and the groups in order of first appearance.
fn group_points(sweep: &Sweep) -> (Vec<Group>, Vec<u32>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of = Vec::with_capacity(sweep.points());
    let mut index_of: HashMap<(usize, HardwareStructure, u64), u32> = HashMap::new();
    let mut scratch = sweep.base.clone();
    for (dataflow_index, &dataflow) in sweep.workload.dataflows.iter().enumerate() {
        for point in 0..sweep.space.len() {
            sweep.space.apply_point(&mut scratch, point);
            let l1 = if dataflow.depends_on_l1() {
                scratch.l1_size
            } else {
                0
            };
            let key = (dataflow_index, HardwareStructure::of(&scratch), l1);
            let group = *index_of.entry(key).or_insert_with(|| {
                groups.push(Group {
                    dataflow,
                    accelerator: scratch.clone(),
                });
                // At most MAX_POINTS groups.
                (groups.len() - 1) as u32
            });
            group_of.push(group);
        }
    }
    (groups, group_of)
}

/// Whether two layers need the same analysis (everything but the name).
fn same_analysis(a: &Layer, b: &Layer) -> bool {
    a.layer_type == b.layer_type
        && a.dimensions == b.dimensions
        && a.strides == b.strides
        && a.mapping == b.mapping
}

/// Maps every group's network and prepares its distinct layers (in parallel over layers).
pub(crate) fn prepare_groups(
    network: &Network,
    groups: &[Group],
    threads: usize,
    analytical: bool,
) -> Vec<PreparedGroup> {
    let mapped: Vec<Result<Network, String>> = ordered_map(
        groups.len(),
        threads,
        1,
        |index| {
            groups[index]
                .dataflow
                .map(network, &groups[index].accelerator)
        },
        &|_| {},
    );
    let mut layouts: Vec<(Vec<usize>, Vec<usize>)> = Vec::with_capacity(groups.len());
    let mut jobs: Vec<(usize, usize)> = Vec::new();
    for (group, mapped) in mapped.iter().enumerate() {
        let mut slot_of = Vec::new();
        let mut firsts: Vec<usize> = Vec::new();
        if let Ok(mapped) = mapped {
            for (index, layer) in mapped.layers.iter().enumerate() {
                let slot = firsts
                    .iter()
                    .position(|&first| same_analysis(&mapped.layers[first], layer))
                    .unwrap_or_else(|| {
                        firsts.push(index);
                        firsts.len() - 1
                    });
                slot_of.push(slot);
            }
        }
        if analytical {
            jobs.extend(firsts.iter().map(|&layer| (group, layer)));
        }
        layouts.push((slot_of, firsts));
    }
    let mut prepared = ordered_map(
        jobs.len(),
        threads,
        1,
        |job| {
            let (group, layer) = jobs[job];
            match &mapped[group] {
                Ok(network) => {
                    PreparedLayer::new(&network.layers[layer], &groups[group].accelerator)
                        .map_err(|error| error.reason)
                }
                Err(reason) => Err(reason.clone()),
            }
        },
        &|_| {},
    )
    .into_iter();
    mapped
        .into_iter()
        .zip(layouts)
        .map(|(mapped, (slot_of, firsts))| PreparedGroup {
            mapped,
            slot_of,
            prepared: if analytical {
                prepared.by_ref().take(firsts.len()).collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// Runs the sweep (the points of `options.shard` not in `options.done`). `progress(n)` is called
/// (from worker threads) as `n` more point × layer evaluations finish; the total is
/// [`Sweep::evaluations`] for the whole sweep.
pub fn run_sweep(
    sweep: &Sweep,
    options: &SweepOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> SweepResult {
    let mut result = sweep_frame(sweep, options);
    result.points.reserve(options.selected_points(sweep).len());
    for_each_sweep_point(sweep, options, progress, &mut |_, point| {
        result.points.push(point);
        std::ops::ControlFlow::Continue(())
    });
    result
}

/// Everything of the sweep's [`SweepResult`] except its points (what a streamed output's header
/// needs).
pub fn sweep_frame(sweep: &Sweep, options: &SweepOptions) -> SweepResult {
    SweepResult {
        network: sweep.workload.network.name.clone(),
        engine: options.engine,
        params: sweep.space.params(),
        layers: sweep
            .workload
            .network
            .layers
            .iter()
            .map(|layer| layer.name.clone())
            .collect(),
        points: Vec::new(),
    }
}

/// Runs the sweep (the points of `options.shard` not in `options.done`) and hands every point to
/// `sink` with its index among the sweep's design points, in [`SweepResult::points`] order, a block of points
/// at a time as the block finishes, so memory holds one block of outcomes, not the whole sweep (a
/// million-point sweep streams in bounded memory). `sink` may stop the sweep early with
/// `ControlFlow::Break` (a closed output). Blocks hold a fixed number of jobs per worker and are
/// evaluated by index, so the points do not depend on the thread count.
pub fn for_each_sweep_point(
    sweep: &Sweep,
    options: &SweepOptions,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut dyn FnMut(usize, PointResult) -> std::ops::ControlFlow<()>,
) {
    let network = &sweep.workload.network;
    let layers = network.layers.len();
    let (groups, group_of) = group_points(sweep);
    let prepared = prepare_groups(
        network,
        &groups,
        options.threads,
        options.engine.analytical(),
    );
    let points_per_dataflow = sweep.space.len();
    let sim_options = SimOptions {
        threads: 1,
        ..options.sim.clone()
    };
    let chunk = (4096 / layers.max(1)).max(1);
    let block = if options.engine.simulated() {
        64 * options.threads.max(1)
    } else {
        2 * chunk * options.threads.max(1)
    };
    let selected = options.selected_points(sweep);
    let total_points = selected.len();
    let mut first = 0;
    while first < total_points {
        let end = (first + block).min(total_points);
        // Analytical-only sweeps evaluate whole points in chunks; the simulator runs one layer per job.
        let outcomes: Vec<LayerOutcome> = if options.engine.simulated() {
            ordered_map_with(
                (end - first) * layers,
                options.threads,
                1,
                || sweep.base.clone(),
                |scratch, job| {
                    let (point, layer) = (selected[first + job / layers], job % layers);
                    sweep
                        .space
                        .apply_point(scratch, point as u64 % points_per_dataflow);
                    let group = &prepared[group_of[point] as usize];
                    evaluate_both(
                        group,
                        layer,
                        scratch,
                        &network.name,
                        options.engine,
                        &sim_options,
                    )
                },
                &|n| progress(n),
            )
        } else {
            ordered_map_with(
                end - first,
                options.threads,
                chunk,
                || sweep.base.clone(),
                |scratch, job| {
                    let point = selected[first + job];
                    sweep
                        .space
                        .apply_point(scratch, point as u64 % points_per_dataflow);
                    let group = &prepared[group_of[point] as usize];
                    (0..layers)
                        .map(|layer| evaluate_analytical(group, layer, scratch))
                        .collect::<Vec<_>>()
                },
                &|n| progress(n.saturating_mul(layers as u64)),
            )
            .into_iter()
            .flatten()
            .collect()
        };
        let mut outcomes = outcomes.into_iter();
        for &point in &selected[first..end] {
            let dataflow = &sweep.workload.dataflows[point / points_per_dataflow.max(1) as usize];
            let values = sweep.space.values(point as u64 % points_per_dataflow);
            let accelerator = sweep.space.accelerator(&sweep.base, &values);
            let hardware = area_power(&accelerator);
            let layer_outcomes: Vec<LayerOutcome> = outcomes.by_ref().take(layers).collect();
            let result = PointResult {
                dataflow: dataflow.label(),
                values,
                area: hardware.area,
                power: hardware.power,
                analytical_total: total(&layer_outcomes, |outcome| {
                    outcome
                        .analytical
                        .map(|numbers| (numbers.runtime, numbers.energy))
                }),
                simulated_total: total(&layer_outcomes, |outcome| {
                    outcome
                        .simulated
                        .as_ref()
                        .map(|numbers| (numbers.runtime, numbers.energy))
                }),
                layers: layer_outcomes,
            };
            if sink(point, result).is_break() {
                return;
            }
        }
        first = end;
    }
}

/// Sums in layer order (a fixed order, so the floating-point sum is deterministic).
fn total(
    outcomes: &[LayerOutcome],
    numbers: impl Fn(&LayerOutcome) -> Option<(u64, f64)>,
) -> Option<Totals> {
    let mut sum = Totals::default();
    for outcome in outcomes {
        let (runtime, energy) = numbers(outcome)?;
        sum.runtime = sum.runtime.saturating_add(runtime);
        sum.energy += energy;
    }
    Some(sum)
}

pub(crate) fn prepared_layer(group: &PreparedGroup, layer: usize) -> Result<&PreparedLayer, &str> {
    match (&group.mapped, group.slot_of.get(layer)) {
        (Err(reason), _) => Err(reason),
        (Ok(_), Some(&slot)) => match &group.prepared[slot] {
            Ok(prepared) => Ok(prepared),
            Err(reason) => Err(reason),
        },
        (Ok(_), None) => Err("internal inconsistency: the mapped network lost a layer"),
    }
}

fn evaluate_analytical(
    group: &PreparedGroup,
    layer: usize,
    accelerator: &Accelerator,
) -> LayerOutcome {
    let summary = prepared_layer(group, layer)
        .map_err(str::to_owned)
        .and_then(|prepared| {
            prepared
                .evaluate_summary(accelerator)
                .map_err(|error| error.reason)
        });
    match summary {
        Ok(summary) => LayerOutcome {
            analytical: Some(AnalyticalNumbers {
                runtime: summary.runtime,
                energy: summary.energy,
                edp: summary.edp,
            }),
            ..LayerOutcome::default()
        },
        Err(reason) => LayerOutcome {
            error: Some(reason),
            ..LayerOutcome::default()
        },
    }
}

/// The simulator, and with [`Engine::Both`] the full analytical cost and the gap attribution.
fn evaluate_both(
    group: &PreparedGroup,
    layer: usize,
    accelerator: &Accelerator,
    network: &str,
    engine: Engine,
    sim_options: &SimOptions,
) -> LayerOutcome {
    let mut outcome = LayerOutcome::default();
    let mut model = None;
    if engine.analytical() {
        match prepared_layer(group, layer)
            .map_err(str::to_owned)
            .and_then(|prepared| {
                prepared
                    .evaluate(network, accelerator)
                    .map_err(|error| error.reason)
            }) {
            Ok(cost) => {
                let runtime = u64::try_from(cost.row.runtime_cycles).unwrap_or(0);
                outcome.analytical = Some(AnalyticalNumbers {
                    runtime,
                    energy: cost.row.energy_nj,
                    edp: cost.row.energy_nj * runtime as f64,
                });
                model = Some(cost);
            }
            Err(reason) => outcome.error = Some(reason),
        }
    }
    let simulated = match &group.mapped {
        Err(reason) => Err(reason.clone()),
        Ok(mapped) => SimBuilder::new(accelerator)
            .options(sim_options.clone())
            .build()
            .and_then(|simulator| simulator.run_layer(&mapped.layers[layer]))
            .map_err(|error| error.to_string()),
    };
    match simulated {
        Ok(report) => {
            if let Some(detail) = model.as_ref().and_then(|cost| {
                cost.detail
                    .as_ref()
                    .map(|detail| (detail, cost.row.runtime_cycles, cost.row.macs))
            }) {
                let (detail, runtime, macs) = detail;
                let attribution = attribute_gap(
                    maestro_validate::attribution::ModelTime {
                        runtime_cycles: u64::try_from(runtime).unwrap_or(0),
                        breakdown: &detail.runtime,
                        macs: u64::try_from(macs).unwrap_or(0),
                        simd_lanes: accelerator.simd_lanes,
                    },
                    &report,
                );
                outcome.gap = attribution.dominant().map(|bucket| GapSummary {
                    bucket,
                    cycles: attribution.gap.get(bucket),
                });
            }
            outcome.simulated = Some(simulated_numbers(&report, accelerator));
        }
        Err(reason) => {
            outcome.error.get_or_insert(reason);
        }
    }
    outcome
}

fn simulated_numbers(report: &LayerSimReport, accelerator: &Accelerator) -> SimulatedNumbers {
    let pe_cycles = report.pes_used.max(1).saturating_mul(report.cycles.max(1)) as f64;
    let stalls = &report.stalls;
    let first_noc_link = maestro_sim::noc::OFFCHIP_LINK.0 as usize + 1;
    let mut busiest: Option<&maestro_sim::LinkReport> = None;
    for link in report.links.iter().skip(first_noc_link) {
        if link.busy_cycles > 0 && busiest.map_or(true, |best| link.utilisation > best.utilisation)
        {
            busiest = Some(link);
        }
    }
    SimulatedNumbers {
        runtime: report.cycles,
        energy: simulated_energy(report, accelerator),
        pe_utilisation: report.pe_utilisation,
        noc_stall_share: stalls
            .waiting_for_input
            .saturating_add(stalls.waiting_for_egress) as f64
            / pe_cycles,
        offchip_stall_share: stalls.waiting_for_offchip as f64 / pe_cycles,
        busiest_link: busiest.map(|link| LinkLoad {
            name: link.name.clone(),
            utilisation: link.utilisation,
        }),
        distribution_latency: report.distribution_latency,
        collection_latency: report.collection_latency,
    }
}
