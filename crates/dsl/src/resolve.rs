//! Resolution of values: integer literals (strictly positive, at most `limits::MAX_SIZE`), constants
//! (`Constant NAME VALUE;`, global to the file) and `Sz(D)` (the declared size of `D` in the layer, or
//! the size derived from its input/output alias).

use crate::ast::{FileAst, Value};
use crate::diagnostic::{shorten, Sink};
use crate::span::Span;
use maestro_ir::limits::MAX_SIZE;
use maestro_ir::{Dim, Strides};
use std::collections::HashMap;

/// "the size of D" for each dimension, without formatting on the hot path.
pub(crate) fn size_of(dim: Dim) -> &'static str {
    match dim {
        Dim::N => "the size of N",
        Dim::K => "the size of K",
        Dim::C => "the size of C",
        Dim::R => "the size of R",
        Dim::S => "the size of S",
        Dim::Y => "the size of Y",
        Dim::X => "the size of X",
        Dim::OutY => "the size of Y'",
        Dim::OutX => "the size of X'",
        Dim::G => "the size of G",
        Dim::M => "the size of M",
    }
}

pub(crate) const DIM_NAMES: &str = "N, K, C, R, S, Y, X, Y', X', G or M";

/// The file's constants by name.
#[derive(Debug, Default)]
pub(crate) struct Constants {
    values: HashMap<String, (u64, Span)>,
}

impl Constants {
    pub(crate) fn collect(file: &FileAst<'_>, sink: &mut Sink) -> Constants {
        let mut constants = Constants::default();
        for constant in &file.constants {
            let Some(value) = resolve(
                &constant.value,
                "the constant's value",
                None,
                &constants,
                sink,
            ) else {
                continue;
            };
            let name = constant.name.text.to_string();
            if let Some(&(_, first)) = constants.values.get(&name) {
                sink.push(
                    constant.name.span,
                    format!("constant `{}` is defined twice", shorten(&name)),
                    "second definition".to_string(),
                    Some("give each constant one definition".to_string()),
                    vec![(first, "first definition".to_string())],
                );
                continue;
            }
            constants.values.insert(name, (value, constant.name.span));
        }
        constants
    }
}

/// What `Sz(D)` can see: the layer's declared dimensions and strides.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SizeScope<'s> {
    pub layer_name: &'s str,
    pub dimensions: &'s [(Dim, u64)],
    pub strides: Strides,
}

impl SizeScope<'_> {
    fn declared(&self, dim: Dim) -> Option<u64> {
        self.dimensions
            .iter()
            .find(|(declared, _)| *declared == dim)
            .map(|&(_, size)| size)
    }

    /// The size of an undeclared output coordinate from its input coordinate (`Y' = (Y − R) / σ + 1`) or
    /// of an undeclared input coordinate from its output coordinate (`Y = (Y' − 1) · σ + R`).
    fn derived(&self, dim: Dim) -> Result<u64, String> {
        let (input, output, filter, stride) = match dim {
            Dim::OutY | Dim::Y => (Dim::Y, Dim::OutY, Dim::R, self.strides.y),
            Dim::OutX | Dim::X => (Dim::X, Dim::OutX, Dim::S, self.strides.x),
            _ => {
                return Err(format!(
                    "dimension {dim} is not declared in layer `{}`",
                    shorten(self.layer_name)
                ))
            }
        };
        let alias = if dim == input { output } else { input };
        let (Some(alias_size), Some(filter_size)) = (self.declared(alias), self.declared(filter))
        else {
            return Err(format!(
                "dimension {dim} is not declared in layer `{}`, and cannot be derived (it needs {alias} and {filter})",
                shorten(self.layer_name)
            ));
        };
        if dim == output {
            if alias_size < filter_size {
                return Err(format!("cannot derive {dim}: {input} ({alias_size}) is smaller than {filter} ({filter_size})"));
            }
            Ok((alias_size - filter_size) / stride.max(1) + 1)
        } else {
            (alias_size - 1)
                .checked_mul(stride)
                .and_then(|size| size.checked_add(filter_size))
                .filter(|&size| size <= MAX_SIZE)
                .ok_or_else(|| format!("the derived size of {dim} exceeds the limit {MAX_SIZE}"))
        }
    }
}

/// Resolves a value to a number in `1..=MAX_SIZE`, reporting why not. `scope` is `None` where `Sz()` is
/// not allowed (dimensions, strides, constants).
pub(crate) fn resolve(
    value: &Value<'_>,
    what: &str,
    scope: Option<&SizeScope<'_>>,
    constants: &Constants,
    sink: &mut Sink,
) -> Option<u64> {
    match value {
        Value::Number { text, span } => number(text, *span, what, sink),
        Value::Constant(name) => match constants.values.get(name.text.as_ref()) {
            Some(&(value, _)) => Some(value),
            None => {
                let as_dim = Dim::from_name(&name.text).is_some();
                let help = if as_dim && scope.is_some() {
                    format!("to use the size of dimension {0}, write `Sz({0})`; to name a constant, define it at top level with `Constant {0} VALUE;`", name.text)
                } else {
                    format!("expected a positive integer or a constant defined at top level with `Constant {} VALUE;`", shorten(&name.text))
                };
                sink.error(
                    name.span,
                    format!(
                        "undefined constant `{}` used as {what}",
                        shorten(&name.text)
                    ),
                    Some(help),
                );
                None
            }
        },
        Value::SizeOf { dim, span } => {
            let Some(scope) = scope else {
                sink.error(
                    *span,
                    format!("`Sz()` cannot be used as {what}"),
                    Some("expected a positive integer or a constant".to_string()),
                );
                return None;
            };
            let Some(parsed) = Dim::from_name(&dim.text) else {
                sink.error(
                    dim.span,
                    format!("unknown dimension `{}` in `Sz()`", shorten(&dim.text)),
                    Some(format!("expected one of {DIM_NAMES}")),
                );
                return None;
            };
            if let Some(size) = scope.declared(parsed) {
                return Some(size);
            }
            match scope.derived(parsed) {
                Ok(size) => Some(size),
                Err(reason) => {
                    sink.error(
                        *span,
                        format!("`Sz({parsed})` is unknown: {reason}"),
                        Some("declare the dimension in `Dimensions`".to_string()),
                    );
                    None
                }
            }
        }
    }
}

/// A literal: digits only, value in `1..=MAX_SIZE`.
pub(crate) fn number(text: &str, span: Span, what: &str, sink: &mut Sink) -> Option<u64> {
    // Built only on the error paths: this function runs for every number of a file.
    let expected = || format!("expected a positive integer from 1 to {MAX_SIZE}");
    if let Some(digits) = text.strip_prefix('-') {
        if !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()) {
            sink.error(
                span,
                format!("{what} is negative: `{}`", shorten(text)),
                Some(expected()),
            );
            return None;
        }
    }
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        sink.error(
            span,
            format!("{what} is not a number: `{}`", shorten(text)),
            Some(expected()),
        );
        return None;
    }
    let mut value: u64 = 0;
    for byte in text.bytes() {
        value = match value
            .checked_mul(10)
            .and_then(|value| value.checked_add(u64::from(byte - b'0')))
        {
            Some(value) if value <= MAX_SIZE => value,
            _ => {
                sink.error(
                    span,
                    format!("{what} is too large: `{}`", shorten(text)),
                    Some(expected()),
                );
                return None;
            }
        };
    }
    if value == 0 {
        sink.error(
            span,
            format!("{what} must be at least 1, found 0"),
            Some(expected()),
        );
        return None;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_number(text: &str) -> Result<u64, String> {
        let mut sink = Sink::new("t.m", text);
        match number(text, Span::new(0, text.len()), "size", &mut sink) {
            Some(value) => Ok(value),
            None => Err(sink
                .finish()
                .and_then(|d| d.iter().next().map(|d| d.message().to_string()))
                .unwrap_or_default()),
        }
    }

    #[test]
    fn numbers_are_strict() {
        assert_eq!(check_number("64"), Ok(64));
        assert_eq!(check_number("2147483647"), Ok(MAX_SIZE));
        assert_eq!(
            check_number("-3"),
            Err("size is negative: `-3`".to_string())
        );
        assert_eq!(
            check_number("0"),
            Err("size must be at least 1, found 0".to_string())
        );
        assert_eq!(
            check_number("64abc"),
            Err("size is not a number: `64abc`".to_string())
        );
        assert_eq!(
            check_number("2147483648"),
            Err("size is too large: `2147483648`".to_string())
        );
        assert_eq!(
            check_number("99999999999999999999999"),
            Err("size is too large: `99999999999999999999999`".to_string())
        );
    }

    #[test]
    fn sizes_derive_across_input_and_output_coordinates() {
        let dimensions = [(Dim::R, 3), (Dim::Y, 224), (Dim::S, 7), (Dim::OutX, 10)];
        let scope = SizeScope {
            layer_name: "L",
            dimensions: &dimensions,
            strides: Strides { y: 2, x: 3 },
        };
        assert_eq!(scope.derived(Dim::OutY), Ok(111));
        assert_eq!(scope.derived(Dim::X), Ok(9 * 3 + 7));
        assert!(scope.derived(Dim::K).is_err());
    }
}
