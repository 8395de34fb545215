//! §9: the level analysis loop — per case: buffer requirements, volumes, delays, the recursion into the
//! level below, off-chip bandwidth at the top, and the accumulation and finalisation of a level record.

use super::cases::{Case, CaseOrder};
use super::dims::{bit, DimTable};
use super::error::{add, div, mul, CompatError, CompatResult};
use super::extended;
use super::layer_model::TensorRoles;
use super::levels::Level;
use super::quirks;
use super::states::{directive_states, Position, StateList};
use super::volumes::CaseVolumes;
use super::CompatHardware;
use maestro_ir::{Dim, Tensor};

/// Access counters of one tensor at one level: upstream (reported as L2) and downstream (L1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counters {
    pub(crate) l2_read: i64,
    pub(crate) l2_write: i64,
    pub(crate) l1_read: i64,
    pub(crate) l1_write: i64,
}

/// Minimum, maximum and average of a per-case delay, as the reference stores them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    pub(crate) min: i64,
    pub(crate) max: i64,
    pub(crate) avg: i64,
}

/// The result record of one `Analyze(d, Dit)` call.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Record {
    pub(crate) runtime: i64,
    pub(crate) macs: i64,
    /// Input, filter, output.
    pub(crate) counters: [Counters; 3],
    pub(crate) l2_requirement: [i64; 3],
    pub(crate) l1_requirement: [i64; 3],
    pub(crate) peak_bandwidth: i64,
    pub(crate) average_bandwidth: f64,
    pub(crate) offchip_bandwidth: i64,
    pub(crate) average_active: f64,
    pub(crate) arithmetic_intensity: f64,
    pub(crate) ingress_delay: Stats,
    pub(crate) egress_delay: Stats,
    pub(crate) computation_delay: Stats,
}

/// What a caller needs from a sub-level's record.
#[derive(Clone, Copy, Debug)]
struct SubResult {
    runtime: i64,
    average_active: f64,
}

/// Running min/max/sum of one delay (§9.2 step 14).
#[derive(Clone, Copy, Debug, Default)]
struct DelayAccumulator {
    min: Option<i64>,
    max: i64,
    sum: i128,
}

impl DelayAccumulator {
    fn add(&mut self, weight: i64, value: i64) {
        self.min = Some(self.min.map_or(value, |min| min.min(value)));
        self.max = self.max.max(value);
        self.sum += i128::from(weight) * i128::from(value);
    }

    fn finish(&self, total_weight: i64) -> Stats {
        let [min, max, avg] =
            quirks::finish_delay_stats(self.min, self.max, self.sum, total_weight);
        Stats { min, max, avg }
    }
}

/// The `long double` sum of `weight · utilisation` (§9.2 step 11). While every utilisation is a whole
/// number (always at the innermost level) the sum is an exact integer and the average is rounded as the
/// reference rounds it; otherwise a double sum stands in for the extended one.
#[derive(Clone, Copy, Debug, Default)]
struct ActiveSum {
    whole: i128,
    fractional: bool,
    approximate: f64,
}

impl ActiveSum {
    fn add(&mut self, weight: i64, utilisation: f64) {
        const EXACT_IN_DOUBLE: f64 = 9_007_199_254_740_992.0;
        if utilisation.fract() == 0.0 && utilisation.abs() < EXACT_IN_DOUBLE {
            self.whole += i128::from(weight) * utilisation as i128;
        } else {
            self.fractional = true;
        }
        self.approximate += weight as f64 * utilisation;
    }

    fn average(&self, total_weight: i64) -> f64 {
        if self.fractional {
            self.approximate / total_weight as f64
        } else {
            extended::long_double_quotient(self.whole, total_weight)
        }
    }
}

/// Remembered divisions of the off-chip step (§9.2 step 9) within one top-level analysis.
#[derive(Clone, Copy, Debug, Default)]
struct OffchipMemo {
    /// (input + filter, output) L2 requirements the bound was computed for.
    volumes: Option<(i64, i64)>,
    /// `max(ib ÷ 2, ob ÷ 2)`.
    transfer_bound: i64,
    /// The computation delay and the (output, input) rates for it.
    rates: Option<(i64, (i64, i64))>,
}

/// §9.2 step 6 at the innermost level: `ceil(cp / SIMD)`, computed in double as the reference does
/// (exact and division-free for one lane below 2^53).
fn computation_steps(critical_psums: i64, lanes: i64) -> i64 {
    const EXACT_IN_DOUBLE: i64 = 1 << 53;
    if lanes == 1 && critical_psums.abs() < EXACT_IN_DOUBLE {
        critical_psums
    } else {
        (critical_psums as f64 / lanes as f64).ceil() as i64
    }
}

/// The outcome of analysing a layer: its top record, the first record appended (for the L1 size, Q-R2)
/// and whether the analysis appended more than one record (for the energy, Q-R1).
#[derive(Clone, Debug)]
pub(crate) struct LayerAnalysis {
    pub(crate) top: Record,
    pub(crate) first_record_l1: [i64; 3],
    pub(crate) multi_record: bool,
}

/// Analyses a layer's levels from the top.
pub(crate) fn analyze_layer(
    levels: &[Level],
    roles: &TensorRoles,
    layer_table: &DimTable,
    hardware: &CompatHardware,
) -> CompatResult<LayerAnalysis> {
    let mut analyzer = Analyzer {
        levels,
        roles,
        hardware,
        memo: Vec::new(),
        choice_memo: Vec::new(),
        first_record_l1: None,
        sub_analyses: 0,
    };
    let top = analyzer.analyze(0, layer_table)?;
    let first_record_l1 = analyzer.first_record_l1.unwrap_or(top.l1_requirement);
    Ok(LayerAnalysis {
        top,
        first_record_l1,
        multi_record: analyzer.sub_analyses > 0,
    })
}

struct Analyzer<'a> {
    levels: &'a [Level],
    roles: &'a TensorRoles,
    hardware: &'a CompatHardware,
    /// Sub-level results by (depth, iteration sizes): `Analyze` is a pure function of both, and the
    /// same sub-tile recurs in most cases of the level above.
    memo: Vec<(usize, DimTable, SubResult)>,
    /// The same results by (depth, edge-tile choices of the level above), which spares building the
    /// sizes table in the common case.
    choice_memo: Vec<(usize, u16, SubResult)>,
    first_record_l1: Option<[i64; 3]>,
    sub_analyses: u64,
}

const INPUT_TENSORS: [Tensor; 2] = [Tensor::Input, Tensor::Weight];
const OUTPUT: usize = Tensor::Output as usize;

impl Analyzer<'_> {
    fn analyze_sub_level(&mut self, depth: usize, sizes: &DimTable) -> CompatResult<SubResult> {
        self.sub_analyses += 1;
        if let Some((_, _, result)) = self
            .memo
            .iter()
            .find(|(d, table, _)| *d == depth && table == sizes)
        {
            return Ok(*result);
        }
        let record = self.analyze(depth, sizes)?;
        let result = SubResult {
            runtime: record.runtime,
            average_active: record.average_active,
        };
        self.memo.push((depth, *sizes, result));
        Ok(result)
    }

    /// `Analyze(d, Dit)`.
    fn analyze(&mut self, depth: usize, sizes: &DimTable) -> CompatResult<Record> {
        let levels = self.levels;
        let level = &levels[depth];
        let innermost = depth + 1 == self.levels.len();
        let lists = level
            .directives
            .iter()
            .map(|directive| {
                directive_states(directive, sizes.or_zero(directive.dim), level.sub_clusters)
            })
            .collect::<CompatResult<Vec<StateList>>>()?;
        let mut order = CaseOrder::new(&lists)?;
        let mut case = Case::new();
        let mut record = Record::default();
        let mut processed = 0u64;
        let mut total_weight = 0i64;
        let mut active_sum = ActiveSum::default();
        let mut bandwidth_sum: i128 = 0;
        let mut delays = [DelayAccumulator::default(); 3];
        let mut offchip_memo = OffchipMemo::default();
        let (primary_dim, edge_units, units) = (
            level.directives[level.primary_spatial].dim,
            level.edge_sub_clusters,
            level.sub_clusters,
        );

        while let Some(indices) = order.next_case() {
            case.load(level, &lists, indices);
            let weight = case.weight;
            let volumes = CaseVolumes::new(level, self.roles, &case);
            let mut ingress_by_tensor = None;
            let egress = if quirks::buffer_requirements_due(processed) {
                let (ingress, egress) =
                    self.buffer_requirements(level, sizes, &volumes, &mut record)?;
                ingress_by_tensor = Some(ingress);
                egress
            } else {
                volumes.egress()?
            };
            let psums = volumes.psum_map()?;
            let critical = volumes.critical_psums()?;
            // Step 1, before the skip rule (Q-A8: skipped cases still count their output volumes).
            let output = &mut record.counters[OUTPUT];
            output.l2_write = add(output.l2_write, mul(weight, egress)?)?;
            output.l1_write = add(output.l1_write, mul(weight, psums)?)?;
            output.l1_read = add(output.l1_read, mul(weight, psums)?)?;
            if critical <= 0 {
                continue;
            }
            let ingress = match ingress_by_tensor {
                Some(ingress) => ingress,
                None => [
                    volumes.ingress(Tensor::Input)?,
                    volumes.ingress(Tensor::Weight)?,
                ],
            };
            let mut ingress_total = 0i64;
            for (tensor, volume) in INPUT_TENSORS.into_iter().zip(ingress) {
                ingress_total = add(ingress_total, volume)?;
                let counters = &mut record.counters[tensor as usize];
                counters.l2_read = add(counters.l2_read, mul(weight, volume)?)?;
                counters.l1_write = quirks::l1_write_of_input(counters.l2_read);
                counters.l1_read = add(counters.l1_read, mul(weight, psums)?)?;
            }
            // Q-A16: the reported intensity is the last processed case's.
            record.arithmetic_intensity = psums as f64 / ingress_total as f64;
            let active_units = if case.state_of(primary_dim).is_edge() {
                edge_units
            } else {
                units
            };

            let (mut computation, utilisation) = if innermost {
                let lanes = self.hardware.simd_lanes;
                if lanes == 0 {
                    return Err(CompatError::ZeroSimdLanes);
                }
                (computation_steps(critical, lanes), 0.0)
            } else {
                self.recurse(depth, level, &case)?
            };
            let ingress_delay = quirks::transfer_delay(
                ingress_total,
                self.hardware.noc_bandwidth,
                self.hardware.noc_latency,
            )?;
            let egress_delay = quirks::transfer_delay(
                egress,
                self.hardware.noc_bandwidth,
                self.hardware.noc_latency,
            )?;
            let mut outstanding = if case.all_init() {
                add(computation, ingress_delay)?
            } else {
                egress_delay.max(computation).max(ingress_delay)
            };
            if depth == 0 {
                outstanding =
                    self.offchip(&mut record, &mut offchip_memo, outstanding, computation)?;
            }
            record.runtime = add(record.runtime, mul(weight, outstanding)?)?;
            record.macs = add(record.macs, mul(weight, psums)?)?;
            let utilisation = if utilisation == 0.0 {
                active_units as f64
            } else {
                utilisation
            };
            active_sum.add(weight, utilisation);
            if computation == 0 {
                computation = 1;
            }
            let traffic = ingress_total.max(egress);
            record.peak_bandwidth = record
                .peak_bandwidth
                .max(quirks::bandwidth_sample(traffic, computation)?);
            bandwidth_sum += i128::from(quirks::bandwidth_sample(
                mul(weight, traffic)?,
                computation,
            )?);
            for (accumulator, value) in
                delays
                    .iter_mut()
                    .zip([ingress_delay, egress_delay, computation])
            {
                accumulator.add(weight, value);
            }
            total_weight = add(total_weight, weight)?;
            processed += 1;
        }

        // §9.3: finalisation.
        record.average_bandwidth = extended::long_double_quotient(bandwidth_sum, total_weight);
        if total_weight != 0 {
            record.average_active = active_sum.average(total_weight);
        }
        record.ingress_delay = delays[0].finish(total_weight);
        record.egress_delay = delays[1].finish(total_weight);
        record.computation_delay = delays[2].finish(total_weight);
        if self.first_record_l1.is_none() {
            self.first_record_l1 = Some(record.l1_requirement);
        }
        Ok(record)
    }

    /// §9.2 step 6 for a non-innermost level: analyse the level below with this case's sub-tiles.
    /// Returns the computation delay and the utilisation `Σ sub.avgActive · occurrence`.
    fn recurse(&mut self, depth: usize, level: &Level, case: &Case) -> CompatResult<(i64, f64)> {
        let primary = case.state_of(level.directives[level.primary_spatial].dim);
        let edge_units = level.edge_sub_clusters;
        let mut runs: [(Option<SubResult>, i64); 2] = [(None, 0), (None, 0)];
        if primary.is_edge() && primary.edge_edge {
            let choices = Self::edge_tile_choices(level, case, true);
            runs[0] = (Some(self.analyze_sub_tiles(depth, level, choices)?), 1);
            if edge_units - 1 > 0 {
                let choices = Self::edge_tile_choices(level, case, false);
                runs[1] = (
                    Some(self.analyze_sub_tiles(depth, level, choices)?),
                    edge_units - 1,
                );
            }
        } else {
            let occurrence = if primary.is_edge() {
                edge_units
            } else {
                level.sub_clusters
            };
            let choices = Self::edge_tile_choices(level, case, false);
            runs[0] = (
                Some(self.analyze_sub_tiles(depth, level, choices)?),
                occurrence,
            );
        }
        let mut computation = i64::MIN;
        let mut utilisation = 0.0f64;
        for (result, occurrence) in runs
            .iter()
            .filter_map(|(result, occurrence)| result.map(|r| (r, *occurrence)))
        {
            computation = computation.max(result.runtime);
            utilisation += result.average_active * occurrence as f64;
        }
        Ok((computation, utilisation))
    }

    /// Analyses the level below with the sub-tiles that `choices` selects (see [`Self::edge_tile_choices`]),
    /// remembering the result per choice set (the sizes are a function of it).
    fn analyze_sub_tiles(
        &mut self,
        depth: usize,
        level: &Level,
        choices: u16,
    ) -> CompatResult<SubResult> {
        if let Some((_, _, result)) = self
            .choice_memo
            .iter()
            .find(|(d, c, _)| *d == depth + 1 && *c == choices)
        {
            self.sub_analyses += 1;
            return Ok(*result);
        }
        let sizes = self.sub_iteration_sizes(level, choices);
        let result = self.analyze_sub_level(depth + 1, &sizes)?;
        self.choice_memo.push((depth + 1, choices, result));
        Ok(result)
    }

    /// §9.4, first half: for each dimension (its first directive at this level), whether the level below
    /// iterates over the edge tile `MAPe` rather than `MAP`, as a bit set over dimensions.
    fn edge_tile_choices(level: &Level, case: &Case, edge_edge_variant: bool) -> u16 {
        let edge_fold_is_edge_tile = level.edge_sub_clusters == 1 || edge_edge_variant;
        let mut seen = 0u16;
        let mut choices = 0u16;
        for directive in &level.directives {
            let dim_bit = bit(directive.dim);
            if seen & dim_bit != 0 {
                continue;
            }
            seen |= dim_bit;
            let state = case.state_of(directive.dim);
            let edge_tile = if directive.spatial {
                match state.position {
                    Position::Init => state.is_edge() && edge_fold_is_edge_tile,
                    Position::Steady => false,
                    Position::Edge => edge_fold_is_edge_tile,
                }
            } else {
                state.is_edge()
            };
            if edge_tile {
                choices |= dim_bit;
            }
        }
        choices
    }

    /// §9.4, second half: the iteration sizes of the level below for a choice set.
    fn sub_iteration_sizes(&self, level: &Level, choices: u16) -> DimTable {
        let tiles = &level.tiles;
        let mut sizes = DimTable::default();
        for directive in &level.directives {
            let dim = directive.dim;
            if sizes.contains(dim) {
                continue;
            }
            let size = if choices & bit(dim) != 0 {
                tiles.map_edge.or_zero(dim)
            } else {
                tiles.map.or_zero(dim)
            };
            sizes.set(dim, size);
        }
        for (input, window, output) in [(Dim::Y, Dim::R, Dim::OutY), (Dim::X, Dim::S, Dim::OutX)] {
            if self.roles.window_of(input).is_some() {
                if let Some(extent) = sizes.get(input) {
                    sizes.set(output, extent - sizes.or_zero(window) + 1);
                }
            }
        }
        sizes
    }

    /// §9.1: buffer size requirements and the L2 tensor sizes, from the first (or a leading skipped) case,
    /// in the reference's order (input, filter, output). Returns the case's ingress and egress.
    fn buffer_requirements(
        &self,
        level: &Level,
        sizes: &DimTable,
        volumes: &CaseVolumes<'_>,
        record: &mut Record,
    ) -> CompatResult<([i64; 2], i64)> {
        let map = &level.tiles.map;
        let tile_product = |tensor: Tensor| {
            self.roles
                .coupled(tensor)
                .iter()
                .filter_map(|&dim| map.get(dim))
                .try_fold(1i64, mul)
        };
        let mut ingress = [0i64; 2];
        for (tensor, volume) in INPUT_TENSORS.into_iter().zip(&mut ingress) {
            let index = tensor as usize;
            *volume = volumes.ingress(tensor)?;
            let volume = *volume;
            record.l2_requirement[index] = add(record.l2_requirement[index], mul(2, volume)?)?;
            record.counters[index].l2_write =
                self.roles
                    .coupled(tensor)
                    .iter()
                    .try_fold(1i64, |product, &dim| {
                        mul(
                            product,
                            sizes.get(dim).ok_or(CompatError::DimensionNotFound(dim))?,
                        )
                    })?;
            record.l1_requirement[index] =
                add(record.l1_requirement[index], mul(2, tile_product(tensor)?)?)?;
        }
        let egress = volumes.egress()?;
        record.l2_requirement[OUTPUT] = mul(2, egress)?;
        let mut output_size = 1i64;
        for &dim in self.roles.coupled(Tensor::Output) {
            let extent = sizes.get(dim).ok_or(CompatError::DimensionNotFound(dim))?;
            let extent = match self.roles.window_of(dim) {
                Some(window) => {
                    let window_extent = sizes
                        .get(window)
                        .ok_or(CompatError::DimensionNotFound(window))?;
                    quirks::unstrided_output_extent(extent, window_extent)
                }
                None => extent,
            };
            output_size = mul(output_size, extent)?;
        }
        record.counters[OUTPUT].l2_read = output_size;
        record.l1_requirement[OUTPUT] = mul(2, tile_product(Tensor::Output)?)?;
        Ok((ingress, egress))
    }

    /// §9.2 step 9 (top level only): the off-chip transfer bounds the case's delay, and the off-chip
    /// bandwidth requirement is folded in.
    fn offchip(
        &self,
        record: &mut Record,
        memo: &mut OffchipMemo,
        outstanding: i64,
        computation: i64,
    ) -> CompatResult<i64> {
        let offchip = self.hardware.offchip_bandwidth;
        if offchip == 0 {
            return Err(CompatError::ZeroOffchipBandwidth);
        }
        let volumes = (
            add(record.l2_requirement[0], record.l2_requirement[1])?,
            record.l2_requirement[OUTPUT],
        );
        // The L2 requirements only change in leading cases and the computation delay takes few values,
        // so the divisions are remembered.
        if memo.volumes != Some(volumes) {
            let (input_volume, output_volume) = volumes;
            memo.transfer_bound =
                (div(input_volume, offchip)? / 2).max(div(output_volume, offchip)? / 2);
            memo.volumes = Some(volumes);
            memo.rates = None;
        }
        let (output_rate, input_rate) = match memo.rates {
            Some((delay, rates)) if delay == computation => rates,
            _ => {
                let (input_volume, output_volume) = volumes;
                let rates = (
                    quirks::offchip_rate(output_volume, computation)?,
                    quirks::offchip_rate(input_volume, computation)?,
                );
                memo.rates = Some((computation, rates));
                rates
            }
        };
        record.offchip_bandwidth =
            quirks::fold_offchip_requirement(record.offchip_bandwidth, output_rate, input_rate);
        Ok(memo.transfer_bound.max(outstanding))
    }
}
