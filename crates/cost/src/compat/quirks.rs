//! The reference's quirks that `--compat` reproduces, one named function each, so that the rest of the
//! module reads as the reference's algorithm. Every function cites its entry in analytical-model §14
//! (or input-formats §10) and says what a correct model would do instead; the corrected model lives
//! elsewhere and does not call these.

use super::error::{div, CompatError, CompatResult};
use maestro_ir::Dim;

/// Q-P3: the reference's tokenizer splits names at its separator characters and keeps the last piece,
/// so `Conv2d-1` is reported as `1`. Dots are not separators (`torchvision.models.googlenet` stays whole).
pub(crate) fn reference_name(full: &str) -> String {
    const SEPARATORS: &[char] = &[' ', '\t', ',', '-', '>', '(', ')', ':', ';'];
    full.split(SEPARATORS)
        .rfind(|piece| !piece.is_empty())
        .unwrap_or("")
        .to_string()
}

/// Q-A1: the edge tile of a directive whose tile is larger than the dimension (`m > D`) is `D − o`
/// whenever that is not negative, instead of `D`. `st` is the number of steady steps (§6.2).
/// Correct: the edge tile is `D` when `m ≥ D`.
pub(crate) fn edge_tile(extent: i64, steady_steps: i64, offset: i64) -> CompatResult<i64> {
    let covered = (steady_steps + 1)
        .checked_mul(offset)
        .ok_or(CompatError::Overflow)?;
    let edge = extent - covered;
    Ok(if edge < 0 { extent } else { edge })
}

/// Q-A3 and Q-A19: a temporal Steady *or Edge* step on the changing dimension loads the steady slice
/// `UNQ` (not the edge slice `UNQe`), and a zero slice makes the reference `exit(-1)` without a message.
/// Correct: the edge slice for an Edge step, and an error with a message for an empty slice.
pub(crate) fn changing_temporal_slice(unique: i64, dim: Dim) -> CompatResult<i64> {
    if unique == 0 {
        return Err(CompatError::NoUniqueElements { dim });
    }
    Ok(unique.max(1))
}

/// Q-A4: the unique part of an output-coordinate tile (`UNQ[Y']`) is the input-space offset of the `Y`
/// directive (already multiplied by the stride), capped by its tile. Correct: offset ÷ stride.
pub(crate) fn output_alias_unique(input_offset: i64, input_tile: i64) -> i64 {
    input_offset.min(input_tile)
}

/// Q-A5: in a spatial Edge fold with a single active sub-cluster, the output volume reads the edge tile
/// of the *input-side* name (`MAPe[Y]`, input rows) instead of the output alias (`MAPe[Y']`).
pub(crate) fn single_edge_output_extent(input_side_edge_tile: i64) -> i64 {
    input_side_edge_tile
}

/// Q-A6: for input tensors the L1 write counter is overwritten with the running L2 read total (a
/// variable mix-up), so L1 writes always equal L2 reads and the multicast factors are 1. Correct: the
/// sum over sub-clusters of what each receives.
pub(crate) fn l1_write_of_input(l2_read_total: i64) -> i64 {
    l2_read_total
}

/// Q-A7 (compat-crash): the off-chip requirement divides the L2 tile by the computation delay; a zero
/// delay (every case of the level below was invalid) is the reference's SIGFPE. Correct: validate tiles
/// against their windows before analysis.
pub(crate) fn offchip_rate(l2_volume: i64, computation_delay: i64) -> CompatResult<i64> {
    if computation_delay == 0 {
        return Err(CompatError::ZeroComputationDelay);
    }
    div(l2_volume, computation_delay)
}

/// Q-A8: the buffer-size step runs for the first case of a level and again for every leading case that
/// turns out to be skipped (its input requirements accumulate). Correct: size buffers once, from a valid
/// case.
pub(crate) fn buffer_requirements_due(processed_cases: u64) -> bool {
    processed_cases == 0
}

/// Q-A9: the off-chip requirement is a running maximum that is halved after every processed case, so it
/// ends near the last cases' value. Correct: `max over cases of (tile / comp) / 2`.
pub(crate) fn fold_offchip_requirement(running: i64, output_rate: i64, input_rate: i64) -> i64 {
    running.max(output_rate).max(input_rate) / 2
}

/// Q-A10: bandwidth samples use integer division per case.
pub(crate) fn bandwidth_sample(volume: i64, computation_delay: i64) -> CompatResult<i64> {
    div(volume, computation_delay)
}

/// Q-A11: the output extent along a sliding dimension ignores the stride: `Y − R + 1`. Correct:
/// `(Y − R) / σ + 1`.
pub(crate) fn unstrided_output_extent(input_extent: i64, window: i64) -> i64 {
    input_extent - window + 1
}

/// Q-A12: the stride adjustment of a directive on `X`/`Y` (§5.2.4). The user's offset is discarded and
/// the tile is rewritten to cover `q` strided windows; tiles narrower than one window are left alone.
/// `window` is the full-layer size of the counterpart (`S`/`R`); `top` is whether this is level 0.
/// Returns the new (size, offset), or `None` when nothing changes.
pub(crate) fn stride_adjusted_tile(
    size: i64,
    stride: i64,
    window: i64,
    top: bool,
) -> CompatResult<Option<(i64, i64)>> {
    if size < window {
        return Ok(None);
    }
    let overflow = || CompatError::Overflow;
    let windows = div(
        size.checked_add(stride - window).ok_or_else(overflow)?,
        stride,
    )?;
    let new_size = windows
        .checked_mul(stride.min(window))
        .and_then(|covered| covered.checked_add((window - stride).max(0)))
        .ok_or_else(overflow)?;
    let step = if !top && window < stride {
        window
    } else {
        stride
    };
    let new_offset = windows.checked_mul(step).ok_or_else(overflow)?;
    Ok(Some((new_size, new_offset)))
}

/// Q-A13: the NoC delay of a transfer is `LAT + ⌈a / BW⌉ − 1`, so an empty transfer costs `LAT − 1`
/// (−1 with the default latency 0). Correct: 0.
pub(crate) fn transfer_delay(volume: i64, bandwidth: i64, latency: i64) -> CompatResult<i64> {
    if bandwidth == 0 {
        return Err(CompatError::ZeroNocBandwidth);
    }
    let sends = if (0..=bandwidth).contains(&volume) {
        // One send at most: the common case, without a division.
        i64::from(volume > 0)
    } else {
        let whole = div(volume, bandwidth)?;
        whole + i64::from(volume - whole * bandwidth != 0)
    };
    latency.checked_add(sends - 1).ok_or(CompatError::Overflow)
}

/// Q-A17 and §9.3: delay statistics are kept in `long double` and truncated to integers. The maximum
/// starts at the smallest positive `long double`, so it is never below 0; a minimum or average that
/// never saw a case (+inf or NaN) converts to `i64::MIN` on x86.
pub(crate) fn finish_delay_stats(min: Option<i64>, max: i64, sum: i128, weight: i64) -> [i64; 3] {
    let min = min.unwrap_or(i64::MIN);
    let max = max.max(0);
    let avg = if weight == 0 {
        i64::MIN
    } else {
        i64::try_from(sum / i128::from(weight)).unwrap_or(i64::MIN)
    };
    [min, max, avg]
}

/// Q-A18: a case's occurrence weight is the product of its states' counts in 32-bit signed
/// arithmetic, wrapping on overflow. Correct: checked 64-bit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OccurrenceWeight(i32);

impl Default for OccurrenceWeight {
    fn default() -> Self {
        OccurrenceWeight(1)
    }
}

impl OccurrenceWeight {
    pub(crate) fn multiply(&mut self, count: i64) {
        self.0 = self.0.wrapping_mul(count as i32);
    }

    pub(crate) fn value(self) -> i64 {
        i64::from(self.0)
    }
}

/// The six L1 counters (input read/write, filter read/write, output read/write) that Q-R1 carries from
/// one layer to the next.
pub(crate) type L1Counters = [i64; 6];

/// Q-R1 and §11.2: the CSV energy in nJ. The output L2 read and the MACs are never counted, and a layer
/// whose analysis produced two or more records (a multi-level mapping) charges the **previous** layer's
/// top L1 counters instead of its own (zeros for the first layer). The terms are accumulated one by one
/// in the reference's order, which keeps the double result bit-identical. Correct: this layer's
/// counters, every access, plus the MAC energy.
pub(crate) fn energy_nj(
    l2_terms: [i64; 5],
    own_l1: L1Counters,
    previous_l1: L1Counters,
    multi_record: bool,
) -> f64 {
    const MAC_NJ: f64 = 0.00023;
    const L1_PER_MAC: f64 = 1.68;
    const L2_PER_MAC: f64 = 18.61;
    let mut energy = 0.0f64;
    if multi_record {
        for count in previous_l1 {
            energy += count as f64 * L1_PER_MAC;
        }
        for count in l2_terms {
            energy += count as f64 * L2_PER_MAC;
        }
    } else {
        for count in l2_terms {
            energy += count as f64 * L2_PER_MAC;
        }
        for count in own_l1 {
            energy += count as f64 * L1_PER_MAC;
        }
    }
    energy * MAC_NJ
}

/// Q-R2: the reported L1 size requirement is the first record the analysis appended (the innermost
/// level's analysis for the first processed case of every level above), not a maximum.
pub(crate) fn reported_l1_requirement(first_record_l1: [i64; 3]) -> i64 {
    first_record_l1
        .iter()
        .fold(0i64, |sum, &size| sum.wrapping_add(size))
}

/// Q-R3 and §10.3: the L1/L2 sizes handed to the area model and printed as "SRAM Size Req" are the
/// *required* sizes as 32-bit integers. Correct: the configured capacities, unwrapped.
pub(crate) fn as_reference_int(size: i64) -> i64 {
    i64::from(size as i32)
}
