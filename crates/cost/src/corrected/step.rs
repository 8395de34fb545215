//! The volumes of one step class: what enters the units (per tensor, delivered and multicast-sent),
//! what leaves them (output tiles, spatially reduced), and what bounds the compute.
//!
//! When at most one spatial map splits its extent (the other, if any, gives every unit the same
//! range), the units of a step fall into a few segments of consecutive units
//! whose current and previous tiles are exact translates of each other along the mapped dimension
//! (cut where a unit holds the partial edge tile, now or before, and where units stop being active).
//! Every per-unit number is then the same within a segment, and the multicast union has a closed
//! form per tensor:
//! - a tensor the mapped dimension does not index is the same for every unit: the union is one unit's
//!   new elements (or its whole tile if some unit had none before);
//! - a tensor it indexes through a plain axis is disjoint between units: the union is the sum;
//! - a tensor it indexes through a sliding window (`y'·σ + r`) is a product of axes shared by all
//!   units (`A` now, `A'` before) and one window axis `W_u`, so
//!   `|⋃ C_u \ P_u| = |A \ A'|·|⋃ W_u| + |A ∩ A'|·|⋃ (W_u \ W'_u)|`, two one-dimensional unions over
//!   translates, extrapolated linearly along long segments (their growth per unit is constant once
//!   units are further apart than one window).
//!
//! Levels whose two spatial maps both split their extent (and the tests' oracle) evaluate every unit
//! one by one.

use super::carry::{Before, Boundary};
use super::classes::{first_position, last_position, StepClass};
use super::level::{Analyzer, StepVolumes, Structure, Totals};
use super::sampling::{elision_block, spread_loop};
use super::traffic::{egress, ingress, Egress, Ingress, UnitFootprints};
use super::union::{intervals_of, subtract, Boxes, Interval};
use maestro_ir::expansion::{
    tensor_axes, AxisIndex, Footprint, LevelGeometry, Region, ScheduleLoop, StepPosition,
    MAX_TENSOR_AXES,
};
use maestro_ir::{Dim, LayerType, Strides, Tensor};

/// How the level's spatially mapped dimension indexes a tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TensorUse {
    /// Not at all: every unit has the same tile.
    Shared,
    /// Through one plain axis: units' tiles are disjoint.
    Disjoint,
    /// Through one sliding-window axis (`axis`); a unit's window lies `shift` further than its left
    /// neighbour's.
    Window { axis: usize, shift: u64 },
    /// Through several axes: no closed form.
    Other,
}

/// How a tensor's axes are indexed by the loop dimensions.
#[derive(Clone, Copy, Debug)]
struct TensorAxes {
    axes: [AxisIndex; MAX_TENSOR_AXES],
    count: usize,
}

impl TensorAxes {
    fn of(layer_type: LayerType, strides: Strides, tensor: Tensor) -> TensorAxes {
        let mut axes = TensorAxes {
            axes: [AxisIndex::Plain(Dim::N); MAX_TENSOR_AXES],
            count: 0,
        };
        for index in tensor_axes(layer_type, strides, tensor).take(MAX_TENSOR_AXES) {
            axes.axes[axes.count] = index;
            axes.count += 1;
        }
        axes
    }

    fn iter(&self) -> impl Iterator<Item = AxisIndex> + '_ {
        self.axes[..self.count].iter().copied()
    }
}

/// What the step analysis needs to know about a level, computed once per level shape.
#[derive(Clone, Copy, Debug)]
pub struct LevelContext {
    layer_type: LayerType,
    strides: Strides,
    axes: [TensorAxes; 3],
    depth: usize,
    innermost: bool,
    uses: [TensorUse; 3],
    /// The spatial loop the units are spread along (see `sampling::spread_loop`).
    spread: Option<usize>,
    /// Units sampled at each end of a long segment (more than the units one window overlaps).
    block: u64,
    closed_form: bool,
}

impl LevelContext {
    pub fn new(
        geometry: &LevelGeometry,
        layer_type: LayerType,
        strides: Strides,
        depth: usize,
        innermost: bool,
    ) -> LevelContext {
        let mut context = LevelContext {
            layer_type,
            strides,
            axes: Tensor::ALL.map(|tensor| TensorAxes::of(layer_type, strides, tensor)),
            depth,
            innermost,
            uses: [TensorUse::Shared; 3],
            spread: None,
            block: 1,
            closed_form: false,
        };
        match spread_loop(geometry) {
            Some(None) => context.closed_form = true,
            Some(Some(spatial)) => {
                let mapped = geometry.loop_at(spatial);
                let dim = mapped.spec.dim;
                for (slot, tensor) in context.uses.iter_mut().zip(Tensor::ALL) {
                    *slot = tensor_use(layer_type, strides, tensor, dim, mapped.tile);
                }
                if let Some(block) = elision_block(geometry, spatial, layer_type, strides) {
                    context.spread = Some(spatial);
                    context.block = block;
                    context.closed_form = !context.uses.contains(&TensorUse::Other)
                        && matches!(context.uses[2], TensorUse::Shared | TensorUse::Disjoint);
                }
            }
            None => {}
        }
        context
    }

    /// Whether the closed forms apply (at most one spatial map splits its extent, each tensor is
    /// indexed by it at most once).
    pub fn closed_form(&self) -> bool {
        self.closed_form
    }

    fn footprint(&self, tensor: Tensor, region: &Region) -> Footprint {
        Footprint::of(self.layer_type, self.strides, tensor, region)
    }

    /// Elements of `tensor` that `region` touches (`Footprint::elements`, without building it).
    fn elements(&self, tensor: Tensor, region: &Region) -> u64 {
        self.axes[tensor as usize]
            .iter()
            .fold(1u64, |product, index| {
                product.saturating_mul(index.set_over(region).len())
            })
    }

    /// Elements of `tensor` in `current` that are not in `previous` (`Footprint::new_elements`).
    fn new_elements(&self, tensor: Tensor, current: &Region, previous: &Region) -> u64 {
        let common = self.axes[tensor as usize]
            .iter()
            .fold(1u64, |product, index| {
                product.saturating_mul(
                    index
                        .set_over(current)
                        .intersection_len(&index.set_over(previous)),
                )
            });
        self.elements(tensor, current) - common
    }

    /// Distinct output elements among output tiles leaving (or entering) units together: the units
    /// all hold one tile (`tile`) when the spread dimension does not index the output, else their
    /// tiles are disjoint and every one of the `unit_elements` counts.
    fn distinct_outputs(&self, unit_elements: u64, tile: u64) -> u64 {
        if self.uses[2] == TensorUse::Shared {
            tile
        } else {
            unit_elements
        }
    }

    /// Whether two regions touch the same elements of `tensor` (equal footprints).
    fn same_tile(&self, tensor: Tensor, a: &Region, b: &Region) -> bool {
        self.axes[tensor as usize]
            .iter()
            .all(|index| index.set_over(a) == index.set_over(b))
    }
}

fn tensor_use(
    layer_type: LayerType,
    strides: Strides,
    tensor: Tensor,
    dim: Dim,
    tile: u64,
) -> TensorUse {
    let mut found = TensorUse::Shared;
    for (axis, index) in tensor_axes(layer_type, strides, tensor).enumerate() {
        if !index.uses(dim) {
            continue;
        }
        if found != TensorUse::Shared {
            return TensorUse::Other;
        }
        found = match index {
            AxisIndex::Plain(_) => TensorUse::Disjoint,
            AxisIndex::Window { out, stride, .. } => TensorUse::Window {
                axis,
                shift: if dim == out {
                    tile.saturating_mul(stride)
                } else {
                    tile
                },
            },
        };
    }
    found
}

/// Consecutive units whose tiles are translates of the first one's, now and before.
#[derive(Clone, Copy, Debug)]
struct Segment {
    len: u64,
    current: Option<Region>,
    previous: Option<Region>,
    /// The units were idle in the previous step: `previous` is their tile of the step in which they
    /// last worked (their L1 kept it; their output tile left when they fell idle).
    resumed: bool,
}

/// The step in which the units idle in `previous` last worked, if they work now: `previous` is in
/// the last fold (only there are units idle) and the next step starts the folds over (else they
/// are idle now too), so every loop inside the fold loop is at its last index and the units last
/// worked in the same step of the fold before.
pub fn last_active(geometry: &LevelGeometry, previous: &StepPosition) -> Option<StepPosition> {
    let position = geometry
        .schedule()
        .iter()
        .position(|entry| matches!(entry, ScheduleLoop::Folds { .. }))?;
    let fold = previous.indices[position].checked_sub(1)?;
    let mut earlier = *previous;
    earlier.indices[position] = fold;
    Some(earlier)
}

/// Unit `unit`'s tile before a step: its region in `previous` if it worked then; else — idle in
/// `previous` — its region in `earlier`, the step it last worked in ([`last_active`]), resumed.
pub fn unit_before(
    geometry: &LevelGeometry,
    previous: &StepPosition,
    earlier: Option<&StepPosition>,
    unit: u64,
) -> Option<Before> {
    match geometry.unit_region(previous, unit) {
        Some(region) => Some(Before {
            region,
            resumed: false,
        }),
        None => earlier
            .and_then(|earlier| geometry.unit_region(earlier, unit))
            .map(|region| Before {
                region,
                resumed: true,
            }),
    }
}

/// A segment's unit count and where its window intervals lie in [`StepScratch::windows`]: all of
/// them, then the new ones.
type WindowSpan = (u64, usize, usize, usize, usize);

/// Reusable buffers of the step analysis.
#[derive(Debug, Default)]
pub struct StepScratch {
    segments: Vec<Segment>,
    /// Per segment: its representative's window intervals now, and its new window intervals.
    windows: Vec<Interval>,
    spans: Vec<WindowSpan>,
    current: Vec<Interval>,
    previous: Vec<Interval>,
    difference: Vec<Interval>,
    work: Vec<Interval>,
    run: Vec<Interval>,
    // Unit by unit.
    boxes: Boxes,
    units: Vec<UnitFootprints>,
    current_regions: Vec<Region>,
    previous_regions: Vec<Option<Before>>,
    leaving: Vec<Footprint>,
    entering: Vec<Footprint>,
    order: Vec<usize>,
    weighted: Vec<(Region, Option<Before>, u64)>,
}

/// Splits the units of a step into segments (see the module documentation). The previous step may
/// lie in another geometry of the same level (the last step of the unit's previous enclosing tile,
/// see `carry`); units are translates of each other within a segment on both sides as long as the
/// spread loop has the same tile and offset in both.
fn segments(
    now: (&LevelGeometry, &StepPosition),
    before: Option<(&LevelGeometry, &StepPosition)>,
    spread: Option<usize>,
    into: &mut Vec<Segment>,
) {
    into.clear();
    let active = now.0.active_units(now.1);
    let previously_active = before.map_or(0, |(geometry, step)| geometry.active_units(step));
    let total = active.max(previously_active);
    let mut cuts = [0u64; 8];
    let mut cut_count = 0;
    let mut cut = |at: u64| {
        if at < total {
            cuts[cut_count] = at;
            cut_count += 1;
        }
    };
    cut(0);
    cut(active);
    cut(previously_active);
    if let Some(spatial) = spread {
        for (geometry, step) in std::iter::once(now).chain(before) {
            let mapped = geometry.loop_at(spatial);
            if mapped.has_partial_edge() {
                let units = geometry.spatial.sub_clusters;
                let last_tile = mapped.tiles.saturating_sub(1);
                if let Some(unit) =
                    last_tile.checked_sub(geometry.fold_of(step).saturating_mul(units))
                {
                    cut(unit);
                    cut(unit.saturating_add(1));
                }
            }
        }
    }
    let cuts = &mut cuts[..cut_count];
    cuts.sort_unstable();
    let earlier = before.and_then(|(geometry, step)| last_active(geometry, step));
    for (index, &start) in cuts.iter().enumerate() {
        let end = cuts.get(index + 1).copied().unwrap_or(total);
        if start == end {
            continue;
        }
        let previous = before
            .and_then(|(geometry, step)| unit_before(geometry, step, earlier.as_ref(), start));
        into.push(Segment {
            len: end - start,
            current: now.0.unit_region(now.1, start),
            previous: previous.map(|before| before.region),
            resumed: previous.is_some_and(|before| before.resumed),
        });
    }
}

/// The number of indices covered by `intervals` (sorted in place).
fn covered(intervals: &mut [Interval]) -> u64 {
    intervals.sort_unstable();
    let mut length = 0u64;
    let mut reach = 0u64;
    for &(start, end) in intervals.iter() {
        let start = start.max(reach);
        if end > start {
            length += end - start;
            reach = end;
        }
    }
    length
}

/// `|⋃_{k < count} (base + k·shift)|`.
fn translates_covered(base: &[Interval], count: u64, shift: u64, work: &mut Vec<Interval>) -> u64 {
    work.clear();
    for k in 0..count {
        let offset = k * shift;
        work.extend(
            base.iter()
                .map(|&(start, end)| (start + offset, end + offset)),
        );
    }
    covered(work)
}

/// The size of the union over segments of translated interval lists: `spans` are `(units, start,
/// end, new start, new end)` into `lists` (the new ranges when `new`), each unit `shift` further than
/// the one before. Long segments keep `block` units at each end; their middles add
/// `g(len) − 2·g(block)`, with `g` linear beyond the overlap reach.
fn segments_covered(
    spans: &[WindowSpan],
    new: bool,
    lists: &[Interval],
    shift: u64,
    block: u64,
    work: &mut Vec<Interval>,
    run: &mut Vec<Interval>,
) -> u64 {
    work.clear();
    let mut extra = 0u64;
    let push_units = |work: &mut Vec<Interval>, base: &[Interval], units: std::ops::Range<u64>| {
        for k in units {
            let offset = k * shift;
            work.extend(
                base.iter()
                    .map(|&(start, end)| (start + offset, end + offset)),
            );
        }
    };
    for &(len, all_start, all_end, new_start, new_end) in spans {
        let base = if new {
            &lists[new_start..new_end]
        } else {
            &lists[all_start..all_end]
        };
        if base.is_empty() {
            continue;
        }
        if len <= block.saturating_mul(3) {
            push_units(work, base, 0..len);
            continue;
        }
        push_units(work, base, 0..block);
        push_units(work, base, len - block..len);
        let whole = translates_covered(base, block, shift, run);
        let shorter = translates_covered(base, block - 1, shift, run);
        let growth = whole.saturating_sub(shorter);
        let segment = whole.saturating_add(growth.saturating_mul(len - block));
        extra = extra.saturating_add(segment.saturating_sub(2 * whole));
    }
    covered(work).saturating_add(extra)
}

/// Ingress of one tensor over the segments, by its closed form.
fn closed_form_ingress(
    context: &LevelContext,
    tensor: Tensor,
    segments: &[Segment],
    scratch: &mut StepScratch,
) -> Ingress {
    let mut delivered = 0u64;
    // Any unit now with and without a previous tile: for a tensor they all share, its new elements.
    let mut with_previous: Option<u64> = None;
    let mut without_previous: Option<u64> = None;
    for segment in segments {
        let Some(current) = &segment.current else {
            continue;
        };
        let new = match &segment.previous {
            Some(previous) => {
                let new = context.new_elements(tensor, current, previous);
                with_previous = Some(new);
                new
            }
            None => {
                let new = context.elements(tensor, current);
                without_previous = Some(new);
                new
            }
        };
        delivered = delivered.saturating_add(new.saturating_mul(segment.len));
    }
    let multicast_sent = match context.uses[tensor as usize] {
        TensorUse::Shared => without_previous.or(with_previous).unwrap_or(0),
        TensorUse::Disjoint | TensorUse::Other => delivered,
        TensorUse::Window { axis, shift } => {
            window_union(context, tensor, axis, shift, segments, scratch)
        }
    };
    Ingress {
        delivered,
        multicast_sent,
    }
}

/// `|⋃ C_u \ P_u|` for a tensor indexed by the mapped dimension through window axis `axis`.
fn window_union(
    context: &LevelContext,
    tensor: Tensor,
    axis: usize,
    shift: u64,
    segments: &[Segment],
    scratch: &mut StepScratch,
) -> u64 {
    scratch.windows.clear();
    scratch.spans.clear();
    // |A| (all units now) and |A ∩ A'| (units with a previous tile) on the other axes.
    let mut shared = 0u64;
    let mut kept: Option<u64> = None;
    for segment in segments {
        let Some(current) = &segment.current else {
            continue;
        };
        let axes = &context.axes[tensor as usize];
        shared = axes
            .iter()
            .enumerate()
            .filter(|&(index, _)| index != axis)
            .fold(1u64, |product, (_, index)| {
                product.saturating_mul(index.set_over(current).len())
            });
        let window = axes.axes[axis].set_over(current);
        intervals_of(&window, &mut scratch.current);
        let all_start = scratch.windows.len();
        scratch.windows.extend_from_slice(&scratch.current);
        let all_end = scratch.windows.len();
        match &segment.previous {
            Some(previous) => {
                kept = Some(
                    axes.iter()
                        .enumerate()
                        .filter(|&(index, _)| index != axis)
                        .fold(1u64, |product, (_, index)| {
                            product.saturating_mul(
                                index
                                    .set_over(current)
                                    .intersection_len(&index.set_over(previous)),
                            )
                        }),
                );
                intervals_of(&axes.axes[axis].set_over(previous), &mut scratch.previous);
                subtract(&scratch.current, &scratch.previous, &mut scratch.difference);
                scratch.windows.extend_from_slice(&scratch.difference);
            }
            None => scratch.windows.extend_from_slice(&scratch.current),
        }
        let new_end = scratch.windows.len();
        scratch
            .spans
            .push((segment.len, all_start, all_end, all_end, new_end));
    }
    let block = context.block;
    let union_all = segments_covered(
        &scratch.spans,
        false,
        &scratch.windows,
        shift,
        block,
        &mut scratch.work,
        &mut scratch.run,
    );
    match kept {
        None => shared.saturating_mul(union_all),
        Some(kept) => {
            let union_new = segments_covered(
                &scratch.spans,
                true,
                &scratch.windows,
                shift,
                block,
                &mut scratch.work,
                &mut scratch.run,
            );
            (shared - kept.min(shared))
                .saturating_mul(union_all)
                .saturating_add(kept.saturating_mul(union_new))
        }
    }
}

/// Fills in a class's output traffic and its ingress totals.
fn finish_traffic(
    structure: &Structure,
    moved: [Ingress; 2],
    out: Egress,
    reload: Egress,
    volumes: &mut StepVolumes,
) {
    let multicast = structure.multicast;
    for (index, moved) in moved.iter().enumerate() {
        volumes.sent[index] = if multicast {
            moved.multicast_sent
        } else {
            moved.delivered
        };
        volumes.delivered[index] = moved.delivered;
    }
    volumes.arrived = if structure.implicit_reduction {
        out.distinct_elements
    } else {
        out.unit_elements
    };
    volumes.out_unit_elements = out.unit_elements;
    volumes.reductions = out.unit_elements - out.distinct_elements;
    volumes.reload_sent = if multicast {
        reload.distinct_elements
    } else {
        reload.unit_elements
    };
    volumes.delivered[2] = reload.unit_elements;
}

/// The compute side of a step over the active units' regions (in unit order, with the unit's region
/// in the previous step, each standing for `weight` units): MACs at the innermost level, the inner
/// levels' plans and counters above it, less what the inner levels keep from the previous step (see
/// `carry`).
fn compute(
    analyzer: &mut Analyzer,
    context: &LevelContext,
    units: &[(Region, Option<Before>, u64)],
    volumes: &mut StepVolumes,
    inner_ids: &mut Vec<u32>,
) {
    if context.innermost {
        let mut active_units = 0u64;
        for (current, _, weight) in units {
            let macs = current.volume(context.layer_type);
            volumes.step_macs += macs * weight;
            active_units += weight;
            volumes.max_unit_macs = volumes.max_unit_macs.max(macs);
        }
        volumes.active_pes = active_units as f64;
        return;
    }
    let mut active_pes = 0f64;
    let start = inner_ids.len();
    for &(current, previous, weight) in units {
        let mut saved = Totals::default();
        if let Some(previous) = previous {
            analyzer.carried(context.depth + 1, &current, &previous, &mut saved);
        }
        let id = analyzer.level(context.depth + 1, &current);
        let inner = &analyzer.plans[id as usize].volumes;
        volumes.inner_totals.add_scaled(&inner.totals, weight);
        // Added unit by unit, in unit order, so the floating-point sum does not depend on how the
        // units were grouped.
        let utilisation = inner.totals.active_pe_steps / inner.steps.max(1) as f64;
        for _ in 0..weight {
            active_pes += utilisation;
        }
        // The sub-cluster's buffer is the inner level's upstream buffer.
        // (`upstream_reads` already counts the input and weight sends.)
        let reads: u64 = inner.upstream_reads.iter().sum();
        let writes: u64 = inner.upstream_writes.iter().sum();
        volumes.inner_totals.cluster_reads = volumes
            .inner_totals
            .cluster_reads
            .saturating_add(reads.saturating_mul(weight));
        volumes.inner_totals.cluster_writes = volumes
            .inner_totals
            .cluster_writes
            .saturating_add(writes.saturating_mul(weight));
        volumes.inner_totals.subtract_scaled(&saved, weight);
        inner_ids.push(id);
    }
    volumes.active_pes = active_pes;
    let mut ids = inner_ids.split_off(start);
    ids.sort_unstable();
    ids.dedup();
    inner_ids.extend_from_slice(&ids);
    volumes.inner_ids = start..inner_ids.len();
}

/// A class's volumes by the closed forms (at most one spatial map).
pub fn closed_form(
    analyzer: &mut Analyzer,
    context: &LevelContext,
    geometry: &LevelGeometry,
    class: &StepClass,
    inner_ids: &mut Vec<u32>,
) -> StepVolumes {
    let structure = analyzer.structure;
    let scratch = &mut analyzer.step_scratch;
    let mut segment_list = std::mem::take(&mut scratch.segments);
    segments(
        (geometry, &class.current),
        class.previous.as_ref().map(|previous| (geometry, previous)),
        context.spread,
        &mut segment_list,
    );
    let moved = [Tensor::Input, Tensor::Weight]
        .map(|tensor| closed_form_ingress(context, tensor, &segment_list, scratch));

    // Output tiles: the previous tile leaves when the unit's output tile changes (or the unit falls
    // idle); a revisited tile is read back. Tiles are all equal when the mapped dimension does not
    // index the output, all distinct when it does.
    let mut out = Egress::default();
    let mut reload = Egress::default();
    let mut leaving_tile = 0u64;
    let mut entering_tile = 0u64;
    for segment in &segment_list {
        let Some(previous) = &segment.previous else {
            continue;
        };
        if segment.resumed {
            // The unit's output tile left when it fell idle; a revisited tile comes back.
            if let (Some(current), true) = (&segment.current, class.revisit) {
                entering_tile = context.elements(Tensor::Output, current);
                reload.unit_elements = reload
                    .unit_elements
                    .saturating_add(entering_tile.saturating_mul(segment.len));
            }
            continue;
        }
        let leaves = match &segment.current {
            None => true,
            Some(current) => {
                let changed = !context.same_tile(Tensor::Output, current, previous);
                if changed && class.revisit {
                    entering_tile = context.elements(Tensor::Output, current);
                    reload.unit_elements = reload
                        .unit_elements
                        .saturating_add(entering_tile.saturating_mul(segment.len));
                }
                changed
            }
        };
        if leaves {
            leaving_tile = context.elements(Tensor::Output, previous);
            out.unit_elements = out
                .unit_elements
                .saturating_add(leaving_tile.saturating_mul(segment.len));
        }
    }
    out.distinct_elements = context.distinct_outputs(out.unit_elements, leaving_tile);
    reload.distinct_elements = context.distinct_outputs(reload.unit_elements, entering_tile);

    let mut volumes = StepVolumes::default();
    finish_traffic(&structure, moved, out, reload, &mut volumes);
    let mut weighted = std::mem::take(&mut scratch.weighted);
    weighted.clear();
    weighted.extend(segment_list.iter().filter_map(|segment| {
        segment.current.map(|current| {
            let previous = segment.previous.map(|previous| Before {
                region: previous,
                resumed: segment.resumed,
            });
            (current, previous, segment.len)
        })
    }));
    scratch.segments = segment_list;
    compute(analyzer, context, &weighted, &mut volumes, inner_ids);
    analyzer.step_scratch.weighted = weighted;
    volumes
}

/// Output elements sent after the last step and the distinct ones among them, by the closed form.
pub fn closed_form_drain(
    analyzer: &mut Analyzer,
    context: &LevelContext,
    geometry: &LevelGeometry,
) -> (u64, u64) {
    let last = last_position(geometry);
    let list = &mut analyzer.step_scratch.segments;
    segments((geometry, &last), None, context.spread, list);
    let mut sent = 0u64;
    let mut tile = 0u64;
    for segment in list.iter() {
        if let Some(current) = &segment.current {
            tile = context.elements(Tensor::Output, current);
            sent = sent.saturating_add(tile.saturating_mul(segment.len));
        }
    }
    (sent, context.distinct_outputs(sent, tile))
}

/// A class's volumes unit by unit: every active unit's footprints, exact unions over boxes, and
/// output tiles deduplicated by sorting.
pub fn unit_by_unit(
    analyzer: &mut Analyzer,
    context: &LevelContext,
    geometry: &LevelGeometry,
    class: &StepClass,
    inner_ids: &mut Vec<u32>,
) -> StepVolumes {
    let structure = analyzer.structure;
    let scratch = &mut analyzer.step_scratch;
    let active = geometry.active_units(&class.current);
    let previously_active = class
        .previous
        .as_ref()
        .map_or(0, |previous| geometry.active_units(previous));
    scratch.current_regions.clear();
    scratch.previous_regions.clear();
    scratch.leaving.clear();
    scratch.entering.clear();
    let earlier = class
        .previous
        .as_ref()
        .and_then(|previous| last_active(geometry, previous));
    for unit in 0..active.max(previously_active) {
        let previous = class
            .previous
            .as_ref()
            .and_then(|previous| geometry.unit_region(previous, unit));
        match geometry.unit_region(&class.current, unit) {
            Some(current) => {
                // A unit idle before keeps the tiles of the step in which it last worked.
                let before = class
                    .previous
                    .as_ref()
                    .and_then(|previous| unit_before(geometry, previous, earlier.as_ref(), unit));
                scratch.current_regions.push(current);
                scratch.previous_regions.push(before);
            }
            None => {
                // Units idle from this step on still send their last output tile up.
                if let Some(previous) = previous {
                    scratch
                        .leaving
                        .push(context.footprint(Tensor::Output, &previous));
                }
            }
        }
    }
    let moved = [Tensor::Input, Tensor::Weight].map(|tensor| {
        scratch.units.clear();
        for (current, previous) in scratch
            .current_regions
            .iter()
            .zip(&scratch.previous_regions)
        {
            scratch.units.push(UnitFootprints {
                current: context.footprint(tensor, current),
                previous: previous
                    .as_ref()
                    .map(|previous| context.footprint(tensor, &previous.region)),
            });
        }
        ingress(&scratch.units, &mut scratch.boxes)
    });
    for (current, previous) in scratch
        .current_regions
        .iter()
        .zip(&scratch.previous_regions)
    {
        let Some(previous) = previous else { continue };
        let now = context.footprint(Tensor::Output, current);
        if previous.resumed {
            // Its output tile left when it fell idle; a revisited tile comes back.
            if class.revisit {
                scratch.entering.push(now);
            }
            continue;
        }
        let before = context.footprint(Tensor::Output, &previous.region);
        if now != before {
            scratch.leaving.push(before);
            if class.revisit {
                scratch.entering.push(now);
            }
        }
    }
    let out = egress(&scratch.leaving, &mut scratch.order);
    let reload = egress(&scratch.entering, &mut scratch.order);
    let mut volumes = StepVolumes::default();
    finish_traffic(&structure, moved, out, reload, &mut volumes);
    let mut weighted = std::mem::take(&mut scratch.weighted);
    weighted.clear();
    weighted.extend(
        scratch
            .current_regions
            .iter()
            .zip(&scratch.previous_regions)
            .map(|(&region, &previous)| (region, previous, 1)),
    );
    compute(analyzer, context, &weighted, &mut volumes, inner_ids);
    analyzer.step_scratch.weighted = weighted;
    volumes
}

/// Output elements sent after the last step and the distinct ones among them, unit by unit.
pub fn unit_by_unit_drain(
    analyzer: &mut Analyzer,
    context: &LevelContext,
    geometry: &LevelGeometry,
) -> (u64, u64) {
    let scratch = &mut analyzer.step_scratch;
    let last = last_position(geometry);
    scratch.leaving.clear();
    for unit in 0..geometry.active_units(&last) {
        if let Some(current) = geometry.unit_region(&last, unit) {
            scratch
                .leaving
                .push(context.footprint(Tensor::Output, &current));
        }
    }
    let out = egress(&scratch.leaving, &mut scratch.order);
    (out.unit_elements, out.distinct_elements)
}

/// The boundary between a unit's previous and current enclosing tiles by the closed forms (see
/// `carry`): the level's units' first tiles in `current` against their last tiles in `previous`,
/// segment by segment. `None` when the closed forms do not apply on either side, or the spread
/// loop's tiles differ between the two (then the units are not translates across the boundary).
pub fn closed_form_boundary(
    analyzer: &mut Analyzer,
    depth: usize,
    current: &Region,
    previous: &Region,
) -> Option<Boundary> {
    let expansion = analyzer.expansion;
    let layer_type = expansion.bounds.layer_type;
    let strides = expansion.bounds.strides;
    let innermost = depth + 1 == expansion.levels.len();
    let now = expansion.geometry(depth, current);
    let before = expansion.geometry(depth, previous);
    let context = LevelContext::new(&now, layer_type, strides, depth, innermost);
    // Tiles of one shape have one geometry up to a translation, hence one context.
    let same_shape = layer_type
        .loop_dims()
        .iter()
        .all(|&dim| current.len(dim) == previous.len(dim));
    let other = if same_shape {
        context
    } else {
        LevelContext::new(&before, layer_type, strides, depth, innermost)
    };
    if !context.closed_form() || !other.closed_form() || context.spread != other.spread {
        return None;
    }
    if let Some(spatial) = context.spread {
        let (a, b) = (now.loop_at(spatial), before.loop_at(spatial));
        if a.tile != b.tile || a.spec.offset != b.spec.offset || context.uses != other.uses {
            return None;
        }
    }
    let context = LevelContext {
        block: context.block.max(other.block),
        ..context
    };
    let scratch = &mut analyzer.step_scratch;
    let mut list = std::mem::take(&mut scratch.segments);
    let first = first_position();
    let last = last_position(&before);
    segments(
        (&now, &first),
        Some((&before, &last)),
        context.spread,
        &mut list,
    );
    let mut boundary = Boundary {
        units: list.iter().map(|segment| segment.len).sum(),
        ..Boundary::default()
    };
    boundary.kept = [Tensor::Input, Tensor::Weight]
        .map(|tensor| closed_form_ingress(&context, tensor, &list, scratch));
    let fresh_list: Vec<Segment> = list
        .iter()
        .map(|segment| Segment {
            previous: None,
            ..*segment
        })
        .collect();
    boundary.fresh = [Tensor::Input, Tensor::Weight]
        .map(|tensor| closed_form_ingress(&context, tensor, &fresh_list, scratch));

    let mut drained_tile = 0u64;
    let mut leaving_tile = 0u64;
    for segment in &list {
        let Some(before) = &segment.previous else {
            continue;
        };
        if let Some(now) = &segment.current {
            let before = Before {
                region: *before,
                resumed: segment.resumed,
            };
            boundary.pairs.push((*now, before, segment.len));
        }
        if segment.resumed {
            // Not drained at the end: its output tile left when it fell idle.
            continue;
        }
        let tile = context.elements(Tensor::Output, before);
        let elements = tile.saturating_mul(segment.len);
        drained_tile = tile;
        boundary.drained.unit_elements = boundary.drained.unit_elements.saturating_add(elements);
        let stays = segment
            .current
            .as_ref()
            .is_some_and(|now| context.same_tile(Tensor::Output, now, before));
        if !stays {
            leaving_tile = tile;
            boundary.leaving.unit_elements =
                boundary.leaving.unit_elements.saturating_add(elements);
        }
    }
    boundary.drained.distinct_elements =
        context.distinct_outputs(boundary.drained.unit_elements, drained_tile);
    boundary.leaving.distinct_elements =
        context.distinct_outputs(boundary.leaving.unit_elements, leaving_tile);
    analyzer.step_scratch.segments = list;
    Some(boundary)
}
