//! Resource bounds of the `maestro` binary: memory follows the work, not the declared sizes. Each run
//! is limited with `ulimit -v` (virtual memory, in KiB), so an allocation that grows with a declared
//! count fails the test instead of the machine.

mod common;

use common::{transcript, workspace_root, TINY_MODEL};
use std::process::{Command, Output, Stdio};

/// One gibibyte of address space, in KiB.
const ONE_GIB: u64 = 1 << 20;

/// Runs `maestro ARGS` from the workspace root under `ulimit -v limit_kib`.
fn maestro_within(limit_kib: u64, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {limit_kib} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_maestro"))
        .args(args)
        .current_dir(workspace_root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("sh runs")
}

#[test]
fn simulating_a_small_layer_on_16_m_pes_fits_in_one_gib() {
    for dataflow in ["kcp_ws", "rs", "nlr"] {
        let output = maestro_within(
            ONE_GIB,
            &[
                "simulate",
                "--model",
                TINY_MODEL,
                "--dataflow",
                dataflow,
                "--num-pes",
                "16777216",
                "--format",
                "csv",
                "--threads",
                "1",
            ],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{dataflow}: {}",
            transcript(&output)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("16777216"));
    }
}

#[test]
fn a_time_limit_names_the_unfinished_layer_and_keeps_the_finished_rows() {
    let output = common::maestro(&[
        "simulate",
        "--model",
        "crates/cli/tests/data/long_model.m",
        "--dataflow",
        "nlr",
        "--format",
        "csv",
        "--time-limit",
        "1",
        "--threads",
        "1",
    ]);
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.lines().count(),
        2,
        "header and the short layer: {text}"
    );
    assert!(stdout.contains("long_model, short,"), "{text}");
    // miette wraps the message: compare it as one line.
    let stderr = String::from_utf8_lossy(&output.stderr)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        stderr.contains("time limit of 1 s reached")
            && stderr.contains("layer `conv5_1`: stopped at step")
            && stderr.contains("of 200704")
            && stderr.contains("1 finished layer(s) were written"),
        "{text}"
    );
    // Not a terminal: no progress bar.
    assert!(!stderr.contains("steps ["), "{text}");
}

#[test]
fn a_csv_sweep_streams_in_bounded_memory() {
    // 180 000 points × 2 layers: holding them all took about 245 MB before rows were streamed; the
    // streamed sweep stays far below 128 MiB of address space (one thread: no worker arenas).
    let output = maestro_within(
        128 << 10,
        &[
            "sweep",
            "--model",
            TINY_MODEL,
            "--dataflow",
            "kcp_ws",
            "--param",
            "l1.size=100..399",
            "--param",
            "l2.size=100000..100599",
            "--format",
            "csv",
            "--threads",
            "1",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", {
        let mut text = transcript(&output);
        text.truncate(2000);
        text
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1 + 180_000 * 2);
}

#[test]
fn an_endless_input_is_refused_at_the_size_limit() {
    // /dev/zero never ends: the reader stops one byte past 64 MiB instead of growing without bound.
    let output = maestro_within(ONE_GIB, &["analyze", "--mapping", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read /dev/zero") && stderr.contains("input limit of 64 MiB"),
        "{stderr}"
    );
}

#[test]
fn validate_stops_at_the_time_limit_and_names_the_layer_and_step() {
    let output = common::maestro(&[
        "validate",
        "--model",
        "crates/cli/tests/data/long_model.m",
        "--dataflow",
        "nlr",
        "--time-limit",
        "1",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert!(
        stderr.contains("time limit reached")
            && stderr.contains("layer `conv5_1`: stopped at step")
            && stderr.contains("of 200704"),
        "{stderr}"
    );
}
