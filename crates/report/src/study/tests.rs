//! Formatting rules of the study renderings.

use super::format::{field, number, percent};

#[test]
fn numbers_are_short_and_stable() {
    assert_eq!(number(1.5), "1.5");
    assert_eq!(number(2.0), "2");
    assert_eq!(number(0.1234567), "0.123457");
    assert_eq!(number(-0.0000001), "0");
    assert_eq!(number(f64::NAN), "");
    assert_eq!(number(24731929.324715), "24731929");
    assert_eq!(percent(0.12345), "12.35");
}

#[test]
fn csv_fields_are_quoted_only_when_needed() {
    assert_eq!(field("distribution bus"), "distribution bus");
    assert_eq!(field("a,b"), "\"a,b\"");
    assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
}
