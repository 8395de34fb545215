//! Synthetic-traffic runs: BookSim2's latency mode (warm-up, sample periods, convergence and
//! saturation tests, drain of the measured packets) and batch mode (a fixed number of packets per
//! node, reporting the completion time).

use crate::config::NocConfig;
use crate::error::NocError;
use crate::network::{Cycle, Destination, Network, PacketRequest};
use crate::rng::Rng;
use crate::stats::NetworkStats;
use crate::traffic::{BernoulliArrivals, TrafficPattern};
use serde::Serialize;

/// Which experiment to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SimType {
    /// Latency and throughput at an offered load (BookSim `latency`).
    Latency,
    /// Accepted throughput at an offered load, without the latency threshold and drain (BookSim
    /// `throughput`).
    Throughput,
    /// Completion time of a fixed batch (BookSim `batch`).
    Batch,
}

/// The traffic and the measurement method (BookSim key names).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSettings {
    /// Destination rule.
    pub traffic: TrafficPattern,
    /// Offered load in flits per node per cycle (`injection_rate` with `injection_rate_uses_flits = 1`).
    pub injection_rate: f64,
    /// Flits per packet.
    pub packet_size: u32,
    /// Latency or batch.
    pub sim_type: SimType,
    /// Sample periods spent warming up.
    pub warmup_periods: u32,
    /// Cycles per sample period.
    pub sample_period: u32,
    /// Sample periods at most.
    pub max_samples: u32,
    /// Mean latency above which the network is declared saturated.
    pub latency_thres: f64,
    /// Relative change of latency and throughput below which a sample counts as converged.
    pub stopping_thres: f64,
    /// Packets per node in batch mode.
    pub batch_size: u32,
    /// Seed of the traffic's random numbers.
    pub seed: u64,
}

impl Default for RunSettings {
    /// BookSim2's defaults.
    fn default() -> Self {
        RunSettings {
            traffic: TrafficPattern::Uniform,
            injection_rate: 0.1,
            packet_size: 1,
            sim_type: SimType::Latency,
            warmup_periods: 3,
            sample_period: 1000,
            max_samples: 10,
            latency_thres: 500.0,
            stopping_thres: 0.05,
            batch_size: 1000,
            seed: 0,
        }
    }
}

impl RunSettings {
    /// Checks the ranges (the error names the key).
    pub fn validate(&self, config: &NocConfig) -> Result<(), NocError> {
        let bad = |key: &'static str, message: String| Err(NocError::Parameter { key, message });
        if !(0.0..=1.0).contains(&self.injection_rate) {
            return bad(
                "injection_rate",
                format!(
                    "must be between 0 and 1 flits/node/cycle, found {}",
                    self.injection_rate
                ),
            );
        }
        if self.packet_size == 0 || self.packet_size > crate::config::MAX_PACKET_SIZE {
            return bad(
                "packet_size",
                format!(
                    "must be between 1 and {}, found {}",
                    crate::config::MAX_PACKET_SIZE,
                    self.packet_size
                ),
            );
        }
        if self.sample_period == 0 || self.sample_period > 10_000_000 {
            return bad(
                "sample_period",
                format!(
                    "must be between 1 and 10000000, found {}",
                    self.sample_period
                ),
            );
        }
        if self.max_samples == 0 || self.max_samples > 10_000 {
            return bad(
                "max_samples",
                format!("must be between 1 and 10000, found {}", self.max_samples),
            );
        }
        if self.warmup_periods > 10_000 {
            return bad(
                "warmup_periods",
                format!("must be at most 10000, found {}", self.warmup_periods),
            );
        }
        if self.batch_size == 0 || self.batch_size > 1_000_000 {
            return bad(
                "batch_size",
                format!("must be between 1 and 1000000, found {}", self.batch_size),
            );
        }
        if self.latency_thres.is_nan()
            || self.latency_thres <= 0.0
            || self.stopping_thres.is_nan()
            || self.stopping_thres <= 0.0
        {
            return bad("latency_thres", "thresholds must be positive".into());
        }
        self.traffic
            .check(config.k as usize, config.concentration as usize)
    }
}

/// What a run measured, with BookSim's statistic names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunResult {
    /// Offered load, flits/node/cycle.
    pub injection_rate: f64,
    /// Whether the network reached a steady state below the latency threshold (latency mode).
    pub stable: bool,
    /// Mean packet latency (creation to tail arrival) of the measured packets.
    pub avg_packet_latency: f64,
    /// Mean network latency (head injection to tail arrival).
    pub avg_network_latency: f64,
    /// Mean flit latency.
    pub avg_flit_latency: f64,
    /// Accepted throughput, flits/node/cycle.
    pub accepted_flit_rate: f64,
    /// Mean routers traversed.
    pub hops_avg: f64,
    /// Batch mode: cycles until the last packet arrived.
    pub batch_time: Option<u64>,
    /// Cycles simulated.
    pub cycles: u64,
    /// The detailed statistics of the measurement window.
    pub stats: NetworkStats,
}

/// Drives a network with synthetic traffic.
#[derive(Debug)]
struct Driver {
    network: Network,
    settings: RunSettings,
    arrivals: BernoulliArrivals,
    next_arrival: Vec<Cycle>,
    rng: Rng,
    measuring: bool,
    tag: u64,
}

impl Driver {
    fn new(config: &NocConfig, settings: &RunSettings) -> Result<Self, NocError> {
        config.validate()?;
        settings.validate(config)?;
        let network = Network::new(config)?;
        let nodes = network.topology().nodes();
        let mut rng = Rng::new(settings.seed);
        let arrivals =
            BernoulliArrivals::new(settings.injection_rate / f64::from(settings.packet_size));
        let next_arrival = (0..nodes)
            .map(|_| arrivals.gap(&mut rng).map_or(Cycle::MAX, |gap| gap - 1))
            .collect();
        Ok(Driver {
            network,
            settings: settings.clone(),
            arrivals,
            next_arrival,
            rng,
            measuring: false,
            tag: 0,
        })
    }

    /// Runs until `end`, generating the packets due on the way.
    fn run_until(&mut self, end: Cycle) -> Result<(), NocError> {
        let k = self.network.topology().k();
        let concentration = self.network.config().concentration as usize;
        while self.network.now() < end {
            let now = self.network.now();
            for node in 0..self.next_arrival.len() {
                while self.next_arrival[node] <= now {
                    let destination =
                        self.settings
                            .traffic
                            .destination(node, k, concentration, &mut self.rng);
                    self.network.inject(&PacketRequest {
                        source: node,
                        destination: Destination::Unicast(destination),
                        size: self.settings.packet_size,
                        tag: self.tag,
                        measured: self.measuring,
                    })?;
                    self.tag += 1;
                    let gap = self.arrivals.gap(&mut self.rng).unwrap_or(Cycle::MAX);
                    self.next_arrival[node] = self.next_arrival[node].saturating_add(gap);
                }
            }
            let next = self
                .next_arrival
                .iter()
                .copied()
                .min()
                .unwrap_or(Cycle::MAX);
            let until = next.min(end).max(now + 1);
            if self.network.is_idle() {
                self.network.advance_to(until)?;
            } else {
                self.network.step()?;
            }
            // Measured packets are dropped from the result list; only statistics are kept.
            if !self.network.deliveries().is_empty() {
                let _ = self.network.take_deliveries();
            }
        }
        Ok(())
    }

    /// BookSim's in-flight latency estimate: measured latencies plus the ages of packets still
    /// queued or in the network, per packet.
    fn latency_with_in_flight(&self) -> f64 {
        let (sum, count) = self.network.measured_latency_with_in_flight();
        if count == 0 {
            0.0
        } else {
            sum as f64 / count as f64
        }
    }
}

/// Runs one experiment.
pub fn run(config: &NocConfig, settings: &RunSettings) -> Result<RunResult, NocError> {
    let mut driver = Driver::new(config, settings)?;
    match settings.sim_type {
        SimType::Latency => latency_mode(&mut driver, true),
        SimType::Throughput => latency_mode(&mut driver, false),
        SimType::Batch => batch_mode(&mut driver),
    }
}

fn latency_mode(driver: &mut Driver, measure_latency: bool) -> Result<RunResult, NocError> {
    let settings = driver.settings.clone();
    let period = u64::from(settings.sample_period);
    let mut warming = true;
    let mut converged = 0;
    let mut total_phases = 0;
    let mut clear_last = false;
    let mut previous_latency = 0.0;
    let mut previous_accepted = 0.0;
    let mut stable = true;
    let mut measure_end = 0;
    while total_phases < settings.max_samples && (warming || converged < 3) {
        if clear_last || (warming && total_phases % 2 == 0) {
            clear_last = false;
            driver.network.reset_stats();
        }
        let end = driver.network.now() + period;
        driver.run_until(end)?;
        let stats = driver.network.stats();
        let latency = stats.packet_latency.mean;
        let accepted = stats.accepted_flit_rate;
        let latency_change = ((latency - previous_latency) / latency).abs();
        let accepted_change = ((accepted - previous_accepted) / accepted).abs();
        previous_latency = latency;
        previous_accepted = accepted;
        if measure_latency && driver.latency_with_in_flight() > settings.latency_thres {
            stable = false;
            break;
        }
        // A NaN change (no sample yet) counts as changed, as in BookSim.
        let within = |change: f64| change.is_finite() && change <= settings.stopping_thres;
        let changed = (measure_latency && !within(latency_change)) || !within(accepted_change);
        if warming {
            if total_phases + 1 >= settings.warmup_periods {
                clear_last = true;
                warming = false;
                driver.measuring = true;
            }
        } else if changed {
            converged = 0;
        } else {
            converged += 1;
        }
        measure_end = driver.network.now();
        total_phases += 1;
    }
    let window = driver.network.stats();
    if !measure_latency {
        // Throughput mode does not drain.
    } else if stable && !warming {
        // Drain: stop measuring new packets and run until every measured packet has arrived.
        driver.measuring = false;
        let mut steps = 0u64;
        while driver.network.measured_in_flight() > 0 {
            let end = driver.network.now() + 1;
            driver.run_until(end)?;
            steps += 1;
            if steps % 1000 == 0 && driver.latency_with_in_flight() > settings.latency_thres {
                stable = false;
                break;
            }
        }
    } else {
        stable = false;
    }
    let stats = driver.network.stats();
    let _ = measure_end;
    Ok(RunResult {
        injection_rate: settings.injection_rate,
        stable,
        avg_packet_latency: stats.packet_latency.mean,
        avg_network_latency: stats.network_latency.mean,
        avg_flit_latency: stats.flit_latency.mean,
        accepted_flit_rate: window.accepted_flit_rate,
        hops_avg: stats.hops_average,
        batch_time: None,
        cycles: driver.network.now(),
        stats,
    })
}

fn batch_mode(driver: &mut Driver) -> Result<RunResult, NocError> {
    let settings = driver.settings.clone();
    let nodes = driver.network.topology().nodes();
    let k = driver.network.topology().k();
    let concentration = driver.network.config().concentration as usize;
    driver.network.reset_stats();
    for _ in 0..settings.batch_size {
        for node in 0..nodes {
            let destination = settings
                .traffic
                .destination(node, k, concentration, &mut driver.rng);
            driver.network.inject(&PacketRequest {
                source: node,
                destination: Destination::Unicast(destination),
                size: settings.packet_size,
                tag: driver.tag,
                measured: true,
            })?;
            driver.tag += 1;
        }
    }
    let mut last_arrival = 0;
    let limit = u64::from(settings.batch_size)
        .saturating_mul(u64::from(settings.packet_size))
        .saturating_mul(nodes as u64)
        .saturating_mul(64)
        .max(1_000_000);
    while !driver.network.is_idle() {
        if driver.network.now() > limit {
            return Err(NocError::CycleLimit(limit));
        }
        driver.network.step()?;
        if let Some(delivery) = driver.network.deliveries().last() {
            last_arrival = delivery.arrived;
        }
        let _ = driver.network.take_deliveries();
    }
    let stats = driver.network.stats();
    let batch_time = last_arrival + 1;
    Ok(RunResult {
        injection_rate: settings.injection_rate,
        stable: true,
        avg_packet_latency: stats.packet_latency.mean,
        avg_network_latency: stats.network_latency.mean,
        avg_flit_latency: stats.flit_latency.mean,
        accepted_flit_rate: stats.flits_ejected as f64 / batch_time as f64 / nodes as f64,
        hops_avg: stats.hops_average,
        batch_time: Some(batch_time),
        cycles: driver.network.now(),
        stats,
    })
}
