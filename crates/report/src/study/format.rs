//! Number and CSV-field formatting shared by the study renderings.

/// A float with at most six decimals (none from 10⁴ on, where they are noise), trailing zeros
/// dropped: stable across platforms.
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    if value.abs() >= 1e4 {
        return format!("{value:.0}");
    }
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// A percentage with two decimals.
pub fn percent(share: f64) -> String {
    format!("{:.2}", share * 100.0)
}

/// A signed percentage with two decimals; empty when there is none.
pub fn signed(value: Option<f64>) -> String {
    value.map_or_else(String::new, |value| format!("{value:+.2}"))
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
