//! The executor: walks the loop nest step by step, turns each step into a plan (who needs which new data,
//! who computes, which output tiles leave), and plays it on the timing engine.
//!
//! Closed-form skipping (exact): when the innermost loop of the nest is temporal, steps `i+1 ..= i+k` of
//! it are translates of step `i` as long as every active PE's tiles at `i−1 … i+k+1` are full (no edge
//! clipping): their boxes shift by one tile, so new-data volumes, multicast groups, egress and compute are
//! identical — the same plan. The engine is a max-plus system (every time is a max of times plus
//! constants), so once one replay of that plan moves every state component it writes by the same `Δ`,
//! every further replay moves them by `Δ` again; the remaining replays are then applied at once, and
//! their counters are added `remaining` times.

use crate::engine::{
    Engine, PlannedCompute, PlannedEgress, PlannedTransfer, StepCounters, StepPlan, Timing,
};
use crate::error::SimError;
use crate::geometry::TensorBox;
use crate::nest::{LoopKind, Nest, PeTile};
use crate::noc::{BusTopology, LinkSpec, NocTopology, TreeTopology};
use crate::options::SimOptions;
use crate::report::{LatencySummary, LayerSimReport, LinkReport};
use crate::trace::TraceSink;
use maestro_ir::{Accelerator, Layer, PeId, Tensor};
use std::collections::HashMap;

/// What one PE works on in a step, with its tensor boxes.
#[derive(Clone, Copy, Debug, Default)]
struct PeStep {
    tile: PeTile,
    boxes: [TensorBox; 3],
}

struct LayerRun<'a> {
    accelerator: &'a Accelerator,
    options: &'a SimOptions,
    layer: &'a Layer,
    nest: Nest,
    fits_in_l2: bool,
    top_loops: usize,
    pes_below_top: u64,
}

fn build_topology(
    accelerator: &Accelerator,
    subclusters: &[u64],
) -> Result<(Vec<LinkSpec>, Box<dyn NocTopology>), SimError> {
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
    let distribution = accelerator.distribution_noc;
    let collection = accelerator.collection_noc;
    if distribution.topology != collection.topology {
        return Err(SimError::Hardware(
            "the distribution and collection NoCs must have the same topology".into(),
        ));
    }
    let topology: Box<dyn NocTopology> = match distribution.topology {
        maestro_ir::NocTopology::Bus => Box::new(BusTopology::new(
            &mut links,
            distribution.bandwidth,
            collection.bandwidth,
        )),
        maestro_ir::NocTopology::Tree => Box::new(TreeTopology::new(
            &mut links,
            subclusters,
            distribution.bandwidth,
            collection.bandwidth,
        )),
        maestro_ir::NocTopology::Mesh => {
            return Err(SimError::Hardware(
                "the simulator does not model the Mesh topology".into(),
            ))
        }
    };
    Ok((links, topology))
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

/// Simulates one layer.
pub fn run_layer(
    accelerator: &Accelerator,
    options: &SimOptions,
    layer: &Layer,
    trace: Option<&mut dyn TraceSink>,
) -> Result<LayerSimReport, SimError> {
    let nest = Nest::build(layer, accelerator)?;
    let bounds = nest.bounds;
    let totals: Vec<u64> = Tensor::ALL
        .iter()
        .map(|&t| bounds.tensor_elements(t))
        .collect();
    let all_tensors = totals.iter().fold(0u64, |acc, &n| acc.saturating_add(n));
    let top_loops = nest.loops.iter().take_while(|l| l.level == 0).count();
    let pes_below_top = nest.pes_used / nest.subclusters[0];
    let run = LayerRun {
        accelerator,
        options,
        layer,
        fits_in_l2: all_tensors <= accelerator.l2_size,
        top_loops,
        pes_below_top,
        nest,
    };
    run.simulate(trace, &totals)
}

impl LayerRun<'_> {
    fn step_tiles(&self, step: u64, indices: &mut Vec<u64>, into: &mut Vec<PeStep>) {
        into.clear();
        if step >= self.nest.step_count() {
            into.resize(self.nest.pes_used as usize, PeStep::default());
            return;
        }
        self.nest.indices_of(step, indices);
        for pe in 0..self.nest.pes_used as usize {
            let tile = self.nest.tile(pe, indices, usize::MAX);
            let boxes = if tile.active {
                Tensor::ALL.map(|tensor| self.nest.tensor_box(&tile, tensor))
            } else {
                [TensorBox::EMPTY; 3]
            };
            into.push(PeStep { tile, boxes });
        }
    }

    /// The bounding boxes of every tensor over the level-0 tiles of a step (the L2 working set).
    fn working_set(&self, indices: &[u64]) -> [TensorBox; 3] {
        let mut set = [TensorBox::EMPTY; 3];
        for unit in 0..self.nest.subclusters[0] {
            let pe = (unit * self.pes_below_top) as usize;
            let tile = self.nest.tile(pe, indices, self.top_loops);
            if !tile.active {
                continue;
            }
            for (slot, tensor) in set.iter_mut().zip(Tensor::ALL) {
                *slot = slot.bounding(&self.nest.tensor_box(&tile, tensor));
            }
        }
        set
    }

    fn simulate(
        &self,
        mut trace: Option<&mut dyn TraceSink>,
        totals: &[u64],
    ) -> Result<LayerSimReport, SimError> {
        let accelerator = self.accelerator;
        let layer_name = || self.layer.name.clone();
        for (what, value) in [
            ("L2 bandwidth", accelerator.l2_bandwidth),
            (
                "distribution NoC bandwidth",
                accelerator.distribution_noc.bandwidth,
            ),
            (
                "collection NoC bandwidth",
                accelerator.collection_noc.bandwidth,
            ),
            ("off-chip bandwidth", accelerator.offchip.bandwidth),
            ("SIMD lanes", accelerator.simd_lanes),
        ] {
            if value == 0 {
                return Err(SimError::Hardware(format!("{what} is 0")));
            }
        }
        let nest = &self.nest;
        let nominal = nest.nominal_tile();
        let footprint: u64 = Tensor::ALL
            .iter()
            .map(|&t| nest.tensor_box(&nominal, t).volume())
            .sum();
        if footprint > accelerator.l1_size && !self.options.ignore_capacity {
            return Err(SimError::L1TooSmall {
                layer: layer_name(),
                required: footprint,
                capacity: accelerator.l1_size,
            });
        }
        let double_buffered =
            self.options.double_buffering && footprint.saturating_mul(2) <= accelerator.l1_size;
        let (links, topology) = build_topology(accelerator, &nest.subclusters)?;
        let timing = Timing {
            distribution_hop_latency: accelerator.distribution_noc.hop_latency,
            collection_hop_latency: accelerator.collection_noc.hop_latency,
            offchip_latency: accelerator.offchip.latency,
            double_buffered,
        };
        let pes = nest.pes_used as usize;
        let mut engine = Engine::new(pes, links, topology, timing);
        let total_steps = nest.step_count();
        let mut indices = Vec::new();
        let mut previous: Vec<PeStep> = vec![PeStep::default(); pes];
        let mut current = Vec::new();
        let mut next = Vec::new();
        self.step_tiles(0, &mut indices, &mut current);
        self.step_tiles(1, &mut indices, &mut next);
        let mut previous_working_set = [TensorBox::EMPTY; 3];
        let mut peak_l1 = 0u64;
        let mut peak_l2 = if self.fits_in_l2 {
            totals.iter().sum()
        } else {
            0
        };
        let mut skipped = 0u64;
        // The innermost loop that iterates (later loops, e.g. one-fold spatial maps, are constant).
        let innermost =
            nest.loops
                .iter()
                .rposition(|l| l.count > 1)
                .and_then(|position| match nest.loops[position].kind {
                    LoopKind::Temporal { dim, tile } => Some((position, dim, tile)),
                    LoopKind::Fold { .. } => None,
                });
        let mut step = 0u64;
        while step < total_steps {
            nest.indices_of(step, &mut indices);
            let mut plan = self.plan(step, total_steps, &previous, &current, &next);
            peak_l1 = peak_l1.max(plan.peak_l1 * if double_buffered { 2 } else { 1 });
            if self.fits_in_l2 {
                if step == 0 {
                    plan.offchip_reads = [totals[0], totals[1], 0];
                }
            } else if step == 0 || self.top_indices_changed(step, &indices) {
                let set = self.working_set(&indices);
                let required: u64 = set.iter().map(|b| b.volume()).sum();
                if required > accelerator.l2_size && !self.options.ignore_capacity {
                    return Err(SimError::L2TooSmall {
                        layer: layer_name(),
                        required,
                        capacity: accelerator.l2_size,
                    });
                }
                peak_l2 = peak_l2.max(required);
                for k in 0..2 {
                    plan.offchip_reads[k] = set[k].missing_from(&previous_working_set[k]);
                }
                previous_working_set = set;
            }
            let floor = engine.horizon();
            let counters = engine.execute(step, &plan, trace.as_deref_mut())?;
            engine.accumulate(&counters, 1);
            self.watchdog(&engine, step, floor)?;

            let mut advanced = 1u64;
            if let (Some((position, dim, tile)), true, true) =
                (innermost, self.options.skip_steady_state, trace.is_none())
            {
                let index = indices[position];
                if index >= 1 {
                    let run = self.run_length(&indices, &current, position, dim, tile);
                    if run > 0 {
                        skipped += self.replay(&mut engine, step, &plan, run)?;
                        advanced += run;
                    }
                }
            }
            step += advanced;
            if advanced == 1 {
                std::mem::swap(&mut previous, &mut current);
                std::mem::swap(&mut current, &mut next);
            } else {
                self.step_tiles(step - 1, &mut indices, &mut previous);
                self.step_tiles(step, &mut indices, &mut current);
            }
            self.step_tiles(step + 1, &mut indices, &mut next);
        }

        // Epilogue: the finished outputs go back to off-chip memory.
        let mut epilogue = StepCounters::default();
        let end_of_work = engine.horizon();
        let cycles = engine.offchip_bulk(end_of_work, totals[2], true, &mut epilogue);
        epilogue.tensors.output.offchip_writes = totals[2];
        epilogue.tensors.output.l2_reads = totals[2];
        engine.accumulate(&epilogue, 1);

        let pe_cycles = accelerator.num_pes.saturating_mul(cycles);
        let mut stalls = engine.stalls;
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
        Ok(LayerSimReport {
            layer: layer_name(),
            cycles,
            macs: engine.macs,
            pes_used: nest.pes_used,
            steps: total_steps,
            steps_skipped_in_closed_form: skipped,
            double_buffered,
            tensors: engine.tensors,
            pe_utilisation: ratio(stalls.computing, pe_cycles),
            stalls,
            links: engine
                .links
                .iter()
                .zip(&engine.link_busy)
                .map(|(spec, &busy)| LinkReport {
                    name: spec.name.clone(),
                    busy_cycles: busy,
                    utilisation: ratio(busy, cycles),
                })
                .collect(),
            distribution_latency: summary(&engine.histograms[0]),
            collection_latency: summary(&engine.histograms[1]),
            offchip_latency: summary(&engine.histograms[2]),
            peak_l1_occupancy: peak_l1,
            peak_l2_occupancy: peak_l2,
        })
    }

    fn top_indices_changed(&self, step: u64, indices: &[u64]) -> bool {
        // The level-0 loops are a prefix; they changed iff every loop after them wrapped to 0.
        step > 0 && indices[self.top_loops..].iter().all(|&i| i == 0)
    }

    fn watchdog(&self, engine: &Engine, step: u64, floor: u64) -> Result<(), SimError> {
        let horizon = engine.horizon();
        if horizon == u64::MAX {
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
                stuck: engine.pes_busy_after(limit).into_iter().map(PeId).collect(),
            });
        }
        Ok(())
    }

    /// How many steps after the current one are translates of it (see the module documentation).
    fn run_length(
        &self,
        indices: &[u64],
        current: &[PeStep],
        enclosing_loops: usize,
        dim: maestro_ir::Dim,
        tile: u64,
    ) -> u64 {
        let index = indices[enclosing_loops];
        let mut run = u64::MAX;
        let mut any_active = false;
        for (pe, step) in current.iter().enumerate() {
            if !step.tile.active {
                continue;
            }
            any_active = true;
            let enclosing = self.nest.tile(pe, indices, enclosing_loops).ranges[dim as usize];
            let full_tiles = enclosing.len() / tile;
            // Tiles 0 ..= full_tiles − 1 are full; steps up to index + run + 1 must be among them.
            let limit = full_tiles.saturating_sub(index + 2);
            run = run.min(limit);
        }
        if any_active {
            run
        } else {
            0
        }
    }

    fn replay(
        &self,
        engine: &mut Engine,
        step: u64,
        plan: &StepPlan,
        run: u64,
    ) -> Result<u64, SimError> {
        // Max-plus systems may settle into a cycle of a few steps rather than one; look for a uniform
        // shift over up to this many consecutive replays.
        const MAX_PERIOD: usize = 4;
        let touched = plan.touched(engine);
        let mut history: std::collections::VecDeque<(Vec<u64>, StepCounters)> =
            std::collections::VecDeque::with_capacity(MAX_PERIOD + 1);
        for k in 1..=run {
            let mut before = Vec::with_capacity(touched.len());
            engine.snapshot(&touched, &mut before);
            let floor = engine.horizon();
            let counters = engine.execute(step + k, plan, None)?;
            engine.accumulate(&counters, 1);
            self.watchdog(engine, step + k, floor)?;
            history.push_back((before, counters));
            if history.len() > MAX_PERIOD {
                history.pop_front();
            }
            for period in 1..=history.len() {
                let (period_start, _) = &history[history.len() - period];
                let Some(shift) = engine.uniform_shift(&touched, period_start) else {
                    continue;
                };
                let remaining = run - k;
                let period = period as u64;
                let jumps = remaining / period;
                if jumps > 0 {
                    let total_shift = shift.checked_mul(jumps).ok_or(SimError::Overflow {
                        layer: self.layer.name.clone(),
                        what: "skipping steady-state steps",
                    })?;
                    engine.shift(&touched, total_shift);
                    for (_, counters) in history.iter().rev().take(period as usize) {
                        engine.accumulate(counters, jumps);
                    }
                }
                // The last partial period is played normally.
                let played = k + jumps * period;
                for extra in 1..=remaining % period {
                    let floor = engine.horizon();
                    let counters = engine.execute(step + played + extra, plan, None)?;
                    engine.accumulate(&counters, 1);
                    self.watchdog(engine, step + played + extra, floor)?;
                }
                return Ok(jumps * period);
            }
        }
        Ok(0)
    }

    /// The plan of one step from the tiles of the previous, current and next steps.
    fn plan(
        &self,
        step: u64,
        total_steps: u64,
        previous: &[PeStep],
        current: &[PeStep],
        next: &[PeStep],
    ) -> StepPlan {
        let accelerator = self.accelerator;
        let multicast = accelerator.distribution_noc.multicast;
        let mut plan = StepPlan::default();
        let mut groups: HashMap<(u8, TensorBox, TensorBox), usize> = HashMap::new();
        let mut output_groups: HashMap<TensorBox, usize> = HashMap::new();
        let mut reload_seen: HashMap<TensorBox, ()> = HashMap::new();
        let is_last = step + 1 >= total_steps;
        for (pe, now) in current.iter().enumerate() {
            if !now.tile.active {
                continue;
            }
            let before = &previous[pe];
            let pe_id = pe as u32;
            let held = |k: usize| {
                if before.tile.active {
                    before.boxes[k]
                } else {
                    TensorBox::EMPTY
                }
            };
            let new_output = now.boxes[2] != held(2);
            let macs = self.nest.macs(&now.tile);
            plan.computes.push(PlannedCompute {
                pe: pe_id,
                cycles: macs
                    .div_ceil(accelerator.simd_lanes)
                    .saturating_add(accelerator.mac_pipeline_latency),
                macs,
                new_output,
            });
            plan.peak_l1 = plan.peak_l1.max(now.boxes.iter().map(|b| b.volume()).sum());
            for (k, tensor) in [(0usize, Tensor::Input), (1, Tensor::Weight)] {
                let missing = now.boxes[k].missing_from(&held(k));
                if missing == 0 {
                    continue;
                }
                let kept = now.boxes[k].intersect(&held(k));
                if multicast {
                    let key = (k as u8, now.boxes[k], kept);
                    if let Some(&group) = groups.get(&key) {
                        plan.transfers[group].destinations.push(pe_id);
                        continue;
                    }
                    groups.insert(key, plan.transfers.len());
                }
                plan.transfers.push(PlannedTransfer {
                    tensor,
                    elements: missing,
                    destinations: vec![pe_id],
                });
            }
            // A revisited output tile: its partial sums come back from L2, to one unit of the group.
            if new_output && now.tile.revisit && reload_seen.insert(now.boxes[2], ()).is_none() {
                let missing = now.boxes[2].missing_from(&held(2));
                plan.transfers.push(PlannedTransfer {
                    tensor: Tensor::Output,
                    elements: missing,
                    destinations: vec![pe_id],
                });
            }
            let after = &next[pe];
            let leaves = is_last || !after.tile.active || after.boxes[2] != now.boxes[2];
            if leaves {
                if let Some(&group) = output_groups.get(&now.boxes[2]) {
                    let egress: &mut PlannedEgress = &mut plan.egress[group];
                    egress.sources.push(pe_id);
                    egress.final_output &= now.tile.final_output;
                } else {
                    output_groups.insert(now.boxes[2], plan.egress.len());
                    plan.egress.push(PlannedEgress {
                        elements: now.boxes[2].volume(),
                        sources: vec![pe_id],
                        final_output: now.tile.final_output,
                        reduced_in_network: true,
                        output_box: now.boxes[2],
                    });
                }
            }
        }
        let implicit = accelerator.collection_noc.implicit_reduction;
        for egress in &mut plan.egress {
            egress.reduced_in_network = implicit || egress.sources.len() == 1;
        }
        plan
    }
}
