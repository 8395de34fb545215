//! Studies over the engines: hardware parameter sweeps (any TOML hardware field × dataflows × layers,
//! on the analytical model, the simulator or both), a NoC contention study on top of them, and a
//! hardware design-space exploration under area and power caps with its Pareto front.
//!
//! Pure functions over the IR: the CLI reads the network and the hardware and renders the results
//! (`maestro-report`). Every result is in a fixed order — dataflows as given, then points in the
//! row-major order of the swept parameters, then layers — whatever the number of threads.

pub mod contention;
pub mod dse;
pub mod error;
pub mod front;
pub mod param;
pub mod pareto;
pub mod space;
pub mod sweep;
pub mod workload;

pub use contention::{contention_study, ContentionSeries, ContentionStudy, Knee};
pub use dse::{
    assemble_dse, evaluate_dse, plan_dse, run_dse, Dse, DseAxes, DseCandidate, DseNumbers,
    DseOutcome, DsePlan, DsePoint, DseResult, DseSummary, Objective,
};
pub use error::StudyError;
pub use front::{simulate_front, FrontSimulation};
pub use param::{Param, ParamSpec, ParamValue};
pub use space::SweepSpace;
pub use sweep::{
    for_each_sweep_point, run_sweep, sweep_frame, Engine, PointResult, Shard, Sweep, SweepOptions,
    SweepResult,
};
pub use workload::{select_layers, Dataflow, Workload};
