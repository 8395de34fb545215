//! Sharded explorations end to end: `dse --shard K/N` parts merged by `maestro merge` give the whole
//! `maestro dse` output byte for byte (CSV, table and JSON; any shard count; parts in any order);
//! `--resume` after a cut part writes the part an uninterrupted run writes; a part of another
//! exploration does not merge.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A small exploration with invalid points (L1 of 8 elements does not hold a step's tiles), pruned
/// points (the caps) and two dataflows.
fn exploration(format: &str) -> Vec<String> {
    [
        "dse",
        "--model",
        TINY_MODEL,
        "--dataflow",
        "kcp_ws,yxp_os",
        "--pes",
        "16,32,64,128",
        "--l1",
        "8,64,512",
        "--l2",
        "16384,65536",
        "--bandwidth",
        "4..64 x 4",
        "--area-cap",
        "10",
        "--power-cap",
        "150",
        "--format",
        format,
    ]
    .map(String::from)
    .to_vec()
}

fn run(args: &[String]) -> std::process::Output {
    maestro(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn with(mut args: Vec<String>, more: &[&str]) -> Vec<String> {
    args.extend(more.iter().map(|s| s.to_string()));
    args
}

fn parts(dir: &Path, study: &[String], count: usize) -> Vec<String> {
    (0..count)
        .map(|k| {
            let part = dir.join(format!("part-{k}.txt")).display().to_string();
            let shard = format!("{k}/{count}");
            let output = run(&with(
                study.to_vec(),
                &["--shard", &shard, "--output", &part],
            ));
            assert!(output.status.success(), "{}", transcript(&output));
            part
        })
        .collect()
}

fn merge(parts: &[String], format: &str) -> std::process::Output {
    let mut args = vec!["merge".to_owned(), "--format".to_owned(), format.to_owned()];
    args.extend(parts.iter().cloned());
    run(&args)
}

#[test]
fn three_merged_shards_are_the_whole_exploration_byte_for_byte() {
    for count in [1, 3, 7] {
        let dir = scratch(&format!("dse-shards-{count}"));
        let mut parts = parts(&dir, &exploration("csv"), count);
        parts.reverse();
        for format in ["csv", "table", "json"] {
            let whole = run(&exploration(format));
            assert!(whole.status.success(), "{}", transcript(&whole));
            let merged = merge(&parts, format);
            assert!(merged.status.success(), "{}", transcript(&merged));
            assert_eq!(
                String::from_utf8_lossy(&merged.stdout),
                String::from_utf8_lossy(&whole.stdout),
                "{count} shards, {format}"
            );
        }
    }
    // The study is not trivial: valid and invalid points, and a front.
    let whole = String::from_utf8(run(&exploration("json")).stdout).unwrap();
    assert!(whole.contains("\"invalid\": 14"), "{whole}");
    assert!(whole.contains("L1 elements per PE"), "{whole}");
}

#[test]
fn a_resumed_dse_shard_writes_the_part_an_uninterrupted_run_writes() {
    let dir = scratch("dse-resume");
    let whole = parts(&dir, &exploration("csv"), 3)[1].clone();
    let text = std::fs::read_to_string(&whole).unwrap();
    let resumed = dir.join("resumed.txt").display().to_string();
    for cut in [text.len() / 3, text.len() / 2 + 7, text.len() - 1] {
        std::fs::write(format!("{resumed}.partial"), &text[..cut]).unwrap();
        let output = run(&with(
            exploration("csv"),
            &["--shard", "1/3", "--output", &resumed, "--resume"],
        ));
        assert!(output.status.success(), "{}", transcript(&output));
        assert_eq!(
            std::fs::read_to_string(&resumed).unwrap(),
            text,
            "cut at {cut}"
        );
        assert!(!Path::new(&format!("{resumed}.partial")).exists());
    }
    // Without --resume the partial part is not trusted: the shard starts afresh.
    std::fs::write(format!("{resumed}.partial"), "garbage").unwrap();
    let output = run(&with(
        exploration("csv"),
        &["--shard", "1/3", "--output", &resumed],
    ));
    assert!(output.status.success(), "{}", transcript(&output));
    assert_eq!(std::fs::read_to_string(&resumed).unwrap(), text);
}

#[test]
fn parts_of_another_exploration_or_a_sweep_do_not_merge() {
    let dir = scratch("dse-foreign");
    let parts = parts(&dir, &exploration("csv"), 2);
    let other = scratch("dse-foreign-other");
    let foreign = self::parts(
        &other,
        &with(exploration("csv"), &["--objective", "runtime"]),
        2,
    );
    let output = merge(&[parts[0].clone(), foreign[1].clone()], "csv");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("another study"), "{stderr}");
    // A resumed shard over another exploration's part is refused.
    let output = run(&with(
        exploration("csv"),
        &[
            "--objective",
            "runtime",
            "--shard",
            "0/2",
            "--output",
            &parts[0],
            "--resume",
        ],
    ));
    assert_eq!(output.status.code(), Some(1));
    // Flags that need the whole exploration are usage errors with --shard.
    for more in [
        vec!["--shard", "0/2", "--output", &parts[0], "--simulate-front"],
        vec!["--shard", "0/2"],
        vec!["--shard", "5/4", "--output", &parts[0]],
    ] {
        let output = run(&with(exploration("csv"), &more));
        assert_eq!(output.status.code(), Some(2), "{more:?}");
    }
    let output = run(&with(
        exploration("table"),
        &["--shard", "0/2", "--output", &parts[0]],
    ));
    assert_eq!(output.status.code(), Some(2));
}
