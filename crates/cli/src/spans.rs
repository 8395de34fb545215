//! Diagnostics for checks made after parsing, pointing into the file through the parser's source map
//! (`file:line:col` plus the underlined text), or plain messages when there is no file text to point
//! at (mappings built by a template).

use crate::failure::{invalid, Failure};
use crate::input::LoadedNetwork;
use maestro_dsl::{Diagnostics, Span};
use maestro_ir::{Dim, Directive, ExpansionError};

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

/// An expansion error (the verdict both engines share) pointing at its directive — the map of its
/// level and dimension — or at the `Cluster` directives for errors about cluster sizes; `file:line:col`
/// when the mapping was written in the file.
pub fn expansion_diagnostic(
    loaded: &LoadedNetwork,
    layer_index: usize,
    error: &ExpansionError,
) -> Failure {
    use ExpansionError as E;
    let message = error.to_string();
    let (span, help) = match error {
        E::NotEnoughPes { .. } | E::EmptyCluster { .. } | E::TooManyLevels { .. } => (
            cluster_span(loaded, layer_index),
            "use fewer or smaller Cluster levels, or more PEs (--num-pes)",
        ),
        E::GapBetweenTiles { level, dim, .. } => (
            map_span(loaded, layer_index, *level, *dim),
            "make the offset at most the tile size so that consecutive tiles touch or overlap",
        ),
        E::UnknownDimension { level, dim, .. }
        | E::DuplicateDirective { level, dim, .. }
        | E::ZeroTile { level, dim, .. }
        | E::TileSmallerThanWindow { level, dim, .. } => (
            map_span(loaded, layer_index, *level, *dim),
            "fix this directive",
        ),
        _ => (
            loaded
                .parsed
                .source_map
                .layers
                .get(layer_index)
                .map(|spans| spans.name),
            "fix the layer's mapping",
        ),
    };
    spanned(loaded, span, message, help.to_owned())
}

/// The directive of `dim` at cluster level `level` (levels are opened by `Cluster` directives).
fn map_span(loaded: &LoadedNetwork, layer_index: usize, level: usize, dim: Dim) -> Option<Span> {
    if !loaded.mappings_from_file {
        return None;
    }
    let layer = loaded.network.layers.get(layer_index)?;
    let directive_spans = &loaded.parsed.source_map.layers.get(layer_index)?.directives;
    let mut depth = 0;
    for (directive, span) in layer
        .mapping
        .as_ref()?
        .directives
        .iter()
        .zip(directive_spans)
    {
        match directive {
            Directive::Cluster(_) => depth += 1,
            Directive::Map(map) if depth == level && map.dim == dim => return Some(*span),
            Directive::Map(_) => {}
        }
    }
    None
}
