//! Rendering of simulation reports (`maestro simulate`): a terminal table, CSV whose shared columns
//! carry the names of the cost model's CSV, and JSON.

mod csv;
mod json;
mod table;
#[cfg(test)]
mod tests;

pub use csv::{render_sim_csv, sim_csv_row, SIM_CSV_HEADER};
pub use json::{render_sim_json, SimJsonReport, SimTotals};
pub use table::render_sim_table;
