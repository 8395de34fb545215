//! The syntax tree of a mapping or model file, as written: names and values are still text, every node
//! carries its span. Parts that failed to parse are absent and the enclosing block is marked `damaged`,
//! so that later passes do not report follow-on errors for them.

use crate::span::Span;
use maestro_ir::MapKind;
use std::borrow::Cow;

/// A name as written (a bare word or a quoted string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Name<'a> {
    pub text: Cow<'a, str>,
    pub span: Span,
}

/// A size, offset, stride or cluster size before resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// A word that starts with a digit or `-`: a number, possibly malformed or negative.
    Number { text: &'a str, span: Span },
    /// Any other word: a constant's name.
    Constant(Name<'a>),
    /// `Sz(D)`.
    SizeOf { dim: Name<'a>, span: Span },
}

impl Value<'_> {
    pub(crate) fn span(&self) -> Span {
        match self {
            Value::Number { span, .. } | Value::SizeOf { span, .. } => *span,
            Value::Constant(name) => name.span,
        }
    }
}

/// `NAME: VALUE` in a `Stride` or `Dimensions` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    pub key: Name<'a>,
    pub value: Value<'a>,
}

impl Entry<'_> {
    pub(crate) fn span(&self) -> Span {
        self.key.span.join(self.value.span())
    }
}

/// A `{ … }` item of a layer, with its keyword's span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block<T> {
    pub keyword: Span,
    pub items: Vec<T>,
    pub damaged: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DirectiveAst<'a> {
    Map {
        kind: MapKind,
        size: Value<'a>,
        offset: Value<'a>,
        dim: Name<'a>,
        span: Span,
    },
    Cluster {
        size: Value<'a>,
        kind: Option<Name<'a>>,
        span: Span,
    },
}

impl DirectiveAst<'_> {
    pub(crate) fn span(&self) -> Span {
        match self {
            DirectiveAst::Map { span, .. } | DirectiveAst::Cluster { span, .. } => *span,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LayerAst<'a> {
    /// From `Layer` to the closing `}`.
    pub span: Span,
    pub keyword: Span,
    pub name: Option<Name<'a>>,
    /// The value after `Type:`.
    pub layer_type: Option<Name<'a>>,
    pub strides: Option<Block<Entry<'a>>>,
    pub dimensions: Option<Block<Entry<'a>>>,
    pub dataflow: Option<Block<DirectiveAst<'a>>>,
    /// Set when some item of the layer (other than the blocks, which carry their own flag) failed to parse.
    pub damaged: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NetworkAst<'a> {
    pub keyword: Span,
    pub name: Option<Name<'a>>,
    pub layers: Vec<LayerAst<'a>>,
}

/// `Constant NAME VALUE;` at top level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ConstantAst<'a> {
    pub name: Name<'a>,
    pub value: Value<'a>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FileAst<'a> {
    pub constants: Vec<ConstantAst<'a>>,
    pub networks: Vec<NetworkAst<'a>>,
}
