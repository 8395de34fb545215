//! Renderings of the studies of `maestro-study`: sweeps (table, CSV, JSON, SVG), the NoC contention
//! report (text, JSON) and the design-space exploration (table, CSV, JSON, SVG scatter).

mod contention;
mod dse;
mod dse_part;
mod format;
mod part;
mod plots;
mod sweep;
#[cfg(test)]
mod tests;

pub use contention::{render_contention_json, render_contention_text};
pub use dse::{render_dse_csv, render_dse_json, render_dse_table};
pub use dse_part::{
    merge_dse_parts, read_dse_outcome_line, read_dse_summary_line, render_dse_outcome_line,
    render_dse_summary_line,
};
pub use part::{
    merge_parts, read_part, render_part_header, render_part_point, verify_part, PartError,
    PartHeader, PartKind, ReadPart,
};
pub use plots::{dse_scatter_svg, sweep_plot_svg};
pub use sweep::{
    render_sweep_csv, render_sweep_csv_header, render_sweep_csv_point, render_sweep_json,
    render_sweep_table,
};
