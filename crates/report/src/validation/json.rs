//! The validation JSON: every comparison, attribution and statistic, pretty-printed; for a suite, one
//! entry per case with its result or its failure, and the gate's verdict.

use maestro_validate::{GateReport, NetworkValidation};
use serde::Serialize;

/// Renders one network's validation as pretty JSON followed by a line break.
pub fn render_validation_json(validation: &NetworkValidation) -> String {
    to_pretty(validation)
}

/// One case of a suite in the JSON report.
#[derive(Debug, Serialize)]
pub struct SuiteCaseJson<'a> {
    pub case: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<&'a NetworkValidation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
}

#[derive(Serialize)]
struct SuiteJson<'a> {
    cases: &'a [SuiteCaseJson<'a>],
    #[serde(skip_serializing_if = "Option::is_none")]
    gate: Option<&'a GateReport>,
}

/// Renders a suite run as pretty JSON followed by a line break.
pub fn render_suite_json(cases: &[SuiteCaseJson<'_>], gate: Option<&GateReport>) -> String {
    to_pretty(&SuiteJson { cases, gate })
}

fn to_pretty(value: &impl Serialize) -> String {
    // Non-finite reals become `null`; everything else here is a string, a number or a sequence.
    let mut text =
        serde_json::to_string_pretty(value).expect("a validation report always serialises");
    text.push('\n');
    text
}
