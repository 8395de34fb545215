//! Runs the corrected model (optionally also the reference-compatible one) and the simulator on every
//! layer of a network, on worker threads, and compares them quantity by quantity.

use crate::attribution::{attribute_gap, GapAttribution, ModelTime};
use crate::error::ValidateError;
use crate::perturb::Perturbation;
use crate::quantity::{signed_error_percent, Quantity};
use crate::summary::{summarise, ValidationSummary};
use maestro_cost::{AnalysisOptions, LayerCost, ModelMode};
use maestro_ir::{Accelerator, Layer, Network};
use maestro_sim::{LayerSimReport, SimBuilder, SimOptions, Simulator};
use serde::Serialize;

/// How to run a validation.
#[derive(Clone, Debug)]
pub struct ValidationOptions {
    /// Worker threads; each runs whole layers (model and simulator). Results keep layer order.
    pub threads: usize,
    /// Also run the reference-compatible model, as a second analytical column.
    pub compat: bool,
    /// Deliberate breakage of the corrected model's result (tests of the gate only).
    pub perturbation: Perturbation,
    /// Simulator options; its own `threads` is ignored (the harness parallelises over layers).
    pub sim: SimOptions,
}

impl Default for ValidationOptions {
    /// One thread, corrected model only, no perturbation, and a simulator that runs layers whose tiles
    /// exceed the buffers (the model only warns about them, so both engines see the same layers).
    fn default() -> Self {
        ValidationOptions {
            threads: 1,
            compat: false,
            perturbation: Perturbation::None,
            sim: SimOptions {
                ignore_capacity: true,
                threads: 1,
                ..SimOptions::default()
            },
        }
    }
}

/// One quantity of one layer in both engines.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct QuantityComparison {
    pub quantity: Quantity,
    pub analytical: f64,
    pub simulated: f64,
    /// `(analytical − simulated) / simulated` in percent; `None` when the simulator measured 0 and the
    /// model did not.
    pub error_percent: Option<f64>,
    /// The reference-compatible model's value, when it was run and reports this quantity.
    pub compat: Option<f64>,
    pub compat_error_percent: Option<f64>,
}

impl QuantityComparison {
    fn new(quantity: Quantity, analytical: f64, simulated: f64, compat: Option<f64>) -> Self {
        QuantityComparison {
            quantity,
            analytical,
            simulated,
            error_percent: signed_error_percent(analytical, simulated),
            compat,
            compat_error_percent: compat.and_then(|value| signed_error_percent(value, simulated)),
        }
    }

    pub fn absolute_error_percent(&self) -> Option<f64> {
        self.error_percent.map(f64::abs)
    }
}

/// The simulator's PE time for one layer, per PE that has work (cycles).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct StallShares {
    pub computing: f64,
    pub waiting_for_input: f64,
    pub waiting_for_egress: f64,
    pub waiting_for_offchip: f64,
    pub idle: f64,
}

/// Everything compared for one layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerComparison {
    /// Position in the network (0-based).
    pub index: usize,
    pub layer: String,
    pub layer_type: String,
    pub pes_used: u64,
    /// In [`Quantity::ALL`] order.
    pub quantities: Vec<QuantityComparison>,
    pub attribution: GapAttribution,
    pub stalls: StallShares,
    /// The model's warnings for this layer (e.g. tiles larger than L1).
    pub warnings: Vec<String>,
}

impl LayerComparison {
    pub fn quantity(&self, quantity: Quantity) -> Option<&QuantityComparison> {
        self.quantities
            .iter()
            .find(|comparison| comparison.quantity == quantity)
    }

    /// The simulated runtime, the weight of this layer in cycle-weighted statistics.
    pub fn simulated_cycles(&self) -> f64 {
        self.quantity(Quantity::Runtime)
            .map_or(0.0, |comparison| comparison.simulated)
    }
}

/// A whole network compared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkValidation {
    pub network: String,
    pub accelerator: String,
    /// Whether the reference-compatible column was computed.
    pub compat: bool,
    /// The active perturbation, if any (never set in normal runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perturbation: Option<String>,
    pub layers: Vec<LayerComparison>,
    pub summary: ValidationSummary,
}

/// Compares the engines on every layer of `network` (every layer needs a mapping).
pub fn validate_network(
    network: &Network,
    accelerator: &Accelerator,
    options: &ValidationOptions,
) -> Result<NetworkValidation, ValidateError> {
    let simulator = SimBuilder::new(accelerator)
        .options(SimOptions {
            threads: 1,
            ..options.sim.clone()
        })
        .build()
        .map_err(ValidateError::SimulatorSetup)?;
    let results = maestro_parallel::ordered_map(
        network.layers.len(),
        options.threads,
        1,
        |index| {
            let layer = &network.layers[index];
            compare_layer(
                index,
                layer,
                &network.name,
                accelerator,
                &simulator,
                options,
            )
        },
        &|_| {},
    );
    let layers = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    let summary = summarise(&layers);
    Ok(NetworkValidation {
        network: network.name.clone(),
        accelerator: accelerator.name.clone(),
        compat: options.compat,
        perturbation: options.perturbation.describe(),
        layers,
        summary,
    })
}

fn compare_layer(
    index: usize,
    layer: &Layer,
    network_name: &str,
    accelerator: &Accelerator,
    simulator: &Simulator,
    options: &ValidationOptions,
) -> Result<LayerComparison, ValidateError> {
    let mut corrected = analyze_one(
        index,
        layer,
        network_name,
        accelerator,
        ModelMode::Corrected,
    )?;
    let compat = if options.compat {
        Some(analyze_one(
            index,
            layer,
            network_name,
            accelerator,
            ModelMode::Compat,
        )?)
    } else {
        None
    };
    let sim = simulator
        .run_layer(layer)
        .map_err(|source| ValidateError::Simulator {
            layer_index: index,
            layer: layer.name.clone(),
            source,
        })?;
    options
        .perturbation
        .apply(&mut corrected, sim.pes_used, accelerator.simd_lanes);
    let detail = corrected
        .detail
        .as_ref()
        .ok_or_else(|| ValidateError::MissingDetail {
            layer: layer.name.clone(),
        })?;
    let row = &corrected.row;
    let sim_tensors = [sim.tensors.input, sim.tensors.weight, sim.tensors.output];
    let sim_sum = |field: fn(&maestro_sim::TensorTraffic) -> u64| -> f64 {
        sim_tensors
            .iter()
            .map(field)
            .fold(0u64, u64::saturating_add) as f64
    };
    let compat_row = compat.as_ref().map(|cost| &cost.row);
    let quantities = vec![
        QuantityComparison::new(
            Quantity::Runtime,
            row.runtime_cycles as f64,
            sim.cycles as f64,
            compat_row.map(|row| row.runtime_cycles as f64),
        ),
        QuantityComparison::new(
            Quantity::Energy,
            row.energy_nj,
            simulated_energy(&sim, accelerator),
            compat_row.map(|row| row.energy_nj),
        ),
        QuantityComparison::new(
            Quantity::L2Reads,
            [detail.l2.input, detail.l2.weight, detail.l2.output]
                .iter()
                .map(|access| access.reads)
                .fold(0u64, u64::saturating_add) as f64,
            sim_sum(|traffic| traffic.l2_reads),
            compat_row.map(|row| row.tensors.iter().map(|access| access.l2_read as f64).sum()),
        ),
        QuantityComparison::new(
            Quantity::NocElements,
            [
                detail.noc_sent.input,
                detail.noc_sent.weight,
                detail.noc_sent.output,
            ]
            .into_iter()
            .fold(0u64, u64::saturating_add) as f64,
            sim_sum(|traffic| traffic.noc_elements_sent),
            None,
        ),
        QuantityComparison::new(
            Quantity::L1Requirement,
            row.l1_size_req as f64,
            sim.peak_l1_occupancy as f64,
            compat_row.map(|row| row.l1_size_req as f64),
        ),
        QuantityComparison::new(
            Quantity::L2Requirement,
            row.l2_size_req as f64,
            sim.peak_l2_occupancy as f64,
            compat_row.map(|row| row.l2_size_req as f64),
        ),
    ];
    let attribution = attribute_gap(
        ModelTime {
            runtime_cycles: u64::try_from(row.runtime_cycles).unwrap_or(0),
            breakdown: &detail.runtime,
            macs: u64::try_from(row.macs).unwrap_or(0),
            simd_lanes: accelerator.simd_lanes,
        },
        &sim,
    );
    Ok(LayerComparison {
        index,
        layer: layer.name.clone(),
        layer_type: layer.layer_type.keyword().to_owned(),
        pes_used: sim.pes_used,
        quantities,
        attribution,
        stalls: stall_shares(&sim),
        warnings: detail.warnings.clone(),
    })
}

/// Runs one model on one layer (as a one-layer network), keeping the layer's real index in errors.
fn analyze_one(
    index: usize,
    layer: &Layer,
    network_name: &str,
    accelerator: &Accelerator,
    mode: ModelMode,
) -> Result<LayerCost, ValidateError> {
    let single = Network {
        name: network_name.to_owned(),
        layers: vec![layer.clone()],
    };
    let options = AnalysisOptions { mode, threads: 1 };
    let mut cost =
        maestro_cost::analyze_network(&single, accelerator, &options).map_err(|mut error| {
            error.layer_index = index;
            ValidateError::Model {
                mode,
                source: error,
            }
        })?;
    cost.layers.pop().ok_or(ValidateError::MissingDetail {
        layer: layer.name.clone(),
    })
}

/// The simulator's counters priced with the accelerator's energy table: MACs, every L1, L2 and
/// off-chip access, and one NoC hop per element put on a NoC.
pub fn simulated_energy(sim: &LayerSimReport, accelerator: &Accelerator) -> f64 {
    let energy = &accelerator.energy;
    let mut total = sim.macs as f64 * energy.mac;
    for traffic in [sim.tensors.input, sim.tensors.weight, sim.tensors.output] {
        total += (traffic.l1_reads as f64 + traffic.l1_writes as f64) * energy.l1_access;
        total += (traffic.l2_reads as f64 + traffic.l2_writes as f64) * energy.l2_access;
        total +=
            (traffic.offchip_reads as f64 + traffic.offchip_writes as f64) * energy.offchip_access;
        total += traffic.noc_elements_sent as f64 * energy.noc_hop;
    }
    total
}

fn stall_shares(sim: &LayerSimReport) -> StallShares {
    let used = sim.pes_used.max(1) as f64;
    let stalls = &sim.stalls;
    let computing = stalls.computing as f64 / used;
    let waiting_for_input = stalls.waiting_for_input as f64 / used;
    let waiting_for_egress = stalls.waiting_for_egress as f64 / used;
    let waiting_for_offchip = stalls.waiting_for_offchip as f64 / used;
    let idle = (sim.cycles as f64
        - computing
        - waiting_for_input
        - waiting_for_egress
        - waiting_for_offchip)
        .max(0.0);
    StallShares {
        computing,
        waiting_for_input,
        waiting_for_egress,
        waiting_for_offchip,
        idle,
    }
}
