//! End-to-end tests of `maestro dram`: the report on a small trace, the formats, and the exact errors
//! for bad presets, traces and configurations.

mod common;

use common::{check, exit_code, maestro};
use expect_test::expect;

const TRACE: &str = "crates/cli/tests/data/dram/small.trace";

#[test]
fn table_on_a_preset() {
    check(
        &["dram", "--preset", "ddr4_3200", "--trace", TRACE],
        expect![[r#"
            exit: 0
            --- stdout
            configuration  ddr4_3200
            channels       1
            cycles         2039 (1.285 us at tCK 0.63 ns)
            requests done  80 reads, 32 writes (64 B each)
            bandwidth      5.580 GB/s of 25.397 GB/s peak (22.0 %)
            read latency   average 383.90 cycles (241.86 ns), p99 729 cycles
            row buffer     hit rate 0.8393: 94 hits, 1 misses, 17 conflicts
            commands       18 ACT, 17 PRE, 80 RD, 32 WR, 0 REF
            refreshes      0
            energy         376.6 nJ (ACT 76.2, RD 224.5, WR 75.9, REF 0.0; background not modelled)
            --- stderr
        "#]],
    );
}

#[test]
fn json_uses_dramsim3_statistic_names() {
    let output = maestro(&[
        "dram",
        "--preset",
        "hbm2_stack",
        "--trace",
        TRACE,
        "--format",
        "json",
    ]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["num_reads_done"], 80);
    assert_eq!(json["num_writes_done"], 32);
    for key in [
        "average_bandwidth",
        "average_read_latency",
        "num_act_cmds",
        "num_read_row_hits",
        "num_ref_cmds",
        "num_cycles",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
}

#[test]
fn csv_is_a_header_and_one_row() {
    let output = maestro(&[
        "dram",
        "--preset",
        "lpddr4_2400",
        "--trace",
        TRACE,
        "--format",
        "csv",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].split(',').count(), lines[1].split(',').count());
}

#[test]
fn a_fixed_window_of_cycles() {
    let output = maestro(&[
        "dram", "--preset", "hbm2", "--trace", TRACE, "--cycles", "100", "--format", "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["num_cycles"], 100);
}

#[test]
fn a_dramsim3_ini_with_keys_the_model_ignores() {
    check(
        &[
            "dram",
            "--config",
            "crates/cli/tests/data/dram/small.ini",
            "--trace",
            TRACE,
            "--format",
            "csv",
            "--cycles",
            "10",
        ],
        expect![[r#"
            exit: 0
            --- stdout
            act_energy,average_bandwidth,average_read_latency,channels,command_energy,name,num_act_cmds,num_cycles,num_pre_cmds,num_read_cmds,num_read_row_hits,num_reads_done,num_ref_cmds,num_row_conflicts,num_row_misses,num_write_buf_hits,num_write_cmds,num_write_row_hits,num_writes_done,p99_read_latency,peak_bandwidth,read_energy,ref_energy,request_bytes,row_hit_rate,tck_ns,total_bytes,write_energy
            1572.48,0.0,0.0,1,1572.48,crates/cli/tests/data/dram/small.ini,1,10,0,0,0,0,0,0,0,0,0,0,0,0,25.396825396825395,0.0,0.0,64,0.0,0.63,0,0.0
            --- stderr
            warning: crates/cli/tests/data/dram/small.ini: keys the model does not use, ignored: [timing] tCKE (14:1)
        "#]],
    );
}

#[test]
fn bad_input_exits_1_with_the_place() {
    check(
        &["dram", "--preset", "ddr5", "--trace", TRACE],
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
              × unknown DRAM preset "ddr5"; the presets are ddr4_3200, lpddr4_2400, hbm2, hbm2_stack
        "#]],
    );
    check(
        &[
            "dram",
            "--preset",
            "ddr4_3200",
            "--trace",
            "crates/cli/tests/data/dram/malformed.trace",
        ],
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
              × crates/cli/tests/data/dram/malformed.trace:3:6: expected READ or WRITE, found `RAED`
        "#]],
    );
    check(
        &[
            "dram",
            "--config",
            "crates/cli/tests/data/dram/impossible.ini",
            "--trace",
            TRACE,
        ],
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
              × crates/cli/tests/data/dram/impossible.ini:9:1: impossible timing: `tRC` = 60 is less than tRAS
              │ + tRP = 74
        "#]],
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(exit_code(&["dram", "--trace", TRACE]), 2);
    assert_eq!(
        exit_code(&["dram", "--preset", "hbm2", "--config", "x.ini", "--trace", TRACE]),
        2
    );
}
