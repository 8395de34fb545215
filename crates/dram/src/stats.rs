//! Counters kept per channel, and the report over all channels with DRAMsim3's statistic names.

use crate::energy::EnergyPerCommand;
use hdrhistogram::Histogram;
use serde::Serialize;

/// What one channel did.
#[derive(Debug, Clone)]
pub struct ChannelStats {
    pub reads_done: u64,
    pub writes_done: u64,
    pub read_cmds: u64,
    pub write_cmds: u64,
    /// Reads and writes to a row that had already served an access since its activate
    /// (DRAMsim3's definition of a row-buffer hit).
    pub read_row_hits: u64,
    pub write_row_hits: u64,
    /// First accesses after an activate into a closed bank.
    pub row_misses: u64,
    /// First accesses after an activate that needed another row closed first.
    pub row_conflicts: u64,
    pub act_cmds: u64,
    pub pre_cmds: u64,
    pub ref_cmds: u64,
    /// Reads served from the write buffer (same address as a pending write).
    pub write_buffer_hits: u64,
    pub read_latency_sum: u128,
    pub read_latency: Histogram<u64>,
}

impl Default for ChannelStats {
    fn default() -> Self {
        ChannelStats {
            reads_done: 0,
            writes_done: 0,
            read_cmds: 0,
            write_cmds: 0,
            read_row_hits: 0,
            write_row_hits: 0,
            row_misses: 0,
            row_conflicts: 0,
            act_cmds: 0,
            pre_cmds: 0,
            ref_cmds: 0,
            write_buffer_hits: 0,
            read_latency_sum: 0,
            // Three significant digits; the histogram grows as larger latencies appear.
            read_latency: latency_histogram(),
        }
    }
}

/// An auto-resizing histogram with three significant digits (`new` only fails beyond five).
fn latency_histogram() -> Histogram<u64> {
    Histogram::new(3).expect("three significant digits are within hdrhistogram's range")
}

impl ChannelStats {
    pub(crate) fn record_read_latency(&mut self, cycles: u64) {
        self.reads_done += 1;
        self.read_latency_sum += u128::from(cycles);
        self.read_latency.saturating_record(cycles);
    }
}

/// The result of a run over all channels. Field names follow DRAMsim3's statistics where one exists
/// (`average_bandwidth` in GB/s, `average_read_latency` in DRAM cycles, `num_act_cmds`, ...).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DramReport {
    pub name: String,
    pub channels: u32,
    pub tck_ns: f64,
    pub request_bytes: u64,
    pub num_cycles: u64,
    pub num_reads_done: u64,
    pub num_writes_done: u64,
    pub num_read_cmds: u64,
    pub num_write_cmds: u64,
    pub num_read_row_hits: u64,
    pub num_write_row_hits: u64,
    pub num_row_misses: u64,
    pub num_row_conflicts: u64,
    pub num_act_cmds: u64,
    pub num_pre_cmds: u64,
    pub num_ref_cmds: u64,
    pub num_write_buf_hits: u64,
    /// Bytes of completed requests (reads returned, writes accepted).
    pub total_bytes: u64,
    /// GB/s over all channels (completed requests x request size / simulated time).
    pub average_bandwidth: f64,
    pub peak_bandwidth: f64,
    /// Mean read latency in DRAM cycles, from acceptance to the last data beat.
    pub average_read_latency: f64,
    pub p99_read_latency: u64,
    /// (read row hits + write row hits) / (read commands + write commands).
    pub row_hit_rate: f64,
    pub energy_per_command: EnergyPerCommand,
    pub act_energy: f64,
    pub read_energy: f64,
    pub write_energy: f64,
    pub ref_energy: f64,
    /// Sum of the four command energies, in pJ (background energy is not modelled).
    pub command_energy: f64,
}

impl DramReport {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        name: &str,
        channels: u32,
        tck_ns: f64,
        request_bytes: u64,
        peak_bandwidth: f64,
        cycles: u64,
        energy: EnergyPerCommand,
        per_channel: &[ChannelStats],
    ) -> DramReport {
        let sum = |f: fn(&ChannelStats) -> u64| per_channel.iter().map(f).sum::<u64>();
        let reads_done = sum(|c| c.reads_done);
        let writes_done = sum(|c| c.writes_done);
        let read_cmds = sum(|c| c.read_cmds);
        let write_cmds = sum(|c| c.write_cmds);
        let read_row_hits = sum(|c| c.read_row_hits);
        let write_row_hits = sum(|c| c.write_row_hits);
        let act = sum(|c| c.act_cmds);
        let refreshes = sum(|c| c.ref_cmds);
        let latency_sum: u128 = per_channel.iter().map(|c| c.read_latency_sum).sum();
        let mut histogram = latency_histogram();
        for c in per_channel {
            // Adding grows the target histogram as needed, so it cannot fail.
            let _ = histogram.add(&c.read_latency);
        }
        let total_bytes = (reads_done + writes_done) * request_bytes;
        let seconds_ns = cycles as f64 * tck_ns;
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        DramReport {
            name: name.to_string(),
            channels,
            tck_ns,
            request_bytes,
            num_cycles: cycles,
            num_reads_done: reads_done,
            num_writes_done: writes_done,
            num_read_cmds: read_cmds,
            num_write_cmds: write_cmds,
            num_read_row_hits: read_row_hits,
            num_write_row_hits: write_row_hits,
            num_row_misses: sum(|c| c.row_misses),
            num_row_conflicts: sum(|c| c.row_conflicts),
            num_act_cmds: act,
            num_pre_cmds: sum(|c| c.pre_cmds),
            num_ref_cmds: refreshes,
            num_write_buf_hits: sum(|c| c.write_buffer_hits),
            total_bytes,
            average_bandwidth: if seconds_ns > 0.0 {
                total_bytes as f64 / seconds_ns
            } else {
                0.0
            },
            peak_bandwidth,
            average_read_latency: if reads_done == 0 {
                0.0
            } else {
                latency_sum as f64 / reads_done as f64
            },
            p99_read_latency: if reads_done == 0 {
                0
            } else {
                histogram.value_at_quantile(0.99)
            },
            row_hit_rate: ratio(read_row_hits + write_row_hits, read_cmds + write_cmds),
            energy_per_command: energy,
            act_energy: act as f64 * energy.activate_pj,
            read_energy: read_cmds as f64 * energy.read_pj,
            write_energy: write_cmds as f64 * energy.write_pj,
            ref_energy: refreshes as f64 * energy.refresh_pj,
            command_energy: act as f64 * energy.activate_pj
                + read_cmds as f64 * energy.read_pj
                + write_cmds as f64 * energy.write_pj
                + refreshes as f64 * energy.refresh_pj,
        }
    }
}
