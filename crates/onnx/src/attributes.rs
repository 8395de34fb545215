//! Reading a node's attributes by name, with the ONNX defaults left to the caller.

use crate::proto::{attribute_type, AttributeProto, NodeProto, TensorProto};

/// The attributes of one node.
#[derive(Clone, Copy, Debug)]
pub struct Attributes<'a> {
    node: &'a NodeProto,
}

impl<'a> Attributes<'a> {
    pub fn of(node: &'a NodeProto) -> Attributes<'a> {
        Attributes { node }
    }

    fn find(&self, name: &str) -> Option<&'a AttributeProto> {
        self.node
            .attribute
            .iter()
            .find(|attribute| attribute.name == name)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.find(name)
            .filter(|a| a.r#type == attribute_type::INT || a.r#type == 0)
            .map(|a| a.i)
    }

    pub fn ints(&self, name: &str) -> Option<&'a [i64]> {
        self.find(name)
            .filter(|a| a.r#type == attribute_type::INTS || a.r#type == 0)
            .map(|a| a.ints.as_slice())
    }

    pub fn float(&self, name: &str) -> Option<f32> {
        self.find(name)
            .filter(|a| a.r#type == attribute_type::FLOAT || a.r#type == 0)
            .map(|a| a.f)
    }

    pub fn floats(&self, name: &str) -> Option<&'a [f32]> {
        self.find(name)
            .filter(|a| a.r#type == attribute_type::FLOATS || a.r#type == 0)
            .map(|a| a.floats.as_slice())
    }

    /// A string attribute, lossily decoded (ONNX strings are bytes).
    pub fn string(&self, name: &str) -> Option<String> {
        self.find(name)
            .filter(|a| a.r#type == attribute_type::STRING || a.r#type == 0)
            .map(|a| String::from_utf8_lossy(&a.s).into_owned())
    }

    pub fn tensor(&self, name: &str) -> Option<&'a TensorProto> {
        self.find(name)
            .filter(|a| a.r#type == attribute_type::TENSOR || a.r#type == 0)
            .and_then(|a| a.t.as_ref())
    }
}
