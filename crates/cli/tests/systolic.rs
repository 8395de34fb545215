//! `maestro systolic`: SCALE-Sim topologies and configurations, one GEMM, and precise errors.

mod common;

use common::{check, exit_code};
use expect_test::expect;

const DATA: &str = "crates/cli/tests/data/systolic";

fn path(name: &str) -> String {
    format!("{DATA}/{name}")
}

#[test]
fn scalesim_inputs_run_unchanged() {
    check(
        &[
            "systolic",
            "--topology",
            &path("tiny.csv"),
            "--hw",
            &path("tiny.cfg"),
        ],
        expect![[r#"
            exit: 0
            --- stdout
            layer   df  array    MACs  folds  cycles  stalls  util %  map eff %  comp util %
            conv_a  os  8x8    200704     56    4367       0   71.81      87.50        71.79
            conv_b  os  8x8    141120     21    3317       0   66.48      72.92        66.46
            total              341824     77    7684       0
            --- stderr
            note: crates/cli/tests/data/systolic/tiny.cfg:10:1: `IfmapOffset` is accepted and ignored: addresses are not modelled; the offset only moves SCALE-Sim's trace addresses
            note: crates/cli/tests/data/systolic/tiny.cfg:11:1: `FilterOffset` is accepted and ignored: addresses are not modelled; the offset only moves SCALE-Sim's trace addresses
            note: crates/cli/tests/data/systolic/tiny.cfg:12:1: `OfmapOffset` is accepted and ignored: addresses are not modelled; the offset only moves SCALE-Sim's trace addresses
        "#]],
    );
}

#[test]
fn one_gemm_as_csv() {
    check(
        &[
            "systolic",
            "--gemm",
            "64,64,64",
            "--dataflow",
            "ws",
            "--format",
            "csv",
        ],
        expect![[r#"
        exit: 0
        --- stdout
        layer,dataflow,array,macs,folds,total_cycles,stall_cycles,total_cycles_incl_prefetch,overall_util_pct,mapping_efficiency_pct,compute_util_pct,sram_ifmap_reads,sram_filter_reads,sram_ofmap_writes,dram_ifmap_reads,dram_filter_reads,dram_ofmap_writes,avg_ifmap_sram_bw,avg_filter_sram_bw,avg_ofmap_sram_bw,max_ifmap_sram_bw,max_filter_sram_bw,max_ofmap_sram_bw,avg_ifmap_dram_bw,avg_filter_dram_bw,avg_ofmap_dram_bw,max_ifmap_dram_bw,max_filter_dram_bw,max_ofmap_dram_bw
        gemm_64x64x64,ws,32x32,262144,4,631,0,1345,40.5705,100.0000,40.5063,8192,4096,8192,4096,4096,8192,12.9826,6.4913,12.9826,32.0000,32.0000,32.0000,6.4913,6.4913,32.0000,12.9620,6.4810,32.0000
        --- stderr
    "#]],
    );
}

#[test]
fn stonne_conventions_on_a_gemm() {
    check(
        &[
            "systolic",
            "--gemm",
            "3136,64,64",
            "--conventions",
            "stonne",
        ],
        expect![[r#"
            exit: 0
            --- stdout
            layer            df  array      MACs  folds  cycles  stalls  util %  map eff %  comp util %
            gemm_3136x64x64  os  32x32  12845056    196   25676       0   48.85     100.00        48.85
            total                       12845056    196   25676       0
            --- stderr
        "#]],
    );
}

#[test]
fn bad_topologies_point_at_line_and_column() {
    check(
        &["systolic", "--topology", &path("missing_field.csv")],
        expect![[r#"
        exit: 1
        --- stdout
        --- stderr
          × crates/cli/tests/data/systolic/missing_field.csv:2:24: missing field `num filter`: expected 8
          │ fields, found 6
    "#]],
    );
    check(
        &["systolic", "--topology", &path("non_numeric.csv")],
        expect![[r#"
        exit: 1
        --- stdout
        --- stderr
          × crates/cli/tests/data/systolic/non_numeric.csv:2:12: IFMAP width: expected a whole number,
          │ found `seven`
    "#]],
    );
    check(
        &["systolic", "--topology", &path("filter_too_large.csv")],
        expect![[r#"
        exit: 1
        --- stdout
        --- stderr
          × crates/cli/tests/data/systolic/filter_too_large.csv:2:15: filter height 5 is larger than the
          │ padded IFMAP height 3 (IFMAP sizes include padding)
    "#]],
    );
}

#[test]
fn bad_configurations_point_at_line_and_column() {
    let topology = path("tiny.csv");
    for (cfg, expected) in [
        (
            "unknown_dataflow.cfg",
            expect![[r#"
            exit: 1
            --- stdout
            --- stderr
              × crates/cli/tests/data/systolic/unknown_dataflow.cfg:14:12: unknown Dataflow `rs`: expected os,
              │ ws or is
        "#]],
        ),
        (
            "zero_array.cfg",
            expect![[r#"
            exit: 1
            --- stdout
            --- stderr
              × crates/cli/tests/data/systolic/zero_array.cfg:5:17: `ArrayHeight` must be at least 1, found 0
        "#]],
        ),
        (
            "unknown_key.cfg",
            expect![[r#"
            exit: 1
            --- stdout
            --- stderr
              × crates/cli/tests/data/systolic/unknown_key.cfg:16:1: unknown key `ClockGHz` in
              │ [architecture_presets]
        "#]],
        ),
    ] {
        check(
            &["systolic", "--topology", &topology, "--hw", &path(cfg)],
            expected,
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(exit_code(&["systolic"]), 2);
    assert_eq!(exit_code(&["systolic", "--gemm", "1,2"]), 1);
    assert_eq!(exit_code(&["systolic", "--gemm", "0,2,3"]), 2);
}
