//! Why a simulation cannot run or could not finish.

use maestro_ir::{ExpansionError, PeId};
use thiserror::Error;

/// Every failure of the simulator. All are fatal for the layer being simulated; a network simulation
/// stops at the first failing layer and names it.
#[derive(Debug, Error)]
pub enum SimError {
    /// A hardware parameter makes simulation meaningless (zero bandwidth, zero PEs, ...).
    #[error("invalid hardware: {0}")]
    Hardware(String),
    /// The mapping does not define a valid iteration space (the shared expansion's verdict).
    #[error(transparent)]
    Expansion(#[from] ExpansionError),
    /// One step's tiles do not fit in a PE's L1 (raised unless capacity is ignored).
    #[error(
        "layer `{layer}`: one step needs {required} elements of L1 per PE, but L1 holds {capacity}"
    )]
    L1TooSmall {
        layer: String,
        required: u64,
        capacity: u64,
    },
    /// One top-level step's working set does not fit in L2 (raised unless capacity is ignored).
    #[error("layer `{layer}`: one top-level step needs {required} elements of L2, but L2 holds {capacity}")]
    L2TooSmall {
        layer: String,
        required: u64,
        capacity: u64,
    },
    /// The watchdog saw no progress: these units did not finish their step in time.
    #[error(
        "layer `{layer}`: no progress at step {step} after cycle {cycle}; stuck units: {stuck:?}"
    )]
    Stalled {
        layer: String,
        step: u64,
        cycle: u64,
        stuck: Vec<PeId>,
    },
    /// A count or a time left the `u64` range.
    #[error("layer `{layer}`: arithmetic overflow while {what}")]
    Overflow { layer: String, what: &'static str },
    /// The simulator's state for this layer does not fit in memory (the allocation was refused).
    #[error("layer `{layer}`: not enough memory for the {what} ({bytes} bytes)")]
    OutOfMemory {
        layer: String,
        what: &'static str,
        bytes: u64,
    },
    /// The caller's step observer stopped the layer (a time limit, an interruption).
    #[error("layer `{layer}`: stopped at step {step} of {steps}")]
    Stopped {
        layer: String,
        step: u64,
        steps: u64,
    },
    /// The trace sink failed to write.
    #[error("trace output failed: {0}")]
    Trace(#[from] std::io::Error),
}
