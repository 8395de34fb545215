//! Flit-level NoC throughput in simulated router-cycles per second: an 8x8 mesh (dimension-order
//! routing, 2 VCs of 4 flits, uniform traffic, 1-flit packets) at a low load (0.1 flits/node/cycle)
//! and near saturation (0.25; saturation is about 0.27), over 3 x 2000-cycle sample periods.
//! `scripts/booksim/speed_side_by_side.py` compares the same configuration with BookSim2.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use maestro_noc::{run, NocConfig, RunSettings, SimType};

fn mesh() -> NocConfig {
    NocConfig {
        k: 8,
        num_vcs: 2,
        vc_buf_size: 4,
        ..NocConfig::default()
    }
}

fn settings(rate: f64) -> RunSettings {
    RunSettings {
        injection_rate: rate,
        sim_type: SimType::Throughput,
        warmup_periods: 1,
        max_samples: 3,
        sample_period: 2000,
        ..RunSettings::default()
    }
}

fn noc(c: &mut Criterion) {
    let config = mesh();
    let mut group = c.benchmark_group("noc_8x8_mesh");
    group.sample_size(10);
    for (name, rate) in [("low_load_0.1", 0.1), ("near_saturation_0.25", 0.25)] {
        let cycles = run(&config, &settings(rate)).expect("runs").cycles;
        group.throughput(Throughput::Elements(cycles * u64::from(config.routers())));
        group.bench_function(name, |b| {
            b.iter(|| run(&config, &settings(rate)).expect("runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, noc);
criterion_main!(benches);
