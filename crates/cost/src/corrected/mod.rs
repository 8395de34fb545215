//! The corrected analytical model: the project's execution semantics (`execution-semantics.md`, with
//! the decisions of `docs/execution-model.md`) in closed form over the shared iteration-space
//! expansion of `maestro-ir`. Every quirk of the reference (spec §14) is replaced by its correct
//! behaviour; `docs/compat-vs-corrected.md` lists the differences.

#[cfg(test)]
mod golden;
mod hardware;
mod level;
mod row;
mod sampling;
#[cfg(test)]
mod tests;
mod traffic;
mod union;

pub use hardware::{area_power, AreaPower};

use crate::detail::{Accesses, LayerDetail, PerTensor, RuntimeBreakdown};
use crate::{AnalysisOptions, CostError, LayerCost, NetworkCost};
use level::Analyzer;
use maestro_ir::expansion::StepPosition;
use maestro_ir::{Accelerator, Expansion, Layer, Network, Region, Tensor};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Analyses every layer of `network`, in parallel over `options.threads` workers; results in layer
/// order. The first layer that cannot be analysed (in layer order) is the error.
pub fn analyze_network(
    network: &Network,
    accelerator: &Accelerator,
    options: &AnalysisOptions,
) -> Result<NetworkCost, CostError> {
    let results = map_layers(network.layers.len(), options.threads, |index| {
        analyze_layer(&network.name, &network.layers[index], accelerator).map_err(|reason| {
            CostError {
                layer_index: index,
                layer: network.layers[index].name.clone(),
                reason,
            }
        })
    });
    let layers = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(NetworkCost {
        network: network.name.clone(),
        layers,
    })
}

/// `job(0) … job(count − 1)` in order, shared among up to `threads` scoped workers.
fn map_layers<T: Send>(count: usize, threads: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let workers = threads.min(count);
    if workers <= 1 {
        return (0..count).map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count {
                return done;
            }
            done.push((index, job(index)));
        }
    };
    let finished = crossbeam::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(|_| worker())).collect();
        handles
            .into_iter()
            .filter_map(|handle| handle.join().ok())
            .collect::<Vec<_>>()
    });
    let mut slots: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for (index, value) in finished.unwrap_or_default().into_iter().flatten() {
        slots[index] = Some(value);
    }
    // A worker stops early only by panicking; its layers are redone here so every result is present.
    slots
        .into_iter()
        .enumerate()
        .map(|(index, slot)| slot.unwrap_or_else(|| job(index)))
        .collect()
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

/// Elements of all three tensors that one region touches.
fn tile_set(expansion: &Expansion, region: &Region) -> u64 {
    Tensor::ALL
        .iter()
        .map(|&tensor| expansion.footprint(tensor, region).elements())
        .sum()
}

/// One PE's tiles in its first step (the largest: edges are smaller), and the union of the top level's
/// active units' tiles in its first step.
fn step_working_sets(expansion: &Expansion) -> (u64, u64) {
    let first = StepPosition {
        indices: [0; maestro_ir::expansion::MAX_LOOPS_PER_LEVEL],
        ordinal: 0,
        changed: None,
    };
    let whole = expansion.whole();
    let top = expansion.geometry(0, &whole);
    let mut union: Option<Region> = None;
    for unit in 0..top.active_units(&first) {
        if let Some(region) = top.unit_region(&first, unit) {
            union = Some(match union {
                None => region,
                Some(mut joined) => {
                    for &dim in expansion.bounds.layer_type.loop_dims() {
                        joined.set(
                            dim,
                            joined.start(dim).min(region.start(dim))
                                ..joined.end(dim).max(region.end(dim)),
                        );
                    }
                    joined
                }
            });
        }
    }
    let l2 = union.map_or(0, |region| tile_set(expansion, &region));
    let mut region = whole;
    for depth in 0..expansion.levels.len() {
        let geometry = expansion.geometry(depth, &region);
        if let Some(unit) = geometry.unit_region(&first, 0) {
            region = unit;
        }
    }
    (tile_set(expansion, &region), l2)
}

/// The corrected cost of one layer.
pub fn analyze_layer(
    network: &str,
    layer: &Layer,
    hardware: &Accelerator,
) -> Result<LayerCost, String> {
    analyze_layer_with(network, layer, hardware, false)
}

/// [`analyze_layer`], optionally evaluating every unit of every step one by one instead of eliding the
/// middles of runs of translated units (the two must agree exactly; the tests compare them).
fn analyze_layer_with(
    network: &str,
    layer: &Layer,
    hardware: &Accelerator,
    exhaustive: bool,
) -> Result<LayerCost, String> {
    check_hardware(hardware)?;
    let expansion = Expansion::new(layer, hardware.num_pes).map_err(|error| error.to_string())?;
    let bounds = expansion.bounds;
    let mut warnings = Vec::new();
    for adjustment in &expansion.adjustments {
        let maestro_ir::expansion::Adjustment::TrimmedOverlap {
            level,
            dim,
            written_size,
            size,
        } = *adjustment;
        warnings.push(format!(
            "level {level}: tiles of {dim} overlapped (size {written_size}); trimmed to {size} so that no MAC repeats"
        ));
    }
    if expansion.used_pes < hardware.num_pes {
        warnings.push(format!(
            "the mapping uses {} of {} PEs",
            expansion.used_pes, hardware.num_pes
        ));
    }
    let (l1_step, l2_step) = step_working_sets(&expansion);
    let double_buffered = l1_step.saturating_mul(2) <= hardware.l1_size;
    if l1_step > hardware.l1_size {
        warnings.push(format!(
            "L1 holds {} elements but one step's tiles need {l1_step}",
            hardware.l1_size
        ));
    } else if !double_buffered {
        warnings.push(format!(
            "L1 ({}) cannot hold two steps' tiles ({}): no double buffering, ingress and compute serialize",
            hardware.l1_size,
            2 * l1_step
        ));
    }
    let mut analyzer = Analyzer::new(&expansion, hardware, double_buffered);
    analyzer.exhaustive = exhaustive;
    let top = analyzer.level(0, &expansion.whole());
    let macs = top.totals.macs;
    if macs != bounds.macs() || macs == 0 {
        return Err(format!(
            "internal inconsistency: {macs} MACs analysed, {} in the layer",
            bounds.macs()
        ));
    }

    // Off-chip: every input and weight element at least once, every final output once; when L2 cannot
    // hold the layer, every top-level working set is refetched and partial sums spill.
    let sizes = [
        bounds.tensor_elements(Tensor::Input),
        bounds.tensor_elements(Tensor::Weight),
        bounds.tensor_elements(Tensor::Output),
    ];
    let l2_holds_layer = sizes
        .iter()
        .fold(0u64, |sum, &size| sum.saturating_add(size))
        <= hardware.l2_size;
    let l2_requirement = if l2_holds_layer {
        l2_step.saturating_mul(2)
    } else {
        l2_step
    };
    if l2_step > hardware.l2_size {
        warnings.push(format!(
            "L2 holds {} elements but one top-level step needs {l2_step}",
            hardware.l2_size
        ));
    }
    let offchip = if l2_holds_layer {
        PerTensor {
            input: Accesses {
                reads: sizes[0],
                writes: 0,
            },
            weight: Accesses {
                reads: sizes[1],
                writes: 0,
            },
            output: Accesses {
                reads: 0,
                writes: sizes[2],
            },
        }
    } else {
        PerTensor {
            input: Accesses {
                reads: top.sent[0].max(sizes[0]),
                writes: 0,
            },
            weight: Accesses {
                reads: top.sent[1].max(sizes[1]),
                writes: 0,
            },
            output: Accesses {
                reads: top.partial_reloads,
                writes: top.upstream_writes[2].max(sizes[2]),
            },
        }
    };
    let offchip_total =
        [offchip.input, offchip.weight, offchip.output]
            .iter()
            .fold(0u64, |sum, access| {
                sum.saturating_add(access.reads)
                    .saturating_add(access.writes)
            });
    let offchip_time = offchip_total
        .div_ceil(hardware.offchip.bandwidth)
        .saturating_add(hardware.offchip.latency);
    let runtime = top.runtime.max(offchip_time).max(1);

    let l1 = PerTensor {
        input: Accesses {
            reads: top.totals.l1_reads[0],
            writes: top.totals.l1_writes[0],
        },
        weight: Accesses {
            reads: top.totals.l1_reads[1],
            writes: top.totals.l1_writes[1],
        },
        output: Accesses {
            reads: top.totals.l1_reads[2],
            writes: top.totals.l1_writes[2],
        },
    };
    let l2 = PerTensor {
        input: Accesses {
            reads: top.upstream_reads[0],
            writes: offchip.input.reads,
        },
        weight: Accesses {
            reads: top.upstream_reads[1],
            writes: offchip.weight.reads,
        },
        output: Accesses {
            reads: top.upstream_reads[2],
            writes: top.upstream_writes[2],
        },
    };
    let detail = LayerDetail {
        warnings,
        l1,
        l2,
        offchip,
        cluster_buffers: Accesses {
            reads: top.totals.cluster_reads,
            writes: top.totals.cluster_writes,
        },
        noc_sent: PerTensor {
            input: top.sent[0],
            weight: top.sent[1],
            output: top.upstream_writes[2],
        },
        noc_delivered: PerTensor {
            input: top.delivered[0],
            weight: top.delivered[1],
            output: top.delivered[2],
        },
        partial_sum_writes: top.partial_writes,
        partial_sum_reloads: top.partial_reloads,
        reductions: top.totals.reductions,
        runtime: RuntimeBreakdown {
            fill: top.time.fill,
            steady: top.time.steady,
            edge: top.time.edge,
            drain: top.time.drain,
            compute: top.time.compute,
            ingress: top.time.ingress,
            egress: top.time.egress,
            offchip: offchip_time,
            offchip_stall: runtime - top.runtime.min(runtime),
        },
        double_buffered,
        l1_step_elements: l1_step,
        l2_step_elements: l2_step,
        l2_holds_layer,
        ..LayerDetail::default()
    };
    let requirements = row::Requirements {
        l1: if double_buffered {
            l1_step.saturating_mul(2)
        } else {
            l1_step
        },
        l2: l2_requirement,
    };
    let (row, detail) = row::assemble(
        network,
        layer,
        hardware,
        &expansion,
        &top,
        runtime,
        requirements,
        detail,
    );
    Ok(LayerCost {
        row,
        detail: Some(detail),
    })
}
