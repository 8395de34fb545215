//! Network-level sums of the per-layer numbers, shown under the terminal table and in the JSON report.

use maestro_cost::NetworkCost;
use serde::Serialize;

/// Sums over every layer of a network. Layers run one after another, so runtimes and energies add.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NetworkTotals {
    pub layers: usize,
    pub runtime_cycles: i64,
    pub energy_nj: f64,
    pub macs: i64,
    /// Total MACs over total runtime; 0 for an empty network.
    pub throughput_macs_per_cycle: f64,
}

impl NetworkTotals {
    pub fn of(cost: &NetworkCost) -> NetworkTotals {
        let rows = cost.layers.iter().map(|layer| &layer.row);
        let runtime_cycles = rows
            .clone()
            .fold(0i64, |sum, row| sum.saturating_add(row.runtime_cycles));
        let macs = rows
            .clone()
            .fold(0i64, |sum, row| sum.saturating_add(row.macs));
        let energy_nj = rows.map(|row| row.energy_nj).sum();
        let throughput_macs_per_cycle = if runtime_cycles > 0 {
            macs as f64 / runtime_cycles as f64
        } else {
            0.0
        };
        NetworkTotals {
            layers: cost.layers.len(),
            runtime_cycles,
            energy_nj,
            macs,
            throughput_macs_per_cycle,
        }
    }
}
