//! Conformance with STONNE's TPU-like output-stationary mesh on dense GEMMs: the committed table
//! `validation/systolic/stonne/tpu_os_dense.csv` (see its README) against this crate's engine under
//! STONNE's conventions (`Conventions::Stonne`). The issue asks for 5 %; the table is matched exactly.

use maestro_systolic::{run_layer, ArrayConfig, Conventions, Dataflow, Layer, Playback};

#[test]
fn stonne_os_mesh_cycles_match_on_every_gemm() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../validation/systolic/stonne/tpu_os_dense.csv"
    );
    let text = std::fs::read_to_string(path).expect("the committed STONNE table");
    let mut rows = 0;
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let v: Vec<u64> = line
            .split(',')
            .map(|x| x.trim().parse().expect("a number"))
            .collect();
        let (m, n, k, ms_rows, ms_cols, theirs) = (v[0], v[1], v[2], v[3], v[4], v[7]);
        let layer = Layer::gemm(format!("{m}x{n}x{k}"), m, n, k);
        let mut config = ArrayConfig::new(ms_rows, ms_cols, Dataflow::Os);
        config.conventions = Conventions::Stonne;
        for playback in [Playback::Skipping, Playback::Stepped] {
            if playback == Playback::Stepped && m * n * k > 1 << 20 {
                continue;
            }
            let ours = run_layer(&layer, &config, playback).expect("runs");
            assert_eq!(ours.macs, m * n * k);
            let error = (ours.total_cycles as f64 - theirs as f64).abs() / theirs as f64;
            assert!(
                error <= 0.05,
                "{line}: ours {} STONNE {theirs}",
                ours.total_cycles
            );
            assert_eq!(ours.total_cycles, theirs, "{line} ({playback:?})");
        }
        rows += 1;
    }
    assert!(rows >= 4);
}
