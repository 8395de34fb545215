//! Counters that steps add up: traffic, stalls, MACs, link occupancy and transfer latencies. Kept as
//! plain sums (and short lists for links and latencies) so that a window of steps can be added `k`
//! times at once when its repetitions are skipped in closed form.

use crate::report::{PerTensor, StallBreakdown, TensorTraffic};

/// Lists longer than this are sorted and merged, so their length stays bounded by the number of
/// links and of latency buckets rather than by the number of steps.
const COMPACT_ABOVE: usize = 4096;

/// The smallest value that the report's latency histograms (3 significant decimal digits: 2048
/// sub-buckets per power of two) cannot tell apart from `value`. Merging latencies by it changes no
/// percentile and bounds the number of distinct latencies (at most 2048 + 1024 per further power of
/// two).
pub fn latency_bucket(value: u64) -> u64 {
    if value < 2048 {
        return value;
    }
    let shift = 63 - value.leading_zeros() - 10;
    (value >> shift) << shift
}

/// What some steps did.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    pub tensors: PerTensor,
    pub stalls: StallBreakdown,
    pub macs: u64,
    /// (link, elements carried).
    pub link_busy: Vec<(u32, u64)>,
    /// (kind: 0 distribution, 1 collection, 2 off-chip; latency in cycles; number of transfers).
    pub latencies: Vec<(u8, u64, u64)>,
}

fn add_traffic(total: &mut TensorTraffic, part: &TensorTraffic, times: u64) {
    let pairs = [
        (&mut total.l2_reads, part.l2_reads),
        (&mut total.l2_writes, part.l2_writes),
        (&mut total.l1_reads, part.l1_reads),
        (&mut total.l1_writes, part.l1_writes),
        (&mut total.noc_elements_sent, part.noc_elements_sent),
        (
            &mut total.noc_elements_delivered,
            part.noc_elements_delivered,
        ),
        (&mut total.reductions, part.reductions),
        (&mut total.offchip_reads, part.offchip_reads),
        (&mut total.offchip_writes, part.offchip_writes),
        (&mut total.partial_sum_writes, part.partial_sum_writes),
        (&mut total.partial_sum_reloads, part.partial_sum_reloads),
        (&mut total.final_writes, part.final_writes),
    ];
    for (slot, value) in pairs {
        *slot = slot.saturating_add(value.saturating_mul(times));
    }
}

fn add_stalls(total: &mut StallBreakdown, part: &StallBreakdown, times: u64) {
    let pairs = [
        (&mut total.computing, part.computing),
        (&mut total.waiting_for_input, part.waiting_for_input),
        (&mut total.waiting_for_egress, part.waiting_for_egress),
        (&mut total.waiting_for_offchip, part.waiting_for_offchip),
        (&mut total.idle, part.idle),
    ];
    for (slot, value) in pairs {
        *slot = slot.saturating_add(value.saturating_mul(times));
    }
}

impl Counters {
    /// Adds `other` `times` times.
    pub fn add(&mut self, other: &Counters, times: u64) {
        if times == 0 {
            return;
        }
        add_traffic(&mut self.tensors.input, &other.tensors.input, times);
        add_traffic(&mut self.tensors.weight, &other.tensors.weight, times);
        add_traffic(&mut self.tensors.output, &other.tensors.output, times);
        add_stalls(&mut self.stalls, &other.stalls, times);
        self.macs = self.macs.saturating_add(other.macs.saturating_mul(times));
        self.link_busy.extend(
            other
                .link_busy
                .iter()
                .map(|&(link, elements)| (link, elements.saturating_mul(times))),
        );
        self.latencies.extend(
            other
                .latencies
                .iter()
                .map(|&(kind, latency, count)| (kind, latency, count.saturating_mul(times))),
        );
        if self.link_busy.len() > COMPACT_ABOVE || self.latencies.len() > COMPACT_ABOVE {
            self.compact();
        }
    }

    /// Merges repeated links and latencies.
    pub fn compact(&mut self) {
        self.link_busy.sort_unstable_by_key(|&(link, _)| link);
        self.link_busy.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                kept.1 = kept.1.saturating_add(later.1);
                true
            } else {
                false
            }
        });
        for entry in &mut self.latencies {
            entry.1 = latency_bucket(entry.1);
        }
        self.latencies
            .sort_unstable_by_key(|&(kind, latency, _)| (kind, latency));
        self.latencies.dedup_by(|later, kept| {
            if (later.0, later.1) == (kept.0, kept.1) {
                kept.2 = kept.2.saturating_add(later.2);
                true
            } else {
                false
            }
        });
    }

    pub fn clear(&mut self) {
        self.tensors = PerTensor::default();
        self.stalls = StallBreakdown::default();
        self.macs = 0;
        self.link_busy.clear();
        self.latencies.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn latency_buckets_are_the_histograms(value in 0u64..(1 << 40)) {
            let histogram = hdrhistogram::Histogram::<u64>::new(3).expect("valid precision");
            prop_assert!(histogram.equivalent(latency_bucket(value), value));
            prop_assert_eq!(latency_bucket(value), histogram.lowest_equivalent(value));
        }
    }
}
