//! Statistics over a network's comparisons: per quantity, the mean, median, 90th percentile and maximum
//! absolute error, unweighted and weighted by simulated cycles; and the layers with the largest runtime
//! error, with the bucket that explains most of their gap.

use crate::attribution::GapBucket;
use crate::compare::LayerComparison;
use crate::quantity::Quantity;
use serde::Serialize;

/// How many layers the summary names as the worst.
pub const WORST_LAYERS: usize = 5;

/// Mean, median, 90th percentile and maximum of absolute errors (percent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ErrorStats {
    pub mean: f64,
    pub median: f64,
    pub p90: f64,
    pub max: f64,
}

/// The statistics of one quantity over the layers where its error is defined.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct QuantitySummary {
    pub quantity: Quantity,
    /// Layers with a defined error.
    pub layers: usize,
    pub unweighted: ErrorStats,
    /// Each layer weighs its simulated cycles (the max is the same as unweighted).
    pub cycle_weighted: ErrorStats,
}

/// One of the worst layers by absolute runtime error.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorstLayer {
    pub index: usize,
    pub layer: String,
    pub runtime_error_percent: f64,
    /// The bucket with the largest gap, and its gap in cycles (simulated − modelled).
    pub dominant: Option<GapBucket>,
    pub dominant_gap_cycles: f64,
}

impl WorstLayer {
    /// "edge tiles: the simulator spent 1234 more cycles" — why the layer is off.
    pub fn reason(&self) -> String {
        match self.dominant {
            None => "no bucket differs by a cycle".to_owned(),
            Some(bucket) => {
                let (direction, cycles) = if self.dominant_gap_cycles >= 0.0 {
                    ("more", self.dominant_gap_cycles)
                } else {
                    ("fewer", -self.dominant_gap_cycles)
                };
                format!(
                    "{}: the simulator spent {cycles:.0} {direction} cycles than the model",
                    bucket.label()
                )
            }
        }
    }
}

/// The summary of a network's comparisons.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ValidationSummary {
    /// In [`Quantity::ALL`] order.
    pub quantities: Vec<QuantitySummary>,
    /// At most [`WORST_LAYERS`], the largest absolute runtime error first.
    pub worst_layers: Vec<WorstLayer>,
    pub analytical_cycles: f64,
    pub simulated_cycles: f64,
}

impl ValidationSummary {
    pub fn quantity(&self, quantity: Quantity) -> Option<&QuantitySummary> {
        self.quantities
            .iter()
            .find(|summary| summary.quantity == quantity)
    }
}

/// Summarises comparisons (any layer order; ties are broken by layer index).
pub fn summarise(layers: &[LayerComparison]) -> ValidationSummary {
    let quantities = Quantity::ALL
        .iter()
        .map(|&quantity| {
            let samples: Vec<(f64, f64)> = layers
                .iter()
                .filter_map(|layer| {
                    let error = layer.quantity(quantity)?.absolute_error_percent()?;
                    Some((error, layer.simulated_cycles()))
                })
                .collect();
            QuantitySummary {
                quantity,
                layers: samples.len(),
                unweighted: stats(samples.iter().map(|&(error, _)| (error, 1.0)).collect()),
                cycle_weighted: stats(samples),
            }
        })
        .collect();
    let mut ranked: Vec<&LayerComparison> = layers
        .iter()
        .filter(|layer| runtime_error(layer).is_some())
        .collect();
    ranked.sort_by(|a, b| {
        let a_error = runtime_error(a).map_or(0.0, f64::abs);
        let b_error = runtime_error(b).map_or(0.0, f64::abs);
        b_error.total_cmp(&a_error).then(a.index.cmp(&b.index))
    });
    let worst_layers = ranked
        .into_iter()
        .take(WORST_LAYERS)
        .map(|layer| {
            let dominant = layer.attribution.dominant();
            WorstLayer {
                index: layer.index,
                layer: layer.layer.clone(),
                runtime_error_percent: runtime_error(layer).unwrap_or(0.0),
                dominant,
                dominant_gap_cycles: dominant
                    .map_or(0.0, |bucket| layer.attribution.gap.get(bucket)),
            }
        })
        .collect();
    let total = |side: fn(&crate::compare::QuantityComparison) -> f64| {
        layers
            .iter()
            .filter_map(|layer| layer.quantity(Quantity::Runtime).map(side))
            .sum()
    };
    ValidationSummary {
        quantities,
        worst_layers,
        analytical_cycles: total(|comparison| comparison.analytical),
        simulated_cycles: total(|comparison| comparison.simulated),
    }
}

fn runtime_error(layer: &LayerComparison) -> Option<f64> {
    layer.quantity(Quantity::Runtime)?.error_percent
}

/// Weighted statistics of `(value, weight)` samples. Percentiles are the smallest value whose
/// cumulative weight reaches the fraction of the total weight; with equal weights the median of an
/// even count is the lower middle value. If every weight is zero, the samples count equally.
pub fn stats(mut samples: Vec<(f64, f64)>) -> ErrorStats {
    if samples.is_empty() {
        return ErrorStats::default();
    }
    let mut total_weight: f64 = samples.iter().map(|&(_, weight)| weight.max(0.0)).sum();
    if total_weight <= 0.0 {
        for sample in &mut samples {
            sample.1 = 1.0;
        }
        total_weight = samples.len() as f64;
    }
    samples.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mean = samples
        .iter()
        .map(|&(value, weight)| value * weight.max(0.0))
        .sum::<f64>()
        / total_weight;
    let percentile = |fraction: f64| {
        let target = fraction * total_weight;
        let mut cumulative = 0.0;
        for &(value, weight) in &samples {
            cumulative += weight.max(0.0);
            if cumulative >= target * (1.0 - 1e-12) {
                return value;
            }
        }
        samples[samples.len() - 1].0
    };
    ErrorStats {
        mean,
        median: percentile(0.5),
        p90: percentile(0.9),
        max: samples[samples.len() - 1].0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unweighted_statistics_of_a_small_sample() {
        let values = [4.0, 1.0, 3.0, 2.0, 10.0];
        let stats = stats(values.iter().map(|&value| (value, 1.0)).collect());
        assert_eq!(stats.mean, 4.0);
        assert_eq!(stats.median, 3.0);
        assert_eq!(stats.p90, 10.0);
        assert_eq!(stats.max, 10.0);
    }

    #[test]
    fn weights_pull_the_mean_and_median_towards_heavy_layers() {
        let stats = stats(vec![(1.0, 1.0), (9.0, 3.0)]);
        assert_eq!(stats.mean, 7.0);
        assert_eq!(stats.median, 9.0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn statistics_are_ordered_and_bounded(
            samples in proptest::collection::vec((0.0f64..1000.0, 0.0f64..1e6), 1..40)
        ) {
            let stats = stats(samples.clone());
            let min = samples.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
            prop_assert!(stats.median <= stats.p90 && stats.p90 <= stats.max);
            prop_assert!(stats.mean >= min - 1e-9 && stats.mean <= stats.max + 1e-9);
            prop_assert!(stats.median >= min);
        }
    }
}
