//! Trace output: an observer trait, and a JSON-lines implementation over any `std::io::Write` (the library
//! opens no files; the caller supplies the writer).

use crate::geometry::TensorBox;
use maestro_ir::Tensor;
use serde::Serialize;
use std::io::Write;

/// One observable event of a simulation.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TraceEvent<'a> {
    /// A layer begins (network traces hold their layers one after another).
    Layer { layer: &'a str },
    /// A step of the loop nest begins being processed.
    Step { step: u64 },
    /// Data moved from L2 to PEs (`start` is when the transfer was ready to go).
    Distribution {
        step: u64,
        tensor: Tensor,
        elements: u64,
        destinations: &'a [u32],
        start: u64,
        arrival: u64,
    },
    /// A PE computed a step.
    Compute {
        step: u64,
        pe: u32,
        macs: u64,
        start: u64,
        end: u64,
    },
    /// An output tile moved from PEs to L2.
    Collection {
        step: u64,
        elements: u64,
        sources: &'a [u32],
        final_output: bool,
        output_box: &'a TensorBox,
        start: u64,
        arrival: u64,
    },
    /// Data moved between off-chip memory and L2.
    Offchip {
        step: u64,
        elements: u64,
        write: bool,
        start: u64,
        arrival: u64,
    },
}

/// Receives trace events. Implementations decide what to keep.
pub trait TraceSink {
    fn record(&mut self, event: &TraceEvent<'_>) -> std::io::Result<()>;
}

/// Writes one JSON object per line.
#[derive(Debug)]
pub struct JsonLinesTrace<W: Write> {
    writer: W,
}

impl<W: Write> JsonLinesTrace<W> {
    pub fn new(writer: W) -> Self {
        JsonLinesTrace { writer }
    }

    pub fn into_inner(self) -> W {
        self.writer
    }
}

impl<W: Write> TraceSink for JsonLinesTrace<W> {
    fn record(&mut self, event: &TraceEvent<'_>) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.writer, event)?;
        self.writer.write_all(b"\n")
    }
}
