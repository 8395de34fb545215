//! Real numbers in the C++ default stream format (`printf("%g")` with 6 significant digits), which is
//! how the reference prints every real column; reproducing it byte for byte keeps CSVs diffable.

use std::fmt;

/// Significant digits of the C++ default stream precision.
const PRECISION: i32 = 6;

/// A real that displays like C's `printf("%g", value)`.
///
/// Every NaN displays as `-nan`: the reference's NaNs come from `0.0 / 0.0` evaluated at run time on x86,
/// which yields a NaN with the sign bit set, and glibc prints that as `-nan`. Our NaNs may come from a
/// constant with the sign bit clear, so the sign bit is deliberately not consulted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CReal(pub f64);

impl fmt::Display for CReal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_g(self.0))
    }
}

/// Formats `value` like C's `printf("%g", value)`.
pub fn format_g(value: f64) -> String {
    if value.is_nan() {
        return "-nan".to_owned();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-inf" } else { "inf" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    if let Some(text) = format_g_integral(value) {
        return text;
    }
    format_g_general(value)
}

/// Largest magnitude below which every integral `f64` is an exact integer that `u64` holds.
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// `%g` of an integral value in exact integer arithmetic (most of the reference's real columns are
/// counts): the decimal digits are the integer's own, so rounding to six significant digits is a
/// division with ties to even, as glibc rounds an exact decimal. `None` for other values.
fn format_g_integral(value: f64) -> Option<String> {
    if value.fract() != 0.0 || value.abs() >= EXACT_INTEGER_LIMIT {
        return None;
    }
    let sign = if value < 0.0 { "-" } else { "" };
    // Exact: the value is integral and below 2^53.
    let magnitude = value.abs() as u64;
    let limit = 10_u64.pow(PRECISION as u32);
    if magnitude < limit {
        return Some(format!("{sign}{magnitude}"));
    }
    let digits = magnitude.ilog10() + 1;
    let dropped = digits - PRECISION as u32;
    let divisor = 10_u64.pow(dropped);
    let mut kept = magnitude / divisor;
    let remainder = magnitude % divisor;
    let half = divisor / 2;
    if remainder > half || (remainder == half && kept % 2 == 1) {
        kept += 1;
    }
    let mut exponent = digits - 1;
    if kept == limit {
        kept /= 10;
        exponent += 1;
    }
    let kept = kept.to_string();
    let (lead, fraction) = kept.split_at(1);
    let fraction = fraction.trim_end_matches('0');
    let point = if fraction.is_empty() { "" } else { "." };
    Some(format!("{sign}{lead}{point}{fraction}e+{exponent:02}"))
}

/// `%g` through the standard library's exact float formatting: any finite non-zero value. One exact
/// `%e`-style rendering gives both the six significant digits and the exponent after rounding; fixed
/// notation places the same digits around the decimal point (rounding at six significant digits is the
/// same position in both notations, carries included).
fn format_g_general(value: f64) -> String {
    let scientific = format!("{:.*e}", (PRECISION - 1) as usize, value);
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` writes a decimal exponent");
    if !(-4..PRECISION).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!(
            "{}e{sign}{:02}",
            strip_fraction_zeros(mantissa),
            exponent.abs()
        );
    }
    let (sign, unsigned) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = unsigned.chars().filter(char::is_ascii_digit).collect();
    let fixed = if exponent >= 0 {
        let (integer, fraction) = digits.split_at(exponent as usize + 1);
        format!("{sign}{integer}.{fraction}")
    } else {
        let zeros = "0".repeat((-exponent - 1) as usize);
        format!("{sign}0.{zeros}{digits}")
    };
    strip_fraction_zeros(&fixed).to_owned()
}

/// Removes trailing zeros after a decimal point, and the point itself if nothing follows it (`%g`
/// without the `#` flag).
fn strip_fraction_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The straightforward two-pass rendering (`%e` for the exponent, then fixed notation with the
    /// matching number of decimals): the oracle for the one-pass path.
    fn two_pass(value: f64) -> String {
        let scientific = format!("{:.*e}", (PRECISION - 1) as usize, value);
        let (mantissa, exponent) = scientific.split_once('e').unwrap();
        let exponent: i32 = exponent.parse().unwrap();
        if (-4..PRECISION).contains(&exponent) {
            let decimals = (PRECISION - 1 - exponent) as usize;
            strip_fraction_zeros(&format!("{value:.decimals$}")).to_owned()
        } else {
            let sign = if exponent < 0 { '-' } else { '+' };
            format!(
                "{}e{sign}{:02}",
                strip_fraction_zeros(mantissa),
                exponent.abs()
            )
        }
    }

    /// Each expected string is what C's `printf("%g", x)` prints (checked with Python's `'%g' % x`,
    /// which calls the C library's formatter).
    fn check(value: f64, expected: &str) {
        assert_eq!(format_g(value), expected, "format_g({value:?})");
    }

    #[test]
    fn values_from_reference_rows() {
        check(1.066_66e-8, "1.06666e-08");
        check(419_055_000.0, "4.19055e+08");
        check(0.8125, "0.8125");
        check(100.0 / 3.0, "33.3333");
        check(4366.757, "4366.76");
        check(7_633_420.0, "7.63342e+06");
        check(1.0202, "1.0202");
        check(99.02, "99.02");
        check(2.29003e11, "2.29003e+11");
    }

    #[test]
    fn integers_switch_to_scientific_at_a_million() {
        check(1.0, "1");
        check(150.0, "150");
        check(999_999.0, "999999");
        check(1_000_000.0, "1e+06");
        check(999_999.5, "1e+06");
        check(9_999_995.0, "1e+07");
        check(9_999_985.0, "9.99998e+06");
        check(123_456_789.0, "1.23457e+08");
        check(-42.0, "-42");
    }

    #[test]
    fn small_numbers_switch_to_scientific_below_1e_minus_4() {
        check(0.0001, "0.0001");
        check(0.000_123_456_7, "0.000123457");
        check(0.000_099_999_99, "0.0001");
        check(0.000_099_999, "9.9999e-05");
        check(1e-300, "1e-300");
        check(5e-324, "4.94066e-324");
    }

    #[test]
    fn rounding_carries_into_the_exponent() {
        check(9.999_995, "10");
        check(9.999_994, "9.99999");
        check(0.999_999_5, "1");
        check(99_999.95, "99999.9");
        check(1.797_693_134_862_315_7e308, "1.79769e+308");
        check(1e100, "1e+100");
    }

    #[test]
    fn exact_ties_round_to_even_like_glibc() {
        check(1_234_565.0, "1.23456e+06");
        check(1_234_575.0, "1.23458e+06");
        check(12_345_650.0, "1.23456e+07");
        check(100_000.5, "100000");
        check(100_001.5, "100002");
    }

    #[test]
    fn special_values() {
        check(0.0, "0");
        check(-0.0, "-0");
        check(f64::INFINITY, "inf");
        check(f64::NEG_INFINITY, "-inf");
        check(f64::NAN, "-nan");
        check(-f64::NAN, "-nan");
    }

    #[test]
    fn fractions_lose_trailing_zeros() {
        check(0.5, "0.5");
        check(2.5, "2.5");
        check(12.0625, "12.0625");
        check(1.5e-5, "1.5e-05");
        check(-0.001_234_5, "-0.0012345");
        check(151.25, "151.25");
        check(14.557_9, "14.5579");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The integer fast path prints exactly what the general path prints, for every integral value
        /// it takes (ties and carries included, by drawing values near rounding boundaries too).
        #[test]
        fn integral_fast_path_matches_the_general_path(
            integer in 1_u64..9_007_199_254_740_992,
            negative in proptest::bool::ANY,
        ) {
            let sign = if negative { -1.0 } else { 1.0 };
            // The integer itself and, at every rounding position, the exact tie and its neighbours.
            let mut candidates = vec![integer];
            for position in 1..16 {
                let unit = 10_u64.pow(position);
                let tie = integer / unit * unit + unit / 2;
                candidates.extend([tie - 1, tie, tie + 1]);
            }
            for candidate in candidates {
                let value = candidate as f64 * sign;
                if let Some(fast) = format_g_integral(value) {
                    proptest::prop_assert_eq!(fast, format_g_general(value), "{}", value);
                }
            }
        }

        /// The one-pass rendering equals the two-pass one on any finite value, and on values near the
        /// notation boundaries and rounding carries.
        #[test]
        fn one_pass_matches_two_pass(
            value in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL,
            scale in -6_i32..8,
        ) {
            let near_boundary = 9.999_995 * 10_f64.powi(scale) * (1.0 + value.fract() * 1e-6);
            for candidate in [value, near_boundary, -near_boundary] {
                if candidate.is_finite() && candidate != 0.0 {
                    proptest::prop_assert_eq!(format_g_general(candidate), two_pass(candidate), "{:e}", candidate);
                }
            }
        }

        /// Whatever the notation, the text reads back as the value to within the rounding of 6
        /// significant digits.
        #[test]
        fn text_reads_back_within_six_significant_digits(value in proptest::num::f64::NORMAL) {
            let text = format_g(value);
            let read_back: f64 = text.parse().expect("format_g writes a number Rust can read");
            proptest::prop_assert!(((read_back - value) / value).abs() <= 5e-6, "{value} -> {text}");
        }
    }

    #[test]
    fn display_matches_the_function() {
        assert_eq!(CReal(33.333_333).to_string(), "33.3333");
    }
}
