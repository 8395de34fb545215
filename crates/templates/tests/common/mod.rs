//! A checker for generated mappings, written from the rules the project's validator enforces plus the
//! shapes the reference analyses safely, and an exact coverage count of the layer's iteration space.

#![allow(dead_code)]

use maestro_ir::{
    ClusterLevel, Dim, Expansion, Layer, LayerType, MapDirective, MapKind, Mapping, Network,
};

/// Checks the structural rules and the coverage of `mapping` for `layer` on `pes` PEs.
pub fn check(layer: &Layer, mapping: &Mapping, pes: u64) -> Result<(), String> {
    check_structure(layer, mapping, pes)?;
    check_coverage(layer, mapping)
}

/// Checks `mapping` against the project's own readers of a mapping: the `.m` writer and parser (whose
/// validation must accept it, and which must read back the same layer) and the IR's iteration-space
/// expansion (which must take it as written, without adjustments). With `walk`, also plays every PE
/// step of the expansion and checks that the regions add up to the layer's MACs.
pub fn check_with_project(
    layer: &Layer,
    mapping: &Mapping,
    pes: u64,
    walk: bool,
) -> Result<(), String> {
    let mapped = Layer {
        mapping: Some(mapping.clone()),
        ..layer.clone()
    };
    let network = Network {
        name: "check".into(),
        layers: vec![mapped.clone()],
    };
    let text = maestro_dsl::write_network(&network);
    let parsed =
        maestro_dsl::parse_network("generated.m", text.as_bytes()).map_err(|diagnostics| {
            let messages: Vec<&str> = diagnostics
                .iter()
                .map(|diagnostic| diagnostic.message())
                .collect();
            format!(
                "the .m reader rejects the mapping: {}\n{text}",
                messages.join("; ")
            )
        })?;
    if parsed.network != network {
        return Err(format!(
            "the .m reader reads back a different layer:\n{text}"
        ));
    }
    let expansion = Expansion::new(&mapped, pes).map_err(|error| format!("expansion: {error}"))?;
    if !expansion.adjustments.is_empty() {
        return Err(format!(
            "the expansion adjusted the mapping: {:?}",
            expansion.adjustments
        ));
    }
    if expansion.used_pes > pes {
        return Err(format!(
            "the expansion uses {} of {pes} PEs",
            expansion.used_pes
        ));
    }
    if walk {
        let layer_type = expansion.bounds.layer_type;
        let mut volume: u64 = 0;
        expansion.for_each_pe_work(|_, region| volume += region.volume(layer_type));
        if volume != expansion.bounds.macs() {
            return Err(format!(
                "the PE work adds up to {volume} of {} MACs",
                expansion.bounds.macs()
            ));
        }
    }
    Ok(())
}

fn declares(layer: &Layer, dim: Dim) -> bool {
    // A layer that declares Y gets Y' from it and the other way round (the loop bounds derive one from
    // the other), so either coordinate may be named.
    layer.declared(dim).is_some()
        || dim
            .output_alias()
            .is_some_and(|alias| layer.declared(alias).is_some())
}

fn stride(layer: &Layer, dim: Dim) -> u64 {
    match dim {
        Dim::Y | Dim::OutY | Dim::R => layer.strides.y,
        _ => layer.strides.x,
    }
}

/// Number of tiles `(size, offset)` cuts from `extent` elements.
fn tile_count(extent: u64, size: u64, offset: u64) -> u64 {
    if extent <= size {
        1
    } else {
        (extent - size).div_ceil(offset) + 1
    }
}

pub fn check_structure(layer: &Layer, mapping: &Mapping, pes: u64) -> Result<(), String> {
    let bounds = layer.loop_bounds().map_err(|error| error.to_string())?;
    let levels = mapping.levels();
    let clusters = mapping.cluster_sizes();
    if clusters.len() > 3 {
        return Err(format!(
            "{} cluster directives; the reference has NoCs for 3",
            clusters.len()
        ));
    }
    let mut product: u64 = 1;
    for &size in &clusters {
        if size == 0 {
            return Err("a cluster of size 0".into());
        }
        product = product
            .checked_mul(size)
            .ok_or("cluster product overflows")?;
    }
    if product > pes {
        return Err(format!(
            "clusters {clusters:?} need {product} PEs, the accelerator has {pes}"
        ));
    }
    // The extents each level cuts: the layer's sizes at the top, the enclosing level's tiles below.
    let mut extents: Vec<(Dim, u64)> = Dim::ALL
        .iter()
        .map(|&dim| (dim, bounds.size(dim)))
        .collect();
    let extent = |extents: &[(Dim, u64)], dim: Dim| {
        extents
            .iter()
            .find(|(d, _)| *d == dim)
            .map(|&(_, size)| size)
            .unwrap_or(1)
    };
    for level in &levels {
        let here = |what: String| format!("level {}: {what}", level.depth);
        let spatial: Vec<&MapDirective> =
            level.maps.iter().filter(|map| map.is_spatial()).collect();
        match spatial.len() {
            1 => {}
            2 => {
                let pair = (spatial[0].dim, spatial[1].dim);
                if ![
                    (Dim::Y, Dim::R),
                    (Dim::R, Dim::Y),
                    (Dim::X, Dim::S),
                    (Dim::S, Dim::X),
                ]
                .contains(&pair)
                {
                    return Err(here(format!(
                        "two spatial maps {pair:?} that are not a window pair"
                    )));
                }
            }
            count => return Err(here(format!("{count} spatial maps"))),
        }
        for (index, map) in level.maps.iter().enumerate() {
            if level.maps[..index]
                .iter()
                .any(|earlier| earlier.dim == map.dim)
            {
                return Err(here(format!("two directives on {}", map.dim)));
            }
            if let Some(alias) = map.dim.output_alias() {
                if level.maps.iter().any(|other| other.dim == alias) {
                    return Err(here(format!("both {} and {alias}", map.dim)));
                }
            }
            if map.size == 0 || map.offset == 0 {
                return Err(here(format!("{map} has a zero size or offset")));
            }
            let allowed = match bounds.layer_type {
                LayerType::Gemm => [Dim::M, Dim::N, Dim::K].contains(&map.dim),
                layer_type => {
                    (layer_type.loop_dims().contains(&map.dim) || [Dim::Y, Dim::X].contains(&map.dim))
                        && (map.dim != Dim::N || declares(layer, Dim::N))
                        // The reference has no K below the top level of a depth-wise layer.
                        && !(layer_type == LayerType::DepthwiseConv && map.dim == Dim::K && level.depth > 0)
                }
            };
            if !allowed || !declares(layer, map.dim) {
                return Err(here(format!(
                    "{map} names a dimension the layer does not have"
                )));
            }
            if map.kind == MapKind::Temporal && matches!(map.dim, Dim::R | Dim::S) {
                let full = bounds.size(map.dim);
                if map.size != full || map.offset != full {
                    return Err(here(format!("{map} does not cover the whole {}", map.dim)));
                }
            }
            // Input rows/columns advance in whole strides, so that every tile starts on a window;
            // only the row of a lockstep (Y, R) pair advances with its filter row instead.
            let lockstep_row = spatial.len() == 2 && map.is_spatial();
            if matches!(map.dim, Dim::Y | Dim::X)
                && !lockstep_row
                && map.offset % stride(layer, map.dim) != 0
            {
                return Err(here(format!("{map} does not advance by whole strides")));
            }
            if matches!(map.dim, Dim::OutY | Dim::OutX) {
                if (map.size, map.offset) != (1, 1) {
                    return Err(here(format!("{map}: output coordinates only as (1,1)")));
                }
                let filter = if map.dim == Dim::OutY { Dim::R } else { Dim::S };
                if !level.maps.iter().any(|other| other.dim == filter) {
                    return Err(here(format!(
                        "{map} without a {filter} directive in its level"
                    )));
                }
            }
        }
        // This level's tiles, in input coordinates, with inherited ones where it has no directive.
        let mut tiles = extents.clone();
        for map in &level.maps {
            let (dim, size) = input_tile(layer, level, map, &extents);
            if size > extent(&extents, dim) {
                return Err(here(format!(
                    "{map} is larger than the {} it cuts",
                    extent(&extents, dim)
                )));
            }
            if let Some(filter) = dim
                .window_partner()
                .filter(|_| matches!(dim, Dim::Y | Dim::X))
            {
                let offset = if dim == map.dim {
                    map.offset
                } else {
                    map.offset * stride(layer, dim)
                };
                let adjusted = reference_stride_adjustment(
                    (size, offset),
                    bounds.size(filter),
                    stride(layer, dim),
                    level.depth == 0,
                );
                let whole = size >= extent(&extents, dim);
                if adjusted.0 != size || (adjusted.1 != offset && !whole) {
                    return Err(here(format!(
                        "{map} means ({size},{offset}) here but {adjusted:?} to the reference"
                    )));
                }
            }
            tiles
                .iter_mut()
                .filter(|(d, _)| *d == dim)
                .for_each(|entry| entry.1 = size);
        }
        if bounds.layer_type.is_convolution() {
            for (input, filter) in [(Dim::Y, Dim::R), (Dim::X, Dim::S)] {
                if extent(&tiles, input) < extent(&tiles, filter) {
                    return Err(here(format!("{input} tile smaller than the {filter} tile")));
                }
            }
        }
        if let Some(cluster) = level.opened_by_cluster {
            let primary = spatial[0];
            let (dim, size) = input_tile(layer, level, primary, &extents);
            let offset = if primary.dim.output_alias().is_some() && dim != primary.dim {
                primary.offset * stride(layer, dim)
            } else {
                primary.offset
            };
            let spread = tile_count(extent(&extents, dim), size, offset);
            if cluster > spread {
                return Err(here(format!(
                    "a cluster of {cluster} spreads only {spread} tiles of {dim}"
                )));
            }
        }
        extents = tiles;
    }
    Ok(())
}

/// The reference's rewrite of a strided row/column directive (analytical-model §5.2.4).
fn reference_stride_adjustment(
    tile: (u64, u64),
    filter: u64,
    stride: u64,
    top: bool,
) -> (u64, u64) {
    let (size, offset) = tile;
    if stride == 1 || size < filter {
        return (size, offset);
    }
    let outputs = (size + stride - filter) / stride;
    let size = outputs * stride.min(filter) + filter.saturating_sub(stride);
    let offset = if !top && filter < stride {
        outputs * filter
    } else {
        outputs * stride
    };
    (size, offset)
}

/// The dimension (Y'/X' become Y/X) and input-space size of `map`'s tile in `level`.
fn input_tile(
    layer: &Layer,
    level: &ClusterLevel,
    map: &MapDirective,
    extents: &[(Dim, u64)],
) -> (Dim, u64) {
    match map.dim {
        Dim::OutY | Dim::OutX => {
            let (input, filter) = if map.dim == Dim::OutY {
                (Dim::Y, Dim::R)
            } else {
                (Dim::X, Dim::S)
            };
            let filter_tile = level
                .maps
                .iter()
                .find(|other| other.dim == filter)
                .map(|other| other.size)
                .or_else(|| {
                    extents
                        .iter()
                        .find(|(d, _)| *d == filter)
                        .map(|&(_, size)| size)
                })
                .unwrap_or(1);
            (input, (map.size - 1) * stride(layer, input) + filter_tile)
        }
        dim => (dim, map.size),
    }
}

/// Tiles `(size, offset)` of `[low, high)`, clipped to it; the last one may be partial.
fn cut(range: (u64, u64), size: u64, offset: u64) -> Vec<(u64, u64)> {
    let (low, high) = range;
    let mut tiles = Vec::new();
    let mut start = low;
    loop {
        tiles.push((start, (start + size).min(high)));
        if start + size >= high {
            return tiles;
        }
        start += offset;
    }
}

fn directive(level: &ClusterLevel, dim: Dim) -> Option<&MapDirective> {
    level.maps.iter().find(|map| map.dim == dim)
}

/// Checks that the leaf tiles of `mapping` compute every point of the layer's iteration space exactly
/// once, and that the points multiply up to the layer's MAC count.
pub fn check_coverage(layer: &Layer, mapping: &Mapping) -> Result<(), String> {
    let bounds = layer.loop_bounds().map_err(|error| error.to_string())?;
    let levels = mapping.levels();
    let mut points: u64 = 1;
    for &dim in bounds.layer_type.loop_dims() {
        if matches!(dim, Dim::R | Dim::S | Dim::OutY | Dim::OutX) {
            continue;
        }
        let size = bounds.size(dim);
        let mut ranges = vec![(0, size)];
        for level in &levels {
            if let Some(map) = directive(level, dim) {
                ranges = ranges
                    .iter()
                    .flat_map(|&range| cut(range, map.size, map.offset))
                    .collect();
            }
        }
        let mut hits = vec![0u32; size as usize];
        for (low, high) in ranges {
            hits[low as usize..high as usize]
                .iter_mut()
                .for_each(|hit| *hit += 1);
        }
        if let Some(index) = hits.iter().position(|&hit| hit != 1) {
            return Err(format!("{dim}[{index}] is computed {} times", hits[index]));
        }
        points *= size;
    }
    if bounds.layer_type.is_convolution() {
        for (input, output, filter) in [(Dim::Y, Dim::OutY, Dim::R), (Dim::X, Dim::OutX, Dim::S)] {
            check_window(layer, &levels, input, output, filter)?;
            points *= bounds.size(output) * bounds.size(filter);
        }
    }
    if points != bounds.macs() {
        return Err(format!("{points} points for {} MACs", bounds.macs()));
    }
    Ok(())
}

/// Coverage of one sliding-window pair: every (output row, filter row) is computed exactly once, by a
/// leaf tile whose input rows hold the window's rows that its filter-row tile names.
fn check_window(
    layer: &Layer,
    levels: &[ClusterLevel],
    input: Dim,
    output: Dim,
    filter: Dim,
) -> Result<(), String> {
    let bounds = layer.loop_bounds().map_err(|error| error.to_string())?;
    let sigma = stride(layer, input);
    let (outputs, filter_size) = (bounds.size(output), bounds.size(filter));
    let mut leaves = vec![((0, bounds.size(input)), (0, filter_size))];
    for level in levels {
        let filter_map = directive(level, filter);
        let rows_map = directive(level, input)
            .copied()
            .or_else(|| directive(level, output).map(|map| MapDirective { dim: input, ..*map }));
        let converted = directive(level, input).is_none() && directive(level, output).is_some();
        let mut next = Vec::new();
        for &(rows, filters) in &leaves {
            let filter_tiles = match filter_map {
                Some(map) => cut(filters, map.size, map.offset),
                None => vec![filters],
            };
            let row_tiles = match rows_map {
                Some(map) if converted => {
                    let filter_tile = filter_map.map_or(filters.1 - filters.0, |map| map.size);
                    cut(
                        rows,
                        (map.size - 1) * sigma + filter_tile,
                        map.offset * sigma,
                    )
                }
                Some(map) => cut(rows, map.size, map.offset),
                None => vec![rows],
            };
            let lockstep = rows_map.is_some_and(|map| map.is_spatial())
                && filter_map.is_some_and(|map| map.is_spatial());
            if lockstep {
                // Tile i of the rows meets tile i of the filter rows. A clipped parent tile can have fewer
                // rows than filter rows; the pairs it lacks hold no complete window, and the exact count
                // below notices if they were needed.
                next.extend(row_tiles.into_iter().zip(filter_tiles));
            } else {
                for &row_tile in &row_tiles {
                    next.extend(
                        filter_tiles
                            .iter()
                            .map(|&filter_tile| (row_tile, filter_tile)),
                    );
                }
            }
        }
        leaves = next;
    }
    let mut hits = vec![0u32; (outputs * filter_size) as usize];
    for ((row_low, row_high), (filter_low, filter_high)) in leaves {
        // Output o is computed here when rows o·σ + filter_low .. o·σ + filter_high all lie in the tile.
        let first = row_low.saturating_sub(filter_low).div_ceil(sigma);
        let Some(span) = row_high.checked_sub(filter_high) else {
            continue;
        };
        let last = (span / sigma).min(outputs.saturating_sub(1));
        for out in first..=last {
            if out * sigma + filter_low < row_low || out >= outputs {
                continue;
            }
            for f in filter_low..filter_high {
                hits[(out * filter_size + f) as usize] += 1;
            }
        }
    }
    if let Some(index) = hits.iter().position(|&hit| hit != 1) {
        let (out, f) = (index as u64 / filter_size, index as u64 % filter_size);
        return Err(format!(
            "({output} {out}, {filter} {f}) is computed {} times",
            hits[index]
        ));
    }
    Ok(())
}
