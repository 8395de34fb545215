//! Simulator throughput: the project's ResNet-50 under its KC-P mapping
//! (`workloads/mappings/resnet50_kcp_ws.m`) on the default 256-PE accelerator, layers in parallel.

use criterion::{criterion_group, criterion_main, Criterion};
use maestro_ir::{Accelerator, Network};
use maestro_sim::{simulate_network, SimOptions};
use std::time::Instant;

fn resnet50_kcp() -> Network {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../workloads/mappings/resnet50_kcp_ws.m"
    );
    let bytes = std::fs::read(path).expect("the project's ResNet-50 KC-P mapping file");
    maestro_dsl::parse_network(path, &bytes)
        .expect("the mapping file parses")
        .network
}

// A bench binary may report its own measurement; the library crates stay silent.
#[allow(clippy::print_stdout)]
fn simulation(c: &mut Criterion) {
    let network = resnet50_kcp();
    let hw = Accelerator::default();
    let options = SimOptions::default();
    let started = Instant::now();
    let report = simulate_network(&network, &hw, &options).expect("the network simulates");
    let wall = started.elapsed().as_secs_f64();
    let pe_cycles = report.total_cycles as f64 * hw.num_pes as f64;
    let skipped: u64 = report
        .layers
        .iter()
        .map(|l| l.steps_skipped_in_closed_form)
        .sum();
    let steps: u64 = report.layers.iter().map(|l| l.steps).sum();
    println!(
        "resnet50 KC-P on {} PEs, {} threads: {} layers, {} cycles, {} MACs, {steps} steps ({skipped} \
         skipped in closed form), wall {wall:.3} s, {:.3e} simulated PE-cycles/s",
        hw.num_pes,
        options.threads,
        report.layers.len(),
        report.total_cycles,
        report.total_macs,
        pe_cycles / wall,
    );
    let mut group = c.benchmark_group("simulation");
    group.sample_size(10);
    group.bench_function("resnet50_kcp_ws_256pes", |b| {
        b.iter(|| simulate_network(&network, &hw, &options).expect("the network simulates"))
    });
    group.finish();
}

criterion_group!(benches, simulation);
criterion_main!(benches);
