//! Conformance with SCALE-Sim on its own inputs: the committed tables under
//! `validation/systolic/scalesim/` (made by `scripts/scalesim/run_tables.py`, see the README there)
//! against this crate's engine on the same topology files and configurations.
//!
//! - v2, CALC mode: total cycles equal on every layer, array, dataflow (and stall cycles 0 = 0);
//! - v2, USER mode: stall cycles within 5 % (or within 1 % of the total cycles when there are few);
//! - v3, CALC mode: total cycles including prefetch within 1 %.
//!
//! MACs are conserved on every row.

use maestro_systolic::{
    parse_topology, run_layer, ArrayConfig, Dataflow, Interface, Layer, LayerReport, Playback,
    TopologyFormat,
};
use std::collections::HashMap;
use std::path::PathBuf;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../validation/systolic/scalesim")
}

/// One row of a committed table, as (column name → text).
fn read_table(name: &str) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(data_dir().join(name)).expect("committed table");
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

fn topology(name: &str) -> Vec<Layer> {
    let file = format!("{name}.csv");
    let text = std::fs::read_to_string(data_dir().join(&file)).expect("committed topology");
    parse_topology(&text, &file, TopologyFormat::Auto).expect("valid topology")
}

fn number(row: &HashMap<String, String>, key: &str) -> f64 {
    row[key]
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{key} = {:?}", row[key]))
}

struct Case {
    row: HashMap<String, String>,
    ours: LayerReport,
}

fn run_table(name: &str) -> Vec<Case> {
    let mut topologies: HashMap<String, Vec<Layer>> = HashMap::new();
    read_table(name)
        .into_iter()
        .map(|row| {
            let layers = topologies
                .entry(row["topology"].clone())
                .or_insert_with(|| topology(&row["topology"]));
            let layer = layers[number(&row, "layer") as usize].clone();
            let interface = if row["mode"] == "user" {
                Interface::User {
                    words_per_cycle: number(&row, "bandwidth") as u64,
                }
            } else {
                Interface::Calc
            };
            let config = ArrayConfig {
                rows: number(&row, "array_rows") as u64,
                cols: number(&row, "array_cols") as u64,
                dataflow: Dataflow::from_name(&row["dataflow"]).expect("dataflow"),
                ifmap_sram_kb: number(&row, "ifmap_sram_kb") as u64,
                filter_sram_kb: number(&row, "filter_sram_kb") as u64,
                ofmap_sram_kb: number(&row, "ofmap_sram_kb") as u64,
                interface,
                conventions: Default::default(),
            };
            let ours = run_layer(&layer, &config, Playback::Skipping).expect("runs");
            assert_eq!(
                ours.macs, ours.layer_macs,
                "MACs conserved on {}",
                layer.name
            );
            Case { row, ours }
        })
        .collect()
}

fn label(case: &Case) -> String {
    let r = &case.row;
    format!(
        "{} {}x{} {} {} layer {}",
        r["mode"], r["array_rows"], r["array_cols"], r["dataflow"], r["topology"], r["layer"]
    )
}

#[test]
fn v2_calc_total_cycles_equal_on_every_layer() {
    let cases = run_table("v2_calc.csv");
    assert!(cases.len() >= 50, "the table has {} rows", cases.len());
    let mut mismatches = Vec::new();
    for case in &cases {
        let theirs = number(&case.row, "total_cycles") as u64;
        let stalls = number(&case.row, "stall_cycles") as u64;
        if case.ours.total_cycles != theirs || case.ours.stall_cycles != stalls {
            mismatches.push(format!(
                "{}: cycles ours {} SCALE-Sim {}, stalls ours {} SCALE-Sim {}",
                label(case),
                case.ours.total_cycles,
                theirs,
                case.ours.stall_cycles,
                stalls
            ));
        }
        let theirs_util = number(&case.row, "overall_util");
        assert!(
            (case.ours.overall_utilisation - theirs_util).abs()
                < 1e-6 * theirs_util.max(1.0) + 1e-9
                || case.ours.total_cycles != theirs
        );
        let theirs_mapping = number(&case.row, "mapping_efficiency");
        assert!(
            (case.ours.mapping_efficiency - theirs_mapping).abs() < 1e-6,
            "{}: mapping efficiency",
            label(case)
        );
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} rows differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}

/// |ours − theirs| / theirs, with a floor of 1 % of the total cycles on the denominator so that a
/// layer with a handful of stall cycles is not judged by a ratio of small numbers.
fn stall_error(ours: f64, theirs: f64, total: f64) -> f64 {
    (ours - theirs).abs() / theirs.max(0.01 * total).max(1.0)
}

#[test]
fn v2_user_stall_cycles_within_5_percent() {
    let cases = run_table("v2_user.csv");
    assert!(cases.len() >= 20, "the table has {} rows", cases.len());
    assert!(
        cases.iter().any(|c| number(&c.row, "stall_cycles") > 0.0),
        "the table exercises stalls"
    );
    let mut worst = (0.0, String::new());
    for case in &cases {
        let theirs = number(&case.row, "stall_cycles");
        let error = stall_error(
            case.ours.stall_cycles as f64,
            theirs,
            number(&case.row, "total_cycles"),
        );
        if error > worst.0 {
            worst = (error, label(case));
        }
        let cycles_error = (case.ours.total_cycles as f64 - number(&case.row, "total_cycles"))
            .abs()
            / number(&case.row, "total_cycles");
        assert!(
            cycles_error <= 0.05,
            "{}: total cycles off by {:.2} %",
            label(case),
            100.0 * cycles_error
        );
    }
    assert!(
        worst.0 <= 0.05,
        "stall cycles off by {:.2} % on {}",
        100.0 * worst.0,
        worst.1
    );
}

#[test]
fn v3_calc_cycles_including_prefetch_within_1_percent() {
    let cases = run_table("v3_calc.csv");
    assert!(cases.len() >= 30, "the table has {} rows", cases.len());
    let mut worst = (0.0, String::new());
    for case in &cases {
        // v3 counts compute cycles as v2 does.
        assert_eq!(
            case.ours.total_cycles,
            number(&case.row, "total_cycles") as u64,
            "{}",
            label(case)
        );
        let theirs = number(&case.row, "total_cycles_incl_prefetch");
        let error = (case.ours.total_cycles_incl_prefetch as f64 - theirs).abs() / theirs;
        if error > worst.0 {
            worst = (error, label(case));
        }
    }
    assert!(
        worst.0 <= 0.01,
        "cycles including prefetch off by {:.3} % on {}",
        100.0 * worst.0,
        worst.1
    );
}
