//! Systolic-array throughput: the 11 ResNet-50 layers of `validation/systolic/scalesim/` on a 32×32
//! output-stationary array in CALC mode (the SCALE-Sim side-by-side of `scripts/scalesim/speed.sh`),
//! skipping and stepping playback, and one USER-mode run with stalls.

use criterion::{criterion_group, criterion_main, Criterion};
use maestro_systolic::{
    parse_topology, run_layer, ArrayConfig, Dataflow, Interface, Layer, Playback, TopologyFormat,
};
use std::time::Instant;

fn resnet50_layers() -> Vec<Layer> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../validation/systolic/scalesim/resnet50_layers.csv"
    );
    let text = std::fs::read_to_string(path).expect("the committed ResNet-50 topology");
    parse_topology(&text, path, TopologyFormat::Conv).expect("the topology parses")
}

fn run_all(layers: &[Layer], config: &ArrayConfig, playback: Playback) -> (u64, u64) {
    layers.iter().fold((0, 0), |(cycles, macs), layer| {
        let report = run_layer(layer, config, playback).expect("the layer runs");
        (cycles + report.total_cycles, macs + report.macs)
    })
}

// A bench binary may report its own measurement; the library crates stay silent.
#[allow(clippy::print_stdout)]
fn systolic(c: &mut Criterion) {
    let layers = resnet50_layers();
    let mut config = ArrayConfig::new(32, 32, Dataflow::Os);
    config.ofmap_sram_kb = 32;
    let started = Instant::now();
    let (cycles, macs) = run_all(&layers, &config, Playback::Skipping);
    let wall = started.elapsed().as_secs_f64();
    println!(
        "resnet50 (11 layers) on a 32x32 OS array, CALC: {cycles} cycles, {macs} MACs, wall {wall:.3} s, \
         {:.3e} PE-cycles/s",
        cycles as f64 * 1024.0 / wall
    );
    let mut group = c.benchmark_group("systolic");
    group.sample_size(10);
    group.bench_function("resnet50_32x32_os_calc_skipping", |b| {
        b.iter(|| run_all(&layers, &config, Playback::Skipping))
    });
    let mut user = config.clone();
    user.interface = Interface::User {
        words_per_cycle: 16,
    };
    group.bench_function("resnet50_32x32_os_user_skipping", |b| {
        b.iter(|| run_all(&layers, &user, Playback::Skipping))
    });
    let small = &layers[5..6];
    group.bench_function("res3b_branch2a_32x32_os_calc_stepped", |b| {
        b.iter(|| run_all(small, &config, Playback::Stepped))
    });
    group.finish();
}

criterion_group!(benches, systolic);
criterion_main!(benches);
