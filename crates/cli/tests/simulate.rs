//! End-to-end tests of `maestro simulate`: renderings of a small network (goldens refreshed with
//! `UPDATE_EXPECT=1 cargo test -p maestro-cli`), the trace and its size limit, capacity checks and
//! exit codes.

mod common;

use common::*;

use expect_test::expect;
use std::process::Output;

#[test]
fn a_table_of_the_tiny_network() {
    check(
        &["simulate", "--mapping", TINY],
        expect![[r#"
        exit: 0
        --- stdout
        Network: tiny (simulated, 256 PEs; 79 of 101 steps skipped in closed form)
        ┌──────────────────┬─────────┬────────┬────────────┬─────────┬────────────┬─────────────┬───────────────┬───────────────┬──────────┬─────────┐
        │ Layer            ┆ Runtime ┆   MACs ┆ MACs/cycle ┆ PE util ┆ Input wait ┆ Egress wait ┆ Off-chip wait ┆ NoC delivered ┆ Dist p99 ┆ Peak L1 │
        ╞══════════════════╪═════════╪════════╪════════════╪═════════╪════════════╪═════════════╪═══════════════╪═══════════════╪══════════╪═════════╡
        │ CONV1            ┆     984 ┆ 115200 ┆    117.073 ┆   45.7% ┆       0.1% ┆        0.0% ┆          2.4% ┆         48832 ┆        3 ┆      38 │
        │ FC               ┆     279 ┆   4096 ┆     14.681 ┆    5.7% ┆       0.0% ┆        0.0% ┆          0.4% ┆          4736 ┆        2 ┆     296 │
        │ Total (2 layers) ┆    1263 ┆ 119296 ┆    94.4545 ┆         ┆            ┆             ┆               ┆               ┆          ┆         │
        └──────────────────┴─────────┴────────┴────────────┴─────────┴────────────┴─────────────┴───────────────┴───────────────┴──────────┴─────────┘
        Runtime in cycles; PE util: computing share of all PE-cycles; waits: shares of all PE-cycles; NoC delivered: elements received by PEs and L2; Dist p99: 99th percentile of distribution latency in cycles; Peak L1: elements per PE.
        --- stderr
    "#]],
    );
}

#[test]
fn csv_of_the_tiny_network_on_a_mesh() {
    let hw = std::env::temp_dir().join(format!("maestro-sim-mesh-{}.toml", std::process::id()));
    std::fs::write(
        &hw,
        "[pe]\ncount = 64\n[noc.distribution]\ntopology = \"mesh\"\n[noc.collection]\ntopology = \"mesh\"\n",
    )
    .expect("a temporary hardware file");
    let output = maestro(&[
        "simulate",
        "--mapping",
        TINY,
        "--hw",
        hw.to_str().expect("a UTF-8 path"),
        "--format",
        "csv",
    ]);
    let _ = std::fs::remove_file(&hw);
    expect![[r#"
        exit: 0
        --- stdout
        Neural Network Name, Layer Number, NumPEs, Runtime (Cycles), Num MACs, input l1 read, input l1 write, input l2 read, input l2 write, filter l1 read, filter l1 write, filter l2 read, filter l2 write, output l1 read, output l1 write, output l2 read, output l2 write, PEs used, Steps, Steps skipped, Double buffered, PE utilisation, Computing (PE-cycles), Waiting for input (PE-cycles), Waiting for egress (PE-cycles), Waiting for off-chip (PE-cycles), Idle (PE-cycles), input noc sent, input noc delivered, filter noc sent, filter noc delivered, output noc sent, output noc delivered, input offchip read, filter offchip read, output offchip write, output partial sum writes, output partial sum reloads, output reductions, Distribution latency p50, Distribution latency p90, Distribution latency p99, Distribution latency max, Collection latency p50, Collection latency p90, Collection latency p99, Collection latency max, Offchip latency p50, Offchip latency p90, Offchip latency p99, Offchip latency max, Peak L1 occupancy (Elements), Peak L2 occupancy (Elements)
        tiny, CONV1, 64, 1897, 115200, 115200, 46080, 5760, 1152, 115200, 1152, 1152, 1152, 128000, 115200, 1600, 1600, 64, 200, 158, true, 0.948867, 115200, 352, 224, 3008, 2624, 5760, 46080, 1152, 1152, 1600, 1600, 1152, 1152, 1600, 0, 0, 11200, 6, 9, 9, 56, 9, 9, 9, 9, 32, 47, 47, 47, 38, 3904
        tiny, FC, 64, 293, 4096, 4096, 512, 512, 512, 4096, 4096, 256, 256, 4224, 4096, 128, 128, 64, 1, 0, false, 0.21843, 4096, 144, 0, 256, 14256, 512, 512, 256, 4096, 128, 128, 512, 256, 128, 0, 0, 0, 6, 9, 9, 9, 5, 9, 9, 9, 3, 16, 16, 16, 296, 896
        --- stderr
    "#]].assert_eq(&transcript(&output));
}

#[test]
fn json_holds_every_layer_and_the_totals() {
    let output = maestro(&[
        "simulate",
        "--mapping",
        TINY,
        "--format",
        "json",
        "--threads",
        "1",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let document: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(document["layers"].as_array().map(Vec::len), Some(2));
    assert_eq!(document["totals"]["macs"], 119296);
    assert_eq!(document["num_pes"], 256);
}

#[test]
fn repeated_runs_are_byte_identical_whatever_the_threads() {
    let one = maestro(&[
        "simulate",
        "--mapping",
        TINY,
        "--format",
        "csv",
        "--threads",
        "1",
    ]);
    let two = maestro(&[
        "simulate",
        "--mapping",
        TINY,
        "--format",
        "csv",
        "--threads",
        "2",
    ]);
    assert_eq!(one.status.code(), Some(0));
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn a_trace_holds_every_event_and_the_same_totals() {
    let trace =
        std::env::temp_dir().join(format!("maestro-sim-trace-{}.jsonl", std::process::id()));
    let path = trace.to_str().expect("a UTF-8 path");
    let traced = maestro(&[
        "simulate",
        "--mapping",
        TINY,
        "--format",
        "csv",
        "--trace",
        path,
    ]);
    let plain = maestro(&["simulate", "--mapping", TINY, "--format", "csv"]);
    let text = std::fs::read_to_string(&trace).expect("the trace was written");
    let _ = std::fs::remove_file(&trace);
    assert_eq!(traced.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    let layers: Vec<&str> = lines
        .iter()
        .filter(|event| event["event"] == "layer")
        .filter_map(|event| event["layer"].as_str())
        .collect();
    assert_eq!(layers, ["CONV1", "FC"]);
    let macs: u64 = lines
        .iter()
        .filter(|event| event["event"] == "compute")
        .filter_map(|event| event["macs"].as_u64())
        .sum();
    assert_eq!(macs, 119296);
    // Skipping is exact, so the traced (step-by-step) run reports the same numbers, except the
    // column of skipped steps.
    let without_skips = |output: &Output| -> Vec<String> {
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let header: Vec<String> = text
            .lines()
            .next()
            .unwrap_or("")
            .split(", ")
            .map(str::to_owned)
            .collect();
        let skipped = header
            .iter()
            .position(|name| name == "Steps skipped")
            .expect("a column");
        text.lines()
            .map(|line| {
                let mut fields: Vec<&str> = line.split(", ").collect();
                fields.remove(skipped);
                fields.join(", ")
            })
            .collect()
    };
    assert_eq!(without_skips(&traced), without_skips(&plain));
}

#[test]
fn a_trace_larger_than_the_limit_is_refused() {
    let trace =
        std::env::temp_dir().join(format!("maestro-sim-refused-{}.jsonl", std::process::id()));
    let path = trace.to_str().expect("a UTF-8 path");
    let output = maestro(&[
        "simulate",
        "--mapping",
        TINY,
        "--trace",
        path,
        "--trace-limit",
        "1000",
    ]);
    assert!(
        !trace.exists(),
        "no trace file is created for a refused run"
    );
    expect![[r#"
        exit: 1
        --- stdout
        --- stderr
          × crates/cli/tests/data/tiny.m: a trace of this run would hold about 25856 PE work items, more
          │ than the trace limit of 1000; raise it with --trace-limit N or trace a smaller network
    "#]].assert_eq(&transcript(&output));
}

#[test]
fn capacity_is_checked_unless_ignored() {
    let args = ["simulate", "--mapping", TINY, "--l1-size", "8"];
    check(
        &args,
        expect![[r#"
        exit: 1
        --- stdout
        --- stderr
          × crates/cli/tests/data/tiny.m: layer `CONV1`: one step needs 19 elements of L1 per PE, but L1
          │ holds 8
    "#]],
    );
    let mut ignoring = args.to_vec();
    ignoring.push("--ignore-capacity");
    assert_eq!(exit_code(&ignoring), 0);
}

#[test]
fn exit_codes() {
    assert_eq!(
        exit_code(&[
            "simulate",
            "--mapping",
            "crates/cli/tests/data/bad_syntax.m"
        ]),
        1
    );
    assert_eq!(
        exit_code(&["simulate", "--mapping", "crates/cli/tests/data/missing.m"]),
        1
    );
    assert_eq!(
        exit_code(&[
            "simulate",
            "--mapping",
            TINY,
            "--hw",
            "crates/cli/tests/data/small_hw.m"
        ]),
        1
    );
    assert_eq!(exit_code(&["simulate", "--trace-limit", "5"]), 2);
    assert_eq!(exit_code(&["simulate", "--format", "xml"]), 2);
    assert_eq!(exit_code(&["simulate", "--threads", "0"]), 2);
}
