//! The JSON report: every layer's reference-shaped row plus the network totals, pretty-printed.

use crate::totals::NetworkTotals;
use maestro_cost::NetworkCost;
use serde::Serialize;
use std::io;

/// The document written by `--format json`. Non-finite reals (which JSON cannot express) become `null`.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    #[serde(flatten)]
    pub cost: &'a NetworkCost,
    pub totals: NetworkTotals,
}

/// Renders the report as pretty-printed JSON followed by a line break.
pub fn render_json(cost: &NetworkCost) -> String {
    let report = JsonReport {
        cost,
        totals: NetworkTotals::of(cost),
    };
    // The report holds only strings, numbers and sequences with string keys, which always serialise.
    let mut text = serde_json::to_string_pretty(&report).expect("a cost report always serialises");
    text.push('\n');
    text
}

/// Writes [`render_json`]'s text to `out`.
pub fn write_json(cost: &NetworkCost, out: &mut impl io::Write) -> io::Result<()> {
    out.write_all(render_json(cost).as_bytes())
}
