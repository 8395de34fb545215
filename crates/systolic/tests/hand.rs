//! Hand-computed cases: a 2×2 array on a 2×2×2 GEMM (`A` is M×K, `B` is K×N) for each dataflow,
//! cycle by cycle (which operand each PE holds); a fold; a starved feeder; and the two playbacks
//! agreeing on every counter.

use maestro_systolic::array::{col_injection, row_injection, Fold, Grid, Injections, Slot};
use maestro_systolic::{run_layer, ArrayConfig, Dataflow, Interface, Layer, LayerReport, Playback};

/// Names the operand in a link or register of PE (i, j) for a one-fold GEMM, per dataflow.
fn name(df: Dataflow, link: &str, slot: Slot, i: usize, j: usize) -> Option<String> {
    let Slot::Value(v) = slot else { return None };
    Some(match (df, link) {
        (Dataflow::Os, "row") => format!("A{i}{v}"),
        (Dataflow::Os, "col") => format!("B{v}{j}"),
        (Dataflow::Ws, "row") => format!("A{v}{i}"),
        (Dataflow::Ws, _) => format!("B{v}{j}"),
        (Dataflow::Is, "row") => format!("B{i}{v}"),
        (Dataflow::Is, _) => format!("A{j}{v}"),
        _ => unreachable!(),
    })
}

/// Plays one 2×2 fold of a 2×2×2 GEMM and writes, per cycle, what each PE holds:
/// `row-link·column-link` and `[stationary]`, with `*` after a PE that multiplied.
fn play(df: Dataflow) -> String {
    let (rows, cols) = (2u64, 2u64);
    let fold = Fold {
        used_rows: 2,
        used_cols: 2,
        temporal: 2,
    };
    let mut grid = Grid::new(rows, cols, df);
    let preload = if df == Dataflow::Os { 0 } else { rows };
    let mut out = String::new();
    for tau in 0..12 {
        let injections = Injections {
            rows: (0..rows)
                .map(|i| row_injection(df, rows, fold, i, tau))
                .collect(),
            cols: (0..cols)
                .map(|j| col_injection(df, rows, fold, j, tau))
                .collect(),
        };
        let before = grid.macs;
        grid.step(&injections, tau < preload);
        if preload > 0 && tau + 1 == preload {
            grid.latch_preload();
        }
        if tau >= preload + rows && grid.links_empty() {
            out.push_str(&format!("{tau}: empty\n"));
            break;
        }
        let mut cells = Vec::new();
        for i in 0..2 {
            for j in 0..2 {
                let (row, col, kept) = grid.pe(i, j);
                let mut cell = String::new();
                let parts: Vec<String> = [name(df, "row", row, i, j), name(df, "col", col, i, j)]
                    .into_iter()
                    .flatten()
                    .collect();
                cell.push_str(&parts.join("·"));
                if let Some(k) = name(df, "kept", kept, i, j) {
                    cell.push_str(&format!("[{k}]"));
                }
                if cell.is_empty() {
                    cell.push('-');
                }
                cells.push(cell);
            }
        }
        out.push_str(&format!(
            "{tau}: {} | {}  macs {}\n",
            cells[..2].join(" "),
            cells[2..].join(" "),
            grid.macs - before
        ));
    }
    out
}

#[test]
fn output_stationary_2x2_cycle_by_cycle() {
    // Row i takes A[i][t] from cycle i + t, column j takes B[t][j] from cycle j + t; PE (i, j)
    // multiplies A[i][t]·B[t][j] at cycle i + j + t. Four cycles: T + R + C − 2.
    let expected = "\
0: A00·B00 - | - -  macs 1
1: A01·B10 A00·B01 | A10·B00 -  macs 3
2: - A01·B11 | A11·B10 A10·B01  macs 3
3: - - | - A11·B11  macs 1
4: empty
";
    assert_eq!(play(Dataflow::Os), expected);
}

#[test]
fn weight_stationary_2x2_cycle_by_cycle() {
    // Preload: B[1][j] enters first and is shifted to row 1 while B[0][j] enters; then row i takes
    // input A[t][i] from cycle R + i + t and PE (i, j) multiplies it by B[i][j]. Six cycles: 2R + C + T − 2.
    // At the end of cycle R − 1 every value has reached its row and stays in the PE.
    let played = play(Dataflow::Ws);
    let expected = "\
0: B10 B11 | - -  macs 0
1: [B00] [B01] | [B10] [B11]  macs 0
2: A00[B00] [B01] | [B10] [B11]  macs 1
3: A10[B00] A00[B01] | A01[B10] [B11]  macs 3
4: [B00] A10[B01] | A11[B10] A01[B11]  macs 3
5: [B00] [B01] | [B10] A11[B11]  macs 1
6: empty
";
    assert_eq!(played, expected);
}

#[test]
fn input_stationary_2x2_cycle_by_cycle() {
    // Preload: A[j][1] enters column j first and is shifted to row 1 while A[j][0] enters; then row i
    // takes filter B[i][t] from cycle R + i + t and PE (i, j) multiplies it by A[j][i].
    let expected = "\
0: A01 A11 | - -  macs 0
1: [A00] [A10] | [A01] [A11]  macs 0
2: B00[A00] [A10] | [A01] [A11]  macs 1
3: B01[A00] B00[A10] | B10[A01] [A11]  macs 3
4: [A00] B01[A10] | B11[A01] B10[A11]  macs 3
5: [A00] [A10] | [A01] B11[A11]  macs 1
6: empty
";
    assert_eq!(play(Dataflow::Is), expected);
}

fn config(rows: u64, cols: u64, df: Dataflow) -> ArrayConfig {
    ArrayConfig::new(rows, cols, df)
}

#[test]
fn a_2x2x2_gemm_takes_one_fold_per_dataflow() {
    let layer = Layer::gemm("g", 2, 2, 2);
    for (df, fold_cycles) in [(Dataflow::Os, 4), (Dataflow::Ws, 6), (Dataflow::Is, 6)] {
        for playback in [Playback::Stepped, Playback::Skipping] {
            let report = run_layer(&layer, &config(2, 2, df), playback).unwrap();
            assert_eq!(report.folds, 1);
            assert_eq!(report.array_cycles, fold_cycles, "{df:?}");
            // SCALE-Sim's convention: the cycle of the last output write, counted from 0.
            assert_eq!(report.total_cycles, fold_cycles - 1, "{df:?}");
            assert_eq!(report.macs, 8);
            assert_eq!(report.sram_ofmap_writes, 4);
        }
    }
}

#[test]
fn a_third_output_row_folds_the_output_stationary_array() {
    // M = 3 output rows on 2 array rows: two folds of T + R + C − 2 = 4 cycles; the second maps one
    // row, so the mapping efficiency is (4/4 + 2/4) / 2.
    let layer = Layer::gemm("g", 3, 2, 2);
    for playback in [Playback::Stepped, Playback::Skipping] {
        let report = run_layer(&layer, &config(2, 2, Dataflow::Os), playback).unwrap();
        assert_eq!(report.folds, 2);
        assert_eq!(report.array_cycles, 8);
        assert_eq!(report.total_cycles, 7);
        assert_eq!(report.macs, 12);
        assert!((report.mapping_efficiency - 75.0).abs() < 1e-12);
        assert_eq!(report.sram_ifmap_reads, 6);
        assert_eq!(report.sram_filter_reads, 8);
    }
}

fn starved(df: Dataflow, playback: Playback) -> LayerReport {
    // 1 kB buffers (512-word halves) and one word per cycle from DRAM: a 64×64 · 64×64 GEMM's
    // 4096-word operands stream through the buffers, and each refill takes 512 cycles.
    let layer = Layer::gemm("g", 64, 64, 64);
    let mut config = config(8, 8, df);
    config.ifmap_sram_kb = 1;
    config.filter_sram_kb = 1;
    config.interface = Interface::User { words_per_cycle: 1 };
    run_layer(&layer, &config, playback).unwrap()
}

#[test]
fn a_starved_feeder_stalls_the_whole_array() {
    for df in Dataflow::ALL {
        let report = starved(df, Playback::Stepped);
        // The array's own cycles do not change; every stall cycle is added on top of them.
        let unstalled = run_layer(
            &Layer::gemm("g", 64, 64, 64),
            &config(8, 8, df),
            Playback::Stepped,
        )
        .unwrap();
        assert_eq!(report.array_cycles, unstalled.array_cycles, "{df:?}");
        assert!(report.stall_cycles > 0, "{df:?}");
        assert_eq!(
            report.total_cycles,
            unstalled.total_cycles + report.stall_cycles,
            "{df:?}"
        );
        assert_eq!(report.macs, report.layer_macs);
        // Stalled, the DRAM port is the bottleneck: at most one word per cycle was brought in.
        assert!(
            report.dram_ifmap_reads + report.dram_filter_reads <= 2 * (report.total_cycles + 512),
            "{df:?}"
        );
    }
}

#[test]
fn stepping_and_skipping_give_the_same_cycles_and_counters() {
    let layers = [
        Layer::gemm("g", 5, 7, 3),
        Layer::gemm("h", 9, 2, 11),
        Layer {
            name: "conv".into(),
            ifmap_height: 9,
            ifmap_width: 8,
            filter_height: 3,
            filter_width: 2,
            channels: 3,
            filters: 5,
            stride_height: 2,
            stride_width: 3,
        },
    ];
    for layer in &layers {
        for df in Dataflow::ALL {
            for (rows, cols) in [(2, 3), (4, 4), (3, 1)] {
                for interface in [Interface::Calc, Interface::User { words_per_cycle: 2 }] {
                    let mut config = config(rows, cols, df);
                    config.ifmap_sram_kb = 1;
                    config.filter_sram_kb = 1;
                    config.ofmap_sram_kb = 1;
                    config.interface = interface;
                    let a = run_layer(layer, &config, Playback::Stepped).unwrap();
                    let b = run_layer(layer, &config, Playback::Skipping).unwrap();
                    let what = format!("{} {df:?} {rows}x{cols} {interface:?}", layer.name);
                    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{what}");
                    assert_eq!(a.macs, layer.macs(), "{what}");
                }
            }
        }
    }
}
