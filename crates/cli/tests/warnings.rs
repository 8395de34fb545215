//! Findings that do not stop a run are shown: capacity findings on standard error and under the
//! table, `--compat`'s reproduced reference quirks on standard error (standard output unchanged).

mod common;

use common::{maestro, transcript, TINY};

#[test]
fn capacity_findings_are_printed_on_stderr_and_under_the_table() {
    let output = maestro(&["analyze", "--mapping", TINY, "--l1-size", "4"]);
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let finding = "layer CONV1: L1 holds 4 elements but one step's tiles need 19";
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&format!("capacity: {finding}")),
        "{text}"
    );
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains(&format!("warning: crates/cli/tests/data/tiny.m: {finding}")),
        "{text}"
    );
    // Enough L1: nothing to say.
    let output = maestro(&["analyze", "--mapping", TINY]);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning"));
}

#[test]
fn compat_quirks_are_named_on_stderr_and_stdout_keeps_the_reference_bytes() {
    let args = [
        "analyze",
        "--compat",
        "--mapping",
        "crates/cli/tests/data/compat_quirk.m",
        "--format",
        "csv",
    ];
    let output = maestro(&args);
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("compat_quirk,FC,256,0,") && stdout.contains("-nan"),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("layer FC: --compat reproduces a reference quirk, not a result: not a number: throughput")
            && stderr.contains("delay -9223372036854775808 (an empty statistic) in: ingress"),
        "{text}"
    );
}
