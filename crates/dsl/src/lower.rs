//! Lowering: the syntax tree to `maestro_ir` layers, with the spans of every dimension and directive.
//! Names become [`Dim`]s and [`LayerType`]s, values are resolved, strides are put on their axis, `FC`
//! becomes a 1×1 `CONV`, and covering temporal `R`/`S` tiles are clamped to the filter size. The checks
//! that need a whole layer (required dimensions, the mapping's structure) follow in [`crate::validate`].

use crate::ast::{Block, DirectiveAst, Entry, FileAst, LayerAst, NetworkAst};
use crate::diagnostic::{shorten, Sink};
use crate::resolve::{resolve, Constants, SizeScope, DIM_NAMES};
use crate::span::Span;
use crate::validate;
use crate::{LayerSpans, SourceMap};
use maestro_ir::{
    ClusterDirective, ClusterKind, Dim, Directive, Layer, LayerType, MapDirective, MapKind,
    Mapping, Network, Strides,
};

/// The layer type as written: the IR's five, plus `FC`, which is lowered to `CONV`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WrittenType {
    Ir(LayerType),
    FullyConnected,
}

impl WrittenType {
    fn layer_type(self) -> LayerType {
        match self {
            WrittenType::Ir(layer_type) => layer_type,
            WrittenType::FullyConnected => LayerType::Conv,
        }
    }

    fn keyword(self) -> &'static str {
        match self {
            WrittenType::Ir(layer_type) => layer_type.keyword(),
            WrittenType::FullyConnected => "FC",
        }
    }

    /// The dimensions a layer of this type may declare.
    fn declarable(self) -> &'static [Dim] {
        use Dim::*;
        match self {
            WrittenType::Ir(
                LayerType::Conv | LayerType::TransposedConv | LayerType::DepthwiseConv,
            ) => &[N, K, C, R, S, Y, X, OutY, OutX],
            WrittenType::Ir(LayerType::GroupedConv) => &[N, G, K, C, R, S, Y, X, OutY, OutX],
            WrittenType::Ir(LayerType::Gemm) => &[M, N, K],
            WrittenType::FullyConnected => &[N, K, C],
        }
    }

    fn declarable_names(self) -> String {
        self.declarable()
            .iter()
            .map(|dim| dim.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Lowers the whole file. Errors are in `sink`; the network is complete only if none were reported.
pub(crate) fn lower_file(
    file: &FileAst<'_>,
    constants: &Constants,
    sink: &mut Sink,
    file_name: &str,
) -> (Network, SourceMap) {
    let mut network = Network::default();
    let mut source_map = SourceMap {
        file_name: file_name.to_string(),
        layers: Vec::new(),
    };
    let Some(first) = file.networks.first() else {
        let span = Span::new(0, sink.source().find('\n').unwrap_or(sink.source().len()));
        sink.push(
            span,
            "no `Network` block in the file".to_string(),
            "the file starts here".to_string(),
            Some("expected `Network NAME { Layer NAME { ... } }`".to_string()),
            Vec::new(),
        );
        return (network, source_map);
    };
    for extra in &file.networks[1..] {
        sink.push(
            extra.keyword,
            "a second `Network` block".to_string(),
            "second network".to_string(),
            Some(
                "a file holds one network; put all layers in the first `Network` block".to_string(),
            ),
            vec![(first.keyword, "first network".to_string())],
        );
    }
    network.name = first
        .name
        .as_ref()
        .map_or_else(String::new, |name| name.text.to_string());
    lower_network(first, constants, sink, &mut network, &mut source_map);
    (network, source_map)
}

fn lower_network(
    ast: &NetworkAst<'_>,
    constants: &Constants,
    sink: &mut Sink,
    network: &mut Network,
    source_map: &mut SourceMap,
) {
    if ast.layers.is_empty() {
        sink.push(
            ast.name
                .as_ref()
                .map_or(ast.keyword, |name| ast.keyword.join(name.span)),
            "the network has no layers".to_string(),
            "empty network".to_string(),
            Some("expected at least one `Layer NAME { ... }`".to_string()),
            Vec::new(),
        );
    }
    network.layers.reserve(ast.layers.len());
    source_map.layers.reserve(ast.layers.len());
    for layer_ast in &ast.layers {
        if let Some((layer, spans)) = lower_layer(layer_ast, constants, sink) {
            network.layers.push(layer);
            source_map.layers.push(spans);
        }
    }
}

/// Counts the errors a step adds, to decide whether later steps of the same layer can run.
struct ErrorCount(usize);

fn errors_so_far(sink: &Sink) -> ErrorCount {
    ErrorCount(sink.count())
}

impl ErrorCount {
    fn unchanged(&self, sink: &Sink) -> bool {
        sink.count() == self.0
    }
}

fn lower_layer(
    ast: &LayerAst<'_>,
    constants: &Constants,
    sink: &mut Sink,
) -> Option<(Layer, LayerSpans)> {
    let start = errors_so_far(sink);
    let name = ast
        .name
        .as_ref()
        .map_or_else(String::new, |name| name.text.to_string());
    let name_span = ast.name.as_ref().map_or(ast.keyword, |name| name.span);
    let written_type = layer_type(ast, &name, name_span, sink);
    let type_span = ast.layer_type.as_ref().map_or(name_span, |name| name.span);

    let strides = ast.strides.as_ref().map_or_else(Strides::default, |block| {
        strides(block, written_type, constants, sink)
    });
    let before_dimensions = errors_so_far(sink);
    let (mut dimensions, mut dimension_spans) = match &ast.dimensions {
        Some(block) => dimensions(block, written_type, &name, constants, sink),
        None => (Vec::new(), Vec::new()),
    };
    // Required-dimension and loop-bound checks would only repeat an error already reported for an
    // entry that was dropped.
    let dimensions_complete =
        !ast.damaged && intact(&ast.dimensions) && before_dimensions.unchanged(sink);
    if let Some(written_type) = written_type {
        if written_type == WrittenType::FullyConnected {
            for dim in [Dim::R, Dim::S, Dim::Y, Dim::X] {
                dimensions.push((dim, 1));
                dimension_spans.push(type_span);
            }
        }
        if dimensions_complete {
            let anchor = ast
                .dimensions
                .as_ref()
                .map_or(name_span, |block| block.keyword);
            validate::required_dimensions(
                &name,
                written_type.layer_type(),
                &dimensions,
                &dimension_spans,
                anchor,
                sink,
            );
        }
    }

    let mut layer = Layer {
        name,
        layer_type: written_type.map_or(LayerType::Conv, WrittenType::layer_type),
        dimensions,
        strides,
        mapping: None,
    };
    if written_type.is_some() && dimensions_complete && start.unchanged(sink) {
        validate::loop_bounds(&layer, &dimension_spans, sink);
    }

    let mut directive_spans = Vec::new();
    if let Some(block) = &ast.dataflow {
        let before_dataflow = errors_so_far(sink);
        let (directives, spans) = dataflow(block, &layer, written_type, constants, sink);
        directive_spans = spans;
        layer.mapping = Some(Mapping::new(directives));
        if start.unchanged(sink) && before_dataflow.unchanged(sink) && !block.damaged {
            validate::mapping(&layer, &directive_spans, block.keyword, sink);
        }
    }

    let spans = LayerSpans {
        block: ast.span,
        name: name_span,
        layer_type: type_span,
        dimensions: dimension_spans,
        directives: directive_spans,
    };
    if start.unchanged(sink) && !ast.damaged && written_type.is_some() {
        Some((layer, spans))
    } else {
        None
    }
}

/// Whether an optional block parsed without errors (an absent block counts as intact).
fn intact<T>(block: &Option<Block<T>>) -> bool {
    block.as_ref().map_or(true, |block| !block.damaged)
}

fn layer_type(
    ast: &LayerAst<'_>,
    name: &str,
    name_span: Span,
    sink: &mut Sink,
) -> Option<WrittenType> {
    let Some(value) = &ast.layer_type else {
        if !ast.damaged {
            sink.push(
                name_span,
                format!("layer `{}` has no `Type`", shorten(name)),
                "this layer".to_string(),
                Some(
                    "expected `Type: CONV` (or TRCONV, DSCONV, NGCONV, GEMM, FC) inside the layer"
                        .to_string(),
                ),
                Vec::new(),
            );
        }
        return None;
    };
    match value.text.as_ref() {
        "FC" => Some(WrittenType::FullyConnected),
        text => match LayerType::from_keyword(text) {
            Some(layer_type) => Some(WrittenType::Ir(layer_type)),
            None => {
                let message = if matches!(text, "LSTM" | "POOL") {
                    format!("layer type `{text}` is not supported")
                } else {
                    format!("unknown layer type `{}`", shorten(text))
                };
                sink.error(
                    value.span,
                    message,
                    Some("expected one of CONV, TRCONV, DSCONV, NGCONV, GEMM or FC (FC is read as a 1×1 CONV)".to_string()),
                );
                None
            }
        },
    }
}

fn strides(
    block: &Block<Entry<'_>>,
    written_type: Option<WrittenType>,
    constants: &Constants,
    sink: &mut Sink,
) -> Strides {
    let mut strides = Strides::default();
    let mut seen_y: Option<Span> = None;
    let mut seen_x: Option<Span> = None;
    for entry in &block.items {
        let axis = match Dim::from_name(&entry.key.text) {
            Some(Dim::Y | Dim::OutY) => &mut seen_y,
            Some(Dim::X | Dim::OutX) => &mut seen_x,
            Some(dim) => {
                sink.error(
                    entry.key.span,
                    format!("a stride on {dim} has no meaning"),
                    Some("strides belong to the sliding axes: expected `Y` (or `Y'`) and `X` (or `X'`)".to_string()),
                );
                continue;
            }
            None => {
                sink.error(
                    entry.key.span,
                    format!("unknown stride axis `{}`", shorten(&entry.key.text)),
                    Some("expected `Y` (or `Y'`) and `X` (or `X'`)".to_string()),
                );
                continue;
            }
        };
        if let Some(first) = *axis {
            sink.push(
                entry.key.span,
                format!(
                    "the stride of axis `{}` is given twice",
                    shorten(&entry.key.text)
                ),
                "second stride".to_string(),
                Some(
                    "`Y` and `Y'` (and `X` and `X'`) name the same axis; give its stride once"
                        .to_string(),
                ),
                vec![(first, "first stride".to_string())],
            );
            continue;
        }
        *axis = Some(entry.key.span);
        let Some(value) = resolve(&entry.value, "the stride", None, constants, sink) else {
            continue;
        };
        let on_y = matches!(Dim::from_name(&entry.key.text), Some(Dim::Y | Dim::OutY));
        if value != 1 {
            if let Some(written_type) = written_type.filter(|t| {
                matches!(
                    t,
                    WrittenType::FullyConnected | WrittenType::Ir(LayerType::Gemm)
                )
            }) {
                sink.error(
                    entry.span(),
                    format!(
                        "a {} layer has no sliding window, so its stride must be 1",
                        written_type.keyword()
                    ),
                    Some("expected no `Stride`, or `Stride { X: 1, Y: 1 }`".to_string()),
                );
                continue;
            }
        }
        if on_y {
            strides.y = value;
        } else {
            strides.x = value;
        }
    }
    strides
}

fn dimensions(
    block: &Block<Entry<'_>>,
    written_type: Option<WrittenType>,
    layer_name: &str,
    constants: &Constants,
    sink: &mut Sink,
) -> (Vec<(Dim, u64)>, Vec<Span>) {
    let mut dimensions = Vec::with_capacity(block.items.len());
    let mut spans = Vec::with_capacity(block.items.len());
    let mut seen: Vec<(Dim, Span)> = Vec::with_capacity(block.items.len());
    for entry in &block.items {
        let Some(dim) = Dim::from_name(&entry.key.text) else {
            sink.error(
                entry.key.span,
                format!("unknown dimension `{}`", shorten(&entry.key.text)),
                Some(format!("expected one of {DIM_NAMES}")),
            );
            continue;
        };
        if let Some(written_type) = written_type {
            if !written_type.declarable().contains(&dim) {
                sink.error(
                    entry.key.span,
                    format!(
                        "dimension {dim} does not belong to a {} layer",
                        written_type.keyword()
                    ),
                    Some(format!(
                        "a {} layer declares {}",
                        written_type.keyword(),
                        written_type.declarable_names()
                    )),
                );
                continue;
            }
        }
        if let Some(&(_, first)) = seen.iter().find(|(seen_dim, _)| *seen_dim == dim) {
            sink.push(
                entry.key.span,
                format!(
                    "dimension {dim} is declared twice in layer `{}`",
                    shorten(layer_name)
                ),
                "second declaration".to_string(),
                Some("declare each dimension once".to_string()),
                vec![(first, "first declaration".to_string())],
            );
            continue;
        }
        seen.push((dim, entry.key.span));
        let Some(size) = resolve(
            &entry.value,
            crate::resolve::size_of(dim),
            None,
            constants,
            sink,
        ) else {
            continue;
        };
        dimensions.push((dim, size));
        spans.push(entry.span());
    }
    (dimensions, spans)
}

fn dataflow(
    block: &Block<DirectiveAst<'_>>,
    layer: &Layer,
    written_type: Option<WrittenType>,
    constants: &Constants,
    sink: &mut Sink,
) -> (Vec<Directive>, Vec<Span>) {
    let scope = SizeScope {
        layer_name: &layer.name,
        dimensions: &layer.dimensions,
        strides: layer.strides,
    };
    let mut directives = Vec::with_capacity(block.items.len());
    let mut spans = Vec::with_capacity(block.items.len());
    for directive in &block.items {
        let lowered = match directive {
            DirectiveAst::Map {
                kind,
                size,
                offset,
                dim,
                ..
            } => {
                let size = resolve(size, "the tile size", Some(&scope), constants, sink);
                let offset = resolve(offset, "the offset", Some(&scope), constants, sink);
                let dim = mapped_dim(dim, layer, written_type, sink);
                match (size, offset, dim) {
                    (Some(size), Some(offset), Some(dim)) => {
                        Some(Directive::Map(clamp_covering_window(
                            MapDirective {
                                kind: *kind,
                                size,
                                offset,
                                dim,
                            },
                            layer,
                        )))
                    }
                    _ => None,
                }
            }
            DirectiveAst::Cluster { size, kind, .. } => {
                let size = resolve(size, "the cluster size", Some(&scope), constants, sink);
                let kind = match kind {
                    None => Some(ClusterKind::Physical),
                    Some(name) => match name.text.as_ref() {
                        "P" => Some(ClusterKind::Physical),
                        "L" => Some(ClusterKind::Logical),
                        other => {
                            sink.error(
                                name.span,
                                format!("unknown cluster type `{}`", shorten(other)),
                                Some("expected `P` or `L` (they mean the same), or nothing: `Cluster(4)`".to_string()),
                            );
                            None
                        }
                    },
                };
                match (size, kind) {
                    (Some(size), Some(kind)) => {
                        Some(Directive::Cluster(ClusterDirective { size, kind }))
                    }
                    _ => None,
                }
            }
        };
        if let Some(lowered) = lowered {
            directives.push(lowered);
            spans.push(directive.span());
        }
    }
    (directives, spans)
}

/// The dimension of a map directive: known, belonging to the layer type, and declared (directly, or
/// through its input/output alias: `Y'` is fine when `Y` is declared and vice versa).
fn mapped_dim(
    name: &crate::ast::Name<'_>,
    layer: &Layer,
    written_type: Option<WrittenType>,
    sink: &mut Sink,
) -> Option<Dim> {
    let Some(dim) = Dim::from_name(&name.text) else {
        sink.error(
            name.span,
            format!("unknown dimension `{}` in a directive", shorten(&name.text)),
            Some(format!("expected one of {DIM_NAMES}")),
        );
        return None;
    };
    let written_type = written_type?;
    let allowed = WrittenType::Ir(written_type.layer_type()).declarable();
    if !allowed.contains(&dim) {
        sink.error(
            name.span,
            format!(
                "dimension {dim} does not belong to a {} layer",
                written_type.keyword()
            ),
            Some(format!(
                "a {} layer maps {}",
                written_type.keyword(),
                written_type.declarable_names()
            )),
        );
        return None;
    }
    let declared = layer.declared(dim).is_some()
        || dim
            .output_alias()
            .is_some_and(|alias| layer.declared(alias).is_some());
    if !declared {
        sink.error(
            name.span,
            format!(
                "directive on dimension {dim}, which layer `{}` does not declare",
                shorten(&layer.name)
            ),
            Some(format!(
                "declare {dim} in `Dimensions`, or map one of the declared dimensions"
            )),
        );
        return None;
    }
    Some(dim)
}

/// A temporal `R`/`S` tile at least as large as the filter covers the whole window in one step, so its
/// size and offset are both set to the filter size (the form `TemporalMap(Sz(R),Sz(R)) R`).
fn clamp_covering_window(map: MapDirective, layer: &Layer) -> MapDirective {
    if map.kind != MapKind::Temporal || !matches!(map.dim, Dim::R | Dim::S) {
        return map;
    }
    match layer.declared(map.dim) {
        Some(full) if map.size >= full => MapDirective {
            size: full,
            offset: full,
            ..map
        },
        _ => map,
    }
}
