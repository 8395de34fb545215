//! Throughput of the studies on the analytical engine, in design point × layer evaluations per
//! second (criterion's element throughput). The sweep group runs `maestro_study::run_sweep` over
//! ResNet-50 with its KC-P mapping file (54 layers) on a grid of NoC bandwidth × L2 size × L1 size ×
//! SIMD lanes (one hardware structure: layers are prepared once, then every point is evaluated with
//! `PreparedLayer::evaluate_summary`), on one and two threads; the preparation is inside the timed
//! run. The DSE group runs `maestro_study::run_dse` over three PE counts × L1 × L2 × bandwidth
//! under an area cap.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use maestro_ir::{Accelerator, Network};
use maestro_study::{
    run_dse, run_sweep, Dataflow, Dse, DseAxes, Engine, Objective, ParamSpec, Sweep, SweepOptions,
    SweepSpace, Workload,
};
use std::hint::black_box;
use std::path::Path;

fn resnet50_kcp_ws() -> Network {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../workloads/mappings/resnet50_kcp_ws.m");
    let bytes = std::fs::read(&path).expect("the ResNet-50 mapping is readable");
    maestro_dsl::parse_network("resnet50_kcp_ws.m", &bytes)
        .unwrap_or_else(|_| panic!("the ResNet-50 mapping parses"))
        .network
}

fn sweep(c: &mut Criterion) {
    let specs = [
        "noc.bandwidth=1..1024 x 2",
        "l2.size=4096..2097152 x 2",
        "l1.size=64..512 x 2",
        "pe.simd_lanes=1,2,4,8",
    ]
    .map(|text| ParamSpec::parse(text).expect("valid specification"));
    let space = SweepSpace::new(specs.to_vec()).expect("a small space");
    let workload = Workload::new(resnet50_kcp_ws(), vec![Dataflow::Written]).expect("a workload");
    let sweep = Sweep::new(Accelerator::default(), space, workload).expect("a sweep");
    let mut group = c.benchmark_group("study/sweep");
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_millis(500));
    group.measurement_time(std::time::Duration::from_secs(3));
    group.throughput(Throughput::Elements(sweep.evaluations()));
    for threads in [1, 2] {
        let options = SweepOptions {
            engine: Engine::Analytical,
            threads,
            ..SweepOptions::default()
        };
        group.bench_function(format!("resnet50_kcp_ws/{threads}-threads"), |b| {
            b.iter(|| black_box(run_sweep(&sweep, &options, &|_| {})))
        });
    }
    group.finish();
}

fn dse(c: &mut Criterion) {
    let dse = Dse {
        base: Accelerator::default(),
        axes: DseAxes {
            pes: vec![256, 512, 1024],
            ..DseAxes::default()
        },
        workload: Workload::new(resnet50_kcp_ws(), vec![Dataflow::Written]).expect("a workload"),
        area_cap_mm2: Some(500.0),
        power_cap_mw: None,
        objective: Objective::Edp,
    };
    let evaluations = run_dse(&dse, 1, &|_| {}).expect("a DSE").evaluations;
    let mut group = c.benchmark_group("study/dse");
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_millis(500));
    group.measurement_time(std::time::Duration::from_secs(3));
    group.throughput(Throughput::Elements(evaluations.max(1)));
    for threads in [1, 2] {
        group.bench_function(format!("resnet50_kcp_ws/{threads}-threads"), |b| {
            b.iter(|| black_box(run_dse(&dse, threads, &|_| {})))
        });
    }
    group.finish();
}

criterion_group!(benches, sweep, dse);
criterion_main!(benches);
