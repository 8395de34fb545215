//! Simulator throughput: a ResNet-50-like network (batch 1, "same" padding folded into the input size)
//! under a KC-P mapping (K across 4 clusters, C across the 64 PEs of each) on 256 PEs.

use criterion::{criterion_group, criterion_main, Criterion};
use maestro_ir::directive::{ClusterDirective, ClusterKind};
use maestro_ir::{Accelerator, Dim, Directive, Layer, LayerType, MapDirective, Mapping, Network, Strides};
use maestro_sim::{simulate_network, SimOptions};
use std::time::Instant;

fn kcp_mapping(r: u64, s: u64) -> Mapping {
    let map = |m: MapDirective| Directive::Map(m);
    let mut directives = vec![
        map(MapDirective::spatial(1, 1, Dim::K)),
        map(MapDirective::temporal(64, 64, Dim::C)),
        map(MapDirective::temporal(r, 1, Dim::Y)),
        map(MapDirective::temporal(s, 1, Dim::X)),
        map(MapDirective::temporal(r, r, Dim::R)),
        map(MapDirective::temporal(s, s, Dim::S)),
        Directive::Cluster(ClusterDirective { size: 64, kind: ClusterKind::Physical }),
        map(MapDirective::spatial(1, 1, Dim::C)),
    ];
    directives.extend([
        map(MapDirective::temporal(r, 1, Dim::Y)),
        map(MapDirective::temporal(s, 1, Dim::X)),
        map(MapDirective::temporal(r, r, Dim::R)),
        map(MapDirective::temporal(s, s, Dim::S)),
    ]);
    Mapping::new(directives)
}

fn conv(name: String, k: u64, c: u64, r: u64, output: u64, stride: u64) -> Layer {
    let input = (output - 1) * stride + r;
    Layer {
        name,
        layer_type: LayerType::Conv,
        dimensions: vec![(Dim::K, k), (Dim::C, c), (Dim::R, r), (Dim::S, r), (Dim::Y, input), (Dim::X, input)],
        strides: Strides { y: stride, x: stride },
        mapping: Some(kcp_mapping(r, r)),
    }
}

fn resnet50() -> Network {
    let mut layers = vec![conv("conv1".into(), 64, 3, 7, 112, 2)];
    let stages = [(3u64, 64u64, 56u64), (4, 128, 28), (6, 256, 14), (3, 512, 7)];
    let mut in_channels = 64;
    for (stage, &(blocks, width, size)) in stages.iter().enumerate() {
        for block in 0..blocks {
            let name = |part: &str| format!("res{}{}_{part}", stage + 2, (b'a' + block as u8) as char);
            let block_in = if block == 0 { in_channels } else { width * 4 };
            layers.push(conv(name("branch2a"), width, block_in, 1, size, 1));
            layers.push(conv(name("branch2b"), width, width, 3, size, 1));
            layers.push(conv(name("branch2c"), width * 4, width, 1, size, 1));
            if block == 0 {
                layers.push(conv(name("branch1"), width * 4, block_in, 1, size, 1));
            }
        }
        in_channels = width * 4;
    }
    layers.push(Layer {
        name: "fc1000".into(),
        layer_type: LayerType::Gemm,
        dimensions: vec![(Dim::M, 1), (Dim::N, 1000), (Dim::K, 2048)],
        strides: Strides::default(),
        mapping: Some(Mapping::new(vec![
            Directive::Map(MapDirective::spatial(1, 1, Dim::N)),
            Directive::Map(MapDirective::temporal(64, 64, Dim::K)),
            Directive::Cluster(ClusterDirective { size: 64, kind: ClusterKind::Physical }),
            Directive::Map(MapDirective::spatial(1, 1, Dim::K)),
        ])),
    });
    Network { name: "resnet50-kcp".into(), layers }
}

fn hardware() -> Accelerator {
    Accelerator { num_pes: 256, l1_size: 4096, l2_size: 8 << 20, ..Accelerator::default() }
}

// A bench binary may report its own measurement; the library crates stay silent.
#[allow(clippy::print_stdout)]
fn simulation(c: &mut Criterion) {
    let network = resnet50();
    let hw = hardware();
    let options = SimOptions::default();
    let started = Instant::now();
    let report = simulate_network(&network, &hw, &options).expect("the network simulates");
    let wall = started.elapsed().as_secs_f64();
    let pe_cycles = report.total_cycles as f64 * hw.num_pes as f64;
    let skipped: u64 = report.layers.iter().map(|l| l.steps_skipped_in_closed_form).sum();
    let steps: u64 = report.layers.iter().map(|l| l.steps).sum();
    println!(
        "resnet50 KC-P on 256 PEs: {} layers, {} cycles, {} MACs, {steps} steps ({skipped} skipped in closed form), \
         wall {wall:.2} s, {:.3e} simulated PE-cycles/s",
        report.layers.len(),
        report.total_cycles,
        report.total_macs,
        pe_cycles / wall,
    );
    let mut group = c.benchmark_group("simulation");
    group.sample_size(10);
    group.bench_function("resnet50_kcp_256pes", |b| {
        b.iter(|| simulate_network(&network, &hw, &options).expect("the network simulates"))
    });
    group.finish();
}

criterion_group!(benches, simulation);
criterion_main!(benches);
