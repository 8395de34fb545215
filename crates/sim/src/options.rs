//! Simulation options (the builder's knobs).

/// Options of a simulation. `Default` gives the documented defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimOptions {
    /// Simulate even if one step's tiles exceed L1 or a working set exceeds L2 (no double buffering then).
    pub ignore_capacity: bool,
    /// Allow double buffering in L1 when it has room for two steps' tiles.
    pub double_buffering: bool,
    /// Replay identical steady-state steps in closed form (exact; see `executor`). Off when tracing.
    pub skip_steady_state: bool,
    /// The watchdog: a step whose work spans more cycles than this is reported as stalled.
    pub watchdog_cycles: u64,
    /// Worker threads for `simulate_network` (layers are independent; results keep layer order).
    pub threads: usize,
    /// A wall-clock deadline chosen by the caller (a time limit): a layer still running then stops
    /// with `SimError::Stopped`, naming the step it reached. `None`: no limit.
    pub deadline: Option<std::time::Instant>,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            ignore_capacity: false,
            double_buffering: true,
            skip_steady_state: true,
            watchdog_cycles: 1 << 40,
            threads: 2,
            deadline: None,
        }
    }
}
