//! The corrected analytical model: the project's execution semantics (`execution-semantics.md`, with
//! the decisions of `docs/execution-model.md`) in closed form over the shared iteration-space
//! expansion of `maestro-ir`. Every quirk of the reference (spec §14) is replaced by its correct
//! behaviour; `docs/compat-vs-corrected.md` lists the differences.

mod carry;
mod classes;
#[cfg(test)]
mod golden;
mod hardware;
mod level;
mod prepared;
mod row;
mod sampling;
mod step;
#[cfg(test)]
mod tests;
mod timing;
mod traffic;
mod union;

pub use hardware::{area_power, AreaPower};
pub use prepared::{HardwareStructure, LayerSummary, PreparedLayer};

use crate::{AnalysisOptions, CostError, LayerCost, NetworkCost};
use maestro_ir::{Accelerator, Dim, Directive, Layer, LayerType, Network, Strides};

/// What a layer's analysis depends on besides the hardware: layers of a network that agree on it
/// (repeated blocks of ResNet, VGG, BERT) share one analysis.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct LayerKey<'a> {
    layer_type: LayerType,
    dimensions: &'a [(Dim, u64)],
    strides: Strides,
    directives: Option<&'a [Directive]>,
}

impl<'a> LayerKey<'a> {
    fn of(layer: &'a Layer) -> LayerKey<'a> {
        LayerKey {
            layer_type: layer.layer_type,
            dimensions: &layer.dimensions,
            strides: layer.strides,
            directives: layer
                .mapping
                .as_ref()
                .map(|mapping| mapping.directives.as_slice()),
        }
    }
}

/// Analyses every layer of `network`, in parallel over `options.threads` workers; results in layer
/// order. The first layer that cannot be analysed (in layer order) is the error. Layers with the same
/// shape and mapping are analysed once ([`PreparedLayer`]) and evaluated each.
pub fn analyze_network(
    network: &Network,
    accelerator: &Accelerator,
    options: &AnalysisOptions,
) -> Result<NetworkCost, CostError> {
    let layers = &network.layers;
    let mut first_of: Vec<usize> = Vec::with_capacity(layers.len());
    let mut unique: Vec<usize> = Vec::new();
    let mut seen: level::FastMap<LayerKey<'_>, usize> = level::FastMap::default();
    for (index, layer) in layers.iter().enumerate() {
        let slot = *seen.entry(LayerKey::of(layer)).or_insert_with(|| {
            unique.push(index);
            unique.len() - 1
        });
        first_of.push(slot);
    }
    let prepared = maestro_parallel::ordered_map(
        unique.len(),
        options.threads,
        1,
        |slot| PreparedLayer::new(&layers[unique[slot]], accelerator),
        &|_| {},
    );
    let mut costs = Vec::with_capacity(layers.len());
    for (index, layer) in layers.iter().enumerate() {
        // A shared analysis failing fails first at its first layer, whose reason names that layer.
        match &prepared[first_of[index]] {
            Ok(prepared) => {
                costs.push(prepared.evaluate_unchecked(&network.name, &layer.name, accelerator));
            }
            Err(error) => {
                return Err(CostError {
                    layer_index: index,
                    layer: layer.name.clone(),
                    reason: error.reason.clone(),
                })
            }
        }
    }
    Ok(NetworkCost {
        network: network.name.clone(),
        layers: costs,
    })
}

fn check_hardware(hardware: &Accelerator) -> Result<(), String> {
    let positive = [
        ("num_pes", hardware.num_pes),
        ("simd_lanes", hardware.simd_lanes),
        (
            "distribution NoC bandwidth",
            hardware.distribution_noc.bandwidth,
        ),
        (
            "collection NoC bandwidth",
            hardware.collection_noc.bandwidth,
        ),
        ("L2 bandwidth", hardware.l2_bandwidth),
        ("off-chip bandwidth", hardware.offchip.bandwidth),
    ];
    match positive.iter().find(|(_, value)| *value == 0) {
        Some((name, _)) => Err(format!("the hardware's {name} is 0")),
        None => Ok(()),
    }
}

/// The corrected cost of one layer.
pub fn analyze_layer(
    network: &str,
    layer: &Layer,
    hardware: &Accelerator,
) -> Result<LayerCost, String> {
    analyze_layer_with(network, layer, hardware, false)
}

/// [`analyze_layer`], optionally evaluating every unit of every step one by one instead of by the
/// closed forms (the two must agree exactly; the tests compare them).
fn analyze_layer_with(
    network: &str,
    layer: &Layer,
    hardware: &Accelerator,
    exhaustive: bool,
) -> Result<LayerCost, String> {
    let prepared = PreparedLayer::build(layer, hardware, exhaustive)?;
    Ok(prepared.evaluate_unchecked(network, &layer.name, hardware))
}
