//! §5: from a layer's directive list to its completed cluster levels — sub-cluster counts,
//! output-coordinate conversion, inheritance, unrolling, stride adjustment, validity checks — and the
//! static dimension table of each level (§5.3), with the level's §6 tables attached.

use super::dims::{DimTable, DIM_COUNT};
use super::error::{mul, CompatError, CompatResult};
use super::layer_model::{LayerShape, TensorRoles};
use super::quirks;
use super::tables::{edge_sub_clusters, tile_tables, TileTables};
use maestro_ir::{Dim, Directive, MapKind, Mapping};

/// The reference builds four NoCs, one per cluster level, so at most three `Cluster` directives work.
const MAX_CLUSTERS: usize = 3;

/// Marks "no directive" in [`Level::first_of`].
pub(crate) const NO_DIRECTIVE: u8 = u8::MAX;

/// One completed map directive of a level (sizes are mutable during completion, §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LevelDirective {
    pub(crate) spatial: bool,
    pub(crate) size: i64,
    pub(crate) offset: i64,
    pub(crate) dim: Dim,
}

impl LevelDirective {
    fn temporal(size: i64, offset: i64, dim: Dim) -> Self {
        LevelDirective {
            spatial: false,
            size,
            offset,
            dim,
        }
    }
}

/// A completed cluster level with its static tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Level {
    /// Completed directives, outermost loop first.
    pub(crate) directives: Vec<LevelDirective>,
    /// `n_d`: the units the level's spatial map distributes over.
    pub(crate) sub_clusters: i64,
    /// `E_d` of §6.1.
    pub(crate) edge_sub_clusters: i64,
    /// `Dtab_d` of §5.3.
    pub(crate) static_table: DimTable,
    pub(crate) tiles: TileTables,
    /// Index of the first `SpatialMap` (the primary spatial map).
    pub(crate) primary_spatial: usize,
    /// Index of the first directive on each dimension, or [`NO_DIRECTIVE`].
    pub(crate) first_of: [u8; DIM_COUNT],
}

impl Level {
    pub(crate) fn first_directive(&self, dim: Dim) -> Option<&LevelDirective> {
        match self.first_of[dim as usize] {
            NO_DIRECTIVE => None,
            index => self.directives.get(usize::from(index)),
        }
    }
}

fn checked_size(value: u64) -> CompatResult<i64> {
    i64::try_from(value).map_err(|_| CompatError::Overflow)
}

/// Splits the written directives at every `Cluster`: the maps of each level, and the cluster sizes.
fn split_levels(mapping: &Mapping) -> CompatResult<(Vec<Vec<LevelDirective>>, Vec<i64>)> {
    let mut written = vec![Vec::new()];
    let mut clusters = Vec::new();
    for directive in &mapping.directives {
        match directive {
            Directive::Map(map) => {
                if map.size == 0 || map.offset == 0 {
                    return Err(CompatError::ZeroSizeOrOffset {
                        directive: map.to_string(),
                    });
                }
                let level = written.last_mut().ok_or(CompatError::Overflow)?;
                level.push(LevelDirective {
                    spatial: map.kind == MapKind::Spatial,
                    size: checked_size(map.size)?,
                    offset: checked_size(map.offset)?,
                    dim: map.dim,
                });
            }
            Directive::Cluster(cluster) => {
                clusters.push(checked_size(cluster.size)?);
                written.push(Vec::new());
            }
        }
    }
    Ok((written, clusters))
}

/// Builds every cluster level of a layer, top (`d = 0`) first.
pub(crate) fn build_levels(
    shape: &LayerShape,
    roles: &TensorRoles,
    mapping: &Mapping,
    num_pes: i64,
) -> CompatResult<Vec<Level>> {
    let (written, clusters) = split_levels(mapping)?;
    if clusters.len() > MAX_CLUSTERS {
        return Err(CompatError::TooManyClusters {
            clusters: clusters.len(),
        });
    }
    let units = clusters
        .iter()
        .try_fold(1i64, |product, &size| mul(product, size))?;
    if units == 0 {
        return Err(CompatError::ZeroCluster);
    }
    // §5.1: the PE count is normalised to a multiple of the cluster product.
    let normalised_pes = mul(units, num_pes / units)?;
    let top_sub_clusters = normalised_pes / units;

    let mut levels: Vec<Level> = Vec::with_capacity(written.len());
    for (depth, written_maps) in written.into_iter().enumerate() {
        let (table, sub_clusters) = match levels.last() {
            None => (shape.table, top_sub_clusters),
            Some(upper) => (static_table_below(upper, roles)?, clusters[depth - 1]),
        };
        let internal_level = clusters.len() - depth;
        let directives =
            complete_directives(depth, written_maps, levels.last(), &table, shape, roles)?;
        let spatial_maps = directives
            .iter()
            .filter(|directive| directive.spatial)
            .count();
        let Some(primary_spatial) = directives.iter().position(|directive| directive.spatial)
        else {
            return Err(CompatError::NoSpatialMap {
                level: internal_level,
            });
        };
        if spatial_maps > 2 {
            return Err(CompatError::TooManySpatialMaps {
                level: internal_level,
            });
        }
        let primary = directives[primary_spatial];
        if mul(primary.offset, sub_clusters)? == 0 {
            return Err(CompatError::NoSubClusters {
                level: internal_level,
                pes: num_pes,
            });
        }
        if directives.len() >= usize::from(NO_DIRECTIVE) {
            return Err(CompatError::Overflow);
        }
        let mut first_of = [NO_DIRECTIVE; DIM_COUNT];
        for (index, directive) in directives.iter().enumerate().rev() {
            first_of[directive.dim as usize] = index as u8;
        }
        let edge = edge_sub_clusters(&primary, &table, sub_clusters)?;
        let tiles = tile_tables(&directives, &table, roles)?;
        levels.push(Level {
            directives,
            sub_clusters,
            edge_sub_clusters: edge,
            static_table: table,
            tiles,
            primary_spatial,
            first_of,
        });
    }
    Ok(levels)
}

/// §5.2.1–§5.2.4 for one level: output-coordinate conversion, inheritance, unrolling, stride adjustment
/// (which also checks that every directive's dimension exists in the level's table).
fn complete_directives(
    depth: usize,
    mut directives: Vec<LevelDirective>,
    upper: Option<&Level>,
    table: &DimTable,
    shape: &LayerShape,
    roles: &TensorRoles,
) -> CompatResult<Vec<LevelDirective>> {
    convert_output_coordinate(&mut directives, Dim::OutY, Dim::Y, Dim::R, table);
    convert_output_coordinate(&mut directives, Dim::OutX, Dim::X, Dim::S, table);
    if let Some(upper) = upper {
        // Each inherited directive goes to the front, so they end up in reverse order.
        for inherited in &upper.directives {
            if !directives
                .iter()
                .any(|directive| directive.dim == inherited.dim)
            {
                directives.insert(
                    0,
                    LevelDirective::temporal(inherited.size, inherited.offset, inherited.dim),
                );
            }
        }
    }
    for &variable in roles.input_variables() {
        if let Some(size) = table.get(variable) {
            if !directives.iter().any(|directive| directive.dim == variable) {
                directives.push(LevelDirective::temporal(size, size, variable));
            }
        }
    }
    for directive in &mut directives {
        if !table.contains(directive.dim) {
            return Err(CompatError::DimensionNotFound(directive.dim));
        }
        let Some(window) = roles.window_of(directive.dim) else {
            continue;
        };
        let stride = shape.stride(directive.dim);
        if stride == 1 {
            continue;
        }
        let window_size = shape.table.or_zero(window);
        if let Some((size, offset)) =
            quirks::stride_adjusted_tile(directive.size, stride, window_size, depth == 0)?
        {
            directive.size = size;
            directive.offset = offset;
        }
    }
    Ok(directives)
}

/// §5.2.1: the first directive on `output` becomes a directive on `input` covering the windows of its
/// output tile, unless the level also maps `input`. The window tile is the level's last directive on
/// `window`, or (where the reference reads an uninitialised value) the window's size in the level's table.
fn convert_output_coordinate(
    directives: &mut [LevelDirective],
    output: Dim,
    input: Dim,
    window: Dim,
    table: &DimTable,
) {
    if directives.iter().any(|directive| directive.dim == input) {
        return;
    }
    let Some(last_output) = directives
        .iter()
        .rev()
        .find(|directive| directive.dim == output)
        .map(|d| d.size)
    else {
        return;
    };
    let window_tile = directives
        .iter()
        .rev()
        .find(|directive| directive.dim == window)
        .map_or_else(|| table.or_zero(window), |directive| directive.size);
    if let Some(first) = directives
        .iter_mut()
        .find(|directive| directive.dim == output)
    {
        first.dim = input;
        first.size = last_output.saturating_add(window_tile) - 1;
    }
}

/// §5.3: the static table of the level below `upper`: every input-tensor variable, capped by its first
/// tile at `upper`.
fn static_table_below(upper: &Level, roles: &TensorRoles) -> CompatResult<DimTable> {
    let mut table = DimTable::default();
    for &variable in roles.input_variables() {
        let extent = upper
            .static_table
            .get(variable)
            .ok_or(CompatError::DimensionNotFound(variable))?;
        let tile = upper
            .first_directive(variable)
            .ok_or(CompatError::DimensionNotFound(variable))?
            .size;
        table.set(variable, tile.min(extent));
    }
    Ok(table)
}
