//! What the corrected model reports beyond the reference's columns: per-tensor traffic at every buffer
//! level, NoC elements sent and delivered, off-chip traffic, and the runtime's breakdown.

use serde::{Deserialize, Serialize};

/// Extra numbers of the corrected model for one layer (absent in `--compat` mode).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LayerDetail {
    /// Warnings that do not stop the analysis (e.g. an L1 smaller than one step's tiles).
    pub warnings: Vec<String>,
}
