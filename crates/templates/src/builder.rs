//! A small builder that collects directives in written order and turns them into a [`Mapping`].

use crate::shape::Tile;
use maestro_ir::{ClusterDirective, ClusterKind, Dim, Directive, MapDirective, Mapping};

#[derive(Debug, Default)]
pub(crate) struct Plan {
    directives: Vec<Directive>,
}

impl Plan {
    pub fn new() -> Plan {
        Plan::default()
    }

    pub fn temporal(&mut self, dim: Dim, tile: Tile) -> &mut Plan {
        self.directives.push(Directive::Map(MapDirective::temporal(
            tile.size,
            tile.offset,
            dim,
        )));
        self
    }

    pub fn spatial(&mut self, dim: Dim, tile: Tile) -> &mut Plan {
        self.directives.push(Directive::Map(MapDirective::spatial(
            tile.size,
            tile.offset,
            dim,
        )));
        self
    }

    /// One element of `dim` per step.
    pub fn step(&mut self, dim: Dim) -> &mut Plan {
        self.temporal(dim, Tile::UNIT)
    }

    /// Tiles of `size` elements of `dim`, one after the other.
    pub fn tiles(&mut self, dim: Dim, size: u64) -> &mut Plan {
        self.temporal(dim, Tile::whole(size))
    }

    /// Opens the next cluster level: the directives after it run inside groups of `size` units.
    pub fn cluster(&mut self, size: u64) -> &mut Plan {
        self.directives.push(Directive::Cluster(ClusterDirective {
            size,
            kind: ClusterKind::Physical,
        }));
        self
    }

    pub fn finish(self) -> Mapping {
        Mapping::new(self.directives)
    }
}

impl Tile {
    /// One element, advancing by one.
    pub const UNIT: Tile = Tile { size: 1, offset: 1 };

    /// `size` elements, advancing by `size` (disjoint tiles).
    pub fn whole(size: u64) -> Tile {
        Tile { size, offset: size }
    }
}
