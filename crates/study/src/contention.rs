//! The NoC contention study: a sweep with a NoC bandwidth among its parameters, read per layer as
//! runtime-versus-bandwidth series, with the simulator's busiest link, NoC stalls and latency
//! percentiles, and the bandwidth at which the layer stops being NoC-bound.
//!
//! **The knee.** For one series — one dataflow, one layer, fixed values of every other swept
//! parameter — with swept bandwidths `b₁ < … < bₙ` and runtimes `r₁ … rₙ`, the knee is the smallest
//! `bᵢ` such that every larger swept bandwidth improves the runtime by less than 1 %:
//! `100 · (rᵢ − min_{j > i} rⱼ) < rᵢ` (in integers). Below the knee the layer is NoC-bound; from it on, more bandwidth
//! buys less than 1 %. The knee is `b₁` when the layer is not NoC-bound anywhere in the range, and
//! `bₙ` exactly when the last step still improved by 1 % or more — then the layer is still NoC-bound
//! at the largest swept bandwidth (`still_bound`). Each engine has its own knee.
//!
//! **Saturation.** The link named is the simulator's busiest NoC link at the smallest swept
//! bandwidth (where contention is worst): a bus, a tree link (`level d unit u`) or a mesh link.

use crate::error::StudyError;
use crate::param::{Param, ParamValue};
use crate::sweep::{GapSummary, LinkLoad, SweepResult};
use maestro_validate::GapBucket;
use serde::Serialize;
use std::collections::HashMap;

/// A larger bandwidth must improve the runtime by at least this share to count.
pub const IMPROVEMENT_THRESHOLD: f64 = 0.01;
/// The threshold as a divisor, for the exact integer test: a gain counts when `gain · 100 ≥ runtime`.
const IMPROVEMENT_PERCENT_DIVISOR: u128 = 100;

/// Where a layer stops being NoC-bound (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Knee {
    pub bandwidth: u64,
    /// The last swept step still improved the runtime by 1 % or more.
    pub still_bound: bool,
}

/// The knee of runtimes `(bandwidth, runtime)` sorted by increasing bandwidth; `None` without points.
pub fn knee(series: &[(u64, u64)]) -> Option<Knee> {
    let last = series.len().checked_sub(1)?;
    // best_after[i]: the smallest runtime at a bandwidth above series[i].
    let mut best_after = vec![u64::MAX; series.len()];
    for index in (0..last).rev() {
        best_after[index] = best_after[index + 1].min(series[index + 1].1);
    }
    let index = (0..=last)
        .find(|&index| {
            let runtime = u128::from(series[index].1);
            let gain = runtime.saturating_sub(u128::from(best_after[index]));
            index == last || gain * IMPROVEMENT_PERCENT_DIVISOR < runtime
        })
        .unwrap_or(last);
    Some(Knee {
        bandwidth: series[index].0,
        still_bound: index == last && last > 0,
    })
}

/// One bandwidth of a series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContentionPoint {
    pub bandwidth: u64,
    pub analytical_runtime: Option<u64>,
    pub simulated_runtime: Option<u64>,
    pub busiest_link: Option<LinkLoad>,
    pub noc_stall_share: Option<f64>,
    /// Distribution-NoC transfer latency percentiles (cycles): p50, p90, p99, max.
    pub distribution_latency: Option<[u64; 4]>,
    pub gap: Option<GapSummary>,
}

/// A swept parameter held fixed along a series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FixedParam {
    pub param: &'static str,
    pub value: ParamValue,
}

/// One layer of one dataflow at fixed values of the other parameters, across bandwidths.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContentionSeries {
    pub dataflow: &'static str,
    pub fixed: Vec<FixedParam>,
    pub layer: String,
    /// By increasing bandwidth.
    pub points: Vec<ContentionPoint>,
    pub analytical_knee: Option<Knee>,
    pub simulated_knee: Option<Knee>,
    /// The busiest NoC link at the smallest bandwidth.
    pub saturating: Option<LinkLoad>,
    /// Sentences that say what the numbers show: saturation, the knees, and where and why the two
    /// engines diverge most.
    pub findings: Vec<String>,
}

/// Every series of a sweep.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContentionStudy {
    pub bandwidth_param: Param,
    pub threshold: f64,
    pub series: Vec<ContentionSeries>,
}

/// Reads `result` (which must have run the simulator and swept a NoC bandwidth with at least two
/// values) as contention series, in order of first appearance.
pub fn contention_study(result: &SweepResult) -> Result<ContentionStudy, StudyError> {
    if !result.engine.simulated() {
        return Err(StudyError::ContentionNeedsSimulator);
    }
    let axis = result
        .params
        .iter()
        .position(|param| param.is_noc_bandwidth())
        .ok_or(StudyError::ContentionNeedsBandwidth)?;
    let distinct_bandwidths = {
        let mut values: Vec<u64> = result
            .points
            .iter()
            .map(|point| point.values[axis].as_number())
            .collect();
        values.sort_unstable();
        values.dedup();
        values.len()
    };
    if distinct_bandwidths < 2 {
        return Err(StudyError::ContentionNeedsBandwidth);
    }
    let mut series: Vec<ContentionSeries> = Vec::new();
    let mut index_of: HashMap<(&str, Vec<ParamValue>, usize), usize> = HashMap::new();
    for point in &result.points {
        let mut others = point.values.clone();
        others.remove(axis);
        let bandwidth = point.values[axis].as_number();
        for (layer, outcome) in point.layers.iter().enumerate() {
            let key = (point.dataflow, others.clone(), layer);
            let slot = *index_of.entry(key).or_insert_with(|| {
                series.push(ContentionSeries {
                    dataflow: point.dataflow,
                    fixed: result
                        .params
                        .iter()
                        .zip(&point.values)
                        .enumerate()
                        .filter(|&(position, _)| position != axis)
                        .map(|(_, (param, &value))| FixedParam {
                            param: param.name(),
                            value,
                        })
                        .collect(),
                    layer: result.layers[layer].clone(),
                    points: Vec::new(),
                    analytical_knee: None,
                    simulated_knee: None,
                    saturating: None,
                    findings: Vec::new(),
                });
                series.len() - 1
            });
            let simulated = outcome.simulated.as_ref();
            series[slot].points.push(ContentionPoint {
                bandwidth,
                analytical_runtime: outcome.analytical.map(|numbers| numbers.runtime),
                simulated_runtime: simulated.map(|numbers| numbers.runtime),
                busiest_link: simulated.and_then(|numbers| numbers.busiest_link.clone()),
                noc_stall_share: simulated.map(|numbers| numbers.noc_stall_share),
                distribution_latency: simulated.map(|numbers| {
                    let latency = numbers.distribution_latency;
                    [latency.p50, latency.p90, latency.p99, latency.max]
                }),
                gap: outcome.gap,
            });
        }
    }
    for entry in &mut series {
        entry.points.sort_by_key(|point| point.bandwidth);
        entry.analytical_knee = knee_of(&entry.points, |point| point.analytical_runtime);
        entry.simulated_knee = knee_of(&entry.points, |point| point.simulated_runtime);
        entry.saturating = entry
            .points
            .first()
            .and_then(|point| point.busiest_link.clone());
        entry.findings = findings(entry);
    }
    Ok(ContentionStudy {
        bandwidth_param: result.params[axis],
        threshold: IMPROVEMENT_THRESHOLD,
        series,
    })
}

/// The knee over the points where the engine ran (all of them, or none).
fn knee_of(
    points: &[ContentionPoint],
    runtime: impl Fn(&ContentionPoint) -> Option<u64>,
) -> Option<Knee> {
    let series: Option<Vec<(u64, u64)>> = points
        .iter()
        .map(|point| runtime(point).map(|value| (point.bandwidth, value)))
        .collect();
    knee(&series?)
}

fn knee_sentence(engine: &str, knee: Option<Knee>, smallest: u64) -> Option<String> {
    let knee = knee?;
    Some(if knee.still_bound {
        format!(
            "{engine}: still NoC-bound at the largest swept bandwidth, {}",
            knee.bandwidth
        )
    } else if knee.bandwidth == smallest {
        format!(
            "{engine}: not NoC-bound in the swept range (less than 1 % to gain above {smallest})"
        )
    } else {
        format!(
            "{engine}: NoC-bound below bandwidth {}; above it runtime improves by less than 1 %",
            knee.bandwidth
        )
    })
}

/// Why a runtime gap sits in a bucket, from the attribution's definitions
/// (`maestro_validate::attribution`).
fn bucket_reason(bucket: GapBucket) -> &'static str {
    match bucket {
        GapBucket::NocContention => {
            "queueing on shared NoC links, which the model does not count (it has no contention term)"
        }
        GapBucket::EdgeTiles => {
            "the model's inner-level step time and the simulator's idle PEs at partial tiles and folds"
        }
        GapBucket::Ingress => "exposed input transfer time that one engine overlaps and the other does not",
        GapBucket::Egress => "exposed output transfer time that one engine overlaps and the other does not",
        GapBucket::Offchip => "off-chip stalls",
        GapBucket::FillDrain => "filling the pipeline and draining the last outputs",
        GapBucket::Compute => "compute time",
    }
}

fn findings(series: &ContentionSeries) -> Vec<String> {
    let mut lines = Vec::new();
    let Some(first) = series.points.first() else {
        return lines;
    };
    if let (Some(link), Some(stall)) = (&series.saturating, first.noc_stall_share) {
        lines.push(format!(
            "at bandwidth {} the busiest NoC link is `{}` ({:.0} % busy) and working PEs wait for the NoC {:.0} % of their cycles",
            first.bandwidth,
            link.name,
            link.utilisation * 100.0,
            stall * 100.0
        ));
    }
    lines.extend(knee_sentence(
        "simulator",
        series.simulated_knee,
        first.bandwidth,
    ));
    lines.extend(knee_sentence(
        "model",
        series.analytical_knee,
        first.bandwidth,
    ));
    if let (Some(model), Some(sim)) = (series.analytical_knee, series.simulated_knee) {
        if model.bandwidth != sim.bandwidth {
            lines.push(format!(
                "the engines disagree on where the layer stops being NoC-bound: model {}, simulator {}",
                model.bandwidth, sim.bandwidth
            ));
        }
    }
    let worst = series
        .points
        .iter()
        .filter_map(|point| {
            let (model, sim) = (point.analytical_runtime?, point.simulated_runtime?);
            let error = (model as f64 - sim as f64) / (sim.max(1) as f64) * 100.0;
            Some((point, model, sim, error))
        })
        .fold(
            None,
            |best: Option<(&ContentionPoint, u64, u64, f64)>, next| match best {
                Some(best) if best.3.abs() >= next.3.abs() => Some(best),
                _ => Some(next),
            },
        );
    if let Some((point, model, sim, error)) = worst {
        let mut sentence = format!(
            "largest divergence at bandwidth {}: model {model} vs simulator {sim} cycles ({error:+.1} %)",
            point.bandwidth
        );
        if let Some(gap) = point.gap {
            sentence.push_str(&format!(
                "; the gap is mostly {} ({:+.0} cycles per working PE, simulated − modelled): {}",
                gap.bucket.label(),
                gap.cycles,
                bucket_reason(gap.bucket)
            ));
        }
        lines.push(sentence);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_knee_is_where_more_bandwidth_stops_paying_one_percent() {
        let at = |series: &[(u64, u64)]| knee(series);
        // Halving runtime until 8, then flat.
        assert_eq!(
            at(&[(1, 800), (2, 400), (4, 200), (8, 100), (16, 100), (32, 100)]),
            Some(Knee {
                bandwidth: 8,
                still_bound: false
            })
        );
        // Flat from the start: not NoC-bound.
        assert_eq!(
            at(&[(1, 100), (2, 100)]),
            Some(Knee {
                bandwidth: 1,
                still_bound: false
            })
        );
        // Still improving at the end.
        assert_eq!(
            at(&[(1, 100), (2, 50)]),
            Some(Knee {
                bandwidth: 2,
                still_bound: true
            })
        );
        // A later drop counts even after a plateau.
        assert_eq!(
            at(&[(1, 100), (2, 100), (4, 50), (8, 50)]),
            Some(Knee {
                bandwidth: 4,
                still_bound: false
            })
        );
        // Exactly 1 % is an improvement that counts; just under is not.
        assert_eq!(
            at(&[(1, 1000), (2, 990), (4, 990)]).map(|k| k.bandwidth),
            Some(2)
        );
        assert_eq!(
            at(&[(1, 1000), (2, 991), (4, 991)]).map(|k| k.bandwidth),
            Some(1)
        );
        assert_eq!(at(&[]), None);
    }
}
