//! The reference-compatible analytical model (`--compat`): a re-implementation of the reference MAESTRO
//! binary's cost model from `analytical-model.md` §3–§12, reproducing its CSV numbers including the quirks
//! of §14 (each isolated in [`quirks`]).
//!
//! The modules follow the specification: [`layer_model`] (§3), [`levels`] (§5), [`tables`] (§6),
//! [`states`] and [`cases`] (§7), [`volumes`] (§8), [`analysis`] (§9), [`report`] (§10–§12).
//! Where the reference exits or crashes, the analysis returns a [`CostError`] naming the layer instead.

mod analysis;
mod cases;
mod dims;
mod error;
mod extended;
mod layer_model;
mod levels;
mod quirks;
mod report;
mod states;
mod tables;
mod volumes;

#[cfg(test)]
mod robustness;
#[cfg(test)]
mod tests;

use crate::{AnalysisOptions, CostError, LayerCost, NetworkCost};
use analysis::LayerAnalysis;
use error::{CompatError, CompatResult};
use layer_model::{TensorRoles, TypeClass};
use maestro_ir::{Accelerator, Dim, Layer, Network, Tensor};

/// The hardware parameters the reference model reads (analytical-model §4.1), as its signed integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompatHardware {
    pub num_pes: i64,
    pub l1_capacity: i64,
    pub l2_capacity: i64,
    pub noc_bandwidth: i64,
    /// Cycles added to every NoC transfer (the reference's hop latency × hop count).
    pub noc_latency: i64,
    pub offchip_bandwidth: i64,
    pub simd_lanes: i64,
}

fn saturating_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl CompatHardware {
    pub fn from_accelerator(a: &Accelerator) -> Self {
        CompatHardware {
            num_pes: saturating_i64(a.num_pes),
            l1_capacity: saturating_i64(a.l1_size),
            l2_capacity: saturating_i64(a.l2_size),
            noc_bandwidth: saturating_i64(a.distribution_noc.bandwidth),
            noc_latency: saturating_i64(a.distribution_noc.hop_latency),
            offchip_bandwidth: saturating_i64(a.offchip.bandwidth),
            simd_lanes: saturating_i64(a.simd_lanes),
        }
    }
}

/// Networks at least this long are analysed on several threads (when `options.threads > 1`).
const PARALLEL_MIN_LAYERS: usize = 8;

/// Where a layer failed: the reference builds every layer before analysing any, so a build error in a
/// late layer wins over an analysis crash in an early one.
#[derive(Debug)]
enum Failure {
    Build(CompatError),
    Analysis(CompatError),
}

/// Analyses every layer of `network` the way the reference binary does and returns one row per layer,
/// in layer order.
pub fn analyze_network(
    network: &Network,
    accelerator: &Accelerator,
    options: &AnalysisOptions,
) -> Result<NetworkCost, CostError> {
    let hardware = CompatHardware::from_accelerator(accelerator);
    let roles = RolesByLayer::new(&network.layers);
    // Small networks are analysed on the calling thread: spawning costs more than they take.
    let count = network.layers.len();
    let threads = if count < PARALLEL_MIN_LAYERS {
        1
    } else {
        options.threads
    };
    let analyses = maestro_parallel::ordered_map(
        count,
        threads,
        1,
        |index| analyze_one(&network.layers[index], roles.of(index), &hardware),
        &|_| {},
    );
    let first_failure = |build_only: bool| {
        analyses
            .iter()
            .enumerate()
            .find_map(|(index, result)| match result {
                Err(Failure::Build(error)) => Some((index, error)),
                Err(Failure::Analysis(error)) if !build_only => Some((index, error)),
                _ => None,
            })
    };
    if let Some((index, error)) = first_failure(true).or_else(|| first_failure(false)) {
        return Err(CostError {
            layer_index: index,
            layer: network.layers[index].name.clone(),
            reason: error.to_string(),
        });
    }
    let mut layers = Vec::with_capacity(analyses.len());
    let mut previous_l1 = [0i64; 6];
    for (index, analysis) in analyses.iter().flatten().enumerate() {
        let layer = &network.layers[index];
        let layer_roles = roles.of(index);
        let context = report::RowContext {
            network: &network.name,
            layer: &layer.name,
            hardware: &hardware,
            input_pixels: layer_model::declared_pixels(layer, layer_roles, Tensor::Input),
            weight_pixels: layer_model::declared_pixels(layer, layer_roles, Tensor::Weight),
            previous_l1,
        };
        layers.push(LayerCost {
            row: report::reference_row(&context, analysis),
            detail: None,
        });
        previous_l1 = report::l1_counters(analysis);
    }
    Ok(NetworkCost {
        network: network.name.clone(),
        layers,
    })
}

fn analyze_one(
    layer: &Layer,
    roles: &TensorRoles,
    hardware: &CompatHardware,
) -> Result<LayerAnalysis, Failure> {
    let build = || -> CompatResult<_> {
        let mapping = layer.mapping.as_ref().ok_or(CompatError::NoDataflow)?;
        let shape = layer_model::layer_shape(layer)?;
        let levels = levels::build_levels(&shape, roles, mapping, hardware.num_pes)?;
        Ok((shape, levels))
    };
    let (shape, levels) = build().map_err(Failure::Build)?;
    analysis::analyze_layer(&levels, roles, &shape.table, hardware).map_err(Failure::Analysis)
}

/// The tensor roles of every layer: Q-A14 caches them per type class, decided by whether the *first*
/// layer of that class declares the batch dimension `N`.
struct RolesByLayer {
    variants: Vec<TensorRoles>,
    variant_of_layer: Vec<usize>,
}

impl RolesByLayer {
    fn new(layers: &[Layer]) -> Self {
        let mut variants: Vec<TensorRoles> = Vec::new();
        let mut decided: Vec<(TypeClass, usize)> = Vec::new();
        let variant_of_layer = layers
            .iter()
            .map(|layer| {
                let class = TypeClass::of(layer.layer_type);
                if let Some(&(_, variant)) = decided
                    .iter()
                    .find(|(decided_class, _)| *decided_class == class)
                {
                    return variant;
                }
                let with_batch = layer.declared(Dim::N).is_some();
                variants.push(TensorRoles::new(class, with_batch));
                decided.push((class, variants.len() - 1));
                variants.len() - 1
            })
            .collect();
        RolesByLayer {
            variants,
            variant_of_layer,
        }
    }

    fn of(&self, layer_index: usize) -> &TensorRoles {
        &self.variants[self.variant_of_layer[layer_index]]
    }
}
