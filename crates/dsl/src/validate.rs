//! Whole-layer checks after lowering: required dimensions, the loop bounds, and the structure of the
//! mapping (cluster levels, spatial maps per level, dimensions mapped twice, tiles smaller than their
//! window, partial temporal filter tiles).

use crate::diagnostic::{shorten, Short, Sink};
use crate::span::Span;
use maestro_ir::layer::ShapeError;
use maestro_ir::limits::MAX_CLUSTER_LEVELS;
use maestro_ir::{Dim, Directive, Layer, LayerType, MapDirective, MapKind};

/// Every dimension the layer type needs is declared, and no axis is declared both as input (`Y`) and
/// output (`Y'`) coordinate.
pub(crate) fn required_dimensions(
    name: &str,
    layer_type: LayerType,
    dimensions: &[(Dim, u64)],
    spans: &[Span],
    anchor: Span,
    sink: &mut Sink,
) {
    let position = |dim: Dim| dimensions.iter().position(|(declared, _)| *declared == dim);
    let mut missing: Vec<&str> = layer_type
        .required_dims()
        .iter()
        .filter(|&&dim| position(dim).is_none())
        .map(|dim| dim.name())
        .collect();
    if layer_type.is_convolution() {
        for (input, output) in [(Dim::Y, Dim::OutY), (Dim::X, Dim::OutX)] {
            match (position(input), position(output)) {
                (None, None) => missing.push(if input == Dim::Y {
                    "Y (or Y')"
                } else {
                    "X (or X')"
                }),
                (Some(first), Some(second)) => {
                    let (first, second) = (first.min(second), first.max(second));
                    let span_of = |index: usize| spans.get(index).copied().unwrap_or(anchor);
                    sink.push(
                        span_of(second),
                        format!("both {input} and {output} are declared in layer `{}`", shorten(name)),
                        "second coordinate of the same axis".to_string(),
                        Some(format!("declare either the input extent {input} or the output extent {output}, not both")),
                        vec![(span_of(first), "first one".to_string())],
                    );
                }
                _ => {}
            }
        }
    }
    if !missing.is_empty() {
        sink.push(
            anchor,
            format!(
                "layer `{}` ({layer_type}) is missing dimension{} {}",
                shorten(name),
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", ")
            ),
            "declared here".to_string(),
            Some(format!(
                "a {layer_type} layer must declare {}",
                required_names(layer_type)
            )),
            Vec::new(),
        );
    }
}

fn required_names(layer_type: LayerType) -> String {
    let mut names: Vec<&str> = layer_type
        .required_dims()
        .iter()
        .map(|dim| dim.name())
        .collect();
    if layer_type.is_convolution() {
        names.extend(["Y (or Y')", "X (or X')"]);
    }
    names.join(", ")
}

/// The IR's loop-bound check: input extent at least the filter, MAC count within the limit.
pub(crate) fn loop_bounds(layer: &Layer, spans: &[Span], sink: &mut Sink) {
    let span_of = |dim: Dim| {
        layer
            .dimensions
            .iter()
            .position(|(declared, _)| *declared == dim)
            .and_then(|index| spans.get(index).copied())
            .unwrap_or_default()
    };
    match layer.loop_bounds() {
        Ok(_) => {}
        Err(ShapeError::InputSmallerThanFilter { input, input_size, filter, filter_size }) => sink.push(
            span_of(input),
            format!("in layer `{}`, {input} ({input_size}) is smaller than the filter {filter} ({filter_size})", shorten(&layer.name)),
            format!("{input} = {input_size}"),
            Some(format!("the input extent {input} must be at least {filter} = {filter_size}")),
            vec![(span_of(filter), format!("{filter} = {filter_size}"))],
        ),
        Err(error) => {
            let span = layer.dimensions.first().map(|(dim, _)| span_of(*dim)).unwrap_or_default();
            sink.push(
                span,
                format!("layer `{}`: {error}", shorten(&layer.name)),
                "dimensions of this layer".to_string(),
                Some("reduce the dimension sizes".to_string()),
                Vec::new(),
            );
        }
    }
}

/// A map directive with its index in the layer's directive list.
#[derive(Clone, Copy)]
struct Placed {
    index: usize,
    map: MapDirective,
}

/// One cluster level: a slice of the layer's map directives (all levels share one list, so checking a
/// layer allocates twice, not once per level).
struct Level<'p> {
    /// The index of the `Cluster` directive that opened the level (`None` for level 0).
    opened_by: Option<usize>,
    maps: &'p [Placed],
}

impl Level<'_> {
    /// The last directive on `dim` in the level: the one whose tile the level uses.
    fn last_on(&self, dim: Dim) -> Option<Placed> {
        self.maps
            .iter()
            .rev()
            .find(|placed| placed.map.dim == dim)
            .copied()
    }
}

/// The structure of a layer's mapping. `spans` is parallel to the directives; `dataflow` is the span of
/// the `Dataflow` keyword (the anchor of level-0 diagnostics).
pub(crate) fn mapping(layer: &Layer, spans: &[Span], dataflow: Span, sink: &mut Sink) {
    let Some(mapping) = &layer.mapping else {
        return;
    };
    let span_of = |index: usize| spans.get(index).copied().unwrap_or(dataflow);
    let name = Short(&layer.name);

    let mut maps = Vec::with_capacity(mapping.directives.len());
    // Where each level starts in `maps`, and the `Cluster` directive that opened it.
    let mut starts: Vec<(Option<usize>, usize)> = vec![(None, 0)];
    for (index, directive) in mapping.directives.iter().enumerate() {
        match directive {
            Directive::Map(map) => maps.push(Placed { index, map: *map }),
            Directive::Cluster(_) => starts.push((Some(index), maps.len())),
        }
    }
    let levels: Vec<Level<'_>> = starts
        .iter()
        .enumerate()
        .map(|(depth, &(opened_by, start))| {
            let end = starts.get(depth + 1).map_or(maps.len(), |&(_, next)| next);
            Level {
                opened_by,
                maps: &maps[start..end],
            }
        })
        .collect();

    if levels.len() > MAX_CLUSTER_LEVELS {
        let index = levels[MAX_CLUSTER_LEVELS].opened_by.unwrap_or_default();
        sink.push(
            span_of(index),
            format!(
                "layer `{name}` has {} cluster levels; at most {MAX_CLUSTER_LEVELS} are supported",
                levels.len()
            ),
            format!("cluster level {MAX_CLUSTER_LEVELS} starts here"),
            Some(format!(
                "expected at most {} `Cluster` directives",
                MAX_CLUSTER_LEVELS - 1
            )),
            Vec::new(),
        );
    }

    for (depth, level) in levels.iter().enumerate() {
        let level_span = level.opened_by.map_or(dataflow, span_of);
        spatial_count(name, depth, level, level_span, &span_of, sink);
        mapped_twice(name, depth, level, &span_of, sink);
        if layer.layer_type.is_convolution() {
            for (input, filter) in [(Dim::Y, Dim::R), (Dim::X, Dim::S)] {
                window_tiles(layer, name, depth, &levels, input, filter, &span_of, sink);
                temporal_filter_tiles(layer, name, depth, &levels, filter, &span_of, sink);
            }
        }
    }
}

fn spatial_count(
    name: Short<'_>,
    depth: usize,
    level: &Level,
    level_span: Span,
    span_of: &dyn Fn(usize) -> Span,
    sink: &mut Sink,
) {
    let spatial = || level.maps.iter().filter(|placed| placed.map.is_spatial());
    let help = "each cluster level distributes its work over its sub-clusters with one `SpatialMap` (two at most, e.g. `SpatialMap(1,1) Y; SpatialMap(1,1) R;`)";
    if spatial().next().is_none() {
        let what = if depth == 0 {
            "the directives before the first `Cluster`".to_string()
        } else {
            "the directives after this `Cluster`".to_string()
        };
        sink.push(
            level_span,
            format!("cluster level {depth} of layer `{name}` has no `SpatialMap`"),
            format!("{what} have no `SpatialMap`"),
            Some(help.to_string()),
            Vec::new(),
        );
    } else if let Some(third) = spatial().nth(2) {
        sink.push(
            span_of(third.index),
            format!("cluster level {depth} of layer `{name}` has {} `SpatialMap`s; at most two are supported", spatial().count()),
            "third `SpatialMap` of the level".to_string(),
            Some(help.to_string()),
            spatial().take(2).map(|placed| (span_of(placed.index), "spatial map of this level".to_string())).collect(),
        );
    }
}

/// The axis a dimension maps: `Y'` and `Y` are the same rows, `X'` and `X` the same columns.
fn axis(dim: Dim) -> Dim {
    match dim {
        Dim::OutY => Dim::Y,
        Dim::OutX => Dim::X,
        other => other,
    }
}

fn mapped_twice(
    name: Short<'_>,
    depth: usize,
    level: &Level,
    span_of: &dyn Fn(usize) -> Span,
    sink: &mut Sink,
) {
    for (position, placed) in level.maps.iter().enumerate() {
        let Some(first) = level.maps[..position]
            .iter()
            .find(|earlier| axis(earlier.map.dim) == axis(placed.map.dim))
        else {
            continue;
        };
        let what = if first.map.dim == placed.map.dim {
            format!("dimension {} is mapped twice", placed.map.dim)
        } else {
            format!("{} and {} map the same axis", first.map.dim, placed.map.dim)
        };
        sink.push(
            span_of(placed.index),
            format!("{what} in cluster level {depth} of layer `{name}`"),
            "second directive on it".to_string(),
            Some("map each dimension at most once per cluster level (the reference silently uses the later tile, which makes the row-stationary files divide by zero)".to_string()),
            vec![(span_of(first.index), "first directive on it".to_string())],
        );
    }
}

/// The tile of `filter` seen by level `depth`: the level's own directive on it, else the nearest
/// enclosing level's, else the whole filter. Returns the size and, when a directive sets it, its index.
fn filter_tile(
    layer: &Layer,
    levels: &[Level],
    depth: usize,
    filter: Dim,
) -> Option<(u64, Option<usize>)> {
    let full = layer.declared(filter)?;
    for level in levels[..=depth].iter().rev() {
        if let Some(placed) = level.last_on(filter) {
            return Some((placed.map.size.min(full), Some(placed.index)));
        }
    }
    Some((full, None))
}

/// In every level, a tile of input rows (columns) must hold at least one filter window of that level.
#[allow(clippy::too_many_arguments)]
fn window_tiles(
    layer: &Layer,
    name: Short<'_>,
    depth: usize,
    levels: &[Level],
    input: Dim,
    filter: Dim,
    span_of: &dyn Fn(usize) -> Span,
    sink: &mut Sink,
) {
    let Some((filter_size, filter_index)) = filter_tile(layer, levels, depth, filter) else {
        return;
    };
    for placed in levels[depth]
        .maps
        .iter()
        .filter(|placed| placed.map.dim == input)
    {
        if placed.map.size >= filter_size {
            continue;
        }
        let source = match filter_index {
            Some(index) => format!("the {filter} tile of this level comes from the directive at line {}", line_of(sink, span_of(index))),
            None => format!("no directive tiles {filter} here, so the whole filter ({filter} = {filter_size}) applies"),
        };
        let secondary = filter_index
            .map(|index| vec![(span_of(index), format!("{filter} tile of {filter_size}"))])
            .unwrap_or_default();
        sink.push(
            span_of(placed.index),
            format!(
                "in layer `{name}`, cluster level {depth}: the {input} tile ({}) is smaller than the {filter} tile ({filter_size})",
                placed.map.size
            ),
            format!("{input} tile of {}", placed.map.size),
            Some(format!(
                "every {input} tile must hold at least one whole filter window; {source}; make the {input} tile at least {filter_size}"
            )),
            secondary,
        );
    }
}

/// A temporal filter tile must cover the filter extent its level sees (the cost model assumes whole
/// windows in time); spatial filter tiles may be partial (row-stationary mappings spread `R` over PEs).
#[allow(clippy::too_many_arguments)]
fn temporal_filter_tiles(
    layer: &Layer,
    name: Short<'_>,
    depth: usize,
    levels: &[Level],
    filter: Dim,
    span_of: &dyn Fn(usize) -> Span,
    sink: &mut Sink,
) {
    let Some(full) = layer.declared(filter) else {
        return;
    };
    let extent = if depth == 0 {
        full
    } else {
        filter_tile(layer, levels, depth - 1, filter).map_or(full, |(size, _)| size)
    };
    for placed in levels[depth]
        .maps
        .iter()
        .filter(|placed| placed.map.dim == filter && placed.map.kind == MapKind::Temporal)
    {
        if placed.map.size >= extent {
            continue;
        }
        sink.push(
            span_of(placed.index),
            format!(
                "in layer `{name}`, cluster level {depth}: the temporal {filter} tile ({}) covers only part of the filter ({filter} = {extent})",
                placed.map.size
            ),
            format!("partial {filter} tile"),
            Some(format!(
                "a temporal {filter} tile must cover the whole window: write `TemporalMap(Sz({filter}),Sz({filter})) {filter}`, or distribute {filter} with a `SpatialMap`"
            )),
            Vec::new(),
        );
    }
}

fn line_of(sink: &Sink, span: Span) -> usize {
    crate::span::line_column(sink.source(), span.start).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use maestro_ir::{ClusterDirective, ClusterKind, Mapping, Strides};

    fn messages(directives: Vec<Directive>) -> Vec<String> {
        let layer = Layer {
            name: "L".to_string(),
            layer_type: LayerType::Conv,
            dimensions: vec![
                (Dim::K, 8),
                (Dim::C, 8),
                (Dim::R, 3),
                (Dim::S, 3),
                (Dim::Y, 16),
                (Dim::X, 16),
            ],
            strides: Strides::default(),
            mapping: Some(Mapping::new(directives)),
        };
        let mut sink = Sink::new("t.m", "");
        let spans = vec![Span::default(); layer.mapping.as_ref().map_or(0, |m| m.directives.len())];
        mapping(&layer, &spans, Span::default(), &mut sink);
        sink.finish()
            .map(|d| d.iter().map(|d| d.message().to_string()).collect())
            .unwrap_or_default()
    }

    fn spatial(size: u64, dim: Dim) -> Directive {
        Directive::Map(MapDirective::spatial(size, 1, dim))
    }

    fn temporal(size: u64, offset: u64, dim: Dim) -> Directive {
        Directive::Map(MapDirective::temporal(size, offset, dim))
    }

    fn cluster(size: u64) -> Directive {
        Directive::Cluster(ClusterDirective {
            size,
            kind: ClusterKind::Physical,
        })
    }

    #[test]
    fn the_window_tile_comes_from_the_level_then_the_enclosing_levels_then_the_filter() {
        // Level 1 maps Y one row per PE and R one row per PE: the window tile of level 1 is 1, fine.
        assert!(messages(vec![
            spatial(1, Dim::K),
            cluster(3),
            spatial(1, Dim::Y),
            spatial(1, Dim::R)
        ])
        .is_empty());
        // Level 1 has no R directive: level 0's R tile (3) applies.
        assert_eq!(
            messages(vec![
                temporal(3, 3, Dim::R),
                spatial(3, Dim::Y),
                cluster(3),
                spatial(1, Dim::Y)
            ]),
            ["in layer `L`, cluster level 1: the Y tile (1) is smaller than the R tile (3)"]
        );
        // No R directive anywhere: the whole filter applies.
        assert_eq!(
            messages(vec![spatial(2, Dim::X)]),
            ["in layer `L`, cluster level 0: the X tile (2) is smaller than the S tile (3)"]
        );
        // Output coordinates are never narrower than a window.
        assert!(messages(vec![spatial(1, Dim::OutX)]).is_empty());
    }

    #[test]
    fn temporal_filter_tiles_must_cover_what_their_level_sees() {
        assert_eq!(
            messages(vec![spatial(1, Dim::K), temporal(2, 2, Dim::S), temporal(3, 1, Dim::X)]),
            ["in layer `L`, cluster level 0: the temporal S tile (2) covers only part of the filter (S = 3)"]
        );
        // Below a spatial R of one row, a temporal R of one row covers that level's extent.
        assert!(messages(vec![
            spatial(1, Dim::R),
            cluster(3),
            spatial(1, Dim::K),
            temporal(1, 1, Dim::R)
        ])
        .is_empty());
    }

    #[test]
    fn levels_need_one_or_two_spatial_maps_and_no_axis_twice() {
        assert_eq!(
            messages(vec![temporal(1, 1, Dim::K)]),
            ["cluster level 0 of layer `L` has no `SpatialMap`"]
        );
        assert_eq!(
            messages(vec![
                spatial(1, Dim::K),
                spatial(1, Dim::C),
                spatial(1, Dim::N)
            ]),
            ["cluster level 0 of layer `L` has 3 `SpatialMap`s; at most two are supported"]
        );
        assert_eq!(
            messages(vec![
                spatial(1, Dim::K),
                temporal(4, 1, Dim::Y),
                cluster(2),
                spatial(1, Dim::K),
                temporal(1, 1, Dim::K)
            ]),
            ["dimension K is mapped twice in cluster level 1 of layer `L`"]
        );
    }
}
