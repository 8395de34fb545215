//! Conformance with BookSim2: replays the configurations of validation/noc/booksim/ (written by
//! scripts/booksim/run_tables.py from a BookSim2 build) and checks the targets of docs/noc.md:
//! zero-load average packet latency within 2 %, average packet latency within 10 % at loads up to
//! 80 % of BookSim's saturation rate, saturation throughput within 5 %, batch time within 10 %.
//!
//! The saturation throughput is the accepted rate under an offered load of 1 flit/node/cycle
//! (BookSim `sim_type = throughput`). The saturation *rate* that bounds the latency target is the
//! first load of BookSim's curve that is unstable or whose latency exceeds three times the
//! zero-load latency (the knee), or the saturation throughput if the curve has no knee.
#![allow(clippy::print_stderr)]

use maestro_noc::{run, NocConfig, RunSettings, SimType, TrafficPattern};
use std::path::PathBuf;

fn table(name: &str) -> Vec<Vec<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../validation/noc/booksim")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            line.split(',')
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

fn number(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("`{cell}` is not a number"))
}

fn network(k: u32) -> NocConfig {
    NocConfig {
        k,
        num_vcs: 2,
        vc_buf_size: 4,
        ..NocConfig::default()
    }
}

fn traffic(name: &str, k: usize) -> TrafficPattern {
    if name == "hotspot" {
        TrafficPattern::Hotspot(vec![0, k - 1, k * (k - 1), k * k - 1])
    } else {
        TrafficPattern::parse(name, &[]).expect("known traffic")
    }
}

fn settings(k: u32, traffic_name: &str, size: u32) -> RunSettings {
    RunSettings {
        traffic: traffic(traffic_name, k as usize),
        packet_size: size,
        seed: 1,
        ..RunSettings::default()
    }
}

struct Check {
    what: String,
    ours: f64,
    theirs: f64,
    tolerance: f64,
}

impl Check {
    fn error(&self) -> f64 {
        (self.ours - self.theirs) / self.theirs
    }
}

fn conformance(k: u32) {
    let mut checks = Vec::new();
    let saturation = table("saturation.csv");
    let latency = table("latency.csv");
    let batch = table("batch.csv");
    for row in saturation.iter().filter(|row| number(&row[0]) as u32 == k) {
        let (name, size) = (row[1].as_str(), number(&row[2]) as u32);
        let theirs_saturation = number(&row[3]);
        let config = network(k);
        let ours = run(
            &config,
            &RunSettings {
                sim_type: SimType::Throughput,
                injection_rate: 1.0,
                ..settings(k, name, size)
            },
        )
        .expect("runs");
        checks.push(Check {
            what: format!("k={k} {name} size={size} saturation throughput"),
            ours: ours.accepted_flit_rate,
            theirs: theirs_saturation,
            tolerance: 0.05,
        });
        let points: Vec<&Vec<String>> = latency
            .iter()
            .filter(|r| number(&r[0]) as u32 == k && r[1] == name && number(&r[2]) as u32 == size)
            .collect();
        let zero_load_latency = number(&points[0][6]);
        let knee = points
            .iter()
            .skip(1)
            .find(|p| p[5] != "1" || number(&p[6]) > 3.0 * zero_load_latency)
            .map_or(theirs_saturation, |p| number(&p[3]));
        for (index, point) in points.iter().enumerate() {
            let rate = number(&point[3]);
            let stable = point[5] == "1";
            if !stable || rate > 0.8 * knee + 1e-9 {
                continue;
            }
            let zero_load = index == 0;
            let ours = run(
                &config,
                &RunSettings {
                    injection_rate: rate,
                    sample_period: number(&point[4]) as u32,
                    ..settings(k, name, size)
                },
            )
            .expect("runs");
            checks.push(Check {
                what: format!(
                    "k={k} {name} size={size} rate={rate:.4} {}",
                    if zero_load {
                        "zero-load latency"
                    } else {
                        "latency"
                    }
                ),
                ours: ours.avg_packet_latency,
                theirs: number(&point[6]),
                tolerance: if zero_load { 0.02 } else { 0.10 },
            });
        }
        if let Some(batch_row) = batch
            .iter()
            .find(|r| number(&r[0]) as u32 == k && r[1] == name && number(&r[2]) as u32 == size)
        {
            let ours = run(
                &config,
                &RunSettings {
                    sim_type: SimType::Batch,
                    batch_size: number(&batch_row[3]) as u32,
                    ..settings(k, name, size)
                },
            )
            .expect("runs");
            checks.push(Check {
                what: format!("k={k} {name} size={size} batch time"),
                ours: ours.batch_time.unwrap_or(0) as f64,
                theirs: number(&batch_row[4]),
                tolerance: 0.10,
            });
        }
    }
    assert!(!checks.is_empty(), "no BookSim rows for k={k}");
    let mut failures = Vec::new();
    for check in &checks {
        let line = format!(
            "{:<60} ours {:>10.4} booksim {:>10.4} error {:>+7.2}% (target {:.0}%)",
            check.what,
            check.ours,
            check.theirs,
            100.0 * check.error(),
            100.0 * check.tolerance
        );
        eprintln!("{line}");
        if check.error().abs() > check.tolerance {
            failures.push(line);
        }
    }
    assert!(
        failures.is_empty(),
        "outside the targets:\n{}",
        failures.join("\n")
    );
}

#[test]
fn mesh_4x4_matches_booksim() {
    conformance(4);
}

#[test]
fn mesh_8x8_matches_booksim() {
    conformance(8);
}
