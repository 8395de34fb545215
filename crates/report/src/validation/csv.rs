//! The validation CSV: a header, then one row per layer with, for every quantity, the analytical and
//! simulated values and the signed and absolute error (`Analytical Runtime (Cycles)`, `Simulated
//! Runtime (Cycles)`, `Runtime Error (%)`, `Runtime Absolute Error (%)`, ...); the reference-compatible
//! values when they were computed; and the runtime gap per bucket.

use super::format::{absolute_percent, amount, signed_cycles, signed_percent};
use maestro_validate::{GapBucket, NetworkValidation, Quantity};

/// Renders the CSV; every line ends in `\n`. Undefined errors are empty fields.
pub fn render_validation_csv(validation: &NetworkValidation) -> String {
    let mut header = vec!["Network".to_owned(), "Layer".to_owned(), "Type".to_owned()];
    for quantity in Quantity::ALL {
        let (label, unit) = (quantity.label(), quantity.unit());
        header.push(format!("Analytical {label} ({unit})"));
        header.push(format!("Simulated {label} ({unit})"));
        header.push(format!("{label} Error (%)"));
        header.push(format!("{label} Absolute Error (%)"));
    }
    if validation.compat {
        for quantity in Quantity::ALL {
            let (label, unit) = (quantity.label(), quantity.unit());
            header.push(format!("Compat {label} ({unit})"));
            header.push(format!("Compat {label} Error (%)"));
        }
    }
    for bucket in GapBucket::ALL {
        header.push(format!("Gap {} (Cycles)", capitalised(bucket.label())));
    }
    header.push("Gap Mostly In".to_owned());
    let mut text = line(&header);
    for layer in &validation.layers {
        let mut row = vec![
            validation.network.clone(),
            layer.layer.clone(),
            layer.layer_type.clone(),
        ];
        for quantity in Quantity::ALL {
            match layer.quantity(quantity) {
                Some(q) => {
                    row.push(amount(q.analytical));
                    row.push(amount(q.simulated));
                    row.push(defined(signed_percent(q.error_percent)));
                    row.push(defined(absolute_percent(q.error_percent)));
                }
                None => row.extend(std::iter::repeat(String::new()).take(4)),
            }
        }
        if validation.compat {
            for quantity in Quantity::ALL {
                let q = layer.quantity(quantity);
                row.push(q.and_then(|q| q.compat).map_or_else(String::new, amount));
                row.push(defined(signed_percent(
                    q.and_then(|q| q.compat_error_percent),
                )));
            }
        }
        for bucket in GapBucket::ALL {
            row.push(signed_cycles(layer.attribution.gap.get(bucket)));
        }
        row.push(
            layer
                .attribution
                .dominant()
                .map_or_else(String::new, |bucket| bucket.label().to_owned()),
        );
        text.push_str(&line(&row));
    }
    text
}

fn defined(text: String) -> String {
    if text == "n/a" {
        String::new()
    } else {
        text
    }
}

fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One CSV line; fields with a comma, a quote or a line break are quoted (RFC 4180).
fn line(fields: &[String]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|field| {
            if field.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field.clone()
            }
        })
        .collect();
    let mut text = quoted.join(",");
    text.push('\n');
    text
}
