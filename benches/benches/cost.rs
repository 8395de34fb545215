//! Cost-model throughput, grouped by mode. The corrected group analyses a ResNet-50-like network (KC-P
//! mapping: K across 4 clusters, C across the 64 PEs of each; and a one-level output-stationary
//! X'-parallel mapping) on 256 PEs. The compat group analyses a ResNet-50-like network (54 layers) with
//! the reference's KC-P mapping in `--compat` mode.

use criterion::{criterion_group, criterion_main, Criterion};
use maestro_cost::{analyze_network, AnalysisOptions, ModelMode};
use maestro_ir::directive::{ClusterDirective, ClusterKind};
use maestro_ir::{Accelerator, Dim, Directive, Layer, LayerType, MapDirective, Mapping, Network, Strides};
use std::hint::black_box;

fn kcp_mapping(r: u64) -> Mapping {
    let map = Directive::Map;
    Mapping::new(vec![
        map(MapDirective::spatial(1, 1, Dim::K)),
        map(MapDirective::temporal(64, 64, Dim::C)),
        map(MapDirective::temporal(r, r, Dim::R)),
        map(MapDirective::temporal(r, r, Dim::S)),
        map(MapDirective::temporal(r, 1, Dim::Y)),
        map(MapDirective::temporal(r, 1, Dim::X)),
        Directive::Cluster(ClusterDirective { size: 64, kind: ClusterKind::Physical }),
        map(MapDirective::spatial(1, 1, Dim::C)),
        map(MapDirective::temporal(r, 1, Dim::Y)),
        map(MapDirective::temporal(r, 1, Dim::X)),
    ])
}

fn output_stationary_mapping() -> Mapping {
    let map = Directive::Map;
    Mapping::new(vec![
        map(MapDirective::temporal(1, 1, Dim::K)),
        map(MapDirective::temporal(1, 1, Dim::C)),
        map(MapDirective::spatial(1, 1, Dim::OutX)),
        map(MapDirective::temporal(1, 1, Dim::OutY)),
    ])
}

fn network(output_stationary: bool) -> Network {
    let shapes: [(u64, u64, u64, u64, u64); 6] =
        [(64, 3, 7, 112, 2), (64, 64, 3, 56, 1), (128, 64, 3, 28, 2), (256, 128, 3, 14, 2), (512, 256, 3, 7, 2), (512, 512, 1, 7, 1)];
    let layers = shapes
        .iter()
        .enumerate()
        .map(|(index, &(k, c, r, output, stride))| Layer {
            name: format!("CONV{index}"),
            layer_type: LayerType::Conv,
            dimensions: vec![
                (Dim::K, k),
                (Dim::C, c),
                (Dim::R, r),
                (Dim::S, r),
                (Dim::Y, (output - 1) * stride + r),
                (Dim::X, (output - 1) * stride + r),
            ],
            strides: Strides { y: stride, x: stride },
            mapping: Some(if output_stationary { output_stationary_mapping() } else { kcp_mapping(r) }),
        })
        .collect();
    Network { name: "resnet-like".into(), layers }
}

fn corrected(c: &mut Criterion) {
    let hardware = Accelerator::default();
    let mut group = c.benchmark_group("cost/corrected");
    group.sample_size(10);
    for (name, network) in [("kcp", network(false)), ("xp-os", network(true))] {
        for threads in [1, 2] {
            let options = AnalysisOptions { mode: ModelMode::Corrected, threads };
            group.bench_function(format!("{name}/threads-{threads}"), |b| {
                b.iter(|| analyze_network(&network, &hardware, &options).expect("analysable"))
            });
        }
    }
    group.finish();
}

// The `--compat` group: a ResNet-50-like network (53 convolutions and the classifier) with the
// reference's KC-P weight-stationary mapping (the one of `Resnet50_kcp_ws.m`: K across 4 clusters, C
// across the 64 PEs of each, R and S whole) on 256 PEs. Divide the reported time by 54 for the per-layer
// cost.

fn compat_kcp_mapping(window: u64) -> Mapping {
    let map = Directive::Map;
    Mapping::new(vec![
        map(MapDirective::spatial(1, 1, Dim::K)),
        map(MapDirective::temporal(64, 64, Dim::C)),
        map(MapDirective::temporal(window, window, Dim::R)),
        map(MapDirective::temporal(window, window, Dim::S)),
        map(MapDirective::temporal(window, 1, Dim::Y)),
        map(MapDirective::temporal(window, 1, Dim::X)),
        Directive::Cluster(ClusterDirective { size: 64, kind: ClusterKind::Physical }),
        map(MapDirective::spatial(1, 1, Dim::C)),
        map(MapDirective::temporal(window, 1, Dim::Y)),
        map(MapDirective::temporal(window, 1, Dim::X)),
        map(MapDirective::temporal(window, window, Dim::R)),
        map(MapDirective::temporal(window, window, Dim::S)),
    ])
}

/// (output channels, input channels, window, input rows/columns, stride).
fn resnet50_shapes() -> Vec<(u64, u64, u64, u64, u64)> {
    let mut shapes = vec![(64, 3, 7, 224, 2)];
    let stages = [(64, 256, 56, 3), (128, 512, 28, 4), (256, 1024, 14, 6), (512, 2048, 7, 3)];
    let mut channels = 64;
    for (index, &(width, out, size, blocks)) in stages.iter().enumerate() {
        for block in 0..blocks {
            let downsample = block == 0 && index > 0;
            let input_size = if downsample { size * 2 } else { size };
            shapes.push((width, channels, 1, input_size, 1));
            shapes.push((width, width, 3, if downsample { input_size + 1 } else { size + 2 }, if downsample { 2 } else { 1 }));
            shapes.push((out, width, 1, size, 1));
            if block == 0 {
                shapes.push((out, channels, 1, input_size, if downsample { 2 } else { 1 }));
            }
            channels = out;
        }
    }
    shapes.push((1000, 2048, 1, 1, 1));
    shapes
}

fn resnet50_kcp() -> Network {
    let layers = resnet50_shapes()
        .into_iter()
        .enumerate()
        .map(|(index, (k, c, window, size, stride))| Layer {
            name: format!("CONV{index}"),
            layer_type: LayerType::Conv,
            dimensions: vec![(Dim::K, k), (Dim::C, c), (Dim::R, window), (Dim::S, window), (Dim::Y, size), (Dim::X, size)],
            strides: Strides { y: stride, x: stride },
            mapping: Some(compat_kcp_mapping(window)),
        })
        .collect();
    Network { name: "resnet50-kcp".into(), layers }
}

fn compat(c: &mut Criterion) {
    let network = resnet50_kcp();
    let hardware = Accelerator { num_pes: 256, l1_size: 100, l2_size: 3000, ..Accelerator::default() };
    let mut group = c.benchmark_group("cost/compat");
    for threads in [1, 2] {
        let options = AnalysisOptions { mode: ModelMode::Compat, threads };
        let layers = network.layers.len();
        group.bench_function(format!("resnet50-kcp-{layers}-layers/threads-{threads}"), |b| {
            b.iter(|| analyze_network(black_box(&network), &hardware, &options).expect("analysable"))
        });
    }
    group.finish();
}

criterion_group!(benches, corrected, compat);
criterion_main!(benches);
