//! SCALE-Sim's input files read by the library: formats, SCALE-Sim's conventions, and errors at
//! `file:line:col` (text in, one `check` per case).

use maestro_systolic::{parse_config, parse_topology, Dataflow, Interface, Layer, TopologyFormat};

const CONV_HEADER: &str =
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";

fn layers(text: &str) -> Vec<Layer> {
    parse_topology(text, "t.csv", TopologyFormat::Auto).expect("valid")
}

fn topology_error(text: &str) -> String {
    parse_topology(text, "t.csv", TopologyFormat::Auto)
        .expect_err("invalid")
        .to_string()
}

#[test]
fn topology_formats_and_conventions() {
    // A GEMM file is told apart by its header; M, N, K become SCALE-Sim's convolution form.
    let gemm = layers("Layer, M, N, K,\nqkv, 128, 768, 64,\n");
    assert_eq!(gemm, vec![Layer::gemm("qkv", 128, 768, 64)]);
    assert_eq!(
        (gemm[0].ofmap_pixels(), gemm[0].window(), gemm[0].filters),
        (128, 64, 768)
    );
    // Rows with and without SCALE-Sim's trailing comma, one stride or two, blank lines.
    let conv = layers(&format!(
        "{CONV_HEADER}a, 9, 9, 3, 3, 2, 4, 2,\n\nb, 9, 9, 3, 3, 2, 4, 2, 1\n"
    ));
    assert_eq!((conv[0].stride_height, conv[0].stride_width), (2, 2));
    assert_eq!((conv[1].stride_height, conv[1].stride_width), (2, 1));
    // Output rows round up: (9 − 3 + 2) / 2 = 4.
    assert_eq!((conv[0].ofmap_height(), conv[0].ofmap_width()), (4, 4));
    assert_eq!((conv[1].ofmap_height(), conv[1].ofmap_width()), (4, 7));
    // Depthwise layers (`DP` in the name) become one single-channel layer per channel.
    let dw = layers(&format!("{CONV_HEADER}DP1, 5, 5, 3, 3, 3, 1, 1,\n"));
    assert_eq!(dw.len(), 3);
    assert!(dw.iter().all(|l| l.channels == 1));
    assert_eq!(dw[2].name, "DP1Channel_2");
}

#[test]
fn topology_errors_point_at_the_field() {
    for (row, expected) in [
        ("a, 9, 9, 3, 3, 2,", "t.csv:2:18: missing field `num filter`: expected 8 fields, found 6"),
        ("a, 9, x9, 3, 3, 2, 4, 1,", "t.csv:2:7: IFMAP width: expected a whole number, found `x9`"),
        ("a, 9, 9, 0, 3, 2, 4, 1,", "t.csv:2:10: filter height must be at least 1, found 0"),
        ("a, 2, 9, 3, 3, 2, 4, 1,", "t.csv:2:10: filter height 3 is larger than the padded IFMAP height 2 (IFMAP sizes include padding)"),
        ("a, 9, 9, 3, 3, 2, 4, 1, 1, 7,", "t.csv:2:28: unexpected field `7`: a row has at most 9 fields"),
        ("a, 99999999, 9, 3, 3, 2, 4, 1,", "t.csv:2:4: IFMAP height is 99999999, above the supported 16777216"),
    ] {
        assert_eq!(topology_error(&format!("{CONV_HEADER}{row}\n")), expected, "{row}");
    }
    assert_eq!(
        topology_error(""),
        "t.csv:1:1: empty topology file: expected a header line"
    );
    assert_eq!(
        topology_error(CONV_HEADER),
        "t.csv:1:1: no layers: expected at least one row after the header"
    );
}

const CFG: &str = "[general]
run_name = r

[architecture_presets]
ArrayHeight: 16
ArrayWidth = 8
IfmapSramSzkB: 4
FilterSramSzkB: 8
OfmapSramSzkB: 2
IfmapOffset: 0
Bandwidth: 12, 10, 10
Dataflow: ws
MemoryBanks: 1

[run_presets]
InterfaceBandwidth: USER
";

#[test]
fn configuration_keys() {
    let file = parse_config(CFG, "c.cfg").expect("valid");
    let c = &file.config;
    assert_eq!((c.rows, c.cols, c.dataflow), (16, 8, Dataflow::Ws));
    assert_eq!(
        (c.ifmap_sram_kb, c.filter_sram_kb, c.ofmap_sram_kb),
        (4, 8, 2)
    );
    // SCALE-Sim uses the first entry of the bandwidth list for every buffer.
    assert_eq!(
        c.interface,
        Interface::User {
            words_per_cycle: 12
        }
    );
    assert_eq!(file.run_name.as_deref(), Some("r"));
    // The offset is accepted and named in a note.
    assert_eq!(file.notes.len(), 1);
    assert!(file.notes[0]
        .message
        .starts_with("`IfmapOffset` is accepted and ignored"));
    assert_eq!((file.notes[0].line, file.notes[0].col), (10, 1));
}

#[test]
fn configuration_errors_point_at_the_value() {
    for (from, to, expected) in [
        ("Dataflow: ws", "Dataflow: xs", "c.cfg:12:11: unknown Dataflow `xs`: expected os, ws or is"),
        ("ArrayHeight: 16", "ArrayHeight: 0", "c.cfg:5:14: `ArrayHeight` must be at least 1, found 0"),
        ("ArrayWidth = 8", "ArrayWidth = eight", "c.cfg:6:14: `ArrayWidth`: expected a whole number, found `eight`"),
        ("MemoryBanks: 1", "MemoryBanks: 1\nClock: 2", "c.cfg:14:1: unknown key `Clock` in [architecture_presets]"),
        ("InterfaceBandwidth: USER", "InterfaceBandwidth: FAST", "c.cfg:16:21: unknown InterfaceBandwidth `FAST`: expected CALC or USER"),
        ("[run_presets]", "[run]", "c.cfg:15:2: unknown section `[run]`: SCALE-Sim's are general, architecture_presets, run_presets, network_presets, layout, sparsity"),
        ("OfmapSramSzkB: 2\n", "", "c.cfg:15:1: missing key `OfmapSramSzkB` in [architecture_presets]"),
    ] {
        let text = CFG.replacen(from, to, 1);
        assert_eq!(parse_config(&text, "c.cfg").expect_err("invalid").to_string(), expected, "{to}");
    }
}
