//! A small deterministic discrete-event kernel for the simulated hardware.
//!
//! A model is a set of components (typed indices into one vector, no pointer graph) that exchange
//! messages. A message is an event: it is delivered to one input port of one component at one cycle.
//! Events at the same cycle are delivered in the order they were scheduled (the queue key is
//! `(cycle, sequence)`), so a run is deterministic by construction. A component that has nothing to
//! do schedules nothing and costs nothing until a message wakes it; a component that waits for time
//! to pass sends a message to itself. Build the model, seed it with events, then run it:
//!
//! - [`queue`]: the `(cycle, sequence)` priority queue;
//! - [`kernel`]: components, ports, the outbox a component sends through, and the run loop with its
//!   limits (a run never hangs: it ends when no event is left, at a time horizon, or with an error
//!   after an event budget);
//! - [`parts`]: building blocks the hardware models share: a pipelined link with a bandwidth and a
//!   latency per hop, and a credit counter for a finite buffer that back-pressures its producer.

pub mod kernel;
pub mod parts;
pub mod queue;

pub use kernel::{
    Component, ComponentId, KernelError, Outbox, PortId, RunLimits, RunSummary, Simulation,
};
pub use queue::EventQueue;

/// Simulated time, in cycles of the accelerator clock.
pub type Cycle = u64;
