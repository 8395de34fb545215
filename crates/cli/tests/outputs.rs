//! Outputs: files are replaced atomically and checked before any work; a closed standard output is
//! an error, a closed pipe is not.

mod common;

use common::{maestro, transcript, workspace_root, TINY, TINY_MODEL};
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// An empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let directory =
        std::env::temp_dir().join(format!("maestro-outputs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    directory
}

fn entries(directory: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .expect("readable")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_run_leaves_the_old_output_file_whole_and_no_temporary_file() {
    let directory = scratch("atomic");
    let target = directory.join("out.csv");
    std::fs::write(&target, "old report\n").expect("writable");
    let target_text = target.display().to_string();
    let output = maestro(&[
        "analyze",
        "--mapping",
        "crates/cli/tests/data/bad_syntax.m",
        "--output",
        &target_text,
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert_eq!(
        std::fs::read_to_string(&target).expect("kept"),
        "old report\n"
    );
    assert_eq!(entries(&directory), ["out.csv"]);
    // A successful run replaces it, again without leftovers.
    let output = maestro(&[
        "analyze",
        "--mapping",
        TINY,
        "--format",
        "csv",
        "--output",
        &target_text,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(std::fs::read_to_string(&target)
        .expect("written")
        .starts_with("Neural Network Name"));
    assert_eq!(entries(&directory), ["out.csv"]);
    let _ = std::fs::remove_dir_all(&directory);
}

#[test]
fn every_output_path_is_checked_before_any_work() {
    let directory = scratch("checked");
    let report = directory.join("rep");
    let output = maestro(&[
        "validate",
        "--mapping",
        TINY,
        "--report",
        &report.display().to_string(),
        "--output",
        "/nonexistent/x.csv",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write /nonexistent/x.csv"));
    assert!(
        !report.exists(),
        "the report directory was made before the output failed"
    );
    for args in [
        &[
            "simulate",
            "--mapping",
            TINY,
            "--trace",
            "/nonexistent/t.jsonl",
        ][..],
        &[
            "sweep",
            "--model",
            TINY_MODEL,
            "--dataflow",
            "kcp_ws",
            "--plot",
            "/nonexistent/p.svg",
        ],
        &[
            "dse",
            "--model",
            TINY_MODEL,
            "--dataflow",
            "kcp_ws",
            "--output",
            "/nonexistent/d.csv",
        ],
    ] {
        let output = maestro(args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            transcript(&output)
        );
        assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/"));
    }
    let _ = std::fs::remove_dir_all(&directory);
}

#[test]
fn a_closed_standard_output_is_an_error() {
    let output = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" check --mapping crates/cli/tests/data/tiny.m >&-")
        .arg(env!("CARGO_BIN_EXE_maestro"))
        .current_dir(workspace_root())
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs");
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write standard output"));
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // A streamed CSV far larger than a pipe's buffer; the reader takes 100 bytes and leaves.
    let mut child = Command::new(env!("CARGO_BIN_EXE_maestro"))
        .args([
            "sweep",
            "--model",
            TINY_MODEL,
            "--dataflow",
            "kcp_ws",
            "--param",
            "l2.size=100000..119999",
            "--format",
            "csv",
        ])
        .current_dir(workspace_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("maestro runs");
    let mut start = [0u8; 100];
    child
        .stdout
        .take()
        .expect("piped")
        .read_exact(&mut start)
        .expect("100 bytes");
    let output = child.wait_with_output().expect("maestro ends");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
