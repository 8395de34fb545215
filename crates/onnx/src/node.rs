//! One node as the operator rules see it: its resolved input tensors, its attributes, and helpers that
//! build errors naming the node.

use crate::attributes::Attributes;
use crate::error::{ImportError, NodeRef};
use crate::proto::NodeProto;
use crate::tensor::{normalise_axis, shape_text, TensorInfo, Values};
use maestro_ir::{Dim, LayerType, Strides};

/// A node with its inputs looked up.
#[derive(Debug)]
pub struct Node<'a> {
    pub proto: &'a NodeProto,
    pub reference: NodeRef,
    pub attributes: Attributes<'a>,
    /// One entry per declared input; `None` for an omitted optional input (an empty name).
    pub inputs: Vec<Option<&'a TensorInfo>>,
}

/// A layer a node contributes, before it is named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerDraft {
    /// Appended to the node's name (`_head3` for the fourth GEMM of a batched MatMul).
    pub suffix: String,
    pub layer_type: LayerType,
    pub dimensions: Vec<(Dim, u64)>,
    pub strides: Strides,
}

/// What an operator rule returns: the node's output tensors (in order) and its layers.
#[derive(Debug, Default)]
pub struct Effect {
    pub outputs: Vec<TensorInfo>,
    pub layers: Vec<LayerDraft>,
}

impl Effect {
    pub fn outputs(outputs: Vec<TensorInfo>) -> Effect {
        Effect {
            outputs,
            layers: Vec::new(),
        }
    }

    pub fn shape(shape: Vec<u64>) -> Effect {
        Effect::outputs(vec![TensorInfo::of_shape(shape)])
    }
}

impl<'a> Node<'a> {
    pub fn op_type(&self) -> &str {
        &self.proto.op_type
    }

    /// A required input.
    pub fn input(&self, index: usize) -> Result<&'a TensorInfo, ImportError> {
        self.optional_input(index).ok_or_else(|| {
            self.bad_shape(format!(
                "expects an input at position {index}, the node has none"
            ))
        })
    }

    pub fn optional_input(&self, index: usize) -> Option<&'a TensorInfo> {
        self.inputs.get(index).copied().flatten()
    }

    /// A required input with a given rank.
    pub fn input_of_rank(
        &self,
        index: usize,
        what: &str,
        rank: usize,
    ) -> Result<&'a TensorInfo, ImportError> {
        let tensor = self.input(index)?;
        if tensor.rank() != rank {
            return Err(self.bad_shape(format!(
                "{what} must have rank {rank}, found shape {}",
                shape_text(&tensor.shape)
            )));
        }
        Ok(tensor)
    }

    /// The values of a constant input (shapes, axes, pads), if the importer knows them.
    pub fn constant_input(
        &self,
        index: usize,
        what: &str,
    ) -> Result<Option<&'a Values>, ImportError> {
        match self.optional_input(index) {
            None => Ok(None),
            Some(tensor) => tensor.values.as_ref().map(Some).ok_or_else(|| {
                self.unsupported(format!(
                    "its {what} (input {index}) is computed at run time; the importer needs it as a \
                     constant (an initializer or a Constant node)"
                ))
            }),
        }
    }

    /// An axis attribute with its default, normalised against `rank`.
    pub fn axis(&self, name: &str, default: i64, rank: usize) -> Result<usize, ImportError> {
        let axis = self.attributes.int(name).unwrap_or(default);
        self.normalise(axis, rank)
    }

    pub fn normalise(&self, axis: i64, rank: usize) -> Result<usize, ImportError> {
        normalise_axis(axis, rank)
            .ok_or_else(|| self.bad_shape(format!("axis {axis} is out of range for rank {rank}")))
    }

    pub fn bad_shape(&self, reason: impl Into<String>) -> ImportError {
        ImportError::BadShape {
            node: self.reference.clone(),
            reason: reason.into(),
        }
    }

    pub fn refused(&self, reason: impl Into<String>) -> ImportError {
        ImportError::Refused {
            node: self.reference.clone(),
            reason: reason.into(),
        }
    }

    pub fn unsupported(&self, reason: impl Into<String>) -> ImportError {
        ImportError::Unsupported {
            node: self.reference.clone(),
            reason: reason.into(),
        }
    }
}
