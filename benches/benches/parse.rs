//! Parse + validate throughput of `maestro-dsl` on generated mapping files of 1,000, 5,000 and 20,000
//! layers (every layer: type, stride, dimensions and a two-level dataflow with `Sz()` and a constant).
//! The time per layer must stay flat as the file grows.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::fmt::Write;

/// A mapping file of `layers` layers, cycling through a few layer shapes so that no two adjacent layers
/// are identical.
fn generated_file(layers: usize) -> String {
    let mut text = String::with_capacity(layers * 420);
    text.push_str("// Generated for the parse benchmark.\nConstant Tile 4;\nNetwork bench {\n");
    for index in 0..layers {
        let channels = 16 << (index % 4);
        let filter = [1, 3, 5][index % 3];
        let extent = 14 + 2 * (index % 50);
        let stride = 1 + index % 2;
        let _ = write!(
            text,
            "  Layer Conv2d-{index} {{\n    Type: CONV\n    Stride {{ X: {stride}, Y: {stride} }}\n    \
             Dimensions {{ N: 1, K: {channels}, C: {channels}, R: {filter}, S: {filter}, Y: {extent}, X: {extent} }}\n    \
             Dataflow {{\n      SpatialMap(1,1) K;\n      TemporalMap(Tile,Tile) C;\n      \
             TemporalMap(Sz(R),Sz(R)) R;\n      TemporalMap(Sz(S),Sz(S)) S;\n      TemporalMap(Sz(R),1) Y;\n      \
             TemporalMap(Sz(S),1) X;\n      Cluster(Tile, P);\n      SpatialMap(1,1) C;\n      \
             TemporalMap(Sz(R),1) Y;\n      TemporalMap(Sz(S),1) X;\n    }}\n  }}\n"
        );
    }
    text.push_str("}\n");
    text
}

fn parse(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("parse");
    group.sample_size(10);
    for layers in [1_000, 5_000, 20_000] {
        let text = generated_file(layers);
        // Fail loudly (not silently fast) if the generated text stops being valid.
        let parsed = maestro_dsl::parse_network("bench.m", text.as_bytes())
            .unwrap_or_else(|errors| panic!("generated file is invalid: {errors}"));
        assert_eq!(parsed.network.layers.len(), layers);
        group.throughput(Throughput::Elements(layers as u64));
        group.bench_with_input(
            BenchmarkId::new("parse_network", layers),
            &text,
            |bencher, text| {
                bencher.iter(|| maestro_dsl::parse_network("bench.m", black_box(text.as_bytes())))
            },
        );
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
