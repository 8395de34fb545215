//! `maestro import` and `--onnx`: the imported ResNet-50 analysed with `kcp_ws` equals the project's
//! hand-written mapping byte for byte, `import -o` writes what `import` prints, and bad ONNX input
//! ends with exit 1 and the node, operator or input named.

mod common;

use common::{check, exit_code, maestro};
use expect_test::expect;

const RESNET50: &str = "crates/onnx/tests/data/resnet50.onnx";
const RESNEXT: &str = "crates/onnx/tests/data/resnext_block.onnx";
const BERT: &str = "crates/onnx/tests/data/bert_encoder.onnx";

fn stdout(args: &[&str]) -> String {
    let output = maestro(args);
    assert!(
        output.status.success(),
        "maestro {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn analyze_of_the_imported_resnet50_equals_the_hand_written_kcp_ws_mapping() {
    for format in ["csv", "json", "table"] {
        let imported = stdout(&[
            "analyze",
            "--onnx",
            RESNET50,
            "--dataflow",
            "kcp_ws",
            "--format",
            format,
        ]);
        let written = stdout(&[
            "analyze",
            "--mapping",
            "workloads/mappings/resnet50_kcp_ws.m",
            "--format",
            format,
        ]);
        assert_eq!(imported, written, "--format {format}");
    }
}

#[test]
fn import_to_a_file_writes_what_it_prints_and_summarises() {
    let directory =
        std::env::temp_dir().join(format!("maestro-onnx-import-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("resnext.m");
    let path_text = path.display().to_string();
    let printed = stdout(&["import", RESNEXT]);
    let summary = stdout(&["import", RESNEXT, "-o", &path_text]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), printed);
    assert_eq!(
        summary,
        format!(
            "{path_text}: 4 layers (3 CONV, 1 NGCONV) from 4 nodes; 8 nodes without MACs skipped: \
             BatchNormalization 4, Relu 3, Add 1\n"
        )
    );
    // Only the model file is left: the temporary file was renamed over it.
    let entries: Vec<_> = std::fs::read_dir(&directory).unwrap().collect();
    assert_eq!(entries.len(), 1);
    // The written file is a model file every command reads.
    assert_eq!(
        stdout(&[
            "analyze",
            "--model",
            &path_text,
            "--dataflow",
            "kcp_ws",
            "--format",
            "csv"
        ]),
        stdout(&[
            "analyze",
            "--onnx",
            RESNEXT,
            "--dataflow",
            "kcp_ws",
            "--format",
            "csv"
        ])
    );
    std::fs::remove_dir_all(&directory).unwrap();
}

#[test]
fn import_prints_the_model_file_with_its_header() {
    let text = stdout(&["import", BERT, "--input", "hidden_states=2x128x768"]);
    let head: Vec<&str> = text.lines().take(12).collect();
    assert_eq!(
        head,
        [
            "// Imported from crates/onnx/tests/data/bert_encoder.onnx by `maestro import` (producer \
             maestro-rs fixtures, opset 17).",
            "// Inputs: hidden_states=2x128x768.",
            "// 54 layers (54 GEMM) from 8 nodes.",
            "// 25 nodes without MACs skipped: Add 9, Reshape 4, Transpose 4, Div 2, Softmax 1, \
             LayerNormalization 2, Erf 1, Mul 2.",
            "// Convolution input extents Y, X include the padding; TRCONV layers are the stride-1",
            "// convolutions over the zero-inserted input.",
            "Network bert_base_encoder {",
            "  Layer query {",
            "    Type: GEMM",
            "    Dimensions { M: 256, N: 768, K: 768 }",
            "  }",
            "  Layer key {",
        ]
    );
    assert!(text.contains(
        "  Layer scores_head23 {\n    Type: GEMM\n    Dimensions { M: 128, N: 128, K: 64 }\n"
    ));
}

#[test]
fn check_with_onnx_lists_the_skipped_operators() {
    let text = stdout(&["check", "--onnx", RESNET50, "--dataflow", "kcp_ws"]);
    assert!(
        text.contains(
            "Imported: 54 layers (53 CONV, 1 GEMM) from 54 nodes; 121 nodes without MACs skipped: \
             BatchNormalization 53, Relu 49, MaxPool 1, Add 16, GlobalAveragePool 1, Flatten 1\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("crates/onnx/tests/data/resnet50.onnx (imported): valid\n"),
        "{text}"
    );
}

#[test]
fn a_file_that_is_not_onnx_is_invalid() {
    check(
        &["import", "workloads/resnet50.m"],
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
              × workloads/resnet50.m: not an ONNX model: the protobuf does not decode (failed to decode
              │ Protobuf message: invalid wire type value: 7)
        "#]],
    );
}

#[test]
fn an_unsupported_operator_with_macs_names_the_node() {
    check(
        &[
            "analyze",
            "--onnx",
            "crates/onnx/tests/data/conv3d.onnx",
            "--dataflow",
            "kcp_ws",
        ],
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
              × crates/onnx/tests/data/conv3d.onnx: node `c3d` (Conv): a 3-D convolution (input 1x3x8x32x32)
              │ has MACs, but no layer type has a third spatial axis
        "#]],
    );
}

#[test]
fn dynamic_dimensions_without_input_name_the_input() {
    check(
        &["import", BERT],
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
              × crates/onnx/tests/data/bert_encoder.onnx: graph input `hidden_states` has a dynamic dimension
              │ 1 (`sequence`); give its shape with --input hidden_states=1x<sequence>x768, sizes separated by
              │ x (declared [`batch`, `sequence`, 768])
        "#]],
    );
}

#[test]
fn bad_input_options_are_usage_or_input_errors() {
    // Malformed: usage errors (exit 2).
    for malformed in [
        "hidden_states",
        "hidden_states=1x0x768",
        "=1x2",
        "hidden_states=1xax768",
    ] {
        assert_eq!(
            exit_code(&["import", BERT, "--input", malformed]),
            2,
            "{malformed}"
        );
    }
    assert_eq!(exit_code(&["import", BERT, "--batch", "0"]), 2);
    assert_eq!(exit_code(&["analyze", "--onnx", BERT, "--model", "x.m"]), 2);
    // Well-formed but wrong for this graph: invalid input (exit 1).
    check(
        &["import", BERT, "--input", "tokens=1x128"],
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
              × crates/onnx/tests/data/bert_encoder.onnx: --input tokens: the graph has no input of that name
              │ (its inputs: hidden_states)
        "#]],
    );
    assert_eq!(
        exit_code(&["import", "crates/onnx/tests/data/missing.onnx"]),
        1
    );
}

#[test]
fn sweep_with_onnx_equals_sweep_with_the_imported_model_file() {
    let directory = std::env::temp_dir().join(format!("maestro-onnx-sweep-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("resnext.m");
    let path_text = path.display().to_string();
    stdout(&["import", RESNEXT, "-o", &path_text]);
    let study = [
        "--dataflow",
        "kcp_ws,xp_ws",
        "--param",
        "pe.count=64,256",
        "--format",
        "csv",
    ];
    let from_onnx = stdout(&[&["sweep", "--onnx", RESNEXT][..], &study[..]].concat());
    let from_model = stdout(&[&["sweep", "--model", &path_text][..], &study[..]].concat());
    assert_eq!(from_onnx, from_model);
    // 2 dataflows x 2 PE counts x 4 layers, and the header.
    assert_eq!(from_onnx.lines().count(), 1 + 16);
    std::fs::remove_dir_all(&directory).unwrap();
}
