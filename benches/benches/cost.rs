//! Cost-model throughput, grouped by mode. The corrected group analyses a ResNet-50-like network (KC-P
//! mapping: K across 4 clusters, C across the 64 PEs of each; and a one-level output-stationary
//! X'-parallel mapping) on 256 PEs.

use criterion::{criterion_group, criterion_main, Criterion};
use maestro_cost::{analyze_network, AnalysisOptions, ModelMode};
use maestro_ir::directive::{ClusterDirective, ClusterKind};
use maestro_ir::{Accelerator, Dim, Directive, Layer, LayerType, MapDirective, Mapping, Network, Strides};

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

criterion_group!(benches, corrected);
criterion_main!(benches);
