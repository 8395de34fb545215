//! End-to-end tests of `maestro validate`: a single network in every format, a report directory, and
//! a suite's regression gate — accepting a baseline, passing against it, and failing (exit 1, naming
//! case, layer and quantity) when the baseline no longer matches.

mod common;

use common::*;
use std::path::PathBuf;
use std::process::Output;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A fresh directory for one test (removed first if an earlier run left it behind).
fn scratch(name: &str) -> PathBuf {
    let directory =
        std::env::temp_dir().join(format!("maestro-validate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    directory
}

#[test]
fn csv_has_one_row_per_layer_and_the_required_columns() {
    let output = maestro(&["validate", "--mapping", TINY, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let header: Vec<&str> = lines[0].split(',').collect();
    for column in [
        "Layer",
        "Analytical Runtime (Cycles)",
        "Simulated Runtime (Cycles)",
        "Runtime Error (%)",
        "Analytical L2 Reads (Elements)",
        "Simulated NoC Elements (Elements)",
        "L1 Requirement Error (%)",
    ] {
        assert!(header.contains(&column), "missing {column}");
    }
    assert!(lines[1].starts_with("tiny,CONV1,CONV,"));
    assert!(lines[2].starts_with("tiny,FC,GEMM,"));
}

#[test]
fn compat_adds_a_column_and_json_holds_it() {
    let output = maestro(&[
        "validate",
        "--mapping",
        TINY,
        "--compat",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap_or_default();
    assert_eq!(value["compat"], true);
    assert!(value["layers"][0]["quantities"][0]["compat"].is_number());
}

#[test]
fn a_report_directory_holds_markdown_json_and_three_plots() {
    let directory = scratch("report");
    let target = directory.to_string_lossy().into_owned();
    let output = maestro(&["validate", "--mapping", TINY, "--report", &target]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("Network: tiny on default"));
    for file in [
        "report.md",
        "report.json",
        "error_per_layer.svg",
        "runtime_scatter.svg",
        "stall_breakdown.svg",
    ] {
        let text = std::fs::read_to_string(directory.join(file)).unwrap_or_default();
        assert!(!text.is_empty(), "{file} is missing or empty");
    }
    let markdown = std::fs::read_to_string(directory.join("report.md")).unwrap_or_default();
    assert!(markdown.starts_with("# Validation: tiny on default"));
    assert!(markdown.contains("![Signed error per layer](error_per_layer.svg)"));
    let _ = std::fs::remove_dir_all(&directory);
}

#[test]
fn the_suite_gate_accepts_its_baseline_and_fails_when_an_error_moves() {
    let directory = scratch("suite");
    let tiny = workspace_root().join(TINY);
    std::fs::copy(&tiny, directory.join("tiny.m")).expect("copy tiny.m");
    std::fs::write(
        directory.join("suite.toml"),
        "[[case]]\nname = \"tiny-starved\"\nmapping = \"tiny.m\"\n[case.overrides]\nnoc_bw = 2\n",
    )
    .expect("write the suite");
    let suite = directory.to_string_lossy().into_owned();

    let missing = maestro(&["validate", "--suite", &suite]);
    assert_eq!(missing.status.code(), Some(1), "no baseline yet");

    let update = maestro(&["validate", "--suite", &suite, "--update-baseline"]);
    assert_eq!(update.status.code(), Some(0));
    assert!(stdout(&update).contains("baseline updated"));
    assert!(directory.join("baseline.md").exists());

    let pass = maestro(&["validate", "--suite", &suite]);
    assert_eq!(pass.status.code(), Some(0), "{}", stdout(&pass));
    assert!(stdout(&pass).contains("gate passed: 1 cases, 12 comparisons"));

    // Move the accepted runtime error of the first layer by 5 points: the gate must fail and name it.
    let path = directory.join("baseline.json");
    let mut baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
            .unwrap_or_default();
    let accepted = baseline["cases"][0]["layers"][0]["errors"]["runtime"]
        .as_f64()
        .unwrap_or(f64::NAN);
    baseline["cases"][0]["layers"][0]["errors"]["runtime"] = serde_json::json!(accepted + 5.0);
    std::fs::write(&path, baseline.to_string()).expect("rewrite the baseline");
    let fail = maestro(&["validate", "--suite", &suite]);
    assert_eq!(fail.status.code(), Some(1));
    let text = stdout(&fail);
    assert!(
        text.contains("FAIL case `tiny-starved`, layer `CONV1`: Runtime error moved from"),
        "{text}"
    );
    assert!(text.contains("gate failed: 1 finding(s)"), "{text}");
    let _ = std::fs::remove_dir_all(&directory);
}

#[test]
fn suite_csv_is_a_usage_error_and_a_bad_suite_points_at_the_text() {
    let usage = maestro(&["validate", "--suite", "validation", "--format", "csv"]);
    assert_eq!(usage.status.code(), Some(2));
    let directory = scratch("bad-suite");
    std::fs::write(
        directory.join("suite.toml"),
        "[[case]]\nname = \"a\"\nmodel = \"m.m\"\ndataflow = \"zigzag\"\n",
    )
    .expect("write the suite");
    let output = maestro(&["validate", "--suite", &directory.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("dataflow `zigzag`"), "{error}");
    assert!(error.contains("suite.toml:4:12]"), "{error}");
    let _ = std::fs::remove_dir_all(&directory);
}
