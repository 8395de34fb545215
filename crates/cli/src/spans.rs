//! Diagnostics for checks made after parsing, pointing into the file through the parser's source map
//! (`file:line:col` plus the underlined text), or plain messages when there is no file text to point
//! at (mappings built by a template).

use crate::failure::{invalid, Failure};
use crate::input::LoadedNetwork;
use maestro_dsl::{Diagnostics, Span};
use maestro_ir::Directive;

/// A diagnostic on the `Cluster` directives of layer `layer_index`.
pub fn cluster_diagnostic(loaded: &LoadedNetwork, layer_index: usize, message: String) -> Failure {
    let span = cluster_span(loaded, layer_index);
    let help = "use fewer or smaller Cluster levels, or more PEs (--num-pes)".to_owned();
    spanned(loaded, span, message, help)
}

/// A diagnostic on the name of layer `layer_index`.
pub fn layer_name_diagnostic(
    loaded: &LoadedNetwork,
    layer_index: usize,
    message: String,
    help: &str,
) -> Failure {
    let span = loaded
        .parsed
        .source_map
        .layers
        .get(layer_index)
        .map(|spans| spans.name);
    spanned(loaded, span, message, help.to_owned())
}

fn spanned(loaded: &LoadedNetwork, span: Option<Span>, message: String, help: String) -> Failure {
    match span {
        Some(span) => Failure::Invalid(miette::Report::new(Diagnostics::single(
            &loaded.file_name,
            &loaded.text,
            span,
            message,
            Some(help),
        ))),
        None => invalid(format!("{}: {message} ({help})", loaded.file_name)),
    }
}

/// From the first to the last `Cluster` directive of the layer, when the mapping was written in the
/// file; `None` for template-built mappings, whose directives have no text.
fn cluster_span(loaded: &LoadedNetwork, layer_index: usize) -> Option<Span> {
    if !loaded.mappings_from_file {
        return None;
    }
    let layer = loaded.network.layers.get(layer_index)?;
    let directive_spans = &loaded.parsed.source_map.layers.get(layer_index)?.directives;
    let mapping = layer.mapping.as_ref()?;
    mapping
        .directives
        .iter()
        .zip(directive_spans)
        .filter(|(directive, _)| matches!(directive, Directive::Cluster(_)))
        .map(|(_, span)| *span)
        .reduce(Span::join)
}
