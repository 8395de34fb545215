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
        }
    }

    pub fn words(kb: u64) -> u64 {
        kb.saturating_mul(1024)
    }

    pub fn pes(&self) -> u64 {
        self.rows * self.cols
    }
}
