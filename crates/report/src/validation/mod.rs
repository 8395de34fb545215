//! Rendering of validation results (`maestro validate`): a terminal table with the summary, a CSV
//! with one row per layer, JSON, a Markdown report, and SVG plots. Rendering only: every function
//! returns a string.

pub mod csv;
pub mod format;
pub mod json;
pub mod markdown;
pub mod plots;
pub mod table;

pub use self::csv::render_validation_csv;
pub use self::json::{render_suite_json, render_validation_json, SuiteCaseJson};
pub use self::markdown::{render_suite_markdown, render_validation_markdown, PlotFiles, SuiteCase};
pub use self::plots::{error_per_layer_svg, runtime_scatter_svg, stall_breakdown_svg, PlotError};
pub use self::table::{
    render_gate, render_suite_overview, render_validation_table, SuiteOverviewRow,
};

#[cfg(test)]
mod tests;
