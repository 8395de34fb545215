//! The hardware-dependent half of a level's analysis: the time of its steps. A prepared level keeps,
//! per kind of step, how many elements enter and leave and what bounds its compute; this module turns
//! those volumes into cycles for given bandwidths, latencies, SIMD width and buffering. Every per-step
//! time rule of the corrected model lives here ([`step_time`], [`transfer_cycles`], [`compute_cycles`]),
//! so changing how a step's terms combine is a change in one place.
//!
//! A new time term that depends on some other volume of a step (say, the number of receiving units
//! for a contention model) is added in three places: a field of [`TimeRecord`] (records with different
//! values must not be merged, so it also goes into `level::push_record`'s comparison), its value from
//! the class's `StepVolumes` where `level.rs` builds the record, and its use here.

/// How a step is timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// The first step: its ingress, then its compute (nothing to overlap with).
    Fill,
    /// A step whose tiles are all full.
    Steady,
    /// A step with a partial tile or a partial fold.
    Edge,
}

/// What bounds a step's compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ComputeBound {
    /// Innermost level: the most MACs one PE does in the step.
    Macs(u64),
    /// Outer level: the slowest of the inner level plans `inner_ids[start..start + len]` of the level.
    Inner { start: u32, len: u32 },
}

/// Steps of one level that take the same time on any hardware, and how many there are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeRecord {
    pub kind: StepKind,
    pub count: u64,
    /// Elements the upstream buffer sends in the step (inputs, weights and reloaded partial sums).
    pub sent: u64,
    /// Output elements arriving upstream in the step.
    pub arrived: u64,
    pub compute: ComputeBound,
}

/// Min/max/sum of a per-step delay, weighted by step counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DelayRange {
    pub min: u64,
    pub max: u64,
    pub sum: u64,
}

impl Default for DelayRange {
    fn default() -> Self {
        DelayRange {
            min: u64::MAX,
            max: 0,
            sum: 0,
        }
    }
}

impl DelayRange {
    fn record(&mut self, value: u64, times: u64) {
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        self.sum = self.sum.saturating_add(value.saturating_mul(times));
    }
}

/// Where a level's time goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeBreakdown {
    /// The first step: its ingress, then its compute (nothing to overlap with).
    pub fill: u64,
    /// Steps whose tiles are all full.
    pub steady: u64,
    /// Steps with a partial tile or a partial fold.
    pub edge: u64,
    /// The last output tiles leaving after the last step.
    pub drain: u64,
    /// Σ over steps of the compute, ingress and egress terms (before taking the max).
    pub compute: u64,
    pub ingress: u64,
    pub egress: u64,
}

/// A level's time on one hardware configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LevelTime {
    pub runtime: u64,
    pub time: TimeBreakdown,
    pub ingress_delay: DelayRange,
    pub egress_delay: DelayRange,
    pub compute_delay: DelayRange,
    /// Largest elements-per-cycle a step asks of the distribution or collection NoC.
    pub peak_bandwidth: u64,
}

/// The evaluation-time hardware parameters of one level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelLinks {
    pub in_bandwidth: u64,
    pub out_bandwidth: u64,
    pub in_latency: u64,
    pub out_latency: u64,
    pub simd_lanes: u64,
    pub mac_pipeline_latency: u64,
    /// Ingress overlaps compute (double-buffered PE buffers, or an outer level).
    pub overlapped: bool,
}

/// Cycles to move `elements` over a link of `bandwidth` elements per cycle and `hops × hop_latency`.
pub fn transfer_cycles(elements: u64, bandwidth: u64, hops: u64, hop_latency: u64) -> u64 {
    if elements == 0 {
        return 0;
    }
    elements
        .div_ceil(bandwidth.max(1))
        .saturating_add(hops.saturating_mul(hop_latency))
}

/// Cycles of the slowest PE of an innermost step doing at most `macs` MACs.
pub fn compute_cycles(macs: u64, links: &LevelLinks) -> u64 {
    macs.div_ceil(links.simd_lanes.max(1))
        .saturating_add(links.mac_pipeline_latency)
}

/// A step's time from its terms: the fill serialises ingress and compute; later steps overlap them
/// when the buffers allow it, and egress always overlaps the step.
pub fn step_time(kind: StepKind, compute: u64, ingress: u64, egress: u64, overlapped: bool) -> u64 {
    match kind {
        StepKind::Fill => ingress + compute,
        StepKind::Steady | StepKind::Edge if overlapped => compute.max(ingress).max(egress),
        StepKind::Steady | StepKind::Edge => (ingress + compute).max(egress),
    }
}

/// The time of a level's steps (`records`), plus its drain of `drain_arrived` elements. `inner_ids`
/// and `inner_runtimes` resolve [`ComputeBound::Inner`].
pub fn level_time(
    records: &[TimeRecord],
    drain_arrived: u64,
    hops: (u64, u64),
    links: &LevelLinks,
    inner_ids: &[u32],
    inner_runtimes: &[u64],
) -> LevelTime {
    let (in_hops, out_hops) = hops;
    let mut level = LevelTime::default();
    for record in records {
        let count = record.count;
        let compute = match record.compute {
            ComputeBound::Macs(macs) => compute_cycles(macs, links),
            ComputeBound::Inner { start, len } => inner_ids[start as usize..(start + len) as usize]
                .iter()
                .map(|&id| inner_runtimes[id as usize])
                .max()
                .unwrap_or(0),
        };
        let ingress = transfer_cycles(record.sent, links.in_bandwidth, in_hops, links.in_latency);
        let egress = transfer_cycles(
            record.arrived,
            links.out_bandwidth,
            out_hops,
            links.out_latency,
        );
        let total = step_time(record.kind, compute, ingress, egress, links.overlapped)
            .saturating_mul(count);
        let bucket = match record.kind {
            StepKind::Fill => &mut level.time.fill,
            StepKind::Steady => &mut level.time.steady,
            StepKind::Edge => &mut level.time.edge,
        };
        *bucket = bucket.saturating_add(total);
        level.time.compute = level
            .time
            .compute
            .saturating_add(compute.saturating_mul(count));
        level.time.ingress = level
            .time
            .ingress
            .saturating_add(ingress.saturating_mul(count));
        level.time.egress = level
            .time
            .egress
            .saturating_add(egress.saturating_mul(count));
        level.ingress_delay.record(ingress, count);
        level.egress_delay.record(egress, count);
        level.compute_delay.record(compute, count);
        let demand = record.sent.max(record.arrived);
        level.peak_bandwidth = level.peak_bandwidth.max(demand.div_ceil(compute.max(1)));
    }
    level.time.drain = transfer_cycles(
        drain_arrived,
        links.out_bandwidth,
        out_hops,
        links.out_latency,
    );
    level.time.egress = level.time.egress.saturating_add(level.time.drain);
    level.runtime = level
        .time
        .fill
        .saturating_add(level.time.steady)
        .saturating_add(level.time.edge)
        .saturating_add(level.time.drain);
    level
}

/// Only the runtime of a level (what an enclosing level needs), without the statistics.
pub fn level_runtime(
    records: &[TimeRecord],
    drain_arrived: u64,
    hops: (u64, u64),
    links: &LevelLinks,
    inner_ids: &[u32],
    inner_runtimes: &[u64],
) -> u64 {
    let (in_hops, out_hops) = hops;
    let mut runtime = 0u64;
    for record in records {
        let compute = match record.compute {
            ComputeBound::Macs(macs) => compute_cycles(macs, links),
            ComputeBound::Inner { start, len } => inner_ids[start as usize..(start + len) as usize]
                .iter()
                .map(|&id| inner_runtimes[id as usize])
                .max()
                .unwrap_or(0),
        };
        let ingress = transfer_cycles(record.sent, links.in_bandwidth, in_hops, links.in_latency);
        let egress = transfer_cycles(
            record.arrived,
            links.out_bandwidth,
            out_hops,
            links.out_latency,
        );
        runtime = runtime.saturating_add(
            step_time(record.kind, compute, ingress, egress, links.overlapped)
                .saturating_mul(record.count),
        );
    }
    runtime.saturating_add(transfer_cycles(
        drain_arrived,
        links.out_bandwidth,
        out_hops,
        links.out_latency,
    ))
}
