//! What can go wrong when building or running a network.

use thiserror::Error;

/// Errors of the NoC library. All are fatal for the run that raised them.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum NocError {
    /// A parameter is out of range or inconsistent with another; `key` is its BookSim name.
    #[error("{key}: {message}")]
    Parameter {
        /// The configuration key.
        key: &'static str,
        /// What is wrong, with the expected and found values.
        message: String,
    },
    /// A packet names a node that does not exist, has no destination, or no flits.
    #[error("invalid packet: {0}")]
    Packet(String),
    /// No flit moved for `idle_cycles` cycles while flits were in the network.
    #[error(
        "deadlock at cycle {cycle}: no flit moved for {idle_cycles} cycles; blocked routers (x,y): {routers}"
    )]
    Deadlock {
        /// The cycle at which the deadlock was declared.
        cycle: u64,
        /// How long nothing moved.
        idle_cycles: u64,
        /// The routers holding flits, as `(x,y)` pairs.
        routers: String,
    },
    /// A run would exceed its cycle budget.
    #[error("the run did not finish within {0} cycles")]
    CycleLimit(u64),
}
