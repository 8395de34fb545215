//! Rendering of cost reports — the reference's CSV layout, JSON and a terminal table — and of the
//! network summary of `maestro check`. Rendering only:
//! functions return strings or write to a caller-supplied `io::Write`; this crate opens no files.

pub mod c_format;
pub mod cell;
pub mod csv;
pub mod json;
mod plot_style;
pub mod sim;
pub mod study;
pub mod summary;
pub mod table;
pub mod totals;
pub mod validation;

pub use c_format::{format_g, CReal};
pub use csv::{csv_row, render_csv, write_csv, CSV_HEADER};
pub use json::{render_json, write_json, JsonReport};
pub use summary::render_network_summary;
pub use table::{render_table, write_table};
pub use totals::NetworkTotals;

#[cfg(test)]
mod tests;
