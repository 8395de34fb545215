//! Command-line details: usage errors where the command line is at fault, warnings where the input is
//! legal but surprising.

mod common;

use common::{exit_code, maestro, transcript, TINY_MODEL};

#[test]
fn misused_flags_are_usage_errors() {
    assert_eq!(exit_code(&["validate", "--update-baseline"]), 2);
    assert_eq!(
        exit_code(&[
            "sweep",
            "--model",
            TINY_MODEL,
            "--dataflow",
            "kcp_ws,kcp_ws"
        ]),
        2
    );
    let output = maestro(&[
        "dse",
        "--model",
        TINY_MODEL,
        "--dataflow",
        "kcp_ws",
        "--area-cap",
        "-1",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("--area-cap must be a positive number, found -1"));
    let output = maestro(&[
        "dse",
        "--model",
        TINY_MODEL,
        "--dataflow",
        "kcp_ws",
        "--power-cap",
        "-2.5",
    ]);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--power-cap must be a positive number")
    );
}

#[test]
fn repeated_layer_names_are_a_warning_and_layers_selects_all_of_them() {
    let output = maestro(&[
        "sweep",
        "--model",
        "crates/cli/tests/data/duplicate_names.m",
        "--dataflow",
        "kcp_ws",
        "--layers",
        "conv",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| line.starts_with("kcp_ws,conv,"))
            .count(),
        2
    );
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("2 layers are named `conv` (indices 0, 1); `--layers conv` selects all of them"));
}
