//! ONNX import: an ONNX model's bytes → a [`Network`] of layer shapes (a model file), by static shape
//! propagation over the graph.
//!
//! # How
//!
//! The protobuf is decoded with `prost` into a hand-written subset of `onnx.proto` ([`proto`]); no
//! `protoc`, no generated code, no inference runtime. Graph inputs get their declared shapes (the
//! first axis, the batch, from [`ImportOptions::batch`] when it is symbolic or 1; other symbolic axes
//! from [`ImportOptions::inputs`], else an error naming the input). Initializers give the weights'
//! shapes. Nodes are then visited in the graph's (topological) order:
//!
//! * `Conv` → CONV (group 1), DSCONV (group = input channels; `K` is the depth multiplier) or NGCONV
//!   (other groups: `G`, with `C` and `K` per group); `ConvTranspose` → TRCONV (the already-upsampled
//!   form); `Gemm` and `MatMul` → GEMM (see [`layers`] for batched products);
//! * the operators without MACs that [`shape_ops`] knows are skipped as layers, their effect on
//!   shapes propagated, and counted per operator;
//! * anything else — an operator with MACs no layer type expresses (3-D convolutions, recurrent cells,
//!   `Einsum`, control flow) or one the importer does not know — is an error naming the node.
//!
//! Convolution input extents include the padding (the project's convention: `Y = H + pad_top +
//! pad_bottom`, so `Y' = (Y − R) / σ + 1` is ONNX's output size). Dilation is refused.
//!
//! Layer names are the nodes' names sanitised to `.m` identifier characters ([`naming`]), made unique.
//! This crate does no I/O: the caller reads the file.

mod attributes;
pub mod error;
mod layers;
pub mod naming;
mod node;
pub mod proto;
mod shape_ops;
pub mod tensor;
mod window;

pub use error::{ImportError, NodeRef};

use crate::attributes::Attributes;
use crate::node::{Effect, Node};
use crate::proto::{dimension, ModelProto};
use crate::tensor::{read_tensor_proto, shape_text, TensorInfo, TensorReadError, MAX_RANK};
use maestro_ir::limits::MAX_SIZE;
use maestro_ir::{Layer, LayerType, Network};
use prost::Message;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// The most layers one import may produce.
pub const MAX_LAYERS: usize = 100_000;

/// Choices that complete the graph's declared input shapes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The batch size: replaces the first axis of every graph input whose first axis is symbolic or 1
    /// (graph inputs named in `inputs` excepted). `None` keeps 1.
    pub batch: Option<u64>,
    /// Full shapes of named graph inputs (`--input NAME=1x3x224x224`); they fill symbolic axes and
    /// must agree with fixed ones (except the first, the batch).
    pub inputs: Vec<(String, Vec<u64>)>,
    /// The network's name when the graph has none (the CLI passes the file stem).
    pub fallback_name: String,
}

/// How many nodes of one operator were skipped (no MACs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedOperator {
    pub op_type: String,
    pub count: usize,
}

/// A successful import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedModel {
    /// The layers (no mappings): a model file's network.
    pub network: Network,
    /// The graph inputs that are not initializers, with the shapes used.
    pub inputs: Vec<(String, Vec<u64>)>,
    /// Operators without MACs, in order of first appearance, with their node counts.
    pub skipped: Vec<SkippedOperator>,
    /// Nodes that became layers.
    pub layer_nodes: usize,
    /// Every node output with the shape the importer propagated, in node order.
    pub tensor_shapes: Vec<(String, Vec<u64>)>,
    /// The model's `producer_name` and default-domain opset version.
    pub producer: String,
    pub opset: Option<i64>,
}

/// Decodes `bytes` as an ONNX model and imports its graph.
pub fn import_model(bytes: &[u8], options: &ImportOptions) -> Result<ImportedModel, ImportError> {
    let model = ModelProto::decode(bytes).map_err(|error| ImportError::NotOnnx {
        reason: format!("the protobuf does not decode ({error})"),
    })?;
    import_decoded(&model, options)
}

/// Imports an already decoded model.
pub fn import_decoded(
    model: &ModelProto,
    options: &ImportOptions,
) -> Result<ImportedModel, ImportError> {
    let graph = model.graph.as_ref().ok_or_else(|| ImportError::NotOnnx {
        reason: "it has no graph".to_owned(),
    })?;
    if model.ir_version <= 0 || graph.node.is_empty() {
        return Err(ImportError::NotOnnx {
            reason: if model.ir_version <= 0 {
                "it declares no IR version".to_owned()
            } else {
                "its graph has no node".to_owned()
            },
        });
    }
    let opset = model
        .opset_import
        .iter()
        .find(|set| set.domain.is_empty() || set.domain == "ai.onnx")
        .map(|set| set.version);

    let mut tensors: HashMap<String, TensorInfo> = HashMap::new();
    for initializer in &graph.initializer {
        let info = read_tensor_proto(initializer).map_err(|error| ImportError::NotOnnx {
            reason: format!(
                "initializer `{}` is invalid: {}",
                initializer.name,
                describe(&error)
            ),
        })?;
        tensors.insert(initializer.name.clone(), info);
    }
    let inputs = resolve_inputs(graph, &tensors, options)?;
    for (name, shape) in &inputs {
        tensors.insert(name.clone(), TensorInfo::of_shape(shape.clone()));
    }

    let mut layers: Vec<Layer> = Vec::new();
    let mut names = naming::UniqueNames::default();
    let mut skipped: Vec<SkippedOperator> = Vec::new();
    let mut layer_nodes = 0;
    let mut tensor_shapes = Vec::new();
    for (index, proto) in graph.node.iter().enumerate() {
        let reference = NodeRef {
            name: proto.name.clone(),
            index,
            op_type: proto.op_type.clone(),
        };
        let mut resolved = Vec::with_capacity(proto.input.len());
        for name in &proto.input {
            if name.is_empty() {
                resolved.push(None);
                continue;
            }
            match tensors.get(name) {
                Some(info) => resolved.push(Some(info)),
                None => {
                    return Err(ImportError::UndefinedTensor {
                        node: reference,
                        tensor: name.clone(),
                    })
                }
            }
        }
        let node = Node {
            proto,
            reference,
            attributes: Attributes::of(proto),
            inputs: resolved,
        };
        let effect = visit(&node)?;
        if effect.layers.is_empty() {
            match skipped.iter_mut().find(|s| s.op_type == proto.op_type) {
                Some(entry) => entry.count += 1,
                None => skipped.push(SkippedOperator {
                    op_type: proto.op_type.clone(),
                    count: 1,
                }),
            }
        } else {
            layer_nodes += 1;
            let raw_name = if proto.name.is_empty() {
                proto.output.first().map_or("", String::as_str)
            } else {
                proto.name.as_str()
            };
            let base = naming::sanitise(raw_name, &proto.op_type);
            for draft in effect.layers {
                if layers.len() >= MAX_LAYERS {
                    return Err(node.refused(format!(
                        "the network would have more than {MAX_LAYERS} layers"
                    )));
                }
                let layer = Layer {
                    name: names.claim(&format!("{base}{}", draft.suffix)),
                    layer_type: draft.layer_type,
                    dimensions: draft.dimensions,
                    strides: draft.strides,
                    mapping: None,
                };
                layer
                    .loop_bounds()
                    .map_err(|error| node.bad_shape(format!("layer {}: {error}", layer.name)))?;
                layers.push(layer);
            }
        }
        let Node { reference, .. } = node;
        for (name, info) in proto.output.iter().zip(effect.outputs) {
            if name.is_empty() {
                continue;
            }
            if info.shape.len() > MAX_RANK {
                return Err(ImportError::BadShape {
                    node: reference,
                    reason: format!("output `{name}` has more than {MAX_RANK} axes"),
                });
            }
            tensor_shapes.push((name.clone(), info.shape.clone()));
            tensors.insert(name.clone(), info);
        }
    }
    if layers.is_empty() {
        return Err(ImportError::NoLayers);
    }
    let name = if graph.name.is_empty() {
        options.fallback_name.as_str()
    } else {
        graph.name.as_str()
    };
    Ok(ImportedModel {
        network: Network {
            name: naming::sanitise(name, "model"),
            layers,
        },
        inputs,
        skipped,
        layer_nodes,
        tensor_shapes,
        producer: model.producer_name.clone(),
        opset,
    })
}

fn describe(error: &TensorReadError) -> String {
    match error {
        TensorReadError::NegativeDimension(dim) => format!("a dimension is negative ({dim})"),
        TensorReadError::TooLarge(dim) => format!("a dimension ({dim}) exceeds {MAX_SIZE}"),
        TensorReadError::RankTooLarge(rank) => format!("its rank {rank} exceeds {MAX_RANK}"),
    }
}

/// Operators that compute MACs in a form no layer type expresses (or may hide them in subgraphs).
const UNSUPPORTED_WITH_MACS: &[&str] = &[
    "Einsum",
    "LSTM",
    "GRU",
    "RNN",
    "ConvInteger",
    "QLinearConv",
    "MatMulInteger",
    "QLinearMatMul",
    "DeformConv",
    "Attention",
    "MultiHeadAttention",
    "If",
    "Loop",
    "Scan",
];

fn visit(node: &Node) -> Result<Effect, ImportError> {
    let domain = node.proto.domain.as_str();
    if !(domain.is_empty() || domain == "ai.onnx") {
        return Err(node.unsupported(format!(
            "operators of domain `{domain}` are not known to the importer"
        )));
    }
    match node.op_type() {
        "Conv" => layers::conv(node),
        "ConvTranspose" => layers::conv_transpose(node),
        "Gemm" => layers::gemm(node),
        "MatMul" => layers::matmul(node),
        op if UNSUPPORTED_WITH_MACS.contains(&op) => Err(node.unsupported(format!(
            "operator {op} has MACs (or subgraphs that may), but no layer type expresses it"
        ))),
        op if shape_ops::is_shape_operator(op) => shape_ops::propagate(node),
        op => Err(node.unsupported(format!(
            "operator {op} is not known to the importer (neither a layer nor a shape operator it propagates)"
        ))),
    }
}

/// The graph inputs that are not initializers, with their shapes completed.
fn resolve_inputs(
    graph: &proto::GraphProto,
    initializers: &HashMap<String, TensorInfo>,
    options: &ImportOptions,
) -> Result<Vec<(String, Vec<u64>)>, ImportError> {
    let activations: Vec<&proto::ValueInfoProto> = graph
        .input
        .iter()
        .filter(|input| !initializers.contains_key(&input.name))
        .collect();
    let mut seen = HashSet::new();
    for (name, _) in &options.inputs {
        if !seen.insert(name) || !activations.iter().any(|input| &input.name == name) {
            let inputs: Vec<&str> = activations
                .iter()
                .map(|input| input.name.as_str())
                .collect();
            return Err(ImportError::UnknownInput {
                name: name.clone(),
                inputs: if inputs.is_empty() {
                    "none".to_owned()
                } else {
                    inputs.join(", ")
                },
            });
        }
    }
    let mut resolved = Vec::with_capacity(activations.len());
    for input in activations {
        let declared: Option<Vec<Option<u64>>> = declared_shape(input).map(|shape| {
            shape
                .dim
                .iter()
                .map(|dim| match &dim.value {
                    Some(dimension::Value::DimValue(value)) => u64::try_from(*value).ok(),
                    _ => None,
                })
                .collect()
        });
        let declared_text = |declared: &[Option<u64>]| -> String {
            let parts: Vec<String> = declared
                .iter()
                .zip(input_dims(input))
                .map(|(size, name)| size.map_or(name, |size| size.to_string()))
                .collect();
            format!("[{}]", parts.join(", "))
        };
        let given = options.inputs.iter().find(|(name, _)| name == &input.name);
        let shape: Vec<u64> = match (given, &declared) {
            (Some((name, shape)), Some(declared)) => {
                if shape.len() != declared.len() {
                    return Err(ImportError::InputRank {
                        name: name.clone(),
                        declared: declared.len(),
                        declared_shape: declared_text(declared),
                        given: shape.len(),
                    });
                }
                for (axis, (&size, fixed)) in shape.iter().zip(declared).enumerate() {
                    if let Some(fixed) = *fixed {
                        if axis > 0 && fixed != size {
                            return Err(ImportError::InputContradicts {
                                name: name.clone(),
                                axis,
                                declared: fixed,
                                given: size,
                            });
                        }
                    }
                }
                shape.clone()
            }
            (Some((_, shape)), None) => shape.clone(),
            (None, None) => {
                return Err(ImportError::NoInputShape {
                    input: input.name.clone(),
                })
            }
            (None, Some(declared)) => {
                let mut shape = Vec::with_capacity(declared.len());
                for (axis, size) in declared.iter().enumerate() {
                    match size {
                        Some(0) | None if axis == 0 => shape.push(1),
                        Some(size) => shape.push(*size),
                        None => {
                            let names = input_dims(input);
                            let example: Vec<String> = declared
                                .iter()
                                .zip(&names)
                                .enumerate()
                                .map(|(axis, (size, name))| match size {
                                    Some(size) => size.to_string(),
                                    None if axis == 0 => "1".to_owned(),
                                    None => format!("<{}>", name.trim_matches('`')),
                                })
                                .collect();
                            return Err(ImportError::DynamicDimension {
                                input: input.name.clone(),
                                axis,
                                what: names[axis].clone(),
                                example: example.join("x"),
                                declared: declared_text(declared),
                            });
                        }
                    }
                }
                if let (Some(batch), Some(first)) = (options.batch, shape.first_mut()) {
                    let symbolic_or_one = declared[0].map_or(true, |size| size <= 1);
                    if symbolic_or_one {
                        *first = batch;
                    }
                }
                shape
            }
        };
        if shape.len() > MAX_RANK {
            return Err(ImportError::TooLarge {
                what: format!("the rank of graph input `{}`", input.name),
                size: shape.len() as u128,
                limit: MAX_RANK as u64,
            });
        }
        if let Some(&size) = shape.iter().find(|&&size| size == 0 || size > MAX_SIZE) {
            return Err(ImportError::TooLarge {
                what: format!(
                    "a dimension of graph input `{}` ({})",
                    input.name,
                    shape_text(&shape)
                ),
                size: size.into(),
                limit: MAX_SIZE,
            });
        }
        resolved.push((input.name.clone(), shape));
    }
    Ok(resolved)
}

/// The shape a graph input declares, if its type is a tensor with a shape.
fn declared_shape(input: &proto::ValueInfoProto) -> Option<&proto::TensorShapeProto> {
    input
        .r#type
        .as_ref()
        .and_then(|t| t.tensor_type.as_ref())
        .and_then(|t| t.shape.as_ref())
}

/// The declared axes of a graph input as text: the symbolic name, or `?` when unnamed.
fn input_dims(input: &proto::ValueInfoProto) -> Vec<String> {
    declared_shape(input)
        .map(|shape| {
            shape
                .dim
                .iter()
                .map(|dim| match &dim.value {
                    Some(dimension::Value::DimParam(name)) if !name.is_empty() => {
                        format!("`{name}`")
                    }
                    Some(dimension::Value::DimValue(value)) => value.to_string(),
                    _ => "?".to_owned(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Parses `NAME=1x3x224x224` (the `--input` option).
pub fn parse_input_shape(text: &str) -> Result<(String, Vec<u64>), String> {
    let (name, shape) = text
        .rsplit_once('=')
        .ok_or_else(|| format!("`{text}` is not NAME=SHAPE (for example data=1x3x224x224)"))?;
    if name.is_empty() {
        return Err(format!("`{text}` has no input name before `=`"));
    }
    let sizes: Vec<u64> = shape
        .split(['x', 'X', ','])
        .map(|part| {
            part.trim()
                .parse::<u64>()
                .ok()
                .filter(|&size| (1..=MAX_SIZE).contains(&size))
                .ok_or_else(|| {
                    format!("`{shape}`: `{part}` is not a size from 1 to {MAX_SIZE} (sizes are separated by x)")
                })
        })
        .collect::<Result<_, _>>()?;
    if sizes.len() > MAX_RANK {
        return Err(format!("`{shape}` has more than {MAX_RANK} axes"));
    }
    Ok((name.to_owned(), sizes))
}

impl ImportedModel {
    /// The model file's text: a header comment (source, inputs, what was skipped), then the network
    /// as `maestro_dsl::write_network` writes it.
    pub fn model_text(&self, source: &str) -> String {
        let mut text = String::new();
        let one_line = |s: &str| s.replace(['\n', '\r'], " ");
        let _ = writeln!(
            text,
            "// Imported from {} by `maestro import` (producer {}, opset {}).",
            one_line(source),
            if self.producer.is_empty() {
                "unknown".to_owned()
            } else {
                one_line(&self.producer)
            },
            self.opset
                .map_or("unknown".to_owned(), |opset| opset.to_string())
        );
        let inputs: Vec<String> = self
            .inputs
            .iter()
            .map(|(name, shape)| format!("{}={}", one_line(name), shape_text(shape)))
            .collect();
        let _ = writeln!(text, "// Inputs: {}.", inputs.join(", "));
        let _ = writeln!(text, "// {}.", self.layer_summary());
        let _ = writeln!(text, "// {}.", self.skipped_summary());
        text.push_str(
            "// Convolution input extents Y, X include the padding; TRCONV layers are the stride-1\n\
             // convolutions over the zero-inserted input.\n",
        );
        text.push_str(&maestro_dsl::write_network(&self.network));
        text
    }

    /// `54 layers (53 CONV, 1 GEMM) from 54 nodes`.
    pub fn layer_summary(&self) -> String {
        let mut counts: Vec<(LayerType, usize)> = Vec::new();
        for layer in &self.network.layers {
            match counts.iter_mut().find(|(t, _)| *t == layer.layer_type) {
                Some((_, count)) => *count += 1,
                None => counts.push((layer.layer_type, 1)),
            }
        }
        let parts: Vec<String> = counts
            .iter()
            .map(|(t, count)| format!("{count} {t}"))
            .collect();
        format!(
            "{} layers ({}) from {} nodes",
            self.network.layers.len(),
            parts.join(", "),
            self.layer_nodes
        )
    }

    /// `120 nodes without MACs skipped: Relu 49, Add 16, …` (or that none were).
    pub fn skipped_summary(&self) -> String {
        let total: usize = self.skipped.iter().map(|s| s.count).sum();
        if total == 0 {
            return "no node without MACs".to_owned();
        }
        let parts: Vec<String> = self
            .skipped
            .iter()
            .map(|s| format!("{} {}", s.op_type, s.count))
            .collect();
        format!("{total} nodes without MACs skipped: {}", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_shapes_parse() {
        assert_eq!(
            parse_input_shape("data=1x3x224x224"),
            Ok(("data".to_owned(), vec![1, 3, 224, 224]))
        );
        assert_eq!(
            parse_input_shape("a=b=2x3"),
            Ok(("a=b".to_owned(), vec![2, 3]))
        );
        for bad in [
            "data",
            "=1x2",
            "data=1x0",
            "data=1xx2",
            "data=-1",
            "data=4294967296",
        ] {
            assert!(parse_input_shape(bad).is_err(), "{bad}");
        }
    }
}
