//! Cost-model throughput, grouped by mode. The corrected group analyses the project's own corpus on
//! the default accelerator (256 PEs): every model file of `workloads/` with every dataflow template, and
//! every mapping file of `workloads/mappings/`, one benchmark each, with the layer count as throughput so
//! that criterion reports layers per second (the inverse is the time per layer). The prepared-sweep
//! group prepares ResNet-50 with its KC-P mapping file once and evaluates every layer at every point of
//! a NoC bandwidth × L2 size × SIMD grid, on one and on two threads, with design point × layer
//! evaluations as throughput. The compat group analyses a ResNet-50-like network (54 layers) with the
//! reference's KC-P mapping in `--compat` mode.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use maestro_cost::corrected::PreparedLayer;
use maestro_cost::{analyze_network, AnalysisOptions, ModelMode};
use maestro_ir::directive::{ClusterDirective, ClusterKind};
use maestro_ir::{
    Accelerator, Dim, Directive, Layer, LayerType, MapDirective, Mapping, Network, Strides,
};
use maestro_templates::DataflowStyle;
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// The project's root (benches/ is one level below it).
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `.m` files of one project directory, sorted by name.
fn m_files(directory: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(project_root().join(directory))
        .expect("project directory exists")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "m"))
        .collect();
    files.sort();
    files
}

fn read_network(path: &Path) -> Network {
    let bytes = std::fs::read(path).expect("workload file readable");
    let name = path.display().to_string();
    maestro_dsl::parse_network(&name, &bytes)
        .unwrap_or_else(|_| panic!("{name} parses"))
        .network
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `(benchmark name, mapped network)`: every model × template, then every mapping file.
fn corpus(hardware: &Accelerator) -> Vec<(String, Network)> {
    let mut cases = Vec::new();
    for path in m_files("workloads") {
        let network = read_network(&path);
        for style in DataflowStyle::ALL {
            let mapped = maestro_templates::apply(style, &network, hardware)
                .expect("templates map every workload");
            cases.push((format!("{}/{}", stem(&path), style.name()), mapped));
        }
    }
    for path in m_files("workloads/mappings") {
        cases.push((format!("{}/file", stem(&path)), read_network(&path)));
    }
    cases
}

fn corrected(c: &mut Criterion) {
    let hardware = Accelerator::default();
    let options = AnalysisOptions {
        mode: ModelMode::Corrected,
        threads: 1,
    };
    let mut group = c.benchmark_group("cost/corrected");
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_millis(300));
    group.measurement_time(std::time::Duration::from_secs(1));
    for (name, network) in corpus(&hardware) {
        group.throughput(Throughput::Elements(network.layers.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                analyze_network(black_box(&network), &hardware, &options).expect("analysable")
            })
        });
    }
    group.finish();
}

/// The sweep's design points: the default accelerator with every combination of NoC bandwidth (both
/// networks), L2 capacity and SIMD width.
fn sweep_points() -> Vec<Accelerator> {
    let mut points = Vec::new();
    for bandwidth in [8, 16, 32, 64, 128, 256, 512, 1000] {
        for l2_size in [1 << 16, 1 << 18, 1 << 20, 1 << 22] {
            for simd_lanes in [1, 2, 4, 8] {
                let mut hardware = Accelerator {
                    l2_size,
                    simd_lanes,
                    ..Accelerator::default()
                };
                hardware.distribution_noc.bandwidth = bandwidth;
                hardware.collection_noc.bandwidth = bandwidth;
                points.push(hardware);
            }
        }
    }
    points
}

/// Σ over `points` and `layers` of the runtime (so that nothing is optimised away).
fn sweep(layers: &[PreparedLayer], points: &[Accelerator]) -> u64 {
    let mut total = 0u64;
    for hardware in points {
        for layer in layers {
            let summary = layer.evaluate_summary(hardware).expect("same structure");
            total = total.wrapping_add(summary.runtime);
        }
    }
    total
}

fn prepared_sweep(c: &mut Criterion) {
    let network = read_network(&project_root().join("workloads/mappings/resnet50_kcp_ws.m"));
    let structure = Accelerator::default();
    let layers: Vec<PreparedLayer> = network
        .layers
        .iter()
        .map(|layer| PreparedLayer::new(layer, &structure).expect("analysable"))
        .collect();
    let points = sweep_points();
    let mut group = c.benchmark_group("cost/prepared_sweep");
    group.sample_size(20);
    group.throughput(Throughput::Elements((points.len() * layers.len()) as u64));
    let name = format!("resnet50_kcp_ws-{}-points", points.len());
    group.bench_function(format!("{name}/threads-1"), |b| {
        b.iter(|| sweep(black_box(&layers), black_box(&points)))
    });
    group.bench_function(format!("{name}/threads-2"), |b| {
        b.iter(|| {
            let (first, second) = points.split_at(points.len() / 2);
            std::thread::scope(|scope| {
                let other = scope.spawn(|| sweep(black_box(&layers), black_box(second)));
                let mine = sweep(black_box(&layers), black_box(first));
                mine.wrapping_add(other.join().expect("sweep thread"))
            })
        })
    });
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
        Directive::Cluster(ClusterDirective {
            size: 64,
            kind: ClusterKind::Physical,
        }),
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
    let stages = [
        (64, 256, 56, 3),
        (128, 512, 28, 4),
        (256, 1024, 14, 6),
        (512, 2048, 7, 3),
    ];
    let mut channels = 64;
    for (index, &(width, out, size, blocks)) in stages.iter().enumerate() {
        for block in 0..blocks {
            let downsample = block == 0 && index > 0;
            let input_size = if downsample { size * 2 } else { size };
            shapes.push((width, channels, 1, input_size, 1));
            shapes.push((
                width,
                width,
                3,
                if downsample { input_size + 1 } else { size + 2 },
                if downsample { 2 } else { 1 },
            ));
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
            dimensions: vec![
                (Dim::K, k),
                (Dim::C, c),
                (Dim::R, window),
                (Dim::S, window),
                (Dim::Y, size),
                (Dim::X, size),
            ],
            strides: Strides {
                y: stride,
                x: stride,
            },
            mapping: Some(compat_kcp_mapping(window)),
        })
        .collect();
    Network {
        name: "resnet50-kcp".into(),
        layers,
    }
}

fn compat(c: &mut Criterion) {
    let network = resnet50_kcp();
    let hardware = Accelerator {
        num_pes: 256,
        l1_size: 100,
        l2_size: 3000,
        ..Accelerator::default()
    };
    let mut group = c.benchmark_group("cost/compat");
    for threads in [1, 2] {
        let options = AnalysisOptions {
            mode: ModelMode::Compat,
            threads,
        };
        let layers = network.layers.len();
        group.bench_function(
            format!("resnet50-kcp-{layers}-layers/threads-{threads}"),
            |b| {
                b.iter(|| {
                    analyze_network(black_box(&network), &hardware, &options).expect("analysable")
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, corrected, prepared_sweep, compat);
criterion_main!(benches);
