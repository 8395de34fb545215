//! Goldens of the three renderings on a small simulated network.

use super::*;
use expect_test::expect;
use maestro_ir::{Accelerator, Dim, Directive, Layer, LayerType, MapDirective, Mapping, Network};
use maestro_sim::{simulate_network, NetworkSimReport, SimOptions};

fn small_report() -> (NetworkSimReport, u64) {
    let layer = Layer {
        name: "fc".into(),
        layer_type: LayerType::Gemm,
        dimensions: vec![(Dim::M, 4), (Dim::N, 2), (Dim::K, 3)],
        strides: Default::default(),
        mapping: Some(Mapping::new(vec![
            Directive::Map(MapDirective::spatial(1, 1, Dim::M)),
            Directive::Map(MapDirective::temporal(1, 1, Dim::N)),
        ])),
    };
    let network = Network {
        name: "small".into(),
        layers: vec![layer],
    };
    let hardware = Accelerator {
        num_pes: 2,
        ..Accelerator::default()
    };
    let report = simulate_network(&network, &hardware, &SimOptions::default()).expect("simulates");
    (report, hardware.num_pes)
}

#[test]
fn the_csv_shares_the_cost_models_column_names() {
    let header: Vec<&str> = SIM_CSV_HEADER.split(", ").collect();
    for shared in [
        "Runtime (Cycles)",
        "Num MACs",
        "input l2 read",
        "input l1 write",
        "filter l2 read",
        "output l2 write",
    ] {
        assert!(header.contains(&shared), "{shared}");
        assert!(crate::CSV_HEADER.contains(shared), "{shared}");
    }
    let (report, pes) = small_report();
    let text = render_sim_csv(&report, pes);
    let row = text.lines().nth(1).expect("a row");
    assert_eq!(row.split(", ").count(), header.len());
}

#[test]
fn a_small_network_renders() {
    let (report, pes) = small_report();
    expect!["small, fc, 2, 18, 24, 24, 12, 12, 12, 24, 24, 12, 6, 32, 24, 8, 8, 2, 4, 0, true, 0.666667, 24, 4, 0, 2, 6, 12, 12, 12, 24, 8, 8, 12, 6, 8, 0, 0, 0, 2, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 14, 26"]
    .assert_eq(&render_sim_csv(&report, pes).lines().skip(1).collect::<Vec<_>>().join("\n"));
    expect![[r#"
        Network: small (simulated, 2 PEs; 0 of 4 steps skipped in closed form)
        ┌──────────────────┬─────────┬──────┬────────────┬─────────┬────────────┬─────────────┬───────────────┬───────────────┬──────────┬─────────┐
        │ Layer            ┆ Runtime ┆ MACs ┆ MACs/cycle ┆ PE util ┆ Input wait ┆ Egress wait ┆ Off-chip wait ┆ NoC delivered ┆ Dist p99 ┆ Peak L1 │
        ╞══════════════════╪═════════╪══════╪════════════╪═════════╪════════════╪═════════════╪═══════════════╪═══════════════╪══════════╪═════════╡
        │ fc               ┆      18 ┆   24 ┆    1.33333 ┆   66.7% ┆      11.1% ┆        0.0% ┆          5.6% ┆            44 ┆        3 ┆      14 │
        │ Total (1 layers) ┆      18 ┆   24 ┆    1.33333 ┆         ┆            ┆             ┆               ┆               ┆          ┆         │
        └──────────────────┴─────────┴──────┴────────────┴─────────┴────────────┴─────────────┴───────────────┴───────────────┴──────────┴─────────┘
        Runtime in cycles; PE util: computing share of all PE-cycles; waits: shares of all PE-cycles; NoC delivered: elements received by PEs and L2; Dist p99: 99th percentile of distribution latency in cycles; Peak L1: elements per PE.
    "#]].assert_eq(&render_sim_table(&report, pes));
    let json = render_sim_json(&report, pes);
    assert!(json.contains("\"totals\""));
    assert!(json.ends_with("}\n"));
}
