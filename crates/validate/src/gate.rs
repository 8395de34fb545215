//! The regression gate: every case's errors against the baseline. A case fails when an error moves
//! farther than its tolerance from the baseline, when the baseline has no entry for it, or when the
//! case could not run (an unsupported topology is an error, never a pass).

use crate::baseline::{round_error, Baseline};
use crate::compare::NetworkValidation;
use crate::quantity::Quantity;
use crate::suite::Suite;
use serde::Serialize;
use std::fmt;

/// The result of running one case: its validation, or why it could not run.
#[derive(Debug)]
pub struct CaseOutcome {
    pub case: String,
    pub result: Result<NetworkValidation, String>,
}

/// One reason the gate fails.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum GateFinding {
    /// An error moved beyond its tolerance (either side may be undefined).
    Drift {
        case: String,
        layer: String,
        quantity: Quantity,
        baseline: Option<f64>,
        current: Option<f64>,
        tolerance: f64,
    },
    /// The case is not in the baseline.
    MissingCase { case: String },
    /// The layer is not in the case's baseline.
    MissingLayer { case: String, layer: String },
    /// The case could not run.
    CaseFailed { case: String, reason: String },
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "undefined".to_owned(), |value| format!("{value:+.2} %"))
}

impl fmt::Display for GateFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateFinding::Drift {
                case,
                layer,
                quantity,
                baseline,
                current,
                tolerance,
            } => write!(
                f,
                "case `{case}`, layer `{layer}`: {} error moved from {} to {} (tolerance ±{tolerance} points)",
                quantity.label(),
                percent(*baseline),
                percent(*current),
            ),
            GateFinding::MissingCase { case } => write!(
                f,
                "case `{case}` is not in the baseline; accept it with --update-baseline"
            ),
            GateFinding::MissingLayer { case, layer } => write!(
                f,
                "case `{case}`, layer `{layer}` is not in the baseline; accept it with --update-baseline"
            ),
            GateFinding::CaseFailed { case, reason } => {
                write!(f, "case `{case}` could not run: {reason}")
            }
        }
    }
}

/// What the gate found.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GateReport {
    /// Cases run and quantity comparisons checked against the baseline.
    pub cases: usize,
    pub comparisons: usize,
    pub findings: Vec<GateFinding>,
}

impl GateReport {
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Checks every outcome against the baseline with the suite's tolerances.
pub fn check_against_baseline(
    suite: &Suite,
    outcomes: &[CaseOutcome],
    baseline: &Baseline,
) -> GateReport {
    let mut report = GateReport {
        cases: outcomes.len(),
        ..GateReport::default()
    };
    for outcome in outcomes {
        let validation = match &outcome.result {
            Ok(validation) => validation,
            Err(reason) => {
                report.findings.push(GateFinding::CaseFailed {
                    case: outcome.case.clone(),
                    reason: reason.clone(),
                });
                continue;
            }
        };
        let Some(accepted) = baseline.case(&outcome.case) else {
            report.findings.push(GateFinding::MissingCase {
                case: outcome.case.clone(),
            });
            continue;
        };
        let tolerance = suite
            .cases
            .iter()
            .find(|case| case.name == outcome.case)
            .map(|case| case.tolerance)
            .unwrap_or_default();
        for layer in &validation.layers {
            let Some(accepted_layer) = accepted.layer(&layer.layer) else {
                report.findings.push(GateFinding::MissingLayer {
                    case: outcome.case.clone(),
                    layer: layer.layer.clone(),
                });
                continue;
            };
            for comparison in &layer.quantities {
                report.comparisons += 1;
                let quantity = comparison.quantity;
                let current = comparison.error_percent.map(round_error);
                let accepted_error = accepted_layer.errors.get(&quantity).copied().flatten();
                let allowed = tolerance.get(quantity);
                let within = match (accepted_error, current) {
                    (Some(accepted_error), Some(current)) => {
                        // Both are rounded to the baseline's resolution; allow for that rounding.
                        (current - accepted_error).abs() <= allowed + 1e-9
                    }
                    (None, None) => true,
                    _ => false,
                };
                if !within {
                    report.findings.push(GateFinding::Drift {
                        case: outcome.case.clone(),
                        layer: layer.layer.clone(),
                        quantity,
                        baseline: accepted_error,
                        current,
                        tolerance: allowed,
                    });
                }
            }
        }
    }
    report
}
