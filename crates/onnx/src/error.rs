//! Why an ONNX model cannot be imported. Every error about a node names the node and its operator.

use thiserror::Error;

/// A node, as errors name it: its name (or its position when unnamed) and its operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeRef {
    pub name: String,
    pub index: usize,
    pub op_type: String,
}

impl std::fmt::Display for NodeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.name.is_empty() {
            write!(f, "node #{} ({})", self.index, self.op_type)
        } else {
            write!(f, "node `{}` ({})", self.name, self.op_type)
        }
    }
}

/// An import failure. All are fatal: the importer writes no partial network.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ImportError {
    /// The bytes are not an ONNX model (the protobuf does not decode, or decodes to no graph).
    #[error("not an ONNX model: {reason}")]
    NotOnnx { reason: String },
    /// An operator that performs multiply-accumulates in a form no layer type expresses (3-D
    /// convolutions, recurrent cells, `Einsum`, …), or an operator the importer does not know.
    #[error("{node}: {reason}")]
    Unsupported { node: NodeRef, reason: String },
    /// A supported operator used with an attribute value the layer types cannot express (dilation,
    /// grouped transposed convolution, …).
    #[error("{node}: {reason}")]
    Refused { node: NodeRef, reason: String },
    /// The operands' shapes do not fit the operator (channels, inner dimensions, element counts).
    #[error("{node}: {reason}")]
    BadShape { node: NodeRef, reason: String },
    /// A node reads a tensor that no graph input, initializer or earlier node provides.
    #[error("{node}: input `{tensor}` is not a graph input, an initializer or the output of an earlier node")]
    UndefinedTensor { node: NodeRef, tensor: String },
    /// A graph input has a symbolic or unknown dimension other than the batch (first) dimension.
    #[error(
        "graph input `{input}` has a dynamic dimension {axis} ({what}); give its shape with \
         --input {input}={example}, sizes separated by x (declared {declared})"
    )]
    DynamicDimension {
        input: String,
        axis: usize,
        what: String,
        example: String,
        declared: String,
    },
    /// A graph input declares no shape at all.
    #[error("graph input `{input}` declares no tensor shape; give it with --input {input}=SHAPE")]
    NoInputShape { input: String },
    /// `--input` names a tensor that is not a graph input.
    #[error("--input {name}: the graph has no input of that name (its inputs: {inputs})")]
    UnknownInput { name: String, inputs: String },
    /// `--input` gives a shape with another rank than the graph declares.
    #[error("--input {name}: the graph declares rank {declared} ({declared_shape}), the option gives rank {given}")]
    InputRank {
        name: String,
        declared: usize,
        declared_shape: String,
        given: usize,
    },
    /// `--input` gives a size that contradicts a fixed size in the graph.
    #[error(
        "--input {name}: axis {axis} is fixed to {declared} in the graph, the option gives {given}"
    )]
    InputContradicts {
        name: String,
        axis: usize,
        declared: u64,
        given: u64,
    },
    /// A size beyond the limits of the IR ([`maestro_ir::limits`]).
    #[error("{what} is {size}, beyond the largest accepted size {limit}")]
    TooLarge {
        what: String,
        size: u128,
        limit: u64,
    },
    /// The graph has no node with MACs, so the network would be empty.
    #[error("the graph has no Conv, ConvTranspose, Gemm or MatMul node: no layer to write")]
    NoLayers,
}
