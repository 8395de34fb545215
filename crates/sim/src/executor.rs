//! The executor: walks the global schedule step by step, has the planner turn each step into a plan,
//! plays it on the timing engine, and skips repeated steady-state iterations in closed form.
//!
//! Closed-form skipping (exact). Every loop of the global schedule has a *window* of consecutive
//! iterations (at most [`MAX_PERIOD`]) that the engine watches. When an iteration ends, the executor
//! asks two questions:
//! 1. Are the next iterations translates of the window's? The schedule answers from geometry: each
//!    iteration moves every region of the loop's level by the same vector, and every PE's tiles on both
//!    sides of every iteration boundary are full (or idle on both sides), so the plans — which depend
//!    only on footprint sizes, overlaps and equalities, and on reduction flags that do not change in
//!    the interior of a loop — repeat exactly.
//! 2. Did executing the window move every state component it read or wrote by the same `Δ` cycles?
//!    The engine is a max-plus system: if one period maps the state `x` to `x + Δ`, the same period
//!    maps `x + Δ` to `x + 2Δ`, and so on.
//!
//! If both hold, `m` further periods are applied at once: the window's components move by `m·Δ`, its
//! counters are added `m` more times, and what the PEs hold is translated. Loops nest, so skipping at an
//! inner loop happens inside the iterations an outer loop later skips.

use crate::counters::Counters;
use crate::engine::{Engine, Timing};
use crate::error::SimError;
use crate::footprint::TensorAxes;
use crate::geometry::TensorBox;
use crate::memory;
use crate::noc::{BusTopology, LinkSpec, MeshTopology, NocTopology, TreeTopology};
use crate::options::SimOptions;
use crate::plan::{Plan, Planner};
use crate::report::{LatencySummary, LayerSimReport, LinkReport};
use crate::schedule::{PeWork, Schedule};
use crate::trace::TraceSink;
use maestro_ir::{Accelerator, Layer, PeId, Region, Tensor};

/// A window first spans at most this many iterations before it restarts; every restart without a
/// skip doubles the span, up to [`MAX_PERIOD`], so short periods are found soon after a transient and
/// longer ones eventually.
const FIRST_SPAN: u64 = 4;

/// The longest period a window can find.
const MAX_PERIOD: u64 = 32;

fn topology(
    links: &mut Vec<LinkSpec>,
    kind: maestro_ir::NocTopology,
    label: &str,
    sub_clusters: &[u64],
    (pes, reach): (u64, u64),
    bandwidth: u64,
) -> Box<dyn NocTopology> {
    match kind {
        maestro_ir::NocTopology::Bus => Box::new(BusTopology::new(links, label, bandwidth)),
        maestro_ir::NocTopology::Tree => Box::new(TreeTopology::new(
            links,
            label,
            sub_clusters,
            reach,
            bandwidth,
        )),
        maestro_ir::NocTopology::Mesh => {
            Box::new(MeshTopology::new(links, label, pes, reach, bandwidth))
        }
    }
}

fn summary(histogram: &hdrhistogram::Histogram<u64>) -> LatencySummary {
    if histogram.is_empty() {
        return LatencySummary::default();
    }
    LatencySummary {
        transfers: histogram.len(),
        p50: histogram.value_at_quantile(0.5),
        p90: histogram.value_at_quantile(0.9),
        p99: histogram.value_at_quantile(0.99),
        max: histogram.max(),
    }
}

/// The bookkeeping of one loop's window.
#[derive(Clone, Debug, Default)]
struct WindowState {
    /// The loop iteration the window starts at.
    first: u64,
    /// The global step it starts at.
    first_step: u64,
    /// Counters since it opened (its inner windows flow into it when they close).
    counters: Counters,
    /// Iterations it spans before restarting.
    span: u64,
}

struct Run<'a> {
    accelerator: &'a Accelerator,
    options: &'a SimOptions,
    layer: &'a Layer,
    schedule: Schedule,
    engine: Engine,
    planner: Planner,
    windows: Vec<WindowState>,
    top: Counters,
    fits_in_l2: bool,
    totals: [u64; 3],
    skipped: u64,
    peak_l2: u64,
    working_set: [TensorBox; 3],
    top_regions: Vec<Region>,
    observer: Option<&'a dyn StepObserver>,
}

/// Watches one layer's executed steps (progress, time limits). Steps skipped in closed form are not
/// reported one by one: the next call's step number jumps past them.
pub trait StepObserver: Sync {
    /// Global step `step` of `steps` is about to execute; `false` stops the layer with
    /// [`SimError::Stopped`].
    fn step(&self, step: u64, steps: u64) -> bool;
}

/// Simulates one layer.
pub fn run_layer(
    accelerator: &Accelerator,
    options: &SimOptions,
    layer: &Layer,
    trace: Option<&mut dyn TraceSink>,
    observer: Option<&dyn StepObserver>,
) -> Result<LayerSimReport, SimError> {
    let mut schedule = Schedule::new(layer, accelerator.num_pes)?;
    let bounds = schedule.expansion.bounds;
    let totals = Tensor::ALL.map(|tensor| bounds.tensor_elements(tensor));
    let all_tensors = totals.iter().fold(0u64, |acc, &n| acc.saturating_add(n));
    let axes = TensorAxes::new(bounds.layer_type, bounds.strides);
    // Per-PE state covers the PEs that ever work, not every PE of the accelerator.
    let pes = usize::try_from(schedule.pe_extent).unwrap_or(usize::MAX);

    // PE 0's tile at step 0 is the largest any PE holds: every first tile is a full tile.
    let mut work = memory::filled(idle_work(&schedule), pes, &layer.name, "per-PE work")?;
    let start = vec![0u64; schedule.loops.len()];
    schedule.work_at(&start, &mut work);
    let l1_need: u64 = (0..3)
        .map(|tensor| axes.footprint(tensor, &work[0].region).elements())
        .sum();
    if l1_need > accelerator.l1_size && !options.ignore_capacity {
        return Err(SimError::L1TooSmall {
            layer: layer.name.clone(),
            required: l1_need,
            capacity: accelerator.l1_size,
        });
    }
    let double_buffered =
        options.double_buffering && l1_need.saturating_mul(2) <= accelerator.l1_size;

    let mut links = vec![
        LinkSpec {
            name: "L2 read port".into(),
            bandwidth: accelerator.l2_bandwidth,
        },
        LinkSpec {
            name: "L2 write port".into(),
            bandwidth: accelerator.l2_bandwidth,
        },
        LinkSpec {
            name: "off-chip".into(),
            bandwidth: accelerator.offchip.bandwidth,
        },
    ];
    let sub_clusters: Vec<u64> = schedule
        .expansion
        .levels
        .iter()
        .map(|level| level.sub_clusters)
        .collect();
    let distribution = topology(
        &mut links,
        accelerator.distribution_noc.topology,
        "distribution",
        &sub_clusters,
        (schedule.pes_used, schedule.pe_extent),
        accelerator.distribution_noc.bandwidth,
    );
    let collection = topology(
        &mut links,
        accelerator.collection_noc.topology,
        "collection",
        &sub_clusters,
        (schedule.pes_used, schedule.pe_extent),
        accelerator.collection_noc.bandwidth,
    );
    // Half duplex (the default): writes take turns with reads on the one off-chip link.
    let offchip_write = match accelerator.offchip.duplex {
        maestro_ir::Duplex::Half => crate::noc::OFFCHIP_LINK,
        maestro_ir::Duplex::Full => {
            links[crate::noc::OFFCHIP_LINK.index()].name = "off-chip read".into();
            links.push(LinkSpec {
                name: "off-chip write".into(),
                bandwidth: accelerator.offchip.bandwidth,
            });
            maestro_ir::LinkId((links.len() - 1) as u32)
        }
    };
    let fits_in_l2 = all_tensors <= accelerator.l2_size;
    let timing = Timing {
        distribution_hop_latency: accelerator.distribution_noc.hop_latency,
        collection_hop_latency: accelerator.collection_noc.hop_latency,
        offchip_latency: accelerator.offchip.latency,
        half_duplex: accelerator.offchip.duplex == maestro_ir::Duplex::Half,
        double_buffered,
        stream_outputs: !fits_in_l2,
        offchip_write,
    };
    let loops = schedule.loops.len();
    let engine = Engine::new(
        pes,
        links,
        distribution,
        collection,
        timing,
        loops,
        &layer.name,
    )?;
    let planner = Planner::new(
        accelerator,
        axes,
        bounds.layer_type,
        pes,
        schedule.expansion.whole(),
        &layer.name,
    )?;
    let run = Run {
        accelerator,
        options,
        layer,
        schedule,
        engine,
        planner,
        windows: vec![WindowState::default(); loops],
        top: Counters::default(),
        fits_in_l2,
        totals,
        skipped: 0,
        peak_l2: if fits_in_l2 { all_tensors } else { 0 },
        working_set: [TensorBox::EMPTY; 3],
        top_regions: Vec::new(),
        observer,
    };
    run.walk(work, trace, double_buffered)
}

fn idle_work(schedule: &Schedule) -> PeWork {
    PeWork {
        active: false,
        region: schedule.expansion.whole(),
        revisit: false,
        final_output: false,
    }
}

impl Run<'_> {
    fn walk(
        mut self,
        mut current: Vec<PeWork>,
        mut trace: Option<&mut dyn TraceSink>,
        double_buffered: bool,
    ) -> Result<LayerSimReport, SimError> {
        let loops = self.schedule.loops.len();
        let skipping = self.options.skip_steady_state && trace.is_none();
        let mut indices = vec![0u64; loops];
        let mut next_indices = indices.clone();
        let mut next = memory::filled(
            idle_work(&self.schedule),
            current.len(),
            &self.layer.name,
            "per-PE work",
        )?;
        let mut has_next = self.schedule.advance(&mut next_indices).is_some();
        if has_next {
            self.schedule.work_at(&next_indices, &mut next);
        }
        for j in 0..loops {
            self.open_window(j, 0, 0, FIRST_SPAN);
        }
        let mut plan = Plan::default();
        let mut step_counters = Counters::default();
        let mut step = 0u64;
        let mut top_changed = true;
        let mut peak_l1 = 0u64;
        loop {
            let past_deadline = self
                .options
                .deadline
                .is_some_and(|deadline| std::time::Instant::now() >= deadline);
            let observer_stops = self
                .observer
                .is_some_and(|observer| !observer.step(step, self.schedule.total_steps));
            {
                let steps = self.schedule.total_steps;
                if past_deadline || observer_stops {
                    return Err(SimError::Stopped {
                        layer: self.layer.name.clone(),
                        step,
                        steps,
                    });
                }
            }
            self.planner
                .build(step, &current, has_next.then_some(&next[..]), &mut plan);
            peak_l1 = peak_l1.max(plan.peak_l1 * if double_buffered { 2 } else { 1 });
            if self.fits_in_l2 {
                if step == 0 {
                    plan.offchip_reads = [self.totals[0], self.totals[1], 0];
                }
            } else if top_changed {
                self.load_working_set(&indices, &mut plan)?;
            }
            let floor = self.engine.horizon();
            step_counters.clear();
            self.engine
                .execute(step, &plan, trace.as_deref_mut(), &mut step_counters)?;
            match self.windows.last_mut() {
                Some(innermost) => innermost.counters.add(&step_counters, 1),
                None => self.top.add(&step_counters, 1),
            }
            self.watchdog(step, floor)?;

            if !has_next {
                break;
            }
            let Some(changed) = self.schedule.advance(&mut indices) else {
                break;
            };
            step += 1;
            // Loops inside `changed` finished all their iterations: their windows close.
            for j in (changed + 1..loops).rev() {
                self.close_window(j, 1);
            }
            let mut jumped = false;
            if skipping {
                jumped = self.try_skip(changed, &mut indices, &mut step)?;
            }
            if !jumped {
                let window = &self.windows[changed];
                if window.first == 0 || indices[changed] - window.first >= window.span {
                    let span = if window.first == 0 {
                        window.span
                    } else {
                        (window.span * 2).min(MAX_PERIOD)
                    };
                    self.close_window(changed, 1);
                    self.open_window(changed, indices[changed], step, span);
                }
            }
            for j in changed + 1..loops {
                self.open_window(j, 0, step, FIRST_SPAN);
            }
            top_changed = changed < self.schedule.top_loops();
            if jumped {
                self.schedule.work_at(&indices, &mut current);
                next_indices.copy_from_slice(&indices);
                if !self.fits_in_l2 && top_changed {
                    // The working set L2 held before the jump target: that of the step before it.
                    let mut before = vec![0u64; loops];
                    self.schedule.indices_of(step - 1, &mut before);
                    self.working_set = self.compute_working_set(&before);
                }
            } else {
                std::mem::swap(&mut current, &mut next);
            }
            has_next = self.schedule.advance(&mut next_indices).is_some();
            if has_next {
                self.schedule.work_at(&next_indices, &mut next);
            }
        }
        for j in (0..loops).rev() {
            self.close_window(j, 1);
        }
        self.finish(peak_l1, double_buffered)
    }

    fn open_window(&mut self, j: usize, first: u64, first_step: u64, span: u64) {
        self.engine.open_window(j);
        let window = &mut self.windows[j];
        window.first = first;
        window.first_step = first_step;
        window.span = span;
        window.counters.clear();
    }

    /// Adds window `j`'s counters `times` times to the enclosing window (or the layer's totals).
    fn close_window(&mut self, j: usize, times: u64) {
        let counters = std::mem::take(&mut self.windows[j].counters);
        match j {
            0 => self.top.add(&counters, times),
            _ => self.windows[j - 1].counters.add(&counters, times),
        }
        self.windows[j].counters = counters;
        self.windows[j].counters.clear();
    }

    /// At the start of iteration `indices[j]` of loop `j`: skips whole periods of the window if they
    /// repeat exactly (see the module documentation). Returns whether it jumped.
    fn try_skip(
        &mut self,
        j: usize,
        indices: &mut [u64],
        step: &mut u64,
    ) -> Result<bool, SimError> {
        let window = &self.windows[j];
        let (first, first_step) = (window.first, window.first_step);
        let iteration = indices[j];
        if first == 0 {
            return Ok(false);
        }
        let period = iteration - first;
        let Some(shift) = self.engine.uniform_shift(j) else {
            return Ok(false);
        };
        let Some((translation, last)) = self.schedule.translation(j, indices, first) else {
            return Ok(false);
        };
        // Skipped iterations: `iteration ..= iteration + m·period − 1`, the last at most `last`.
        if last < iteration {
            return Ok(false);
        }
        let periods = (last - iteration + 1) / period;
        if periods == 0 {
            return Ok(false);
        }
        let overflow = || SimError::Overflow {
            layer: self.layer.name.clone(),
            what: "skipping steady-state steps",
        };
        let total_shift = shift.checked_mul(periods).ok_or_else(overflow)?;
        if !self.engine.shift_window(j, total_shift) {
            return Err(overflow());
        }
        let iterations = periods * period;
        let steps = iterations
            .checked_mul(self.schedule.block_steps[j])
            .ok_or_else(overflow)?;
        self.close_window(j, periods + 1);
        self.planner
            .translate_held(first_step, translation, iterations, steps);
        indices[j] += iterations;
        *step += steps;
        self.skipped += steps;
        self.open_window(j, indices[j], *step, FIRST_SPAN);
        Ok(true)
    }

    /// The bounding boxes of every tensor over the level-0 tiles of a step (L2's working set).
    fn compute_working_set(&mut self, indices: &[u64]) -> [TensorBox; 3] {
        let mut set = [TensorBox::EMPTY; 3];
        let mut regions = std::mem::take(&mut self.top_regions);
        self.schedule.top_regions(indices, &mut regions);
        let axes = TensorAxes::new(
            self.schedule.expansion.bounds.layer_type,
            self.schedule.expansion.bounds.strides,
        );
        for region in &regions {
            for (tensor, slot) in set.iter_mut().enumerate() {
                *slot = slot.bounding(&axes.footprint(tensor, region).hull());
            }
        }
        self.top_regions = regions;
        set
    }

    fn load_working_set(&mut self, indices: &[u64], plan: &mut Plan) -> Result<(), SimError> {
        let set = self.compute_working_set(indices);
        let required: u64 = set.iter().map(TensorBox::volume).sum();
        if required > self.accelerator.l2_size && !self.options.ignore_capacity {
            return Err(SimError::L2TooSmall {
                layer: self.layer.name.clone(),
                required,
                capacity: self.accelerator.l2_size,
            });
        }
        self.peak_l2 = self.peak_l2.max(required);
        for ((read, needed), held) in plan
            .offchip_reads
            .iter_mut()
            .zip(&set)
            .zip(&self.working_set)
            .take(2)
        {
            *read = needed.missing_from(held);
        }
        self.working_set = set;
        Ok(())
    }

    fn watchdog(&self, step: u64, floor: u64) -> Result<(), SimError> {
        let horizon = self.engine.horizon();
        if self.engine.overflowed() || horizon == u64::MAX {
            return Err(SimError::Overflow {
                layer: self.layer.name.clone(),
                what: "advancing time",
            });
        }
        let limit = floor.saturating_add(self.options.watchdog_cycles);
        if horizon > limit {
            return Err(SimError::Stalled {
                layer: self.layer.name.clone(),
                step,
                cycle: limit,
                stuck: self
                    .engine
                    .pes_busy_after(limit)
                    .into_iter()
                    .map(PeId)
                    .collect(),
            });
        }
        Ok(())
    }

    fn finish(mut self, peak_l1: u64, double_buffered: bool) -> Result<LayerSimReport, SimError> {
        // Epilogue: when L2 holds the layer, the finished outputs go back to off-chip memory after
        // the last step; otherwise they have streamed out as they reached L2.
        let mut epilogue = Counters::default();
        self.engine.flush_writebacks(None, &mut epilogue);
        let end_of_work = self.engine.horizon();
        let cycles = if self.fits_in_l2 {
            self.engine
                .offchip_bulk(end_of_work, self.totals[2], &mut epilogue)
        } else {
            end_of_work.max(self.engine.written_back())
        };
        epilogue.tensors.output.offchip_writes = self.totals[2];
        epilogue.tensors.output.l2_reads = self.totals[2];
        self.top.add(&epilogue, 1);
        if self.engine.overflowed() {
            return Err(SimError::Overflow {
                layer: self.layer.name.clone(),
                what: "advancing time",
            });
        }
        self.top.compact();

        let accelerator = self.accelerator;
        let pe_cycles = accelerator.num_pes.saturating_mul(cycles);
        let mut stalls = self.top.stalls;
        let accounted = stalls
            .computing
            .saturating_add(stalls.waiting_for_input)
            .saturating_add(stalls.waiting_for_egress)
            .saturating_add(stalls.waiting_for_offchip);
        stalls.idle = pe_cycles.saturating_sub(accounted);
        let ratio = |part: u64, whole: u64| {
            if whole == 0 {
                0.0
            } else {
                part as f64 / whole as f64
            }
        };
        let mut busy = vec![0u64; self.engine.links.len()];
        for &(link, elements) in &self.top.link_busy {
            busy[link as usize] = busy[link as usize].saturating_add(elements);
        }
        let mut histograms = [new_histogram(), new_histogram(), new_histogram()];
        for &(kind, latency, count) in &self.top.latencies {
            // Values beyond the histogram's range are clamped to its highest trackable value.
            let _ = histograms[kind as usize].record_n(latency, count);
        }
        let links = self
            .engine
            .links
            .iter()
            .zip(&busy)
            .map(|(spec, &elements)| {
                let busy_cycles = elements.div_ceil(spec.bandwidth.max(1));
                LinkReport {
                    name: spec.name.clone(),
                    busy_cycles,
                    utilisation: ratio(elements, cycles.saturating_mul(spec.bandwidth.max(1))),
                }
            })
            .collect();
        Ok(LayerSimReport {
            layer: self.layer.name.clone(),
            cycles,
            macs: self.top.macs,
            pes_used: self.schedule.pes_used,
            steps: self.schedule.total_steps,
            steps_skipped_in_closed_form: self.skipped,
            double_buffered,
            tensors: self.top.tensors,
            pe_utilisation: ratio(stalls.computing, pe_cycles),
            stalls,
            links,
            distribution_latency: summary(&histograms[0]),
            collection_latency: summary(&histograms[1]),
            offchip_latency: summary(&histograms[2]),
            peak_l1_occupancy: peak_l1,
            peak_l2_occupancy: self.peak_l2,
        })
    }
}

fn new_histogram() -> hdrhistogram::Histogram<u64> {
    hdrhistogram::Histogram::new(3)
        .unwrap_or_else(|_| unreachable!("3 significant figures is a valid precision"))
}
