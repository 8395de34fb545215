//! Hardware design-space exploration under area and power caps: PE count × L1 size × L2 size × NoC
//! bandwidth (both NoCs), per dataflow, on the analytical model; the valid points and their Pareto
//! front of (objective, area).
//!
//! **Caps.** Area and power are the reference's 28 nm model (spec §12) applied to the configured
//! hardware, computed by `maestro_cost::corrected::area_power` — the same numbers the corrected
//! model reports in its rows. A point meets the caps when `area ≤ area cap` (mm², the model's µm²
//! / 10⁶) and `power ≤ power cap` (mW).
//!
//! **Pruning.** Every term of that model is non-decreasing in each swept parameter with the others
//! fixed (the PE term and the arbiter `1.2886·P² + 5.5814·P − 23.711` grow with `P ≥ 1`, the SRAM
//! terms with `L1` and `L2`, the bus terms with the bandwidth and `P`; a test checks this). So the
//! axes are enumerated in increasing order, PE count outermost, and the first value of an axis at
//! which the point with every inner axis at its *smallest* value exceeds a cap ends that axis: every
//! larger value exceeds it too. Those sub-spaces are counted as pruned and never evaluated: a PE
//! count that cannot meet the caps with the smallest buffers and bandwidth is never even mapped.
//!
//! **Validity.** A point within the caps is valid when every layer maps onto it and its tiles fit:
//! one step's tiles in L1 and one top-level step's working set in L2 (the corrected model's
//! `l1_step_elements` and `l2_step_elements`). Network runtime and energy are sums over the layers;
//! EDP is their product.

use crate::error::StudyError;
use crate::front::FrontSimulation;
use crate::pareto::pareto_front;
use crate::space::MAX_POINTS;
use crate::sweep::{prepare_groups, prepared_layer, Group, PreparedGroup};
use crate::workload::Workload;
use maestro_cost::corrected::area_power;
use maestro_ir::Accelerator;
use maestro_parallel::ordered_map;
use serde::Serialize;
use std::collections::HashMap;

/// What the exploration minimises (with area, for the Pareto front).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Network runtime, cycles.
    Runtime,
    /// Network energy, nJ.
    Energy,
    /// Energy × runtime, nJ·cycles.
    Edp,
}

impl Objective {
    pub fn name(self) -> &'static str {
        match self {
            Objective::Runtime => "runtime",
            Objective::Energy => "energy",
            Objective::Edp => "edp",
        }
    }
}

/// The swept values of each axis (sorted and deduplicated by [`run_dse`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DseAxes {
    pub pes: Vec<u64>,
    pub l1: Vec<u64>,
    pub l2: Vec<u64>,
    pub bandwidth: Vec<u64>,
}

impl Default for DseAxes {
    /// 16 … 1024 PEs, L1 64 … 1024 elements, L2 16 Ki … 4 Mi elements and NoC 8 … 512
    /// elements/cycle, each by doubling (or quadrupling for L2): 7 × 5 × 5 × 7 = 1225 points.
    fn default() -> Self {
        let geometric = |low: u64, high: u64, factor: u64| -> Vec<u64> {
            std::iter::successors(Some(low), |&value| Some(value * factor))
                .take_while(|&value| value <= high)
                .collect()
        };
        DseAxes {
            pes: geometric(16, 1024, 2),
            l1: geometric(64, 1024, 2),
            l2: geometric(1 << 14, 1 << 22, 4),
            bandwidth: geometric(8, 512, 2),
        }
    }
}

/// An exploration.
#[derive(Clone, Debug)]
pub struct Dse {
    /// Everything not swept (SIMD lanes, latencies, off-chip, energy table, topologies) comes from here.
    pub base: Accelerator,
    pub axes: DseAxes,
    pub workload: Workload,
    pub area_cap_mm2: Option<f64>,
    pub power_cap_mw: Option<f64>,
    pub objective: Objective,
}

/// A valid design point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DsePoint {
    pub dataflow: &'static str,
    /// Which of the workload's dataflows (`Workload::dataflows`) the point uses.
    #[serde(skip)]
    pub dataflow_index: usize,
    pub pes: u64,
    pub l1: u64,
    pub l2: u64,
    pub bandwidth: u64,
    pub area_mm2: f64,
    pub power_mw: f64,
    pub runtime: u64,
    pub energy: f64,
    pub edp: f64,
}

impl DsePoint {
    pub fn objective(&self, objective: Objective) -> f64 {
        match objective {
            Objective::Runtime => self.runtime as f64,
            Objective::Energy => self.energy,
            Objective::Edp => self.edp,
        }
    }
}

/// The outcome of an exploration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DseResult {
    pub network: String,
    pub objective: Objective,
    pub area_cap_mm2: Option<f64>,
    pub power_cap_mw: Option<f64>,
    pub axes: DseAxes,
    /// Points of the whole space, over all dataflows.
    pub space: u64,
    /// Points never evaluated because their sub-space exceeds a cap.
    pub pruned: u64,
    /// Points within the caps that some layer could not be mapped onto or does not fit.
    pub invalid: u64,
    /// The distinct reasons, first seen first (at most ten).
    pub invalid_reasons: Vec<String>,
    /// Point × layer evaluations of the analytical model behind the valid points (points rejected
    /// by the L1/L2 fit check are not evaluated).
    pub evaluations: u64,
    /// Valid points: dataflows in order, then PE count, L1, L2 and bandwidth increasing.
    pub points: Vec<DsePoint>,
    /// Indices into `points` of the Pareto front of (objective, area), by increasing objective.
    pub pareto: Vec<usize>,
    /// Index into `points` of the point with the smallest objective (the first on ties).
    pub best: Option<usize>,
    /// The front as simulated, in front order (empty unless `front::simulate_front` ran).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub simulated_front: Vec<FrontSimulation>,
}

fn sorted(values: &[u64]) -> Vec<u64> {
    let mut values = values.to_vec();
    values.sort_unstable();
    values.dedup();
    values
}

fn check_cap(what: &'static str, cap: Option<f64>) -> Result<(), StudyError> {
    match cap {
        Some(value) if !(value.is_finite() && value > 0.0) => {
            Err(StudyError::BadCap { what, value })
        }
        _ => Ok(()),
    }
}

/// The point's accelerator: `base` with the four swept fields set.
pub(crate) fn configure(base: &mut Accelerator, pes: u64, l1: u64, l2: u64, bandwidth: u64) {
    base.num_pes = pes;
    base.l1_size = l1;
    base.l2_size = l2;
    base.distribution_noc.bandwidth = bandwidth;
    base.collection_noc.bandwidth = bandwidth;
}

/// The points within the caps, in enumeration order, and how many were pruned (for one dataflow).
fn candidates(dse: &Dse, axes: &DseAxes) -> (Vec<[u64; 4]>, u64) {
    let mut scratch = dse.base.clone();
    let mut fits = |pes: u64, l1: u64, l2: u64, bandwidth: u64| -> bool {
        configure(&mut scratch, pes, l1, l2, bandwidth);
        let cost = area_power(&scratch);
        dse.area_cap_mm2.map_or(true, |cap| cost.area / 1e6 <= cap)
            && dse.power_cap_mw.map_or(true, |cap| cost.power <= cap)
    };
    let (l1_min, l2_min, bw_min) = match (axes.l1.first(), axes.l2.first(), axes.bandwidth.first())
    {
        (Some(&l1), Some(&l2), Some(&bw)) => (l1, l2, bw),
        _ => return (Vec::new(), 0),
    };
    let count = |values: &[u64]| values.len() as u64;
    let mut inside = Vec::new();
    let mut pruned = 0u64;
    for (p_index, &pes) in axes.pes.iter().enumerate() {
        if !fits(pes, l1_min, l2_min, bw_min) {
            pruned += count(&axes.pes[p_index..])
                * count(&axes.l1)
                * count(&axes.l2)
                * count(&axes.bandwidth);
            break;
        }
        for (l1_index, &l1) in axes.l1.iter().enumerate() {
            if !fits(pes, l1, l2_min, bw_min) {
                pruned += count(&axes.l1[l1_index..]) * count(&axes.l2) * count(&axes.bandwidth);
                break;
            }
            for (l2_index, &l2) in axes.l2.iter().enumerate() {
                if !fits(pes, l1, l2, bw_min) {
                    pruned += count(&axes.l2[l2_index..]) * count(&axes.bandwidth);
                    break;
                }
                for (bw_index, &bandwidth) in axes.bandwidth.iter().enumerate() {
                    if !fits(pes, l1, l2, bandwidth) {
                        pruned += count(&axes.bandwidth[bw_index..]);
                        break;
                    }
                    inside.push([pes, l1, l2, bandwidth]);
                }
            }
        }
    }
    (inside, pruned)
}

/// What an exploration is, before any evaluation: its space, what the caps pruned, and the
/// candidates (the points within the caps, over all dataflows) in enumeration order. Candidate `i`
/// is what a sharded exploration calls design point `i`.
#[derive(Clone, Debug, PartialEq)]
pub struct DsePlan {
    pub summary: DseSummary,
    pub candidates: Vec<DseCandidate>,
}

/// Everything about an exploration that the result reports besides its points: what a merge of
/// sharded parts needs to rebuild the whole result.
#[derive(Clone, Debug, PartialEq)]
pub struct DseSummary {
    pub network: String,
    pub objective: Objective,
    pub area_cap_mm2: Option<f64>,
    pub power_cap_mw: Option<f64>,
    /// Sorted and deduplicated.
    pub axes: DseAxes,
    pub space: u64,
    pub pruned: u64,
    pub layers: u64,
    /// The labels of the workload's dataflows, in order.
    pub dataflows: Vec<&'static str>,
}

/// A point within the caps, to be evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DseCandidate {
    /// Index into the workload's dataflows.
    pub dataflow_index: usize,
    pub pes: u64,
    pub l1: u64,
    pub l2: u64,
    pub bandwidth: u64,
}

/// The network totals of a valid candidate and its cost (area and power of the 28 nm model).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DseNumbers {
    pub runtime: u64,
    /// nJ.
    pub energy: f64,
    pub area_mm2: f64,
    pub power_mw: f64,
}

/// The evaluation of one candidate: its numbers, or why it is invalid (a layer does not map or its
/// tiles do not fit).
#[derive(Clone, Debug, PartialEq)]
pub struct DseOutcome {
    pub candidate: DseCandidate,
    pub result: Result<DseNumbers, String>,
}

impl Dse {
    /// A fingerprint of the exploration (base hardware, axes, workload and mappings, caps and
    /// objective), so that parts of different explorations are never merged: FNV-1a over the
    /// `Debug` text, the same for the same inputs on any machine.
    pub fn fingerprint(&self) -> u64 {
        let text = format!(
            "dse|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.base,
            self.axes,
            self.workload,
            self.area_cap_mm2.map(f64::to_bits),
            self.power_cap_mw.map(f64::to_bits),
            self.objective
        );
        text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
    }
}

/// Checks the caps and the size of the space, and enumerates the candidates within the caps.
pub fn plan_dse(dse: &Dse) -> Result<DsePlan, StudyError> {
    check_cap("the area cap", dse.area_cap_mm2)?;
    check_cap("the power cap", dse.power_cap_mw)?;
    let axes = DseAxes {
        pes: sorted(&dse.axes.pes),
        l1: sorted(&dse.axes.l1),
        l2: sorted(&dse.axes.l2),
        bandwidth: sorted(&dse.axes.bandwidth),
    };
    let per_dataflow = [&axes.pes, &axes.l1, &axes.l2, &axes.bandwidth]
        .iter()
        .fold(1u128, |product, values| {
            product.saturating_mul(values.len() as u128)
        });
    let space = per_dataflow.saturating_mul(dse.workload.dataflows.len() as u128);
    if space > u128::from(MAX_POINTS) {
        return Err(StudyError::TooManyPoints {
            points: space,
            limit: MAX_POINTS,
        });
    }
    let (inside, pruned) = candidates(dse, &axes);
    let mut candidates = Vec::with_capacity(inside.len() * dse.workload.dataflows.len());
    for dataflow_index in 0..dse.workload.dataflows.len() {
        for &[pes, l1, l2, bandwidth] in &inside {
            candidates.push(DseCandidate {
                dataflow_index,
                pes,
                l1,
                l2,
                bandwidth,
            });
        }
    }
    Ok(DsePlan {
        summary: DseSummary {
            network: dse.workload.network.name.clone(),
            objective: dse.objective,
            area_cap_mm2: dse.area_cap_mm2,
            power_cap_mw: dse.power_cap_mw,
            axes,
            // Bounded by MAX_POINTS above.
            space: space as u64,
            pruned: pruned.saturating_mul(dse.workload.dataflows.len() as u64),
            layers: dse.workload.network.layers.len() as u64,
            dataflows: dse.workload.dataflows.iter().map(|d| d.label()).collect(),
        },
        candidates,
    })
}

/// Evaluates the candidates `selected` (indices into `plan.candidates`, in any order) on `threads`
/// workers; the outcomes come in the order of `selected`. `progress(n)` is called as `n` more
/// point × layer evaluations finish. Results do not depend on `threads` nor on which other
/// candidates are evaluated with them.
pub fn evaluate_dse(
    dse: &Dse,
    plan: &DsePlan,
    selected: &[usize],
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<DseOutcome> {
    let network = &dse.workload.network;
    let layers = network.layers.len();
    // Group the points by what a preparation depends on: dataflow, PE count, and L1 for templates.
    let mut groups: Vec<Group> = Vec::new();
    let mut jobs: Vec<(DseCandidate, u32)> = Vec::with_capacity(selected.len());
    let mut index_of: HashMap<(usize, u64, u64), u32> = HashMap::new();
    for &candidate in selected {
        let candidate = plan.candidates[candidate];
        let dataflow = dse.workload.dataflows[candidate.dataflow_index];
        let l1_key = if dataflow.depends_on_l1() {
            candidate.l1
        } else {
            0
        };
        let group = *index_of
            .entry((candidate.dataflow_index, candidate.pes, l1_key))
            .or_insert_with(|| {
                let mut accelerator = dse.base.clone();
                configure(
                    &mut accelerator,
                    candidate.pes,
                    candidate.l1,
                    candidate.l2,
                    candidate.bandwidth,
                );
                groups.push(Group {
                    dataflow,
                    accelerator,
                });
                (groups.len() - 1) as u32
            });
        jobs.push((candidate, group));
    }
    let prepared = prepare_groups(network, &groups, threads, true);
    let needs: Vec<Result<(u64, u64), String>> = prepared
        .iter()
        .zip(&groups)
        .map(|(group, spec)| requirements(group, layers, &spec.accelerator))
        .collect();
    let chunk = (4096 / layers.max(1)).max(1);
    let evaluated: Vec<Result<(u64, f64), String>> = ordered_map(
        jobs.len(),
        threads,
        chunk,
        |job| {
            let (candidate, group) = jobs[job];
            let (l1_need, l2_need) = needs[group as usize].clone()?;
            if l1_need > candidate.l1 {
                return Err(format!(
                    "one step's tiles need {l1_need} L1 elements per PE"
                ));
            }
            if l2_need > candidate.l2 {
                return Err(format!("a top-level step needs {l2_need} L2 elements"));
            }
            let mut accelerator = groups[group as usize].accelerator.clone();
            configure(
                &mut accelerator,
                candidate.pes,
                candidate.l1,
                candidate.l2,
                candidate.bandwidth,
            );
            let group = &prepared[group as usize];
            let mut runtime = 0u64;
            let mut energy = 0.0;
            for layer in 0..layers {
                let summary = prepared_layer(group, layer)
                    .map_err(str::to_owned)?
                    .evaluate_summary(&accelerator)
                    .map_err(|error| error.reason)?;
                runtime = runtime.saturating_add(summary.runtime);
                energy += summary.energy;
            }
            Ok((runtime, energy))
        },
        &|n| progress(n.saturating_mul(layers as u64)),
    );
    let mut scratch = dse.base.clone();
    jobs.iter()
        .zip(evaluated)
        .map(|(&(candidate, _), outcome)| DseOutcome {
            candidate,
            result: outcome.map(|(runtime, energy)| {
                configure(
                    &mut scratch,
                    candidate.pes,
                    candidate.l1,
                    candidate.l2,
                    candidate.bandwidth,
                );
                let cost = area_power(&scratch);
                DseNumbers {
                    runtime,
                    energy,
                    area_mm2: cost.area / 1e6,
                    power_mw: cost.power,
                }
            }),
        })
        .collect()
}

/// The result of an exploration from its summary and the outcomes of all its candidates, in
/// candidate order: the valid points, the invalid count and reasons, and the Pareto front. Whole
/// runs and merged shards both end here, so they give the same result.
pub fn assemble_dse(
    summary: DseSummary,
    outcomes: impl IntoIterator<Item = DseOutcome>,
) -> DseResult {
    let mut points = Vec::new();
    let mut invalid = 0u64;
    let mut invalid_reasons: Vec<String> = Vec::new();
    for DseOutcome { candidate, result } in outcomes {
        let label = summary
            .dataflows
            .get(candidate.dataflow_index)
            .copied()
            .unwrap_or("?");
        match result {
            Ok(numbers) => points.push(DsePoint {
                dataflow: label,
                dataflow_index: candidate.dataflow_index,
                pes: candidate.pes,
                l1: candidate.l1,
                l2: candidate.l2,
                bandwidth: candidate.bandwidth,
                area_mm2: numbers.area_mm2,
                power_mw: numbers.power_mw,
                runtime: numbers.runtime,
                energy: numbers.energy,
                edp: numbers.energy * numbers.runtime as f64,
            }),
            Err(reason) => {
                invalid += 1;
                let reason = format!("{label} on {} PEs: {reason}", candidate.pes);
                if invalid_reasons.len() < 10 && !invalid_reasons.contains(&reason) {
                    invalid_reasons.push(reason);
                }
            }
        }
    }
    let costs: Vec<(f64, f64)> = points
        .iter()
        .map(|point| (point.objective(summary.objective), point.area_mm2))
        .collect();
    let pareto = pareto_front(&costs);
    let best = pareto.first().copied();
    DseResult {
        network: summary.network,
        objective: summary.objective,
        area_cap_mm2: summary.area_cap_mm2,
        power_cap_mw: summary.power_cap_mw,
        axes: summary.axes,
        space: summary.space,
        pruned: summary.pruned,
        invalid,
        invalid_reasons,
        evaluations: (points.len() as u64).saturating_mul(summary.layers),
        points,
        pareto,
        best,
        simulated_front: Vec::new(),
    }
}

/// Runs the exploration on `threads` workers; `progress(n)` is called as `n` more point × layer
/// evaluations finish. Results do not depend on `threads`.
pub fn run_dse(
    dse: &Dse,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<DseResult, StudyError> {
    let plan = plan_dse(dse)?;
    let all: Vec<usize> = (0..plan.candidates.len()).collect();
    let outcomes = evaluate_dse(dse, &plan, &all, threads, progress);
    Ok(assemble_dse(plan.summary, outcomes))
}

/// The largest L1 (per PE) and L2 needs over a group's layers; the first failure otherwise.
fn requirements(
    group: &PreparedGroup,
    layers: usize,
    accelerator: &Accelerator,
) -> Result<(u64, u64), String> {
    let mut needs = (0u64, 0u64);
    for layer in 0..layers {
        let cost = prepared_layer(group, layer)
            .map_err(str::to_owned)?
            .evaluate("", accelerator)
            .map_err(|error| error.reason)?;
        if let Some(detail) = cost.detail {
            needs.0 = needs.0.max(detail.l1_step_elements);
            needs.1 = needs.1.max(detail.l2_step_elements);
        }
    }
    Ok(needs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// The pruning rests on this: area and power never decrease when one parameter grows.
        #[test]
        fn area_and_power_are_monotone_in_each_swept_parameter(
            pes in 1u64..5000, l1 in 1u64..1_000_000, l2 in 1u64..100_000_000,
            bandwidth in 1u64..100_000, axis in 0usize..4, grow in 1u64..10_000,
        ) {
            let mut small = Accelerator::default();
            configure(&mut small, pes, l1, l2, bandwidth);
            let mut values = [pes, l1, l2, bandwidth];
            values[axis] += grow;
            let mut large = Accelerator::default();
            configure(&mut large, values[0], values[1], values[2], values[3]);
            let (small, large) = (area_power(&small), area_power(&large));
            prop_assert!(large.area >= small.area);
            prop_assert!(large.power >= small.power);
        }
    }
}
