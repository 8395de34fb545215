//! One module per subcommand; each takes validated settings and returns the exit status.

pub mod analyze;
pub mod check;
pub mod dse;
pub mod import;
pub mod simulate;
pub mod sweep;
pub mod validate;
