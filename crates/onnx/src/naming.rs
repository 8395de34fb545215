//! Layer names: node names sanitised to the `.m` identifier characters, made unique.

use std::collections::HashSet;

/// Keeps the characters a `.m` identifier may hold (letters, digits, `_`, `.`, `-`), turns every
/// other run into one `_`, and trims separators at both ends: `/layer1/layer1.0/conv1/Conv` becomes
/// `layer1_layer1.0_conv1_Conv`. A name that would then be empty or not start with a letter or `_`
/// is prefixed with the operator's lower-case name (`495` from a Conv becomes `conv_495`).
pub fn sanitise(raw: &str, op_type: &str) -> String {
    let mut name = String::with_capacity(raw.len());
    let mut pending_separator = false;
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
            if pending_separator && !name.is_empty() {
                name.push('_');
            }
            pending_separator = false;
            name.push(c);
        } else {
            pending_separator = true;
        }
    }
    let trimmed = name.trim_matches(|c| matches!(c, '_' | '.' | '-'));
    let starts_well = trimmed
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let prefix = op_type.to_ascii_lowercase();
    match (trimmed.is_empty(), starts_well) {
        (true, _) => prefix,
        (false, true) => trimmed.to_owned(),
        (false, false) => format!("{prefix}_{trimmed}"),
    }
}

/// Names already given in one network.
#[derive(Debug, Default)]
pub struct UniqueNames {
    used: HashSet<String>,
}

impl UniqueNames {
    /// `base` if it is free, else `base_2`, `base_3`, … (the first free one).
    pub fn claim(&mut self, base: &str) -> String {
        if self.used.insert(base.to_owned()) {
            return base.to_owned();
        }
        let mut suffix: u64 = 2;
        loop {
            let candidate = format!("{base}_{suffix}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            suffix += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitised_names() {
        for (raw, op, expected) in [
            ("conv1", "Conv", "conv1"),
            (
                "/layer1/layer1.0/conv1/Conv",
                "Conv",
                "layer1_layer1.0_conv1_Conv",
            ),
            ("  a  b ", "Conv", "a_b"),
            ("495", "Conv", "conv_495"),
            ("", "MatMul", "matmul"),
            ("/", "Gemm", "gemm"),
            ("é:x", "Gemm", "x"),
            ("-x", "Gemm", "x"),
            ("_x_", "Gemm", "x"),
        ] {
            assert_eq!(sanitise(raw, op), expected, "{raw:?}");
        }
    }

    #[test]
    fn duplicates_get_the_first_free_suffix() {
        let mut names = UniqueNames::default();
        assert_eq!(names.claim("a"), "a");
        assert_eq!(names.claim("a_2"), "a_2");
        assert_eq!(names.claim("a"), "a_3");
        assert_eq!(names.claim("a"), "a_4");
        assert_eq!(names.claim("b"), "b");
    }
}
