//! Runs one layer on the array: fold after fold, cycle after cycle, the edge feeders read their SRAM
//! buffers and inject, the grid moves every operand one PE on, outputs leave into the output buffer,
//! and a feeder or output buffer that is not ready holds the whole array (a stall) until it is.
//!
//! Two ways to play the grid give the same cycles and counters (a test checks it): `Stepped` moves
//! every operand through every PE register each cycle; `Skipping` keeps only each edge link's
//! injection schedule and skips the cycles in which nothing but that deterministic motion happens.

use crate::array::{col_injection, preload_cycles, row_injection, Fold, Grid, Injections, Slot};
use crate::config::{stonne_fold_latency, ArrayConfig, Conventions, Interface};
use crate::layer::{filter_at, ifmap_at, Dataflow, Geometry, Layer, Operand};
use crate::memory::{FetchStream, ReadBuffer, WriteBuffer, HIT_LATENCY};
use crate::report::LayerReport;
use thiserror::Error;

/// The largest layer accepted, in MACs (a ResNet-50 convolution has about 2^28).
pub const MAX_LAYER_MACS: u64 = 1 << 50;
/// The most array cycles a layer may need: beyond this a run would take hours.
pub const MAX_ARRAY_CYCLES: u64 = 1 << 34;
/// The largest USER-mode fetch stream (operand elements in fetch order), which is held in memory.
pub const MAX_FETCH_STREAM: u64 = 1 << 27;

/// The largest array played with [`Playback::Stepped`] (its registers are held per PE).
pub const MAX_STEPPED_PES: u64 = 1 << 20;

/// How the grid is played.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Playback {
    /// Every operand moves through every PE register, cycle by cycle.
    Stepped,
    /// Cycles in which only the links move are skipped (exact: same cycles and counters).
    #[default]
    Skipping,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum RunError {
    #[error("layer `{layer}`: {what} must be at least 1")]
    Zero { layer: String, what: &'static str },
    #[error(
        "layer `{layer}`: the {dim} filter ({filter}) is larger than the padded ifmap ({ifmap})"
    )]
    FilterLargerThanIfmap {
        layer: String,
        dim: &'static str,
        filter: u64,
        ifmap: u64,
    },
    #[error("layer `{layer}`: its {what} is beyond what this simulator plays (at most {MAX_LAYER_MACS} MACs, {MAX_ARRAY_CYCLES} array cycles, {MAX_FETCH_STREAM} elements per USER-mode fetch stream)")]
    TooLarge { layer: String, what: &'static str },
    #[error("the array must have at least one row and one column")]
    EmptyArray,
    #[error("stepped playback keeps every PE's registers: at most {MAX_STEPPED_PES} PEs, not {pes} (use skipping)")]
    SteppedTooLarge { pes: u64 },
    #[error("STONNE's conventions are those of its output-stationary mesh: use the os dataflow")]
    StonneNeedsOs,
    #[error("the {0} SRAM must hold at least two words")]
    TinySram(&'static str),
}

/// Checks a layer and an array before a run.
pub fn check(layer: &Layer, config: &ArrayConfig) -> Result<(), RunError> {
    if config.rows == 0 || config.cols == 0 {
        return Err(RunError::EmptyArray);
    }
    for (kb, name) in [
        (config.ifmap_sram_kb, "ifmap"),
        (config.filter_sram_kb, "filter"),
        (config.ofmap_sram_kb, "ofmap"),
    ] {
        if kb == 0 {
            return Err(RunError::TinySram(name));
        }
    }
    let fields = [
        (layer.ifmap_height, "IFMAP height"),
        (layer.ifmap_width, "IFMAP width"),
        (layer.filter_height, "filter height"),
        (layer.filter_width, "filter width"),
        (layer.channels, "channels"),
        (layer.filters, "num filter"),
        (layer.stride_height, "stride height"),
        (layer.stride_width, "stride width"),
    ];
    for (value, what) in fields {
        if value == 0 {
            return Err(RunError::Zero {
                layer: layer.name.clone(),
                what,
            });
        }
    }
    for (filter, ifmap, dim) in [
        (layer.filter_height, layer.ifmap_height, "height"),
        (layer.filter_width, layer.ifmap_width, "width"),
    ] {
        if filter > ifmap {
            return Err(RunError::FilterLargerThanIfmap {
                layer: layer.name.clone(),
                dim,
                filter,
                ifmap,
            });
        }
    }
    // Every count the run keeps is a product of these; bounding them here keeps all of it in u64.
    let too_large = |what: &'static str| RunError::TooLarge {
        layer: layer.name.clone(),
        what,
    };
    let window = layer
        .filter_height
        .checked_mul(layer.filter_width)
        .and_then(|x| x.checked_mul(layer.channels))
        .ok_or_else(|| too_large("window"))?;
    layer
        .ofmap_height()
        .checked_mul(layer.ofmap_width())
        .and_then(|pixels| pixels.checked_mul(window))
        .and_then(|x| x.checked_mul(layer.filters))
        .filter(|&macs| macs <= MAX_LAYER_MACS)
        .ok_or_else(|| too_large("MAC count"))?;
    let g = Geometry::of(layer, config.dataflow);
    let folds = g
        .spatial_rows
        .div_ceil(config.rows)
        .saturating_mul(g.spatial_cols.div_ceil(config.cols));
    let fold_cycles = g.temporal.saturating_add(2 * config.rows + config.cols);
    if folds.saturating_mul(fold_cycles) > MAX_ARRAY_CYCLES {
        return Err(too_large("cycle count"));
    }
    if matches!(config.interface, Interface::User { .. }) {
        let padded = |extent: u64, side: u64| extent.div_ceil(side).saturating_mul(side);
        let streams = [
            padded(g.spatial_rows, config.rows).saturating_mul(g.temporal),
            padded(g.spatial_cols, config.cols).saturating_mul(g.temporal),
            padded(g.spatial_cols, config.cols).saturating_mul(g.spatial_rows),
        ];
        if streams.iter().any(|&s| s > MAX_FETCH_STREAM) {
            return Err(too_large("USER-mode fetch stream"));
        }
    }
    Ok(())
}

/// Per-cycle counters a run accumulates, whichever way the grid is played.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub macs: u64,
    pub ifmap_sram_reads: u64,
    pub filter_sram_reads: u64,
    pub ofmap_sram_writes: u64,
    pub max_ifmap_reads_per_cycle: u64,
    pub max_filter_reads_per_cycle: u64,
    pub max_ofmap_writes_per_cycle: u64,
    /// Cycles the array played (its clock enabled), over all folds.
    pub array_cycles: u64,
    pub stall_cycles: u64,
    pub folds: u64,
}

/// The fetch stream of one operand: its folds' blocks stacked and read along anti-diagonals, the
/// order in which the skewed feeders first ask for the elements.
fn fetch_stream(
    layer: &Layer,
    config: &ArrayConfig,
    operand: Operand,
    set_size: u64,
) -> FetchStream {
    let g = Geometry::of(layer, config.dataflow);
    let (rows, cols) = (config.rows, config.cols);
    // (folds, block depth, block width, element at (fold, depth index, width index)).
    let (folds, depth, width): (u64, u64, u64) = match (config.dataflow, operand) {
        (Dataflow::Os, Operand::Ifmap)
        | (Dataflow::Ws, Operand::Ifmap)
        | (Dataflow::Is, Operand::Filter) => (g.spatial_rows.div_ceil(rows), g.temporal, rows),
        (Dataflow::Os, Operand::Filter) => (g.spatial_cols.div_ceil(cols), g.temporal, cols),
        (Dataflow::Ws, Operand::Filter) | (Dataflow::Is, Operand::Ifmap) => {
            (g.spatial_cols.div_ceil(cols), g.spatial_rows, cols)
        }
    };
    let element = |fold: u64, d: u64, e: u64| -> Option<u64> {
        let df = config.dataflow;
        match (df, operand) {
            (Dataflow::Os, Operand::Ifmap) | (Dataflow::Ws, Operand::Ifmap) => {
                let r = fold * rows + e;
                (r < g.spatial_rows)
                    .then(|| ifmap_at(layer, df, r, 0, d))
                    .flatten()
            }
            (Dataflow::Is, Operand::Filter) => {
                let r = fold * rows + e;
                (r < g.spatial_rows).then(|| filter_at(layer, df, r, 0, d))
            }
            (Dataflow::Os, Operand::Filter) => {
                let c = fold * cols + e;
                (c < g.spatial_cols).then(|| filter_at(layer, df, 0, c, d))
            }
            (Dataflow::Ws, Operand::Filter) => {
                let c = fold * cols + e;
                (c < g.spatial_cols).then(|| filter_at(layer, df, d, c, 0))
            }
            (Dataflow::Is, Operand::Ifmap) => {
                let c = fold * cols + e;
                (c < g.spatial_cols)
                    .then(|| ifmap_at(layer, df, d, c, 0))
                    .flatten()
            }
        }
    };
    let height = folds * depth;
    let diagonals = height + width;
    let order = (0..diagonals).flat_map(move |diagonal| {
        let top = diagonal.min(height.saturating_sub(1));
        let bottom = diagonal.saturating_sub(width - 1);
        (bottom..=top).rev().map(move |row| (row, diagonal - row))
    });
    FetchStream::new(
        order.map(|(row, col)| element(row / depth, row % depth, col)),
        set_size,
    )
}

/// The memory side of a run: buffers and the wall clock.
struct Memory {
    ifmap: Option<ReadBuffer>,
    filter: Option<ReadBuffer>,
    ofmap: WriteBuffer,
    /// Cycles the array has played so far plus the stalls so far: the wall cycle of the next line.
    line: i64,
    stalls: i64,
    last_out: i64,
}

impl Memory {
    /// One array cycle's traffic. Returns nothing; stalls accumulate.
    fn serve(&mut self, ifmap: &[u64], filter: &[u64], writes: u64) -> i64 {
        let cycle = self.line + self.stalls;
        let ifmap_stall = match &mut self.ifmap {
            Some(buffer) if !ifmap.is_empty() => buffer.serve(cycle, ifmap) - cycle - HIT_LATENCY,
            _ => 0,
        };
        let filter_stall = match &mut self.filter {
            Some(buffer) if !filter.is_empty() => buffer.serve(cycle, filter) - cycle - HIT_LATENCY,
            _ => 0,
        };
        let out = if writes > 0 {
            self.ofmap.write(cycle, writes)
        } else {
            cycle
        };
        // SCALE-Sim v2 counts a write that waited `d` cycles as `d − 1` stall cycles.
        let ofmap_stall = out - cycle - 1;
        self.last_out = out;
        // A refill that completed before it was needed is not negative time: the stall is at least 0.
        let stall = ifmap_stall.max(filter_stall).max(ofmap_stall).max(0);
        self.stalls += stall;
        self.line += 1;
        stall
    }
}

/// Runs one layer.
pub fn run_layer(
    layer: &Layer,
    config: &ArrayConfig,
    playback: Playback,
) -> Result<LayerReport, RunError> {
    check(layer, config)?;
    if config.conventions == Conventions::Stonne && config.dataflow != Dataflow::Os {
        return Err(RunError::StonneNeedsOs);
    }
    if playback == Playback::Stepped && config.pes() > MAX_STEPPED_PES {
        return Err(RunError::SteppedTooLarge { pes: config.pes() });
    }
    let g = Geometry::of(layer, config.dataflow);
    let (rows, cols, df) = (config.rows, config.cols, config.dataflow);
    let row_folds = g.spatial_rows.div_ceil(rows);
    let col_folds = g.spatial_cols.div_ceil(cols);
    let ifmap_words = ArrayConfig::words(config.ifmap_sram_kb);
    let filter_words = ArrayConfig::words(config.filter_sram_kb);
    let ofmap_words = ArrayConfig::words(config.ofmap_sram_kb);
    let (user, drain_bandwidth) = match config.interface {
        Interface::Calc => (false, cols),
        Interface::User { words_per_cycle } => (true, words_per_cycle.max(1)),
    };
    let mut memory = Memory {
        ifmap: user.then(|| {
            let stream = fetch_stream(
                layer,
                config,
                Operand::Ifmap,
                ReadBuffer::set_size(ifmap_words),
            );
            ReadBuffer::new(stream, ifmap_words, drain_bandwidth)
        }),
        filter: user.then(|| {
            let stream = fetch_stream(
                layer,
                config,
                Operand::Filter,
                ReadBuffer::set_size(filter_words),
            );
            ReadBuffer::new(stream, filter_words, drain_bandwidth)
        }),
        ofmap: WriteBuffer::new(ofmap_words, drain_bandwidth),
        line: 0,
        stalls: 0,
        last_out: 0,
    };
    let mut counters = Counters::default();
    let mut calc_dram = CalcDram::new(layer, config);
    let mut fold_cycles = Vec::new();
    let mut mapping_efficiency = 0.0;
    let mut compute_utilisation = 0.0;
    let mut max_dram = [0.0f64; 2];
    let mut grid = (playback == Playback::Stepped).then(|| Grid::new(rows, cols, df));
    let mut injections = Injections {
        rows: vec![Slot::Empty; rows as usize],
        cols: vec![Slot::Empty; cols as usize],
    };
    let mut ifmap_reads = Vec::with_capacity(rows.max(cols) as usize);
    let mut filter_reads = Vec::with_capacity(rows.max(cols) as usize);
    let preload = preload_cycles(df, rows);
    let stonne = config.conventions == Conventions::Stonne;
    for fc in 0..col_folds {
        for fr in 0..row_folds {
            let fold = Fold {
                used_rows: (g.spatial_rows - fr * rows).min(rows),
                used_cols: (g.spatial_cols - fc * cols).min(cols),
                temporal: g.temporal,
            };
            // The rows and columns the fold's wavefront crosses.
            let (wave_rows, wave_cols) = if stonne {
                (fold.used_rows, fold.used_cols)
            } else {
                (rows, cols)
            };
            let line_before = memory.line;
            let stalls_before = memory.stalls;
            let macs_before = counters.macs;
            // The last edge injection of the fold: the bottom row's last operand (or, for the
            // output-stationary columns, the right column's last one).
            let last_injection = match df {
                Dataflow::Os => {
                    (wave_rows - 1 + g.temporal - 1).max(wave_cols - 1 + g.temporal - 1)
                }
                Dataflow::Ws | Dataflow::Is => preload + wave_rows - 1 + g.temporal - 1,
            };
            if stonne {
                if let Some(grid) = grid.as_mut() {
                    *grid = Grid::new(wave_rows, wave_cols, df);
                }
            }
            if let Some(grid) = grid.as_mut() {
                grid.begin_fold();
            }
            let mut tau: u64 = 0;
            loop {
                // The edges: which operand each feeder injects this cycle.
                let need_feeders = grid.is_some() || user;
                ifmap_reads.clear();
                filter_reads.clear();
                let (ifmap_before, filter_before) =
                    (counters.ifmap_sram_reads, counters.filter_sram_reads);
                if need_feeders {
                    for i in 0..wave_rows {
                        let slot = row_injection(df, wave_rows, fold, i, tau);
                        injections.rows[i as usize] = slot;
                        if let Slot::Value(t) = slot {
                            let r = fr * rows + i;
                            match df {
                                Dataflow::Os | Dataflow::Ws => {
                                    counters.ifmap_sram_reads += 1;
                                    if let Some(a) = ifmap_at(layer, df, r, 0, t) {
                                        ifmap_reads.push(a);
                                    }
                                }
                                Dataflow::Is => {
                                    counters.filter_sram_reads += 1;
                                    filter_reads.push(filter_at(layer, df, r, 0, t));
                                }
                            }
                        }
                    }
                    for j in 0..wave_cols {
                        let slot = col_injection(df, wave_rows, fold, j, tau);
                        injections.cols[j as usize] = slot;
                        if let Slot::Value(v) = slot {
                            let c = fc * cols + j;
                            match df {
                                Dataflow::Os => {
                                    counters.filter_sram_reads += 1;
                                    filter_reads.push(filter_at(layer, df, 0, c, v));
                                }
                                Dataflow::Ws => {
                                    counters.filter_sram_reads += 1;
                                    filter_reads.push(filter_at(layer, df, fr * rows + v, c, 0));
                                }
                                Dataflow::Is => {
                                    counters.ifmap_sram_reads += 1;
                                    if let Some(a) = ifmap_at(layer, df, fr * rows + v, c, 0) {
                                        ifmap_reads.push(a);
                                    }
                                }
                            }
                        }
                    }
                }
                // The grid: operands move one PE on and meet.
                let (ended, writes) = match grid.as_mut() {
                    Some(grid) => {
                        counters.macs += grid.step(&injections, tau < preload);
                        if preload > 0 && tau + 1 == preload {
                            grid.latch_preload();
                        }
                        if tau > last_injection && grid.links_empty() {
                            (true, 0)
                        } else {
                            (
                                false,
                                stepped_writes(
                                    grid, df, fold, wave_cols, wave_rows, g.temporal, tau,
                                ),
                            )
                        }
                    }
                    None => {
                        // The last operand of the bottom-right corner leaves the grid `rows + cols`
                        // cycles after the fold's last injection along the diagonal.
                        let end = fold_end(df, wave_rows, wave_cols, g.temporal);
                        if tau >= end {
                            (true, 0)
                        } else {
                            if !user {
                                // Without reads to serve, the cycles before the first output are skipped.
                                let first = first_write(df, wave_rows, g.temporal);
                                if tau < first {
                                    let skip = first - tau;
                                    memory.line += skip as i64;
                                    tau += skip;
                                }
                            }
                            (
                                false,
                                scheduled_writes(df, fold, wave_rows, g.temporal, tau),
                            )
                        }
                    }
                };
                if ended {
                    break;
                }
                if grid.is_some() {
                    counters.max_ifmap_reads_per_cycle = counters
                        .max_ifmap_reads_per_cycle
                        .max(counters.ifmap_sram_reads - ifmap_before);
                    counters.max_filter_reads_per_cycle = counters
                        .max_filter_reads_per_cycle
                        .max(counters.filter_sram_reads - filter_before);
                }
                counters.max_ofmap_writes_per_cycle =
                    counters.max_ofmap_writes_per_cycle.max(writes);
                counters.ofmap_sram_writes += writes;
                memory.serve(&ifmap_reads, &filter_reads, writes);
                tau += 1;
            }
            if grid.is_none() {
                // Skipping: the fold's MACs and reads are the meetings the links made.
                counters.macs += fold.used_rows * fold.used_cols * fold.temporal;
                let (ifmap, filter) = fold_reads(df, fold);
                if !user {
                    counters.ifmap_sram_reads += ifmap.0;
                    counters.filter_sram_reads += filter.0;
                }
                counters.max_ifmap_reads_per_cycle =
                    counters.max_ifmap_reads_per_cycle.max(ifmap.1);
                counters.max_filter_reads_per_cycle =
                    counters.max_filter_reads_per_cycle.max(filter.1);
            }
            if stonne {
                // The controller reconfigures and the pipeline to and from memory fills and drains.
                memory.line += stonne_fold_latency(fold.used_rows, fold.used_cols) as i64;
            }
            let played = (memory.line - line_before) as u64;
            let stalled = (memory.stalls - stalls_before) as u64;
            counters.array_cycles += played;
            counters.folds += 1;
            fold_cycles.push(played);
            let fold_macs = counters.macs - macs_before;
            debug_assert_eq!(fold_macs, fold.used_rows * fold.used_cols * fold.temporal);
            let pes = (rows * cols) as f64;
            mapping_efficiency += (fold.used_rows * fold.used_cols) as f64 / pes;
            compute_utilisation += fold_macs as f64 / (pes * played as f64);
            let fetched = calc_dram.fold(fr, fc, fold);
            let span = (played + stalled).max(1) as f64;
            max_dram[0] = max_dram[0].max(fetched.0 as f64 / span);
            max_dram[1] = max_dram[1].max(fetched.1 as f64 / span);
        }
    }
    counters.stall_cycles = memory.stalls as u64;
    let total_cycles = if stonne {
        (memory.line + memory.stalls).max(0) as u64
    } else {
        memory.last_out.max(0) as u64
    };
    memory.ofmap.flush(memory.last_out);
    let folds = counters.folds.max(1) as f64;
    let (ifmap_dram, filter_dram, ifmap_span, filter_span) = match (&memory.ifmap, &memory.filter) {
        (Some(i), Some(f)) => (
            i.dram_reads,
            f.dram_reads,
            (i.last_refill_done() - i.dram_first_cycle + 1).max(1) as u64,
            (f.last_refill_done() - f.dram_first_cycle + 1).max(1) as u64,
        ),
        _ => (
            calc_dram.ifmap,
            calc_dram.filter,
            total_cycles.max(1),
            total_cycles.max(1),
        ),
    };
    let ofmap_span = match (memory.ofmap.dram_first_cycle, memory.ofmap.dram_last_cycle) {
        (Some(first), Some(last)) => (last - first + 1).max(1) as u64,
        _ => 1,
    };
    // The cycles a SCALE-Sim v3 run reports "including prefetch": the initial fill of the read
    // buffers before the first cycle, and the output buffer's final drain after the last.
    let prefetch_before = calc_dram.initial_fill_cycles(user, drain_bandwidth, rows);
    let drain_after = memory
        .ofmap
        .dram_last_cycle
        .map_or(0, |last| (last - total_cycles as i64).max(0) as u64);
    let mut report = LayerReport::new(layer, config, counters, total_cycles);
    report.fold_cycles_max = fold_cycles.iter().copied().max().unwrap_or(0);
    report.mapping_efficiency = 100.0 * mapping_efficiency / folds;
    report.compute_utilisation = 100.0 * compute_utilisation / folds;
    report.dram_ifmap_reads = ifmap_dram;
    report.dram_filter_reads = filter_dram;
    report.dram_ofmap_writes = memory.ofmap.dram_writes;
    report.avg_ifmap_dram_bw = ifmap_dram as f64 / ifmap_span as f64;
    report.avg_filter_dram_bw = filter_dram as f64 / filter_span as f64;
    report.avg_ofmap_dram_bw = memory.ofmap.dram_writes as f64 / ofmap_span as f64;
    report.max_ifmap_dram_bw = if user {
        drain_bandwidth as f64
    } else {
        max_dram[0]
    };
    report.max_filter_dram_bw = if user {
        drain_bandwidth as f64
    } else {
        max_dram[1]
    };
    report.max_ofmap_dram_bw = drain_bandwidth as f64;
    report.total_cycles_incl_prefetch = total_cycles + prefetch_before + drain_after;
    Ok(report)
}

/// The array cycle after which a fold's grid is empty: the last injection plus the hops to the far edge.
fn fold_end(df: Dataflow, rows: u64, cols: u64, temporal: u64) -> u64 {
    preload_cycles(df, rows) + rows + cols + temporal - 2
}

/// The first array cycle of a fold in which an output leaves.
fn first_write(df: Dataflow, rows: u64, temporal: u64) -> u64 {
    match df {
        Dataflow::Os => temporal - 1,
        Dataflow::Ws | Dataflow::Is => 2 * rows - 1,
    }
}

/// Outputs leaving the grid at array cycle `tau`, from the injection schedule (skipping playback).
fn scheduled_writes(df: Dataflow, fold: Fold, rows: u64, temporal: u64, tau: u64) -> u64 {
    let mut writes = 0;
    for j in 0..fold.used_cols {
        match df {
            Dataflow::Os => {
                // Column j shifts its outputs out of the bottom edge, bottom row first, from cycle
                // T − 1 + j on.
                if let Some(m) = tau.checked_sub(temporal - 1 + j) {
                    if m < rows && rows - 1 - m < fold.used_rows {
                        writes += 1;
                    }
                }
            }
            Dataflow::Ws | Dataflow::Is => {
                if let Some(t) = tau.checked_sub(2 * rows - 1 + j) {
                    if t < temporal {
                        writes += 1;
                    }
                }
            }
        }
    }
    writes
}

/// Outputs leaving the grid at array cycle `tau`, read off the grid (stepped playback).
fn stepped_writes(
    grid: &Grid,
    df: Dataflow,
    fold: Fold,
    cols: u64,
    rows: u64,
    temporal: u64,
    tau: u64,
) -> u64 {
    match df {
        // Output-stationary outputs leave through the output chain on SCALE-Sim's schedule (bottom row
        // first, one per column per cycle); the grid holds no operand for them.
        Dataflow::Os => scheduled_writes(df, fold, rows, temporal, tau),
        Dataflow::Ws | Dataflow::Is => (0..cols.min(fold.used_cols))
            .filter(|&j| grid.bottom_row(j as usize) != Slot::Empty)
            .count() as u64,
    }
}

/// Reads of one fold and the most in one cycle, per operand: ((ifmap reads, max per cycle),
/// (filter reads, max per cycle)). In USER mode the reads were counted cycle by cycle already, and
/// only the maxima are taken from here.
fn fold_reads(df: Dataflow, fold: Fold) -> ((u64, u64), (u64, u64)) {
    let t = fold.temporal;
    let (ur, uc) = (fold.used_rows, fold.used_cols);
    match df {
        Dataflow::Os => ((ur * t, ur.min(t)), (uc * t, uc.min(t))),
        Dataflow::Ws => ((ur * t, ur.min(t)), (ur * uc, uc)),
        Dataflow::Is => ((ur * uc, uc), (ur * t, ur.min(t))),
    }
}

/// DRAM traffic in CALC mode: each fold's operand block is fetched when it differs from the previous
/// fold's block of that operand, except that an operand which fits in its buffer is fetched once.
struct CalcDram {
    df: Dataflow,
    ifmap_fits: bool,
    filter_fits: bool,
    previous: Option<(u64, u64)>,
    seen_ifmap: std::collections::HashSet<u64>,
    seen_filter: std::collections::HashSet<u64>,
    ifmap: u64,
    filter: u64,
    first_blocks: (u64, u64),
    /// Distinct words of each operand: the ifmap and the filters.
    distinct: (u64, u64),
    ifmap_capacity: u64,
    filter_capacity: u64,
}

impl CalcDram {
    fn new(layer: &Layer, config: &ArrayConfig) -> CalcDram {
        let ifmap_size = layer.ofmap_pixels() * layer.window();
        let filter_size = layer.window() * layer.filters;
        CalcDram {
            df: config.dataflow,
            ifmap_fits: ifmap_size <= ArrayConfig::words(config.ifmap_sram_kb),
            filter_fits: filter_size <= ArrayConfig::words(config.filter_sram_kb),
            previous: None,
            seen_ifmap: Default::default(),
            seen_filter: Default::default(),
            ifmap: 0,
            filter: 0,
            first_blocks: (0, 0),
            distinct: (
                layer.ifmap_height * layer.ifmap_width * layer.channels,
                filter_size,
            ),
            ifmap_capacity: ArrayConfig::words(config.ifmap_sram_kb),
            filter_capacity: ArrayConfig::words(config.filter_sram_kb),
        }
    }

    /// Words fetched for this fold: (ifmap, filter).
    fn fold(&mut self, fr: u64, fc: u64, fold: Fold) -> (u64, u64) {
        let t = fold.temporal;
        let (ur, uc) = (fold.used_rows, fold.used_cols);
        // Which fold index each operand's block follows, and the block's size.
        let ((ifmap_key, ifmap_block), (filter_key, filter_block)) = match self.df {
            Dataflow::Os => ((fr, ur * t), (fc, uc * t)),
            Dataflow::Ws => ((fr, ur * t), ((fr << 32) | fc, ur * uc)),
            Dataflow::Is => (((fr << 32) | fc, ur * uc), (fr, ur * t)),
        };
        let (prev_ifmap, prev_filter) = self.previous.unwrap_or((u64::MAX, u64::MAX));
        let first = self.previous.is_none();
        self.previous = Some((ifmap_key, filter_key));
        let ifmap =
            if ifmap_key == prev_ifmap || (self.ifmap_fits && !self.seen_ifmap.insert(ifmap_key)) {
                0
            } else {
                ifmap_block
            };
        let filter = if filter_key == prev_filter
            || (self.filter_fits && !self.seen_filter.insert(filter_key))
        {
            0
        } else {
            filter_block
        };
        if first {
            self.first_blocks = (ifmap, filter);
        }
        self.ifmap += ifmap;
        self.filter += filter;
        (ifmap, filter)
    }

    /// Cycles to fill the read buffers before the first cycle: a buffer first loads the distinct words
    /// it will hold, in whole sets of 1 % of the buffer, at SCALE-Sim's CALC-mode estimate of 10 words
    /// per cycle (USER mode: the given bandwidth). An operand that fits in the active half is loaded
    /// completely before cycle 0; a larger one loads the half, finishing just before the feeders'
    /// first read of it (cycle `rows` for the operand streamed after a preload). The two buffers load
    /// in parallel.
    fn initial_fill_cycles(&self, user: bool, bandwidth: u64, rows: u64) -> u64 {
        let bandwidth = if user { bandwidth } else { 10 }.max(1);
        let (ifmap_first, filter_first) = match self.df {
            Dataflow::Os => (0, 0),
            Dataflow::Ws => (rows, 0),
            Dataflow::Is => (0, rows),
        };
        let fill = |distinct: u64, capacity: u64, first_read: u64| {
            let set = (capacity / 100).max(1);
            let sets = distinct.div_ceil(set);
            if sets >= 50 {
                (50 * set).div_ceil(bandwidth).saturating_sub(first_read)
            } else {
                (sets * set).div_ceil(bandwidth)
            }
        };
        fill(self.distinct.0, self.ifmap_capacity, ifmap_first).max(fill(
            self.distinct.1,
            self.filter_capacity,
            filter_first,
        ))
    }
}
