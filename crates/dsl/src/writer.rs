//! The pretty-printer: a network back to `.m` text that [`crate::parse_network`] reads to the same
//! network. Names that are not plain identifiers are written in double quotes.

use crate::lexer::{is_word_char, is_word_start};
use maestro_ir::{Network, Strides};
use std::fmt::Write;

/// Writes `network` as a mapping file (a model file if no layer has a mapping). For every network that
/// `parse_network` produces, `parse_network(write_network(n)) == n`.
pub fn write_network(network: &Network) -> String {
    let mut text = String::with_capacity(network.layers.len() * 256);
    text.push_str("Network ");
    if !network.name.is_empty() {
        text.push_str(&quote_if_needed(&network.name));
        text.push(' ');
    }
    text.push_str("{\n");
    for layer in &network.layers {
        let _ = writeln!(text, "  Layer {} {{", quote_if_needed(&layer.name));
        let _ = writeln!(text, "    Type: {}", layer.layer_type.keyword());
        if layer.strides != Strides::default() {
            let _ = writeln!(
                text,
                "    Stride {{ X: {}, Y: {} }}",
                layer.strides.x, layer.strides.y
            );
        }
        let dimensions: Vec<String> = layer
            .dimensions
            .iter()
            .map(|(dim, size)| format!("{dim}: {size}"))
            .collect();
        let _ = writeln!(text, "    Dimensions {{ {} }}", dimensions.join(", "));
        if let Some(mapping) = &layer.mapping {
            text.push_str("    Dataflow {\n");
            for directive in &mapping.directives {
                let _ = writeln!(text, "      {directive};");
            }
            text.push_str("    }\n");
        }
        text.push_str("  }\n");
    }
    text.push_str("}\n");
    text
}

/// A name as one token: bare when it is a non-empty run of identifier characters, else quoted.
fn quote_if_needed(name: &str) -> String {
    let starts_a_word = name.chars().next().is_some_and(is_word_start);
    if starts_a_word && name.chars().all(is_word_char) {
        return name.to_string();
    }
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    for c in name.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{{{:X}}}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_only_when_needed() {
        assert_eq!(quote_if_needed("Conv2d-1"), "Conv2d-1");
        assert_eq!(quote_if_needed(""), "\"\"");
        assert_eq!(quote_if_needed("a b\"c\\"), "\"a b\\\"c\\\\\"");
        assert_eq!(quote_if_needed("x\u{1}"), "\"x\\u{1}\"");
    }
}
