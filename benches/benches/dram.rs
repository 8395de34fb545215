//! DRAM model throughput: simulated requests per second on a saturating stream and on random traffic
//! with one write in three, for the DDR4-3200 and HBM2-stack presets. The trace is generated lazily,
//! as a long trace file would be read. `scripts/dramsim3/side_by_side.sh` compares the same
//! quantity with DRAMsim3 on this machine.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use maestro_dram::{preset, run_trace, MemorySystem, RequestKind, TraceRecord, TraceRunOptions};

const CYCLES: u64 = 200_000;

fn records(random: bool) -> impl Iterator<Item = Result<TraceRecord, maestro_dram::TraceError>> {
    let mut state = 12345u64;
    (0..CYCLES).map(move |i| {
        let (address, kind) = if random {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            let kind = if matches!(z % 3, 0) {
                RequestKind::Write
            } else {
                RequestKind::Read
            };
            ((z % (1 << 24)) * 64, kind)
        } else {
            ((i * 64) % (1 << 30), RequestKind::Read)
        };
        Ok(TraceRecord {
            address,
            kind,
            cycle: i,
            line: i + 1,
        })
    })
}

/// Requests completed in the window, for the throughput figure.
fn completed(preset_name: &str, random: bool) -> u64 {
    let mut system = MemorySystem::new(&preset(preset_name).expect("preset")).expect("valid");
    run_trace(
        &mut system,
        records(random),
        TraceRunOptions {
            cycles: Some(CYCLES),
        },
    )
    .expect("generated records are well formed");
    let report = system.report();
    report.num_reads_done + report.num_writes_done
}

fn dram(c: &mut Criterion) {
    let mut group = c.benchmark_group("dram");
    group.sample_size(10);
    for preset_name in ["ddr4_3200", "hbm2_stack"] {
        for (label, random) in [("stream", false), ("random_mix", true)] {
            group.throughput(Throughput::Elements(completed(preset_name, random)));
            group.bench_function(format!("{preset_name}/{label}"), |b| {
                b.iter(|| completed(preset_name, random));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, dram);
criterion_main!(benches);
