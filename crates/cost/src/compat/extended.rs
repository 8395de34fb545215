//! The one `long double` result the reference stores in a `double`: the quotient of two integers
//! (average NoC bandwidth, §9.3). x87 rounds the quotient to a 64-bit significand first, and the store
//! rounds again to 53 bits; a plain `f64` division rounds once and can differ in the last bit.

/// Rounds `value · 2^exponent` (with `sticky` = some non-zero bits below `value`) to `bits` significant
/// bits, nearest-even. Returns the rounded significand and its exponent.
fn round_significand(value: u128, exponent: i32, sticky: bool, bits: u32) -> (u128, i32) {
    let length = 128 - value.leading_zeros();
    if length <= bits {
        return (value, exponent);
    }
    let dropped = length - bits;
    let kept = value >> dropped;
    let remainder = value & ((1u128 << dropped) - 1);
    let half = 1u128 << (dropped - 1);
    let round_up = remainder > half || (remainder == half && (sticky || kept & 1 == 1));
    let mut significand = kept + u128::from(round_up);
    let mut exponent = exponent + dropped as i32;
    if significand >> bits != 0 {
        significand >>= 1;
        exponent += 1;
    }
    (significand, exponent)
}

/// `(long double) numerator / (long double) denominator`, stored as a `double`. Both operands are
/// converted exactly (the reference's are 64-bit integers), so only the two roundings matter.
pub(crate) fn long_double_quotient(numerator: i128, denominator: i64) -> f64 {
    // Zero operands give the IEEE results (0, ±inf, NaN); `i64::MIN` is too wide for the scaling below
    // and, being a power of two, divides without any rounding difference.
    if denominator == 0 || numerator == 0 || denominator == i64::MIN {
        return numerator as f64 / denominator as f64;
    }
    let negative = (numerator < 0) != (denominator < 0);
    let (n, d) = (
        numerator.unsigned_abs(),
        u128::from(denominator.unsigned_abs()),
    );
    let (n_bits, d_bits) = (
        (128 - n.leading_zeros()) as i32,
        (128 - d.leading_zeros()) as i32,
    );
    // Scale so the integer quotient has 65 or 66 bits: enough for 64 bits plus rounding information.
    let shift = 65 + d_bits - n_bits;
    let (quotient, remainder, exponent) = if shift >= 0 {
        let scaled = n << shift;
        (scaled / d, scaled % d, -shift)
    } else {
        let scaled = d << -shift;
        (n / scaled, n % scaled, -shift)
    };
    let (extended, exponent) = round_significand(quotient, exponent, remainder != 0, 64);
    let (double, exponent) = round_significand(extended, exponent, false, 53);
    let magnitude = double as f64 * 2f64.powi(exponent);
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::long_double_quotient;

    #[test]
    fn agrees_with_double_division_when_there_is_no_double_rounding() {
        for (numerator, denominator) in [
            (26i128, 32i64),
            (22, 6),
            (-7, 3),
            (1, 3),
            (1 << 80, 7),
            (5, -1),
        ] {
            assert_eq!(
                long_double_quotient(numerator, denominator),
                numerator as f64 / denominator as f64
            );
        }
        assert!(long_double_quotient(0, 0).is_nan());
        assert_eq!(long_double_quotient(3, 0), f64::INFINITY);
        assert_eq!(long_double_quotient(1, i64::MIN), -(2f64.powi(-63)));
        assert_eq!(long_double_quotient(i128::MAX, 1), i128::MAX as f64);
    }

    /// Quotients whose 64-bit rounding lands exactly between two doubles (found with exact rational
    /// arithmetic): the reference's value differs from a direct `f64` division in the last bit.
    #[test]
    fn reproduces_the_double_rounding() {
        assert_eq!(
            long_double_quotient(1_079_664_630_595, 341_968),
            3157209.5359653533
        );
        assert_eq!(1_079_664_630_595f64 / 341_968f64, 3157209.5359653537);
        assert_eq!(
            long_double_quotient(269_194_500_086, 11_885),
            22649936.902482122
        );
        assert_eq!(
            long_double_quotient(485_799_381_365, 842_213),
            576812.9693616698
        );
        assert_eq!(
            long_double_quotient(25_584_257_126, 978_240),
            26153.354111465487
        );
    }
}
