//! The hardware-dependent half of a level's analysis: the time of its steps. A prepared level keeps,
//! per kind of step, how many elements enter and leave and what bounds its compute; this module turns
//! those volumes into cycles for given bandwidths, latencies, SIMD width and buffering. Every per-step
//! time rule of the corrected model lives here ([`level_period`], [`level_time`], [`transfer_cycles`]),
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
    /// Input and weight elements the step's units need anew (`sent` without partial-sum reloads):
    /// at the top level, what a step loads from off-chip memory when L2 cannot hold the layer.
    pub fetched: u64,
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
    /// Latency of one transfer between L2 and a PE: the hops of the whole path (not per level) times
    /// the hop latency. Only the innermost level's transfers pay it; outer levels' transfers are
    /// pipelined with the PEs' steps and only occupy their NoC.
    pub in_latency: u64,
    pub out_latency: u64,
    pub simd_lanes: u64,
    pub mac_pipeline_latency: u64,
    /// The PE buffers hold two steps' tiles.
    pub double_buffered: bool,
}

/// The off-chip link as the top level sees it when L2 cannot hold the layer: every top-level step
/// refetches what it sends and writes back what arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Streaming {
    pub bandwidth: u64,
    pub latency: u64,
    /// Latency of the path from L2 to a PE (its hops times the hop latency).
    pub path: u64,
    /// Final outputs and all output elements arriving in L2 over the layer: only final values go
    /// on to off-chip memory (partial sums stay in L2), so a step writes back this share of what
    /// arrives.
    pub final_outputs: u64,
    pub arrived_outputs: u64,
    /// Loads and write-backs take turns on one link (else each direction has the bandwidth).
    pub half_duplex: bool,
}

impl Streaming {
    /// Output elements written back to off-chip memory out of `arrived` reaching L2.
    fn written_back(&self, arrived: u64) -> u64 {
        if self.arrived_outputs == 0 {
            return 0;
        }
        let share = u128::from(arrived) * u128::from(self.final_outputs.min(self.arrived_outputs))
            / u128::from(self.arrived_outputs);
        u64::try_from(share).unwrap_or(u64::MAX)
    }
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

/// Cycles `elements` occupy a link of `bandwidth` elements per cycle.
fn occupancy(elements: u64, bandwidth: u64) -> u64 {
    elements.div_ceil(bandwidth.max(1))
}

/// Cycles of the slowest PE of an innermost step doing at most `macs` MACs.
pub fn compute_cycles(macs: u64, links: &LevelLinks) -> u64 {
    macs.div_ceil(links.simd_lanes.max(1))
        .saturating_add(links.mac_pipeline_latency)
}

/// The terms of one innermost step: compute, ingress and egress (occupancy plus path latency).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StepTerms {
    compute: u64,
    occupancy_in: u64,
    occupancy_out: u64,
    ingress: u64,
    egress: u64,
}

fn step_terms(compute: u64, sent: u64, arrived: u64, links: &LevelLinks) -> StepTerms {
    let occupancy_in = occupancy(sent, links.in_bandwidth);
    let occupancy_out = occupancy(arrived, links.out_bandwidth);
    StepTerms {
        compute,
        occupancy_in,
        occupancy_out,
        ingress: transfer_cycles(sent, links.in_bandwidth, 1, links.in_latency),
        egress: transfer_cycles(arrived, links.out_bandwidth, 1, links.out_latency),
    }
}

/// Twice the period of an innermost step in a steady pipeline (half cycles: with two buffers the
/// period may be a half-integer, the steps alternating between its floor and ceiling).
///
/// With double buffering the data of step `n + 1` is requested when step `n − 1` ends and a new
/// output tile needs the tile before the last to have left, so two periods cover one compute plus
/// one transfer with its latency: `2p ≥ c + ingress`, `2p ≥ c + egress`; besides, every step occupies
/// the PE for `c` and the NoC for its occupancy. Without it the next step's data is requested when
/// the step ends and its output tile must have left: `p = c + max(ingress, egress)`.
fn period_halves(terms: &StepTerms, double_buffered: bool) -> u64 {
    let StepTerms {
        compute,
        occupancy_in,
        occupancy_out,
        ingress,
        egress,
    } = *terms;
    if double_buffered {
        (2 * compute.max(occupancy_in).max(occupancy_out))
            .max(compute + ingress)
            .max(compute + egress)
    } else {
        2 * (compute + ingress.max(egress))
    }
}

/// An innermost plan's period sum with its first step (the fill) kept apart: the PEs keep their
/// tiles from the enclosing level's previous step, so what the fill waits for is the data the
/// enclosing step brings (its own `sent`), not the inner tile as if the PEs started empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FillSplit {
    /// Whether the plan is innermost and has a fill (other plans use their period sum).
    pub split: bool,
    /// Half cycles of the plan's steps after the first.
    pub rest: u64,
    /// The first step's compute, and its egress (the previous enclosing step's last outputs).
    pub compute: u64,
    pub arrived: u64,
}

/// The innermost plans' fills and the links their transfers use, for the enclosing levels.
#[derive(Clone, Copy, Debug)]
pub struct Fills<'a> {
    pub splits: &'a [FillSplit],
    pub links: LevelLinks,
}

/// Splits an innermost plan's period sum around its fill (see [`FillSplit`]).
pub fn fill_split(records: &[TimeRecord], drain_arrived: u64, links: &LevelLinks) -> FillSplit {
    let mut split = FillSplit::default();
    for record in records {
        let compute = inner_bound(&record.compute, links, &[], &[], None);
        if record.kind == StepKind::Fill && record.count == 1 && !split.split {
            split.split = true;
            split.compute = compute;
            split.arrived = record.arrived.saturating_add(drain_arrived);
        } else {
            let terms = step_terms(compute, record.sent, record.arrived, links);
            split.rest = split.rest.saturating_add(
                period_halves(&terms, links.double_buffered).saturating_mul(record.count),
            );
        }
    }
    split
}

/// An innermost plan's period sum (half cycles) when its fill receives `sent` elements.
fn split_period(split: &FillSplit, sent: u64, links: &LevelLinks) -> u64 {
    let terms = step_terms(split.compute, sent, split.arrived, links);
    split
        .rest
        .saturating_add(period_halves(&terms, links.double_buffered))
}

/// What bounds a step's compute: its MACs, or the slowest of its units' inner plans (`inner`; with
/// `fills`, innermost plans' fills receive `sent`, the enclosing step's new data).
fn inner_bound(
    compute: &ComputeBound,
    links: &LevelLinks,
    inner_ids: &[u32],
    inner: &[u64],
    fills: Option<(&Fills<'_>, u64)>,
) -> u64 {
    match *compute {
        ComputeBound::Macs(macs) => compute_cycles(macs, links),
        ComputeBound::Inner { start, len } => inner_ids[start as usize..(start + len) as usize]
            .iter()
            .map(|&id| match fills {
                Some((fills, sent)) if fills.splits[id as usize].split => {
                    split_period(&fills.splits[id as usize], sent, &fills.links)
                }
                _ => inner[id as usize],
            })
            .max()
            .unwrap_or(0),
    }
}

/// Twice the time of one record's `count` steps in the pipeline (half cycles), and its per-step
/// terms (for the statistics). Innermost steps take their period; an outer step takes the slowest
/// unit's inner period sum or its own NoC occupancy, and with [`Streaming`] its off-chip refetch and
/// write-back, each summed over the record (a resource busy in every step of the record bounds the
/// whole record). `inner` holds the inner plans' period sums in half cycles.
#[allow(clippy::too_many_arguments)]
fn record_halves(
    record: &TimeRecord,
    arrived: u64,
    innermost: bool,
    links: &LevelLinks,
    streaming: Option<Streaming>,
    inner_ids: &[u32],
    inner: &[u64],
    inner_compute: &[u64],
    fills: Option<&Fills<'_>>,
) -> (u64, StepTerms) {
    let count = record.count;
    let terms = if innermost {
        step_terms(
            inner_bound(&record.compute, links, inner_ids, inner, None),
            record.sent,
            arrived,
            links,
        )
    } else {
        // An outer step's compute is the slowest unit's inner period sum, in half cycles here.
        let halves = inner_bound(
            &record.compute,
            links,
            inner_ids,
            inner,
            fills.map(|fills| (fills, record.sent)),
        );
        let mut terms = step_terms(halves, record.sent, arrived, links);
        terms.compute = halves;
        terms
    };
    let mut total = if innermost {
        period_halves(&terms, links.double_buffered).saturating_mul(count)
    } else {
        terms
            .compute
            .max(2 * terms.occupancy_in)
            .max(2 * terms.occupancy_out)
            .saturating_mul(count)
    };
    if let Some(offchip) = streaming {
        let bandwidth = offchip.bandwidth.max(1);
        let written = offchip.written_back(arrived.saturating_mul(count));
        let loaded = record.fetched.saturating_mul(count);
        total = if offchip.half_duplex {
            total.max(2 * loaded.saturating_add(written).div_ceil(bandwidth))
        } else {
            total
                .max(2 * loaded.div_ceil(bandwidth))
                .max(2 * written.div_ceil(bandwidth))
        };
        if record.fetched > 0 {
            // L2 double-buffers working sets: the load of step k may start once step k − 3's work
            // is done (the set before the previous one is released when the previous load starts),
            // so three steps cover one load, its way into the PEs and one step's compute. Every
            // transfer of the step waits for the load, so its way into the PEs is the step's whole
            // distribution occupancy (the last unit's data) plus the path's latency.
            let compute = if innermost {
                terms.compute
            } else {
                inner_bound(&record.compute, links, inner_ids, inner_compute, None)
            };
            let chain = transfer_cycles(record.fetched, bandwidth, 1, offchip.latency)
                .saturating_add(occupancy(record.sent, links.in_bandwidth).max(1))
                .saturating_add(offchip.path)
                .saturating_add(compute);
            total = total.max((2 * chain.saturating_mul(count)).div_ceil(3));
        }
    }
    (total, terms)
}

/// The compute cycles of a level's steps back to back (the slowest unit of each step): what a PE
/// spends computing in one enclosing step. `inner` holds the inner plans' compute sums.
pub fn level_compute(
    records: &[TimeRecord],
    links: &LevelLinks,
    inner_ids: &[u32],
    inner: &[u64],
) -> u64 {
    records.iter().fold(0u64, |sum, record| {
        let compute = inner_bound(&record.compute, links, inner_ids, inner, None);
        sum.saturating_add(compute.saturating_mul(record.count))
    })
}

/// The time of a level's steps (`records`) running back to back in the PEs' pipeline, in half
/// cycles: the *period sum* an enclosing level sees as one of its steps' compute. The level's first
/// step (the fill) follows the previous enclosing step without a gap, and its egress is the previous
/// enclosing step's last output tiles (`drain_arrived`) leaving. `inner` holds the period sums (half
/// cycles) of the inner plans [`ComputeBound::Inner`] refers to.
pub fn level_period(
    records: &[TimeRecord],
    drain_arrived: u64,
    innermost: bool,
    links: &LevelLinks,
    inner_ids: &[u32],
    inner: &[u64],
    fills: Option<&Fills<'_>>,
) -> u64 {
    records.iter().fold(0u64, |sum, record| {
        let arrived = match record.kind {
            StepKind::Fill => record.arrived.saturating_add(drain_arrived),
            StepKind::Steady | StepKind::Edge => record.arrived,
        };
        let (halves, _) = record_halves(
            record,
            arrived,
            innermost,
            links,
            None,
            inner_ids,
            inner,
            &[],
            fills,
        );
        sum.saturating_add(halves)
    })
}

/// The top level's time with its statistics: its steps in the pipeline, plus the pipeline's fill
/// (the first transfer's path, and with [`Streaming`] the first working set's load) and drain (the
/// last outputs' path, and the write-back of the last ones). `inner` holds the inner plans' period
/// sums.
#[allow(clippy::too_many_arguments)]
pub fn level_time(
    records: &[TimeRecord],
    drain_arrived: u64,
    innermost: bool,
    links: &LevelLinks,
    streaming: Option<Streaming>,
    inner_ids: &[u32],
    inner: &[u64],
    inner_compute: &[u64],
    fills: Option<&Fills<'_>>,
) -> LevelTime {
    let mut level = LevelTime::default();
    for record in records {
        let count = record.count;
        let (halves, mut terms) = record_halves(
            record,
            record.arrived,
            innermost,
            links,
            streaming,
            inner_ids,
            inner,
            inner_compute,
            fills,
        );
        let total = halves.div_ceil(2);
        if !innermost {
            terms.compute = terms.compute.div_ceil(2);
        }
        if record.kind == StepKind::Fill {
            // Nothing precedes the first step: its data crosses the whole path (and arrives from
            // off-chip memory first when L2 streams working sets) before it computes.
            let load = streaming.map_or(0, |offchip| {
                transfer_cycles(record.fetched, offchip.bandwidth, 1, offchip.latency)
            });
            level.time.fill = level
                .time
                .fill
                .saturating_add(load)
                .saturating_add(terms.ingress);
        }
        let bucket = match record.kind {
            StepKind::Fill => &mut level.time.fill,
            StepKind::Steady => &mut level.time.steady,
            StepKind::Edge => &mut level.time.edge,
        };
        *bucket = bucket.saturating_add(total);
        level.time.compute = level
            .time
            .compute
            .saturating_add(terms.compute.saturating_mul(count));
        level.time.ingress = level
            .time
            .ingress
            .saturating_add(terms.occupancy_in.saturating_mul(count));
        level.time.egress = level
            .time
            .egress
            .saturating_add(terms.occupancy_out.saturating_mul(count));
        level.ingress_delay.record(terms.ingress, count);
        level.egress_delay.record(terms.egress, count);
        level.compute_delay.record(terms.compute, count);
        let demand = record.sent.max(record.arrived);
        level.peak_bandwidth = level
            .peak_bandwidth
            .max(demand.div_ceil(terms.compute.max(1)));
    }
    let write_back = streaming.map_or(0, |offchip| {
        transfer_cycles(
            offchip.written_back(drain_arrived),
            offchip.bandwidth,
            1,
            offchip.latency,
        )
    });
    level.time.drain = transfer_cycles(drain_arrived, links.out_bandwidth, 1, links.out_latency)
        .saturating_add(write_back);
    level.time.egress = level
        .time
        .egress
        .saturating_add(occupancy(drain_arrived, links.out_bandwidth));
    level.runtime = level
        .time
        .fill
        .saturating_add(level.time.steady)
        .saturating_add(level.time.edge)
        .saturating_add(level.time.drain);
    level
}
