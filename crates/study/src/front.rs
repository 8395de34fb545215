//! The simulator's check of a design-space exploration: every point on the Pareto front — the designs
//! the analytical model recommends — simulated on its own hardware and mapping, with the model's
//! error against it. The exploration itself stays analytical (millions of points); the front is a
//! handful, so simulating it tells the architect whether the recommendation survives contention,
//! staggered arrivals and the rest of what the closed forms summarise.

use crate::dse::{configure, Dse, DseResult};
use maestro_ir::{Accelerator, Network};
use maestro_parallel::ordered_map;
use maestro_sim::{SimBuilder, SimOptions, Simulator};
use maestro_validate::{signed_error_percent, simulated_energy};
use serde::Serialize;

/// One front point as simulated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrontSimulation {
    /// Index into [`DseResult::points`].
    pub point: usize,
    /// Cycles summed over the layers, and energy priced with the point's energy table; `None` when
    /// a layer could not be simulated (see `failure`).
    pub runtime: Option<u64>,
    pub energy: Option<f64>,
    /// `(model − simulated) / simulated`, in percent.
    pub runtime_error_pct: Option<f64>,
    pub energy_error_pct: Option<f64>,
    /// The first layer's reason when the simulator refused the point.
    pub failure: Option<String>,
}

/// Simulates every Pareto-front point of `result` (the exploration `dse` produced) on `threads`
/// workers, one job per point and layer, and stores the outcome in `result.simulated_front`, in
/// front order. `progress(n)` is called as `n` more layers finish.
pub fn simulate_front(
    dse: &Dse,
    result: &mut DseResult,
    options: &SimOptions,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) {
    let network = &dse.workload.network;
    let layers = network.layers.len();
    let front: Vec<usize> = result.pareto.clone();
    let hardware: Vec<Accelerator> = front
        .iter()
        .map(|&index| {
            let point = &result.points[index];
            let mut accelerator = dse.base.clone();
            configure(
                &mut accelerator,
                point.pes,
                point.l1,
                point.l2,
                point.bandwidth,
            );
            accelerator
        })
        .collect();
    let sim_options = SimOptions {
        threads: 1,
        ..options.clone()
    };
    // Per front point: its network mapped for its hardware, and its simulator.
    let prepared: Vec<Result<(Network, Simulator), String>> = ordered_map(
        front.len(),
        threads,
        1,
        |slot| {
            let dataflow = dse.workload.dataflows[result.points[front[slot]].dataflow_index];
            let mapped = dataflow.map(network, &hardware[slot])?;
            let simulator = SimBuilder::new(&hardware[slot])
                .options(sim_options.clone())
                .build()
                .map_err(|error| error.to_string())?;
            Ok((mapped, simulator))
        },
        &|_| {},
    );
    // One job per (front point, layer): the cycles and energy of that layer.
    let outcomes: Vec<Result<(u64, f64), String>> = ordered_map(
        front.len() * layers,
        threads,
        1,
        |job| {
            let (slot, layer) = (job / layers, job % layers);
            let (network, simulator) = prepared[slot].as_ref().map_err(Clone::clone)?;
            let report = simulator
                .run_layer(&network.layers[layer])
                .map_err(|error| error.to_string())?;
            Ok((report.cycles, simulated_energy(&report, &hardware[slot])))
        },
        &|n| progress(n),
    );
    result.simulated_front = front
        .iter()
        .enumerate()
        .map(|(slot, &index)| {
            let point = &result.points[index];
            let mut runtime = 0u64;
            let mut energy = 0.0;
            let mut failure = None;
            for outcome in &outcomes[slot * layers..(slot + 1) * layers] {
                match outcome {
                    Ok((cycles, joules)) => {
                        runtime = runtime.saturating_add(*cycles);
                        energy += joules;
                    }
                    Err(reason) => {
                        failure = Some(reason.clone());
                        break;
                    }
                }
            }
            match failure {
                Some(reason) => FrontSimulation {
                    point: index,
                    runtime: None,
                    energy: None,
                    runtime_error_pct: None,
                    energy_error_pct: None,
                    failure: Some(reason),
                },
                None => FrontSimulation {
                    point: index,
                    runtime: Some(runtime),
                    energy: Some(energy),
                    runtime_error_pct: signed_error_percent(point.runtime as f64, runtime as f64),
                    energy_error_pct: signed_error_percent(point.energy, energy),
                    failure: None,
                },
            }
        })
        .collect();
}
