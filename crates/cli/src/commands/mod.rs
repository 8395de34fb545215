//! One module per subcommand; each takes validated settings and returns the exit status.

pub mod analyze;
pub mod check;
pub mod dram;
pub mod dse;
pub mod import;
pub mod merge;
pub mod noc;
pub mod simulate;
pub mod sweep;
pub mod systolic;
pub mod validate;
