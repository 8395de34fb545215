//! Imports of the committed fixtures (written by `scripts/onnx/make_fixtures.py`): layer counts and
//! shapes stated by hand, agreement with the project's hand-written model files, and bad input.

use maestro_ir::{Dim, Layer, LayerType, Network, Strides};
use maestro_onnx::proto::{
    AttributeProto, GraphProto, ModelProto, NodeProto, OperatorSetIdProto, TensorProto,
};
use maestro_onnx::{import_model, ImportError, ImportOptions, ImportedModel};
use prost::Message;
use std::path::PathBuf;

fn workspace_file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn fixture(name: &str) -> Vec<u8> {
    let path = workspace_file(&format!("crates/onnx/tests/data/{name}"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn import(name: &str, options: &ImportOptions) -> Result<ImportedModel, ImportError> {
    import_model(&fixture(name), options)
}

fn import_ok(name: &str) -> ImportedModel {
    import(name, &ImportOptions::default()).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn workload(path: &str) -> Network {
    let bytes = std::fs::read(workspace_file(path)).unwrap();
    maestro_dsl::parse_network(path, &bytes).unwrap().network
}

/// A layer written by hand: name, type, `(dim, size)` list, stride (both axes unless `stride_x`).
fn layer(name: &str, layer_type: LayerType, dims: &[(Dim, u64)], strides: (u64, u64)) -> Layer {
    Layer {
        name: name.to_owned(),
        layer_type,
        dimensions: dims.to_vec(),
        strides: Strides {
            y: strides.0,
            x: strides.1,
        },
        mapping: None,
    }
}

fn gemm(name: &str, m: u64, n: u64, k: u64) -> Layer {
    layer(
        name,
        LayerType::Gemm,
        &[(Dim::M, m), (Dim::N, n), (Dim::K, k)],
        (1, 1),
    )
}

fn find<'a>(network: &'a Network, name: &str) -> &'a Layer {
    network
        .layers
        .iter()
        .find(|layer| layer.name == name)
        .unwrap_or_else(|| panic!("no layer {name}"))
}

/// The imported network equals the hand-written one, except for the final fully connected layer,
/// which the ONNX graph has as a `Gemm` (a GEMM layer) and the model file as a 1x1 CONV.
fn assert_equal_but_fully_connected(imported: &Network, written: &Network, fully_connected: Layer) {
    assert_eq!(imported.name, written.name);
    assert_eq!(imported.layers.len(), written.layers.len());
    let last = written.layers.len() - 1;
    for (index, (ours, theirs)) in imported.layers.iter().zip(&written.layers).enumerate() {
        if index == last {
            assert_eq!(ours, &fully_connected);
            let macs = |layer: &Layer| layer.loop_bounds().unwrap().macs();
            assert_eq!(macs(ours), macs(theirs), "the fully connected layer's MACs");
        } else {
            assert_eq!(ours, theirs, "layer {index}");
        }
    }
}

#[test]
fn resnet50_matches_the_hand_written_model_file() {
    let imported = import_ok("resnet50.onnx");
    assert_eq!(imported.network.layers.len(), 54);
    assert_equal_but_fully_connected(
        &imported.network,
        &workload("workloads/resnet50.m"),
        gemm("fc1000", 1, 1000, 2048),
    );
    // conv1 by hand: 224 + 3 + 3 = 230 input rows, (230 − 7) / 2 + 1 = 112 output rows.
    assert_eq!(
        find(&imported.network, "conv1"),
        &layer(
            "conv1",
            LayerType::Conv,
            &[
                (Dim::K, 64),
                (Dim::C, 3),
                (Dim::R, 7),
                (Dim::S, 7),
                (Dim::Y, 230),
                (Dim::X, 230)
            ],
            (2, 2)
        )
    );
    assert_eq!(
        imported.inputs,
        vec![("data".to_owned(), vec![1, 3, 224, 224])]
    );
    assert_eq!(
        imported.skipped_summary(),
        "121 nodes without MACs skipped: BatchNormalization 53, Relu 49, MaxPool 1, Add 16, \
         GlobalAveragePool 1, Flatten 1"
    );
    assert_eq!(
        imported.layer_summary(),
        "54 layers (53 CONV, 1 GEMM) from 54 nodes"
    );
}

#[test]
fn mobilenet_v2_depthwise_layers_match_the_hand_written_model_file() {
    let imported = import_ok("mobilenet_v2.onnx");
    assert_eq!(imported.network.layers.len(), 53);
    assert_equal_but_fully_connected(
        &imported.network,
        &workload("workloads/mobilenet_v2.m"),
        gemm("classifier", 1, 1000, 1280),
    );
    // Block 2's depth-wise layer by hand: 96 channels, depth multiplier 1, 112 + 2 padded, stride 2.
    assert_eq!(
        find(&imported.network, "block2_depthwise"),
        &layer(
            "block2_depthwise",
            LayerType::DepthwiseConv,
            &[
                (Dim::K, 1),
                (Dim::C, 96),
                (Dim::R, 3),
                (Dim::S, 3),
                (Dim::Y, 114),
                (Dim::X, 114)
            ],
            (2, 2)
        )
    );
    let depthwise = imported
        .network
        .layers
        .iter()
        .filter(|layer| layer.layer_type == LayerType::DepthwiseConv)
        .count();
    assert_eq!(depthwise, 17);
}

#[test]
fn resnext_block_has_a_grouped_convolution_with_per_group_channels() {
    let imported = import_ok("resnext_block.onnx");
    let conv = |name: &str, k: u64, c: u64| {
        layer(
            name,
            LayerType::Conv,
            &[
                (Dim::K, k),
                (Dim::C, c),
                (Dim::R, 1),
                (Dim::S, 1),
                (Dim::Y, 56),
                (Dim::X, 56),
            ],
            (1, 1),
        )
    };
    assert_eq!(
        imported.network.layers,
        vec![
            conv("conv2_1_a", 128, 64),
            // 128 channels in 32 groups: 4 input and 4 output channels per group; padded 58.
            layer(
                "conv2_1_b",
                LayerType::GroupedConv,
                &[
                    (Dim::G, 32),
                    (Dim::K, 4),
                    (Dim::C, 4),
                    (Dim::R, 3),
                    (Dim::S, 3),
                    (Dim::Y, 58),
                    (Dim::X, 58)
                ],
                (1, 1)
            ),
            conv("conv2_1_c", 256, 128),
            conv("conv2_1_projection", 256, 64),
        ]
    );
    // MACs are conserved: 32 groups × 4 × 4 × 9 × 56² = 128 × 128 / 32 × 9 × 56².
    let grouped = imported.network.layers[1].loop_bounds().unwrap();
    assert_eq!(grouped.macs(), 128 * 4 * 9 * 56 * 56);
}

#[test]
fn transposed_convolutions_become_stride_one_convolutions_over_the_upsampled_input() {
    let imported = import_ok("transposed_conv.onnx");
    let trconv = |name: &str, k: u64, c: u64, window: u64, extent: u64| {
        layer(
            name,
            LayerType::TransposedConv,
            &[
                (Dim::K, k),
                (Dim::C, c),
                (Dim::R, window),
                (Dim::S, window),
                (Dim::Y, extent),
                (Dim::X, extent),
            ],
            (1, 1),
        )
    };
    assert_eq!(
        imported.network.layers,
        vec![
            // 28 → 2·27 + 2 = 56 outputs; extent 56 + 2 − 1 = 57.
            trconv("up1", 32, 64, 2, 57),
            layer(
                "merge",
                LayerType::Conv,
                &[
                    (Dim::K, 32),
                    (Dim::C, 64),
                    (Dim::R, 3),
                    (Dim::S, 3),
                    (Dim::Y, 58),
                    (Dim::X, 58)
                ],
                (1, 1)
            ),
            // 56 → 2·55 + 4 − 1 − 1 = 112 outputs; extent 112 + 4 − 1 = 115.
            trconv("up2", 16, 32, 4, 115),
        ]
    );
    let bounds = imported.network.layers[2].loop_bounds().unwrap();
    assert_eq!(bounds.size(Dim::OutY), 112);
    assert_eq!(imported.inputs.len(), 2, "data and the skip connection");
}

fn bert_options(batch: u64) -> ImportOptions {
    ImportOptions {
        inputs: vec![("hidden_states".to_owned(), vec![batch, 128, 768])],
        ..ImportOptions::default()
    }
}

#[test]
fn bert_encoder_matches_the_hand_written_model_file_exactly() {
    let imported = import("bert_encoder.onnx", &bert_options(1)).unwrap();
    assert_eq!(imported.network, workload("workloads/bert_base_encoder.m"));
    assert_eq!(imported.layer_summary(), "30 layers (30 GEMM) from 8 nodes");
}

#[test]
fn batched_attention_products_become_one_gemm_per_batch_element_and_head() {
    let imported = import("bert_encoder.onnx", &bert_options(2)).unwrap();
    let network = &imported.network;
    // Projections fold the batch into M; the per-head products do not fold.
    assert_eq!(find(network, "query"), &gemm("query", 256, 768, 768));
    assert_eq!(
        find(network, "scores_head23"),
        &gemm("scores_head23", 128, 128, 64)
    );
    assert_eq!(
        find(network, "context_head0"),
        &gemm("context_head0", 128, 64, 128)
    );
    assert_eq!(network.layers.len(), 6 + 2 * 24);
}

#[test]
fn dynamic_sequence_length_without_input_names_the_input() {
    let error = import("bert_encoder.onnx", &ImportOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "graph input `hidden_states` has a dynamic dimension 1 (`sequence`); give its shape with \
         --input hidden_states=1x<sequence>x768, sizes separated by x (declared [`batch`, \
         `sequence`, 768])"
    );
}

#[test]
fn shape_operators_propagate_to_the_layers_that_follow_them() {
    let options = ImportOptions {
        batch: Some(3),
        ..ImportOptions::default()
    };
    let imported = import("shape_operators.onnx", &options).unwrap();
    assert_eq!(
        imported.network.layers,
        vec![
            // 1-D: a height-1 window; 100 + 2 + 2 = 104 columns, stride 2.
            layer(
                "conv1d",
                LayerType::Conv,
                &[
                    (Dim::N, 3),
                    (Dim::K, 8),
                    (Dim::C, 4),
                    (Dim::R, 1),
                    (Dim::S, 5),
                    (Dim::Y, 1),
                    (Dim::X, 104)
                ],
                (1, 2)
            ),
            // SAME_UPPER, stride 2 on 30: 15 outputs need 14·2 + 3 = 31 rows, padding 0 + 1.
            layer(
                "same",
                LayerType::Conv,
                &[
                    (Dim::N, 3),
                    (Dim::K, 8),
                    (Dim::C, 3),
                    (Dim::R, 3),
                    (Dim::S, 3),
                    (Dim::Y, 31),
                    (Dim::X, 31)
                ],
                (2, 2)
            ),
            // 15 → ceil-mode pool 8 → pad 10 → slice rows 8 → split 5 channels → resize ×2:
            // [3, 5, 16, 20] → [3, 5, 320]; M = 3 · 5.
            gemm("head", 15, 7, 320),
            gemm("head1d", 24, 6, 50),
        ]
    );
}

#[test]
fn unsupported_operator_with_macs_names_the_node() {
    let error = import("conv3d.onnx", &ImportOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "node `c3d` (Conv): a 3-D convolution (input 1x3x8x32x32) has MACs, but no layer type has \
         a third spatial axis"
    );
}

#[test]
fn dilation_is_refused_with_the_node() {
    let error = import("dilated_conv.onnx", &ImportOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "node `atrous` (Conv): dilations [2, 2] are not modelled: the layer types have dense windows only"
    );
}

#[test]
fn files_that_are_not_onnx_are_rejected() {
    let text = std::fs::read(workspace_file("workloads/resnet50.m")).unwrap();
    for bytes in [&text[..], &[][..], &[0xff; 16][..]] {
        let error = import_model(bytes, &ImportOptions::default()).unwrap_err();
        assert!(matches!(error, ImportError::NotOnnx { .. }), "{error}");
        assert!(
            error.to_string().starts_with("not an ONNX model: "),
            "{error}"
        );
    }
}

/// `--input` options as a test writes them.
type InputShapes<'a> = &'a [(&'a str, &'a [u64])];

#[test]
fn bad_input_options_are_named() {
    let cases: [(InputShapes, &str); 3] = [
        (
            &[("tokens", &[1, 128, 768])],
            "--input tokens: the graph has no input of that name (its inputs: hidden_states)",
        ),
        (
            &[("hidden_states", &[128, 768])],
            "--input hidden_states: the graph declares rank 3 ([`batch`, `sequence`, 768]), the \
             option gives rank 2",
        ),
        (
            &[("hidden_states", &[1, 128, 512])],
            "--input hidden_states: axis 2 is fixed to 768 in the graph, the option gives 512",
        ),
    ];
    for (inputs, expected) in cases {
        let options = ImportOptions {
            inputs: inputs
                .iter()
                .map(|(name, shape)| (name.to_string(), shape.to_vec()))
                .collect(),
            ..ImportOptions::default()
        };
        let error = import("bert_encoder.onnx", &options).unwrap_err();
        assert_eq!(error.to_string(), expected);
    }
}

/// A two-input graph built in the test: `A [rows, 64]` times weights named by the nodes.
fn gemm_graph(node_names: &[&str]) -> Vec<u8> {
    let tensor = |name: &str, dims: &[i64]| TensorProto {
        name: name.to_owned(),
        dims: dims.to_vec(),
        data_type: 1,
        ..TensorProto::default()
    };
    let mut graph = GraphProto {
        name: "names".to_owned(),
        ..GraphProto::default()
    };
    let mut previous = "a".to_owned();
    graph.input.push(maestro_onnx::proto::ValueInfoProto {
        name: "a".to_owned(),
        r#type: Some(maestro_onnx::proto::TypeProto {
            tensor_type: Some(maestro_onnx::proto::TensorTypeProto {
                elem_type: 1,
                shape: Some(maestro_onnx::proto::TensorShapeProto {
                    dim: [4, 64]
                        .iter()
                        .map(|&size| maestro_onnx::proto::Dimension {
                            value: Some(maestro_onnx::proto::dimension::Value::DimValue(size)),
                        })
                        .collect(),
                }),
            }),
        }),
    });
    for (index, name) in node_names.iter().enumerate() {
        let weight = format!("w{index}");
        graph.initializer.push(tensor(&weight, &[64, 64]));
        let output = format!("out{index}");
        graph.node.push(NodeProto {
            input: vec![previous.clone(), weight],
            output: vec![output.clone()],
            name: (*name).to_owned(),
            op_type: "Gemm".to_owned(),
            attribute: vec![AttributeProto {
                name: "alpha".to_owned(),
                f: 1.0,
                r#type: 1,
                ..AttributeProto::default()
            }],
            ..NodeProto::default()
        });
        previous = output;
    }
    ModelProto {
        ir_version: 8,
        graph: Some(graph),
        opset_import: vec![OperatorSetIdProto {
            domain: String::new(),
            version: 17,
        }],
        ..ModelProto::default()
    }
    .encode_to_vec()
}

#[test]
fn layer_names_are_sanitised_and_made_unique() {
    let bytes = gemm_graph(&["/fc/Gemm", "/fc/Gemm", "fc_Gemm", "", "7", "Layer { x }"]);
    let imported = import_model(&bytes, &ImportOptions::default()).unwrap();
    let names: Vec<&str> = imported
        .network
        .layers
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "fc_Gemm",
            "fc_Gemm_2",
            "fc_Gemm_3",
            "out3",
            "gemm_7",
            "Layer_x"
        ]
    );
    // The written text reads back to the same network.
    let text = imported.model_text("names.onnx");
    let parsed = maestro_dsl::parse_network("names.m", text.as_bytes()).unwrap();
    assert_eq!(parsed.network, imported.network);
}

#[test]
fn every_fixture_writes_a_model_file_that_reads_back_to_the_same_network() {
    for (name, options) in [
        ("resnet50.onnx", ImportOptions::default()),
        ("mobilenet_v2.onnx", ImportOptions::default()),
        ("resnext_block.onnx", ImportOptions::default()),
        ("transposed_conv.onnx", ImportOptions::default()),
        ("bert_encoder.onnx", bert_options(1)),
        ("shape_operators.onnx", ImportOptions::default()),
    ] {
        let imported = import(name, &options).unwrap();
        let text = imported.model_text(name);
        let parsed = maestro_dsl::parse_network(name, text.as_bytes())
            .unwrap_or_else(|error| panic!("{name}: {error:?}"));
        assert_eq!(parsed.network, imported.network, "{name}");
    }
}

#[test]
fn truncated_and_corrupted_files_end_in_a_result_not_a_panic() {
    // Every prefix of a real file, and the file with each byte in turn replaced by three values that
    // change field numbers, wire types and lengths: each import returns, with a network or an error.
    let bytes = fixture("transposed_conv.onnx");
    let mut outcomes = [0usize; 2];
    for length in 0..bytes.len() {
        outcomes[usize::from(import_model(&bytes[..length], &ImportOptions::default()).is_ok())] +=
            1;
    }
    for position in 0..bytes.len() {
        for replacement in [0x00, 0x7f, 0xff] {
            let mut corrupted = bytes.clone();
            corrupted[position] = replacement;
            let outcome = import_model(&corrupted, &ImportOptions::default());
            outcomes[usize::from(outcome.is_ok())] += 1;
        }
    }
    assert_eq!(outcomes.iter().sum::<usize>(), bytes.len() * 4);
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}

#[test]
fn propagated_shapes_equal_onnx_shape_inference_for_every_node_output() {
    // inferred_shapes.csv: the shape onnx's strict shape inference gives each node output (written by
    // scripts/onnx/make_fixtures.py with batch 1 and sequence 128).
    let table =
        std::fs::read_to_string(workspace_file("crates/onnx/tests/data/inferred_shapes.csv"))
            .unwrap();
    let mut compared = 0;
    let mut fixtures: Vec<&str> = Vec::new();
    for line in table.lines().skip(1) {
        let fixture = line.split(',').next().unwrap();
        if !fixtures.contains(&fixture) {
            fixtures.push(fixture);
        }
    }
    for fixture in fixtures {
        let options = if fixture == "bert_encoder.onnx" {
            bert_options(1)
        } else {
            ImportOptions::default()
        };
        let imported = import(fixture, &options).unwrap();
        let ours: std::collections::HashMap<&str, String> = imported
            .tensor_shapes
            .iter()
            .map(|(name, shape)| (name.as_str(), maestro_onnx::tensor::shape_text(shape)))
            .collect();
        for line in table
            .lines()
            .filter(|line| line.starts_with(&format!("{fixture},")))
        {
            let mut fields = line.split(',');
            let (_, tensor, shape) = (
                fields.next(),
                fields.next().unwrap(),
                fields.next().unwrap(),
            );
            assert_eq!(
                ours.get(tensor).map(String::as_str),
                Some(shape),
                "{fixture}: {tensor}"
            );
            compared += 1;
        }
        assert_eq!(
            imported.tensor_shapes.len(),
            ours.len(),
            "{fixture}: output names are unique"
        );
    }
    assert_eq!(compared, 391);
}

fn total_macs(network: &Network) -> u64 {
    network
        .layers
        .iter()
        .map(|layer| layer.loop_bounds().unwrap().macs())
        .sum()
}

#[test]
fn the_batch_multiplies_every_layer_s_macs() {
    for (fixture, batch_one_macs) in [
        // ResNet-50's well-known 4.09 GMACs; MobileNetV2's 0.30 GMACs.
        ("resnet50.onnx", 4_089_184_256),
        ("mobilenet_v2.onnx", 300_774_272),
    ] {
        let one = import_ok(fixture);
        assert_eq!(total_macs(&one.network), batch_one_macs, "{fixture}");
        let four = import(
            fixture,
            &ImportOptions {
                batch: Some(4),
                ..ImportOptions::default()
            },
        )
        .unwrap();
        assert_eq!(total_macs(&four.network), 4 * batch_one_macs, "{fixture}");
        assert_eq!(four.inputs, vec![("data".to_owned(), vec![4, 3, 224, 224])]);
    }
}
