//! Runs the analytical model and the simulator on the same cases and compares them: per layer, the
//! signed and absolute error of runtime, energy, L2 reads, NoC elements and the L1/L2 requirements,
//! and an attribution of the runtime gap to compute, ingress, egress, off-chip, NoC contention,
//! fill/drain and edge tiles; per network, error statistics and the worst layers. Suites of cases with
//! tolerances are checked against a committed baseline (the regression gate).
//!
//! The harness only compares: it calls `maestro-cost` and `maestro-sim` through their public APIs and
//! never lets one engine see the other's numbers. It does no I/O; the CLI reads suites, workloads and
//! hardware files and passes their text or IR in.

pub mod attribution;
pub mod baseline;
pub mod compare;
pub mod error;
pub mod gate;
pub mod perturb;
pub mod quantity;
pub mod suite;
pub mod summary;

pub use attribution::{attribute_gap, BucketCycles, GapAttribution, GapBucket};
pub use baseline::{Baseline, BaselineCase, BaselineError, BaselineLayer};
pub use compare::{
    simulated_energy, validate_network, LayerComparison, NetworkValidation, QuantityComparison,
    StallShares, ValidationOptions,
};
pub use error::ValidateError;
pub use gate::{check_against_baseline, CaseOutcome, GateFinding, GateReport};
pub use perturb::Perturbation;
pub use quantity::{signed_error_percent, Quantity};
pub use suite::{parse_suite, Case, CaseInput, HardwareOverrides, Suite, SuiteError, Tolerances};
pub use summary::{ErrorStats, QuantitySummary, ValidationSummary, WorstLayer};
