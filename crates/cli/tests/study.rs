//! End-to-end tests of `maestro sweep` and `maestro dse`: goldens of small studies (refreshed with
//! `UPDATE_EXPECT=1 cargo test -p maestro-cli --test study`), thread-count independence, the
//! contention report, plots, and the exit codes of bad specifications (2) and bad inputs (1).

mod common;

use common::*;

use expect_test::expect;

/// The exit code and the first line of standard error.
fn failure(args: &[&str]) -> (i32, String) {
    let output = maestro(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_owned();
    (output.status.code().unwrap_or(-1), line)
}

#[test]
fn a_csv_sweep_of_bandwidth_and_multicast() {
    check(
        &[
            "sweep",
            "--mapping",
            TINY,
            "--param",
            "noc.bandwidth=1,8",
            "--param",
            "noc.multicast=true,false",
            "--format",
            "csv",
        ],
        expect![[r#"
            exit: 0
            --- stdout
            dataflow,noc.bandwidth,noc.multicast,layer,area_um2,power_mw,model_runtime,model_energy_nj,model_edp,error
            mapping,1,true,CONV1,34533415,4414.910931,5351,500.368275,2677471,
            mapping,1,true,FC,34533415,4414.910931,1942,58.195226,113015,
            mapping,1,false,CONV1,34533415,4414.910931,49631,695.213235,34504128,
            mapping,1,false,FC,34533415,4414.910931,9622,75.514778,726603,
            mapping,8,true,CONV1,37228566,4436.092187,1283,500.368275,641972,
            mapping,8,true,FC,37228566,4436.092187,486,58.195226,28283,
            mapping,8,false,CONV1,37228566,4436.092187,6273,695.213235,4361073,
            mapping,8,false,FC,37228566,4436.092187,1446,75.514778,109194,
            --- stderr
        "#]],
    );
}

#[test]
fn a_table_of_two_dataflows_over_pe_counts_for_one_layer() {
    check(
        &[
            "sweep",
            "--model",
            TINY_MODEL,
            "--dataflow",
            "kcp_ws,yxp_os",
            "--layers",
            "CONV1",
            "--param",
            "pe.count=16..64 step 48",
        ],
        expect![[r#"
            exit: 0
            --- stdout
            Sweep of tiny_model (1 layer: CONV1), engine analytical
            ┌──────────┬──────────┬───────────────┬───────────────────┬────────────┬─────────────┐
            │ Dataflow ┆ pe.count ┆ Model runtime ┆ Model energy (nJ) ┆ Area (mm²) ┆  Power (mW) │
            ╞══════════╪══════════╪═══════════════╪═══════════════════╪════════════╪═════════════╡
            │ kcp_ws   ┆ 16       ┆          7281 ┆        555.624947 ┆  27.092174 ┆    3876.536 │
            │ kcp_ws   ┆ 64       ┆          1881 ┆        513.357939 ┆ 100.811186 ┆ 4584.582345 │
            │ yxp_os   ┆ 16       ┆         10449 ┆        693.492173 ┆  27.092174 ┆    3876.536 │
            │ yxp_os   ┆ 64       ┆          4689 ┆        661.418102 ┆ 100.811186 ┆ 4584.582345 │
            └──────────┴──────────┴───────────────┴───────────────────┴────────────┴─────────────┘
            Runtimes in cycles, summed over the layers; area and power of the configured hardware (spec §12).
            --- stderr
        "#]],
    );
}

#[test]
fn sweeps_do_not_depend_on_the_thread_count() {
    let run = |threads: &str| {
        maestro(&[
            "sweep",
            "--model",
            TINY_MODEL,
            "--dataflow",
            "kcp_ws,rs",
            "--param",
            "noc.topology=bus,tree,mesh",
            "--param",
            "noc.bandwidth=2,32",
            "--engine",
            "both",
            "--format",
            "json",
            "--threads",
            threads,
        ])
        .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
}

#[test]
fn the_contention_report_names_the_busiest_link_and_the_knees() {
    let output = maestro(&[
        "sweep",
        "--mapping",
        TINY,
        "--layers",
        "0",
        "--param",
        "noc.topology=bus,mesh",
        "--param",
        "noc.bandwidth=1,4,16,64",
        "--contention",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the report is JSON");
    let series = json["contention"]["series"]
        .as_array()
        .expect("contention series");
    assert_eq!(series.len(), 2);
    for entry in series {
        assert_eq!(entry["layer"], "CONV1");
        assert!(entry["saturating"]["name"].is_string(), "{entry}");
        assert!(entry["simulated_knee"]["bandwidth"].is_u64(), "{entry}");
        assert!(entry["analytical_knee"]["bandwidth"].is_u64(), "{entry}");
        assert_eq!(entry["points"].as_array().map(Vec::len), Some(4));
    }
}

#[test]
fn plots_are_svg_files() {
    let directory =
        std::env::temp_dir().join(format!("maestro-study-plots-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a temporary directory");
    let sweep_plot = directory.join("sweep.svg");
    let dse_plot = directory.join("dse.svg");
    let sweep = maestro(&[
        "sweep",
        "--mapping",
        TINY,
        "--param",
        "noc.bandwidth=1,4,16",
        "--engine",
        "both",
        "--plot",
        sweep_plot.to_str().unwrap_or_default(),
    ]);
    assert_eq!(sweep.status.code(), Some(0), "{}", transcript(&sweep));
    let dse = maestro(&[
        "dse",
        "--model",
        TINY_MODEL,
        "--dataflow",
        "kcp_ws",
        "--pes",
        "16,64",
        "--plot",
        dse_plot.to_str().unwrap_or_default(),
    ]);
    assert_eq!(dse.status.code(), Some(0), "{}", transcript(&dse));
    for path in [&sweep_plot, &dse_plot] {
        let svg = std::fs::read_to_string(path).expect("the plot was written");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("noc.bandwidth") || svg.contains("Pareto"));
    }
    let _ = std::fs::remove_dir_all(&directory);
}

#[test]
fn a_dse_with_its_front_simulated() {
    check(
        &[
            "dse",
            "--model",
            TINY_MODEL,
            "--dataflow",
            "kcp_ws",
            "--pes",
            "16,64",
            "--l1",
            "512",
            "--l2",
            "65536",
            "--bandwidth",
            "4,64",
            "--objective",
            "runtime",
            "--simulate-front",
            "--format",
            "csv",
        ],
        expect![[r#"
            exit: 0
            --- stdout
            dataflow,pes,l1_size,l2_size,noc_bandwidth,runtime,energy_nj,edp,area_mm2,power_mw,pareto,sim_runtime,runtime_error_pct,sim_energy_nj,energy_error_pct
            kcp_ws,16,512,65536,4,13721,1213.965318,16656818,0.27588,275.101558,true,13284,+3.29,1098.4616,+10.52
            kcp_ws,16,512,65536,64,12031,1213.965318,14605217,1.885161,287.748934,true,12035,-0.03,1098.4616,+10.52
            kcp_ws,64,512,65536,4,7436,1156.062138,8596478,2.641419,422.379187,true,7018,+5.96,1042.98192,+10.84
            kcp_ws,64,512,65536,64,3220,1156.062138,3722520,8.549102,468.807811,true,3196,+0.75,1042.98192,+10.84
            --- stderr
        "#]],
    );
}

#[test]
fn a_small_dse_under_caps() {
    check(
        &[
            "dse",
            "--model",
            TINY_MODEL,
            "--dataflow",
            "kcp_ws,yxp_os",
            "--pes",
            "16,32,64,128",
            "--l1",
            "64,512",
            "--l2",
            "16384,65536",
            "--bandwidth",
            "4..64 x 4",
            "--area-cap",
            "10",
            "--power-cap",
            "150",
            "--objective",
            "runtime",
        ],
        expect![[r#"
            exit: 0
            --- stdout
            Design-space exploration of tiny_model: objective runtime (cycles), area cap 10 mm², power cap 150 mW
            space 96 points; pruned before evaluation (over a cap) 78; invalid 0; valid 18; 36 point × layer evaluations
            Pareto front of runtime and area (5 points):
            ┌──────────┬──────────┬─────┬────┬───────┬────────┬─────────┬─────────────┬──────────┬────────────┬────────────┐
            │ Pareto   ┆ Dataflow ┆ PEs ┆ L1 ┆    L2 ┆ NoC BW ┆ Runtime ┆ Energy (nJ) ┆      EDP ┆ Area (mm²) ┆ Power (mW) │
            ╞══════════╪══════════╪═════╪════╪═══════╪════════╪═════════╪═════════════╪══════════╪════════════╪════════════╡
            │ 1 (best) ┆ kcp_ws   ┆  32 ┆ 64 ┆ 16384 ┆     64 ┆    6133 ┆ 1187.253523 ┆  7281426 ┆   3.838953 ┆ 128.706948 │
            │ 2        ┆ kcp_ws   ┆  32 ┆ 64 ┆ 16384 ┆     16 ┆    6447 ┆ 1187.253523 ┆  7654223 ┆   1.405288 ┆ 109.580714 │
            │ 3        ┆ kcp_ws   ┆  32 ┆ 64 ┆ 16384 ┆      4 ┆    9381 ┆ 1187.253523 ┆ 11137625 ┆   0.796872 ┆ 104.799156 │
            │ 4        ┆ kcp_ws   ┆  16 ┆ 64 ┆ 16384 ┆     16 ┆   12169 ┆ 1213.965318 ┆ 14772744 ┆   0.591879 ┆  83.327034 │
            │ 5        ┆ kcp_ws   ┆  16 ┆ 64 ┆ 16384 ┆      4 ┆   13721 ┆ 1213.965318 ┆ 16656818 ┆   0.270023 ┆  80.797558 │
            └──────────┴──────────┴─────┴────┴───────┴────────┴─────────┴─────────────┴──────────┴────────────┴────────────┘
            L1 in elements per PE, L2 in elements, NoC bandwidth in elements/cycle (both NoCs).
            --- stderr
        "#]],
    );
}

#[test]
fn bad_specifications_are_usage_errors() {
    let cases: [(&[&str], &str); 8] = [
        (
            &["sweep", "--param", "noc.bandwith=1,2"],
            "unknown parameter `noc.bandwith`",
        ),
        (&["sweep", "--param", "noc.bandwidth=0,2"], "between 1 and"),
        (
            &["sweep", "--param", "noc.bandwidth"],
            "expected NAME=VALUES",
        ),
        (
            &["sweep", "--param", "noc.topology=ring"],
            "bus, tree or mesh",
        ),
        (
            &[
                "sweep",
                "--param",
                "noc.bandwidth=1",
                "--param",
                "noc.distribution.bandwidth=2",
            ],
            "set the same hardware field",
        ),
        (
            &["sweep", "--param", "pe.count=64,128", "--contention"],
            "needs a swept NoC bandwidth",
        ),
        (&["dse", "--pes", "64..16"], "not below its start"),
        (
            &["dse", "--area-cap=-1"],
            "--area-cap must be a positive number",
        ),
    ];
    for (args, message) in cases {
        let (code, line) = failure(args);
        assert_eq!(code, 2, "{args:?}: {line}");
        assert!(line.contains(message), "{args:?}: {line}");
    }
}

#[test]
fn bad_inputs_are_invalid_input_errors() {
    let (code, line) = failure(&[
        "sweep",
        "--mapping",
        TINY,
        "--layers",
        "CONV9",
        "--param",
        "noc.bandwidth=1,2",
    ]);
    assert_eq!(code, 1, "{line}");
    assert!(line.contains("no layer named `CONV9`"), "{line}");
    let (code, line) = failure(&["sweep", "--mapping", "does/not/exist.m"]);
    assert_eq!(code, 1, "{line}");
    assert!(line.contains("cannot read does/not/exist.m"), "{line}");
}
