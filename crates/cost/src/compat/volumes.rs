//! §8: the reuse model — per case, how many elements of each tensor enter a level's sub-clusters
//! (ingress), leave them (egress), and how many MACs they perform (partial sums).

use super::cases::Case;
use super::dims::bit;
use super::error::{add, mul, CompatError, CompatResult};
use super::layer_model::TensorRoles;
use super::levels::Level;
use super::quirks;
use super::states::{Position, State};
use maestro_ir::{Dim, Tensor};
use std::cell::Cell;

/// `nz(x)` of §8.2: `x`, or 1 when `x` is 0.
#[inline]
fn non_zero(value: i64) -> i64 {
    if value == 0 {
        1
    } else {
        value
    }
}

/// Which sub-cluster a volume is computed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Unit {
    /// The first sub-cluster (full tiles).
    first: bool,
    /// The sub-cluster that receives the edge-edge remainder.
    edge_edge: bool,
}

/// How the sub-clusters of a level share a tensor in a case (§8.5).
#[derive(Clone, Copy, Debug, Default)]
struct SpatialStatus {
    spatial: bool,
    spatial_edge: bool,
    has_edge_edge: bool,
}

impl Unit {
    fn slot(self) -> usize {
        usize::from(self.first) | usize::from(self.edge_edge) << 1
    }
}

/// The volumes of one case at one level. The two factors of PEOut are each needed by several of the
/// case's volumes (egress, PsumMap, CritPsums), so they are computed once per unit and remembered.
pub(crate) struct CaseVolumes<'a> {
    level: &'a Level,
    roles: &'a TensorRoles,
    case: &'a Case,
    reduction_factor: [Cell<Option<i64>>; 4],
    output_factor: [Cell<Option<i64>>; 8],
}

impl<'a> CaseVolumes<'a> {
    pub(crate) fn new(level: &'a Level, roles: &'a TensorRoles, case: &'a Case) -> Self {
        CaseVolumes {
            level,
            roles,
            case,
            reduction_factor: Default::default(),
            output_factor: Default::default(),
        }
    }

    fn single_edge_unit(&self) -> bool {
        self.level.edge_sub_clusters == 1
    }

    /// PEMapped: one sub-cluster's full tiles of `tensor`.
    fn mapped(&self, tensor: Tensor, unit: Unit) -> CompatResult<i64> {
        let tiles = &self.level.tiles;
        let mask = self.roles.mask(tensor);
        let mut volume = 1i64;
        for directive in &self.level.directives {
            let dim = directive.dim;
            if mask & bit(dim) == 0 {
                continue;
            }
            let state = self.case.state_of(dim);
            let factor = if !state.is_edge() {
                tiles.map.or_zero(dim)
            } else if !directive.spatial {
                tiles.map_edge.or_zero(dim)
            } else if self.single_edge_unit() {
                if unit.first || unit.edge_edge {
                    tiles.map_edge.or_zero(dim)
                } else {
                    1
                }
            } else if unit.edge_edge {
                tiles.map_edge.or_zero(dim)
            } else {
                tiles.map.or_zero(dim)
            };
            volume = mul(volume, factor)?;
        }
        Ok(volume)
    }

    /// PEIn: what one sub-cluster receives of input tensor `tensor` in this case (§8.3).
    fn pe_in(&self, tensor: Tensor, unit: Unit) -> CompatResult<i64> {
        let Some(changing) = self.case.changing else {
            return self.mapped(tensor, unit);
        };
        let directives = &self.level.directives;
        let mask = self.roles.mask(tensor);
        if mask & bit(directives[changing].dim) == 0 {
            return Ok(0);
        }
        let reinitialised = directives[changing + 1..].iter().any(|directive| {
            let state = self.case.state_of(directive.dim);
            mask & bit(directive.dim) != 0 && state.is_init() && !state.unrolled
        });
        let tiles = &self.level.tiles;
        let full = |dim: Dim| {
            if unit.edge_edge {
                tiles.map_edge.or_zero(dim)
            } else {
                tiles.map.or_zero(dim)
            }
        };
        let slice = |dim: Dim| {
            if unit.edge_edge {
                tiles.unique_edge.or_zero(dim)
            } else {
                tiles.unique.or_zero(dim)
            }
        };
        let mut volume = 1i64;
        for (j, directive) in directives.iter().enumerate() {
            let dim = directive.dim;
            if mask & bit(dim) == 0 {
                continue;
            }
            let state = self.case.state_of(dim);
            let factor = match (directive.spatial, state.position) {
                (false, Position::Init) => {
                    if state.is_edge() {
                        tiles.map_edge.or_zero(dim)
                    } else {
                        tiles.map.or_zero(dim)
                    }
                }
                (false, _) => {
                    if j == changing && !reinitialised {
                        quirks::changing_temporal_slice(tiles.unique.or_zero(dim), dim)?
                    } else {
                        tiles.map.or_zero(dim)
                    }
                }
                (true, Position::Init) => {
                    if unit.first || j <= changing {
                        full(dim)
                    } else {
                        slice(dim)
                    }
                }
                (true, _) => {
                    if !unit.first && j == changing && !reinitialised {
                        slice(dim)
                    } else {
                        full(dim)
                    }
                }
            };
            volume = mul(volume, factor)?;
        }
        Ok(volume)
    }

    /// PEOut: one sub-cluster's output volume (§8.4); with `psums`, multiplied by the reduction extent
    /// (the MACs it performs).
    fn pe_out(&self, psums: bool, unit: Unit, reuse_edge: bool) -> CompatResult<i64> {
        let output = self.output_factor_cached(unit, reuse_edge)?;
        if !psums {
            return Ok(output);
        }
        mul(self.reduction_factor_cached(unit)?, output)
    }

    fn reduction_factor_cached(&self, unit: Unit) -> CompatResult<i64> {
        let cached = &self.reduction_factor[unit.slot()];
        if let Some(value) = cached.get() {
            return Ok(value);
        }
        let value = self.reduction_extent(unit)?;
        cached.set(Some(value));
        Ok(value)
    }

    fn output_factor_cached(&self, unit: Unit, reuse_edge: bool) -> CompatResult<i64> {
        let slot = unit.slot() | usize::from(reuse_edge) << 2;
        let cached = &self.output_factor[slot];
        if let Some(value) = cached.get() {
            return Ok(value);
        }
        let value = self.output_extent(unit, reuse_edge)?;
        cached.set(Some(value));
        Ok(value)
    }

    /// Part A of PEOut: the product over the directives on dimensions the output is not coupled with.
    fn reduction_extent(&self, unit: Unit) -> CompatResult<i64> {
        let tiles = &self.level.tiles;
        let mask = self.roles.mask(Tensor::Output);
        let single = self.single_edge_unit();
        let mut volume = 1i64;
        for directive in &self.level.directives {
            let dim = directive.dim;
            if mask & bit(dim) != 0 {
                continue;
            }
            let state = self.case.state_of(dim);
            let factor = if !directive.spatial {
                if state.is_edge() {
                    tiles.map_edge.or_zero(dim)
                } else {
                    tiles.map.or_zero(dim)
                }
            } else {
                self.spatial_reduction_factor(dim, state, unit, single)
            };
            volume = mul(volume, factor)?;
        }
        Ok(volume)
    }

    /// Part B of PEOut: the output tile, over the output's coupled dimensions.
    fn output_extent(&self, unit: Unit, reuse_edge: bool) -> CompatResult<i64> {
        let tiles = &self.level.tiles;
        let single = self.single_edge_unit();
        let mut volume = 1i64;
        for &dim in self.roles.coupled(Tensor::Output) {
            let directive = self
                .level
                .first_directive(dim)
                .ok_or(CompatError::OutputDimensionUnmapped(dim))?;
            let alias = self.roles.output_alias(dim);
            let state = self.case.state_of(dim);
            let factor = if !directive.spatial {
                match state.position {
                    Position::Init if state.is_edge() => tiles.map_edge.or_zero(alias),
                    Position::Init | Position::Steady => tiles.map.or_zero(alias),
                    Position::Edge => tiles.map_edge.or_zero(alias),
                }
            } else {
                match state.position {
                    Position::Init if state.is_edge() && unit.edge_edge => {
                        if single || !reuse_edge {
                            tiles.map_edge.or_zero(alias)
                        } else {
                            tiles.unique_edge.or_zero(alias)
                        }
                    }
                    Position::Init | Position::Steady => {
                        if unit.first {
                            tiles.map.or_zero(alias)
                        } else {
                            non_zero(tiles.unique.or_zero(alias))
                        }
                    }
                    Position::Edge => {
                        if single {
                            if unit.first || unit.edge_edge {
                                quirks::single_edge_output_extent(tiles.map_edge.or_zero(dim))
                            } else {
                                1
                            }
                        } else if unit.edge_edge {
                            tiles.unique_edge.or_zero(alias)
                        } else if unit.first {
                            tiles.map.or_zero(alias)
                        } else {
                            non_zero(tiles.unique.or_zero(alias))
                        }
                    }
                }
            };
            volume = mul(volume, factor)?;
        }
        Ok(volume)
    }

    /// Part A of PEOut for a spatially mapped reduction dimension.
    fn spatial_reduction_factor(&self, dim: Dim, state: State, unit: Unit, single: bool) -> i64 {
        let tiles = &self.level.tiles;
        match state.position {
            Position::Init if state.is_edge() && unit.edge_edge => tiles.map_edge.or_zero(dim),
            Position::Init | Position::Steady => {
                if unit.first {
                    tiles.map.or_zero(dim)
                } else {
                    non_zero(tiles.unique.or_zero(dim))
                }
            }
            Position::Edge => {
                if single {
                    if unit.first || unit.edge_edge {
                        tiles.map_edge.or_zero(dim)
                    } else {
                        1
                    }
                } else if unit.edge_edge {
                    tiles.unique_edge.or_zero(dim)
                } else if unit.first {
                    tiles.map.or_zero(dim)
                } else {
                    non_zero(tiles.unique.or_zero(dim))
                }
            }
        }
    }

    /// The spatial status of a tensor: walk its coupled dimensions whose first directive is spatial.
    fn tensor_status(&self, tensor: Tensor) -> SpatialStatus {
        let mut status = SpatialStatus::default();
        let mut last_state = None;
        for &dim in self.roles.coupled(tensor) {
            if self
                .level
                .first_directive(dim)
                .is_some_and(|directive| directive.spatial)
            {
                let state = self.case.state_of(dim);
                status.spatial = true;
                status.spatial_edge |= state.is_edge();
                last_state = Some(state);
            }
        }
        status.has_edge_edge = last_state.is_some_and(|state| state.edge_edge);
        status
    }

    /// The status used by PsumMap: the output's walk continued over every spatial directive.
    fn psum_status(&self) -> SpatialStatus {
        let mut status = self.tensor_status(Tensor::Output);
        let mut last_state = None;
        for directive in self
            .level
            .directives
            .iter()
            .filter(|directive| directive.spatial)
        {
            let state = self.case.state_of(directive.dim);
            status.spatial = true;
            status.spatial_edge |= state.is_edge();
            last_state = Some(state);
        }
        if let Some(state) = last_state {
            status.has_edge_edge = state.edge_edge;
        }
        status
    }

    /// `Spatial(T)` of §8.5: the sum over sub-clusters of a per-unit volume.
    fn over_sub_clusters(
        &self,
        status: SpatialStatus,
        volume: impl Fn(Unit) -> CompatResult<i64>,
    ) -> CompatResult<i64> {
        const FIRST: Unit = Unit {
            first: true,
            edge_edge: false,
        };
        const OTHER: Unit = Unit {
            first: false,
            edge_edge: false,
        };
        if !status.spatial {
            return volume(FIRST);
        }
        let edge = self.level.edge_sub_clusters;
        if !status.spatial_edge {
            return add(
                volume(FIRST)?,
                mul(self.level.sub_clusters - 1, volume(OTHER)?)?,
            );
        }
        let mut total = if edge == 1 && status.has_edge_edge {
            volume(Unit {
                first: true,
                edge_edge: true,
            })?
        } else {
            volume(FIRST)?
        };
        if edge > 1 {
            let edge_edge_units = i64::from(status.has_edge_edge);
            total = add(
                total,
                mul((edge - edge_edge_units - 1).max(0), volume(OTHER)?)?,
            )?;
            total = add(
                total,
                mul(
                    edge_edge_units,
                    volume(Unit {
                        first: false,
                        edge_edge: true,
                    })?,
                )?,
            )?;
        }
        Ok(total)
    }

    /// Ingress of an input tensor: what all sub-clusters receive in this case.
    pub(crate) fn ingress(&self, tensor: Tensor) -> CompatResult<i64> {
        self.over_sub_clusters(self.tensor_status(tensor), |unit| self.pe_in(tensor, unit))
    }

    /// Egress: the output elements all sub-clusters send up in this case.
    pub(crate) fn egress(&self) -> CompatResult<i64> {
        self.over_sub_clusters(self.tensor_status(Tensor::Output), |unit| {
            self.pe_out(false, unit, true)
        })
    }

    /// CritPsums: the MACs of one sub-cluster (the critical path).
    pub(crate) fn critical_psums(&self) -> CompatResult<i64> {
        let status = self.tensor_status(Tensor::Output);
        let edge_edge = status.spatial
            && status.spatial_edge
            && self.level.edge_sub_clusters == 1
            && status.has_edge_edge;
        self.pe_out(
            true,
            Unit {
                first: true,
                edge_edge,
            },
            true,
        )
    }

    /// PsumMap: the MACs of all sub-clusters in this case.
    pub(crate) fn psum_map(&self) -> CompatResult<i64> {
        let status = self.psum_status();
        let full = Unit {
            first: true,
            edge_edge: false,
        };
        if !status.spatial_edge {
            return mul(self.level.sub_clusters, self.pe_out(true, full, true)?);
        }
        let edge = self.level.edge_sub_clusters;
        let mut total = if edge == 1 && status.has_edge_edge {
            self.pe_out(
                true,
                Unit {
                    first: true,
                    edge_edge: true,
                },
                true,
            )?
        } else {
            self.pe_out(true, full, true)?
        };
        if edge > 1 {
            let edge_edge_units = i64::from(status.has_edge_edge);
            total = add(
                total,
                mul(
                    (edge - edge_edge_units - 1).max(0),
                    self.pe_out(true, full, true)?,
                )?,
            )?;
            if edge_edge_units > 0 {
                total = add(
                    total,
                    self.pe_out(
                        true,
                        Unit {
                            first: false,
                            edge_edge: true,
                        },
                        false,
                    )?,
                )?;
            }
        }
        Ok(total)
    }
}
