//! End-to-end tests of `maestro noc`: a BookSim configuration file, flags, the three formats, a
//! latency-load sweep with its plot, and bad input (exit 1 naming the key, exit 2 for usage).

mod common;

use common::*;

const MESH4: &str = "crates/cli/tests/data/noc/mesh4.cfg";

fn stdout(args: &[&str]) -> String {
    let output = maestro(args);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn csv_uses_booksim_statistic_names_and_is_deterministic() {
    let args = ["noc", "--config", MESH4, "--format", "csv"];
    let first = stdout(&args);
    assert!(first.starts_with(
        "injection_rate,stable,avg_packet_latency,avg_network_latency,avg_flit_latency,accepted_flit_rate,hops_avg,batch_time,cycles\n"
    ));
    let row: Vec<&str> = first
        .lines()
        .nth(1)
        .expect("a result row")
        .split(',')
        .collect();
    assert_eq!(row[0], "0.1");
    assert_eq!(row[1], "1");
    let latency: f64 = row[2].parse().expect("a latency");
    // Zero-load latency of a 4x4 mesh under uniform traffic is about 19.5 cycles (BookSim2: 19.5).
    assert!((19.0..21.0).contains(&latency), "{latency}");
    assert_eq!(first, stdout(&args), "same inputs, same bytes");
}

#[test]
fn flags_override_the_file_and_batch_mode_reports_its_time() {
    let text = stdout(&[
        "noc",
        "--config",
        MESH4,
        "--sim-type",
        "batch",
        "--batch-size",
        "20",
        "--traffic",
        "bitcomp",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let result = &value["results"][0];
    assert!(result["batch_time"].as_u64().expect("a batch time") > 20);
    assert_eq!(
        result["stats"]["flits_injected"], result["stats"]["flits_ejected"],
        "every injected flit is ejected"
    );
}

#[test]
fn a_sweep_prints_one_row_per_rate_and_draws_the_curve() {
    let plot = std::env::temp_dir().join(format!("maestro-noc-sweep-{}.svg", std::process::id()));
    let plot_arg = plot.display().to_string();
    let text = stdout(&[
        "noc",
        "--config",
        MESH4,
        "--sweep-rates",
        "0.05,0.2,0.4",
        "--plot",
        &plot_arg,
    ]);
    assert_eq!(text.lines().count(), 4, "{text}");
    let svg = std::fs::read_to_string(&plot).expect("the plot");
    assert!(svg.starts_with("<svg") && svg.contains("offered load"));
    let _ = std::fs::remove_file(&plot);
}

#[test]
fn bad_configuration_files_name_the_key_with_its_position() {
    let output = maestro(&[
        "noc",
        "--config",
        "crates/cli/tests/data/noc/unknown_key.cfg",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("crates/cli/tests/data/noc/unknown_key.cfg:3:1: unknown key `buffer_size`"),
        "{stderr}"
    );
    let output = maestro(&["noc", "--config", "crates/cli/tests/data/noc/zero_vcs.cfg"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(":2:11: `num_vcs` must be between 1 and 64, found 0"),
        "{stderr}"
    );
}

#[test]
fn bad_flags_are_errors() {
    assert_eq!(exit_code(&["noc", "--k", "1"]), 2);
    assert_eq!(
        exit_code(&["noc", "--k", "4", "--injection-rate", "1.5"]),
        1
    );
    assert_eq!(exit_code(&["noc", "--k", "4", "--traffic", "zigzag"]), 1);
    assert_eq!(
        exit_code(&[
            "noc",
            "--k",
            "4",
            "--traffic",
            "hotspot",
            "--hotspots",
            "99"
        ]),
        1
    );
    let output = maestro(&[
        "noc",
        "--k",
        "4",
        "--traffic",
        "hotspot",
        "--hotspots",
        "99",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("hotspot node 99 is outside the network's 16 nodes"),
        "{stderr}"
    );
}
