//! Integration tests of maestro-dsl, in one binary: golden diagnostics over `tests/bad`, golden
//! normalised output over `tests/good`, a no-panic fuzz test and a write/parse round-trip property.

mod files;
mod fuzz;
mod round_trip;
mod text;

/// The proptest case count: `PROPTEST_CASES` if set (for long local runs), else `default`.
pub fn case_count(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}
