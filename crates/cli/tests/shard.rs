//! Sharded sweeps end to end: `sweep --shard K/N` parts merged by `maestro merge` are the
//! single-machine CSV byte for byte (analytical and simulated studies, any shard count, parts given
//! in any order); `--resume` finishes a shard that was cut short and writes the same part; and the
//! ways a merge or a shard can be wrong end with exit 1 (bad parts) or 2 (bad flags), naming the part.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// A scratch directory under the target directory, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn study(engine: &str) -> Vec<String> {
    [
        "sweep",
        "--mapping",
        TINY,
        "--param",
        "noc.bandwidth=1,2,8",
        "--param",
        "noc.multicast=true,false",
        "--param",
        "pe.count=4,8",
        "--engine",
        engine,
        "--format",
        "csv",
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

/// Writes the `count` parts of `study` into `dir`; returns their paths.
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

fn merge(parts: &[String]) -> std::process::Output {
    let mut args = vec!["merge".to_owned()];
    args.extend(parts.iter().cloned());
    run(&args)
}

#[test]
fn merged_shards_are_the_single_machine_csv_byte_for_byte() {
    for engine in ["analytical", "both"] {
        let single = run(&study(engine));
        assert!(single.status.success());
        for count in [1, 3, 5, 13] {
            let dir = scratch(&format!("shards-{engine}-{count}"));
            let mut parts = parts(&dir, &study(engine), count);
            parts.reverse();
            let merged = merge(&parts);
            assert!(merged.status.success(), "{}", transcript(&merged));
            assert_eq!(
                String::from_utf8_lossy(&merged.stdout),
                String::from_utf8_lossy(&single.stdout),
                "{engine}, {count} shards"
            );
        }
    }
}

#[test]
fn a_resumed_shard_writes_the_part_an_uninterrupted_run_writes() {
    let dir = scratch("resume");
    let whole = parts(&dir, &study("analytical"), 3)[1].clone();
    let text = std::fs::read_to_string(&whole).unwrap();
    let resumed = dir.join("resumed.txt").display().to_string();
    // A run stopped in the middle of a block leaves the unfinished part beside the target.
    for cut in [text.len() / 3, text.len() / 2 + 7, text.len() - 1] {
        std::fs::write(format!("{resumed}.partial"), &text[..cut]).unwrap();
        let output = run(&with(
            study("analytical"),
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
    // Resuming a complete part changes nothing.
    let output = run(&with(
        study("analytical"),
        &["--shard", "1/3", "--output", &resumed, "--resume"],
    ));
    assert!(output.status.success());
    assert_eq!(std::fs::read_to_string(&resumed).unwrap(), text);
    // A part of another shard is not resumed over.
    let output = run(&with(
        study("analytical"),
        &["--shard", "2/3", "--output", &resumed, "--resume"],
    ));
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("another study or shard"));
}

/// The exit code and standard error of a merge.
fn merge_failure(parts: &[String]) -> (i32, String) {
    let output = merge(parts);
    assert!(output.stdout.is_empty(), "a failing merge writes nothing");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).replace('\n', " "),
    )
}

#[test]
fn wrong_parts_are_refused_before_anything_is_written() {
    let dir = scratch("wrong-parts");
    let parts = parts(&dir, &study("analytical"), 3);
    let other = scratch("wrong-parts-other");
    let other_study = with(study("analytical"), &["--param", "l1.size=512"]);
    let foreign = self::parts(&other, &other_study, 3);
    let (code, message) = merge_failure(&parts[..2]);
    assert_eq!(code, 1);
    assert!(message.contains("shard 2/3 is missing"), "{message}");
    let (code, message) = merge_failure(&[parts[0].clone(), parts[1].clone(), parts[1].clone()]);
    assert_eq!(code, 1);
    assert!(message.contains("given twice"), "{message}");
    let (code, message) = merge_failure(&[parts[0].clone(), parts[1].clone(), foreign[2].clone()]);
    assert_eq!(code, 1);
    assert!(message.contains("another study"), "{message}");
    let text = std::fs::read_to_string(&parts[2]).unwrap();
    let cut = dir.join("cut.txt").display().to_string();
    std::fs::write(&cut, &text[..text.len() - 5]).unwrap();
    let (code, message) = merge_failure(&[parts[0].clone(), parts[1].clone(), cut.clone()]);
    assert_eq!(code, 1);
    assert!(
        message.contains("incomplete") && message.contains("--resume"),
        "{message}"
    );
    std::fs::write(&cut, "dataflow,layer\nkcp_ws,conv1\n").unwrap();
    let (code, message) = merge_failure(&[parts[0].clone(), parts[1].clone(), cut]);
    assert_eq!(code, 1);
    assert!(
        message.contains("cut.txt:1") && message.contains("maestro-sweep-part"),
        "{message}"
    );
}

#[test]
fn bad_shard_flags_are_usage_errors() {
    let part = scratch("bad-flags").join("part.txt").display().to_string();
    for (more, expected) in [
        (
            vec!["--shard", "5/4", "--output", &part],
            "shard 5 of 4 does not exist",
        ),
        (vec!["--shard", "1/0", "--output", &part], "does not exist"),
        (vec!["--shard", "one/4", "--output", &part], "whole numbers"),
        (vec!["--shard", "1/4"], "--shard needs --output"),
        (vec!["--resume", "--output", &part], "--shard"),
        (
            vec!["--shard", "1/4", "--output", &part, "--plot", "x.svg"],
            "whole sweep",
        ),
    ] {
        let output = run(&with(study("analytical"), &more));
        assert_eq!(output.status.code(), Some(2), "{more:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{more:?}: {stderr}");
    }
    let table = [
        "sweep",
        "--mapping",
        TINY,
        "--param",
        "noc.bandwidth=1,2",
        "--shard",
        "0/2",
        "--output",
        &part,
    ];
    let output = maestro(&table);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--format csv"));
}
