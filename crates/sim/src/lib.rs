//! Cycle-level discrete-event simulator of a spatial accelerator executing a mapping.
//!
//! Build, then run: [`SimBuilder`] checks the hardware and options and returns a [`Simulator`], whose
//! [`Simulator::run_layer`] plays one layer tile by tile through PEs, L1s, L2, off-chip memory and the
//! two NoCs (bus, tree or 2D mesh, chosen per direction). [`simulate_network`] runs a network's layers
//! on worker threads and reports them in layer order. The simulator shares only the IR with the
//! analytical model — the iteration space comes from `maestro_ir::expansion` — and never calls it.
//!
//! Time is integer cycles; transfers ready at the same cycle are served in plan order; the same inputs
//! give byte-identical reports. The model decisions are written down in the project's
//! `docs/simulator.md`.
//!
//! # Memory is bounded by the hardware, not by the layer
//!
//! The simulator keeps no per-element and no per-step state:
//! - what a PE holds is one hyper-rectangular region (and its three footprints, a few intervals per
//!   tensor axis), whatever the tile sizes;
//! - the timing state is four times per PE, one per link and four globals;
//! - a step's plan lives in buffers reused from step to step, sized by the number of PEs;
//! - the schedule caches one geometry per unit of every cluster level (at most the number of PEs);
//! - counters are sums; link occupancy and latencies are lists that are merged whenever they grow
//!   past a fixed size, latencies by the buckets of the report's histograms (3 significant digits),
//!   so their length is bounded by the number of links and of buckets (about a thousand per power of
//!   two of the largest latency), not by the number of steps;
//! - the window logs of closed-form skipping hold at most one entry per state component and loop.
//!
//! "PEs" here are the PEs that ever work — one more than the highest PE index the mapping's spatial
//! tiles reach — not the accelerator's PE count, and the tree and mesh NoCs build only the links above
//! them; per-PE state is reserved with `try_reserve`, so a layer too large for the machine fails with
//! [`SimError::OutOfMemory`] instead of aborting.
//!
//! So a layer needs `O(PEs × loops + links)` memory: a billion-MAC layer uses as much as a tiny one on
//! the same accelerator, and a network adds one such set per worker thread. Only a trace grows with the
//! work, and it goes to the caller's writer.

mod counters;
mod engine;
pub mod error;
mod executor;
mod footprint;
pub mod geometry;
mod memory;
pub mod noc;
pub mod options;
mod plan;
pub mod report;
mod schedule;
pub mod trace;
mod union;

pub use error::SimError;
pub use executor::StepObserver;
pub use options::SimOptions;
pub use report::{
    LatencySummary, LayerSimReport, LinkReport, NetworkSimReport, PerTensor, SimReport,
    StallBreakdown, TensorTraffic,
};
pub use trace::{JsonLinesTrace, TraceEvent, TraceSink};

use maestro_ir::{Accelerator, Layer, Network};

/// Checks and holds the hardware description and options; `build` returns a [`Simulator`].
#[derive(Debug, Clone)]
pub struct SimBuilder {
    accelerator: Accelerator,
    options: SimOptions,
}

impl SimBuilder {
    pub fn new(accelerator: &Accelerator) -> SimBuilder {
        SimBuilder {
            accelerator: accelerator.clone(),
            options: SimOptions::default(),
        }
    }

    /// Replaces all options at once.
    pub fn options(mut self, options: SimOptions) -> SimBuilder {
        self.options = options;
        self
    }

    /// Simulate even if tiles exceed L1 or L2.
    pub fn ignore_capacity(mut self, ignore: bool) -> SimBuilder {
        self.options.ignore_capacity = ignore;
        self
    }

    pub fn double_buffering(mut self, enabled: bool) -> SimBuilder {
        self.options.double_buffering = enabled;
        self
    }

    pub fn skip_steady_state(mut self, enabled: bool) -> SimBuilder {
        self.options.skip_steady_state = enabled;
        self
    }

    pub fn watchdog_cycles(mut self, cycles: u64) -> SimBuilder {
        self.options.watchdog_cycles = cycles;
        self
    }

    pub fn threads(mut self, threads: usize) -> SimBuilder {
        self.options.threads = threads;
        self
    }

    pub fn build(self) -> Result<Simulator, SimError> {
        let hw = &self.accelerator;
        if hw.num_pes == 0 || hw.num_pes > maestro_ir::limits::MAX_PES {
            return Err(SimError::Hardware(format!(
                "{} PEs is out of range",
                hw.num_pes
            )));
        }
        for (what, value) in [
            ("SIMD lanes", hw.simd_lanes),
            ("L2 bandwidth", hw.l2_bandwidth),
            ("distribution NoC bandwidth", hw.distribution_noc.bandwidth),
            ("collection NoC bandwidth", hw.collection_noc.bandwidth),
            ("off-chip bandwidth", hw.offchip.bandwidth),
        ] {
            if value == 0 {
                return Err(SimError::Hardware(format!("{what} is 0")));
            }
        }
        if self.options.watchdog_cycles == 0 {
            return Err(SimError::Hardware(
                "the watchdog needs a positive cycle budget".into(),
            ));
        }
        Ok(Simulator {
            accelerator: self.accelerator,
            options: self.options,
        })
    }
}

/// A checked accelerator and options, ready to simulate layers.
#[derive(Debug, Clone)]
pub struct Simulator {
    accelerator: Accelerator,
    options: SimOptions,
}

impl Simulator {
    pub fn options(&self) -> &SimOptions {
        &self.options
    }

    /// Simulates one layer with its own mapping.
    pub fn run_layer(&self, layer: &Layer) -> Result<LayerSimReport, SimError> {
        executor::run_layer(&self.accelerator, &self.options, layer, None, None)
    }

    /// [`Simulator::run_layer`], telling `observer` about every executed step; stops with
    /// [`SimError::Stopped`] when the observer says so.
    pub fn run_layer_observed(
        &self,
        layer: &Layer,
        observer: &dyn StepObserver,
    ) -> Result<LayerSimReport, SimError> {
        executor::run_layer(
            &self.accelerator,
            &self.options,
            layer,
            None,
            Some(observer),
        )
    }

    /// Calls `visit(pe, region)` for every PE work item of `layer` in the simulator's schedule order
    /// (global steps in order, PEs in order within a step): the loop-space region each PE computes.
    /// The multiset equals `maestro_ir::Expansion::for_each_pe_work`'s, and each PE sees its regions in
    /// the same order.
    pub fn for_each_pe_work(
        &self,
        layer: &Layer,
        visit: impl FnMut(u64, &maestro_ir::Region),
    ) -> Result<(), SimError> {
        schedule::Schedule::new(layer, self.accelerator.num_pes)?.for_each_pe_work(visit);
        Ok(())
    }

    /// The number of global steps and of PE work items of `layer`: the size of its full trace is
    /// about one event per work item plus a few per step.
    pub fn work_size(&self, layer: &Layer) -> Result<(u64, u64), SimError> {
        let schedule = schedule::Schedule::new(layer, self.accelerator.num_pes)?;
        Ok((
            schedule.total_steps,
            schedule.total_steps.saturating_mul(schedule.pes_used),
        ))
    }

    /// Simulates one layer and reports every event to `sink`. Closed-form skipping is off while tracing,
    /// so the trace holds every step.
    pub fn run_layer_traced(
        &self,
        layer: &Layer,
        sink: &mut dyn TraceSink,
    ) -> Result<LayerSimReport, SimError> {
        executor::run_layer(&self.accelerator, &self.options, layer, Some(sink), None)
    }
}

/// Simulates every layer of `network` (layers are independent; they run on `options.threads` workers and
/// are reported in network order). Stops at the first failing layer in network order.
pub fn simulate_network(
    network: &Network,
    accelerator: &Accelerator,
    options: &SimOptions,
) -> Result<NetworkSimReport, SimError> {
    let simulator = SimBuilder::new(accelerator)
        .options(options.clone())
        .build()?;
    let results = maestro_parallel::ordered_map(
        network.layers.len(),
        options.threads,
        1,
        |index| simulator.run_layer(&network.layers[index]),
        &|_| {},
    );
    let layers = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(network_report(network, layers))
}

/// The outcome of [`simulate_network_observed`]: every layer that finished, in network order, and the
/// errors of those that did not (with their index in the network, in network order).
#[derive(Debug)]
pub struct ObservedNetwork {
    pub report: NetworkSimReport,
    pub errors: Vec<(usize, SimError)>,
}

/// Simulates every layer of `network` on worker threads like [`simulate_network`], telling `observer`
/// about each executed step of each layer (`observer` gets the layer's index in the network) and
/// about each finished layer. A layer whose observer asks to stop ends with [`SimError::Stopped`];
/// the other layers still run to their end or their own stop, and every finished one is reported.
pub fn simulate_network_observed(
    network: &Network,
    accelerator: &Accelerator,
    options: &SimOptions,
    observer: &dyn NetworkObserver,
) -> Result<ObservedNetwork, SimError> {
    let simulator = SimBuilder::new(accelerator)
        .options(options.clone())
        .build()?;
    let results = maestro_parallel::ordered_map(
        network.layers.len(),
        options.threads,
        1,
        |index| {
            let layer_observer = LayerObserver { observer, index };
            let result = simulator.run_layer_observed(&network.layers[index], &layer_observer);
            observer.layer_done(index);
            result
        },
        &|_| {},
    );
    let mut layers = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for (index, result) in results.into_iter().enumerate() {
        match result {
            Ok(layer) => layers.push(layer),
            Err(error) => errors.push((index, error)),
        }
    }
    Ok(ObservedNetwork {
        report: network_report(network, layers),
        errors,
    })
}

/// Watches a network simulation: each executed step of each layer, and each finished layer.
pub trait NetworkObserver: Sync {
    /// Layer `layer` (its index in the network) is about to execute global step `step` of `steps`;
    /// `false` stops it.
    fn step(&self, layer: usize, step: u64, steps: u64) -> bool;
    /// Layer `layer` finished (successfully or not).
    fn layer_done(&self, layer: usize);
}

struct LayerObserver<'a> {
    observer: &'a dyn NetworkObserver,
    index: usize,
}

impl StepObserver for LayerObserver<'_> {
    fn step(&self, step: u64, steps: u64) -> bool {
        self.observer.step(self.index, step, steps)
    }
}

/// Simulates every layer of `network` one after another, reporting every event to `sink` (a
/// [`TraceEvent::Layer`] opens each layer). Closed-form skipping is off while tracing.
pub fn simulate_network_traced(
    network: &Network,
    accelerator: &Accelerator,
    options: &SimOptions,
    sink: &mut dyn TraceSink,
) -> Result<NetworkSimReport, SimError> {
    let simulator = SimBuilder::new(accelerator)
        .options(options.clone())
        .build()?;
    let mut layers = Vec::with_capacity(network.layers.len());
    for layer in &network.layers {
        sink.record(&TraceEvent::Layer { layer: &layer.name })?;
        layers.push(simulator.run_layer_traced(layer, sink)?);
    }
    Ok(network_report(network, layers))
}

fn network_report(network: &Network, layers: Vec<LayerSimReport>) -> NetworkSimReport {
    let total_cycles = layers
        .iter()
        .fold(0u64, |acc, l| acc.saturating_add(l.cycles));
    let total_macs = layers
        .iter()
        .fold(0u64, |acc, l| acc.saturating_add(l.macs));
    NetworkSimReport {
        network: network.name.clone(),
        layers,
        total_cycles,
        total_macs,
    }
}
