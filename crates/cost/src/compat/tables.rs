//! §6: the static tables of a cluster level — the edge sub-cluster count `E` and the four tile tables
//! (`MAP`, `UNQ`, `MAPe`, `UNQe`), including the output-coordinate aliases `Y'`/`X'`.

use super::dims::DimTable;
use super::error::{add, div, mul, sub, CompatResult};
use super::layer_model::TensorRoles;
use super::levels::LevelDirective;
use super::quirks;

/// Tile size and new elements per step, for regular and edge iterations, by dimension.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct TileTables {
    /// `MAP`: tile size in a regular iteration.
    pub(crate) map: DimTable,
    /// `UNQ`: elements new to a sub-cluster when the tile advances.
    pub(crate) unique: DimTable,
    /// `MAPe`: tile size in an edge iteration.
    pub(crate) map_edge: DimTable,
    /// `UNQe`: new elements in an edge iteration.
    pub(crate) unique_edge: DimTable,
}

/// §6.1: the number of sub-clusters active in a spatial edge fold of the primary spatial directive.
pub(crate) fn edge_sub_clusters(
    primary: &LevelDirective,
    table: &DimTable,
    sub_clusters: i64,
) -> CompatResult<i64> {
    let extent = table.or_zero(primary.dim);
    let (size, offset, n) = (primary.size, primary.offset, sub_clusters);
    let full = add(mul(offset, n - 1)?, size)?;
    let mut edge = if extent > full {
        let steady = div(div(extent - size, offset)? + 1, n)? - 1;
        let remainder = sub(extent, mul(mul(steady + 1, offset)?, n)?)?;
        if remainder < size {
            1
        } else {
            div(remainder - size, offset)? + 1
        }
    } else if extent > size {
        let mut count = div(extent - size, offset)? + 1;
        if add(mul(offset, count - 1)?, size)? < extent {
            count += 1;
        }
        count
    } else {
        1
    };
    if extent <= size {
        edge = 1;
    }
    Ok(edge)
}

/// §6.2: the tile tables of a level's completed directives over its static dimension table.
pub(crate) fn tile_tables(
    directives: &[LevelDirective],
    table: &DimTable,
    roles: &TensorRoles,
) -> CompatResult<TileTables> {
    let mut tiles = TileTables::default();
    for directive in directives {
        let (dim, size, offset) = (directive.dim, directive.size, directive.offset);
        let extent = table.or_zero(dim);
        let steady = div(extent - size, offset)?.max(0);
        let has_edge = add(mul(steady, offset)?, size)? < extent || size > extent;
        let unique = if !directive.spatial && extent <= size {
            0
        } else {
            size.min(offset)
        };
        let edge = quirks::edge_tile(extent, steady, offset)?;
        tiles.map.set(dim, size);
        tiles.unique.set(dim, unique);
        tiles.map_edge.set(dim, if has_edge { edge } else { size });
        tiles.unique_edge.set(dim, (offset - (size - edge)).max(0));
    }
    for directive in directives {
        let Some(window) = roles.window_of(directive.dim) else {
            continue;
        };
        let (dim, alias) = (directive.dim, roles.output_alias(directive.dim));
        let map = tiles.map.or_zero(dim) - tiles.map.or_zero(window) + 1;
        let map_edge = tiles.map_edge.or_zero(dim) - tiles.map_edge.or_zero(window) + 1;
        tiles.map.set(alias, map);
        tiles.unique.set(
            alias,
            quirks::output_alias_unique(directive.offset, directive.size),
        );
        tiles.map_edge.set(alias, map_edge);
        tiles.unique_edge.set(alias, directive.offset.min(map_edge));
    }
    Ok(tiles)
}
