//! The systolic accelerator: array size, dataflow, the three SRAM buffers and the off-chip interface.

use crate::layer::Dataflow;
use serde::Serialize;

/// How the off-chip interface is modelled (SCALE-Sim's `InterfaceBandwidth`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Interface {
    /// Reads never stall; the report gives the DRAM bandwidth that keeps them so. Output buffers drain
    /// at one word per array column per cycle.
    Calc,
    /// Every buffer refills (or drains) at this many words per cycle; starved feeders stall the array.
    User { words_per_cycle: u64 },
}

/// Whose timing conventions a run follows where simulators differ (see `docs/systolic.md`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Conventions {
    /// SCALE-Sim's: every fold's wavefront crosses the whole array, folds follow each other without a
    /// gap, and the total is the cycle (counted from 0) of the last output write.
    #[default]
    ScaleSim,
    /// STONNE's TPU-like output-stationary mesh (`OS_MESH`, `TPU_OS_DENSE`): the controller configures
    /// only the used rows and columns for each fold, so the wavefront crosses only those; a fold starts
    /// after the previous one's outputs are back in memory, with a fixed latency per fold
    /// ([`stonne_fold_latency`]); the total counts every cycle run.
    Stonne,
}

/// Cycles STONNE's output-stationary controller spends per fold beyond the wavefront: one cycle to
/// reconfigure the mesh, two from the controller's read to the array edge, two from the last MAC back
/// to memory; one fewer when the fold uses a single row or a single column of the mesh. Measured on
/// STONNE: a fold of `T` steps on `r × c` used PEs takes `T + r + c + 3` cycles, `T + r + c + 2` when
/// `r = 1` or `c = 1` (`validation/systolic/stonne/`).
pub fn stonne_fold_latency(used_rows: u64, used_cols: u64) -> u64 {
    if used_rows == 1 || used_cols == 1 {
        4
    } else {
        5
    }
}

/// The array and its memories. Sizes are in words of one byte (SCALE-Sim's word size).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArrayConfig {
    pub rows: u64,
    pub cols: u64,
    pub dataflow: Dataflow,
    pub ifmap_sram_kb: u64,
    pub filter_sram_kb: u64,
    pub ofmap_sram_kb: u64,
    pub interface: Interface,
    pub conventions: Conventions,
}

/// The largest array side accepted (a 4096 × 4096 array is far beyond any built one).
pub const MAX_ARRAY_SIDE: u64 = 4096;
/// The largest SRAM accepted, in kB.
pub const MAX_SRAM_KB: u64 = 1 << 24;

impl ArrayConfig {
    /// A config with SCALE-Sim's defaults for the buffers and CALC mode.
    pub fn new(rows: u64, cols: u64, dataflow: Dataflow) -> ArrayConfig {
        ArrayConfig {
            rows,
            cols,
            dataflow,
            ifmap_sram_kb: 64,
            filter_sram_kb: 64,
            ofmap_sram_kb: 64,
            interface: Interface::Calc,
            conventions: Conventions::ScaleSim,
        }
    }

    pub fn words(kb: u64) -> u64 {
        kb.saturating_mul(1024)
    }

    pub fn pes(&self) -> u64 {
        self.rows * self.cols
    }
}
