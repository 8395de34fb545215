//! Number formats shared by the validation renderings, so that the table, the CSV and the Markdown
//! report print the same digits.

/// A signed error in percent with two decimals (`+1.25`), or `n/a` when it is undefined.
pub fn signed_percent(error: Option<f64>) -> String {
    match error {
        Some(error) => format!("{:+.2}", zero_if_tiny(error)),
        None => "n/a".to_owned(),
    }
}

/// An absolute error in percent with two decimals, or `n/a`.
pub fn absolute_percent(error: Option<f64>) -> String {
    match error {
        Some(error) => format!("{:.2}", zero_if_tiny(error.abs())),
        None => "n/a".to_owned(),
    }
}

/// A statistic in percent with two decimals.
pub fn percent(value: f64) -> String {
    format!("{:.2}", zero_if_tiny(value))
}

/// A count or cycle number: integers as integers, anything else with three decimals.
pub fn amount(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.3}")
    }
}

/// A gap in cycles, signed, rounded to whole cycles.
pub fn signed_cycles(value: f64) -> String {
    let rounded = value.round();
    if rounded == 0.0 {
        "0".to_owned()
    } else {
        format!("{rounded:+.0}")
    }
}

/// Avoids printing `-0.00` for values that round to zero.
fn zero_if_tiny(value: f64) -> f64 {
    if value.abs() < 0.005 {
        0.0
    } else {
        value
    }
}

/// A statistic of a quantity, or `n/a` when no layer has a defined error for it.
pub fn stat(summary: &maestro_validate::QuantitySummary, value: f64) -> String {
    if summary.layers == 0 {
        "n/a".to_owned()
    } else {
        percent(value)
    }
}
