//! Conformance with DRAMsim3: the traces of `scripts/dramsim3/run_tables.py`, generated here by the
//! same deterministic rules, run through our model for the same window of cycles, compared with the
//! committed DRAMsim3 table: achieved bandwidth within 5 %, average read latency within 10 %, row-hit
//! rate within 0.03, on every row.

use maestro_dram::{
    preset, run_trace, MappingField, MemorySystem, RequestKind, TraceRecord, TraceRunOptions,
};

const WINDOW: u64 = 30000;
const ISOLATED_GAP: u64 = 300;
const TRACES: [&str; 6] = [
    "stream_read",
    "stream_write",
    "random_read",
    "strided_read",
    "mix",
    "isolated_read",
];

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The trace `kind` for a system, lazily (the same rules as the script's generator).
fn trace(kind: &'static str, system: &MemorySystem) -> impl Iterator<Item = TraceRecord> {
    let request_bytes = system.config().request_bytes();
    let span = 1u64 << system.mapping().address_bits();
    let row_stride = 1u64 << system.mapping().field_shift(MappingField::Row);
    let blocks = span / request_bytes;
    let seed = 0x5EED_0000 + TRACES.iter().position(|t| *t == kind).unwrap_or(0) as u64;
    let mut state = seed;
    let count = if kind == "isolated_read" {
        WINDOW / ISOLATED_GAP
    } else {
        WINDOW
    };
    (0..count).map(move |i| {
        let (address, write, cycle) = match kind {
            "stream_read" => ((i * request_bytes) % span, false, 0),
            "stream_write" => ((i * request_bytes) % span, true, 0),
            "random_read" => ((splitmix64(&mut state) % blocks) * request_bytes, false, 0),
            "strided_read" => ((i * row_stride) % span, false, 0),
            "mix" => {
                let r = splitmix64(&mut state);
                let w = splitmix64(&mut state);
                ((r % blocks) * request_bytes, w % 3 == 0, 0)
            }
            _ => (
                (splitmix64(&mut state) % blocks) * request_bytes,
                false,
                i * ISOLATED_GAP,
            ),
        };
        TraceRecord {
            address,
            kind: if write {
                RequestKind::Write
            } else {
                RequestKind::Read
            },
            cycle,
            line: i + 1,
        }
    })
}

struct Row {
    trace: String,
    cycles: u64,
    bandwidth: f64,
    latency: f64,
    row_hit_rate: f64,
}

fn table(text: &str) -> Vec<Row> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("column {name} missing"))
    };
    let (t, c, b, l, h) = (
        column("trace"),
        column("cycles"),
        column("average_bandwidth"),
        column("average_read_latency"),
        column("row_hit_rate"),
    );
    lines
        .filter(|l| !l.is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Row {
                trace: f[t].to_string(),
                cycles: f[c].parse().unwrap(),
                bandwidth: f[b].parse().unwrap(),
                latency: f[l].parse().unwrap(),
                row_hit_rate: f[h].parse().unwrap(),
            }
        })
        .collect()
}

fn check(preset_name: &str, csv: &str) {
    let mut report = String::new();
    let mut failed = false;
    for row in table(csv) {
        let config = preset(preset_name).unwrap();
        let mut system = MemorySystem::new(&config).unwrap();
        let kind = TRACES.iter().copied().find(|t| *t == row.trace).unwrap();
        let records: Vec<TraceRecord> = trace(kind, &system).collect();
        run_trace(
            &mut system,
            records.into_iter().map(Ok),
            TraceRunOptions {
                cycles: Some(row.cycles),
            },
        )
        .unwrap();
        let ours = system.report();
        let bandwidth_error = (ours.average_bandwidth - row.bandwidth) / row.bandwidth * 100.0;
        let latency_error = if row.latency == 0.0 {
            0.0
        } else {
            (ours.average_read_latency - row.latency) / row.latency * 100.0
        };
        let hit_error = ours.row_hit_rate - row.row_hit_rate;
        let ok =
            bandwidth_error.abs() <= 5.0 && latency_error.abs() <= 10.0 && hit_error.abs() <= 0.03;
        failed |= !ok;
        report += &format!(
            "{preset_name:12} {:14} bw {:8.3} vs {:8.3} ({:+6.2} %)  lat {:8.2} vs {:8.2} ({:+6.2} %)  hit {:.4} vs {:.4} ({:+.4}) {}\n",
            row.trace,
            ours.average_bandwidth,
            row.bandwidth,
            bandwidth_error,
            ours.average_read_latency,
            row.latency,
            latency_error,
            ours.row_hit_rate,
            row.row_hit_rate,
            hit_error,
            if ok { "ok" } else { "FAIL" }
        );
    }
    let show = std::env::var_os("DRAM_CONFORMANCE_SHOW").is_some();
    assert!(!failed && !show, "ours vs DRAMsim3:\n{report}");
}

#[test]
fn ddr4_3200_matches_dramsim3() {
    check(
        "ddr4_3200",
        include_str!("../../../validation/dram/dramsim3/ddr4_3200.csv"),
    );
}

#[test]
fn lpddr4_2400_matches_dramsim3() {
    check(
        "lpddr4_2400",
        include_str!("../../../validation/dram/dramsim3/lpddr4_2400.csv"),
    );
}

#[test]
fn hbm2_channel_matches_dramsim3() {
    check(
        "hbm2",
        include_str!("../../../validation/dram/dramsim3/hbm2.csv"),
    );
}

#[test]
fn hbm2_stack_matches_dramsim3() {
    check(
        "hbm2_stack",
        include_str!("../../../validation/dram/dramsim3/hbm2_stack.csv"),
    );
}
