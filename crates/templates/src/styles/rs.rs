//! `rs`: YR-P, row stationary (Eyeriss-like). Clusters take output rows; within a cluster PE `i` keeps
//! filter row `i` and meets input row `i` of the output row's window, and the cluster adds the partial
//! rows spatially. A layer with a single output row (fully connected) gives the clusters filters.

use super::{batch_and_groups, is_depthwise};
use crate::builder::Plan;
use crate::shape::{integer_sqrt, Shape, Tile};
use maestro_ir::{Dim, LayerType, Mapping};

/// Eyeriss processes up to this many filters per pass from a PE's scratchpad.
const MAX_FILTERS_PER_PASS: u64 = 16;

pub(super) fn build(shape: &Shape<'_>) -> Mapping {
    let mut plan = Plan::new();
    if shape.layer_type() == LayerType::Gemm {
        // The reduction K plays the filter rows: each PE of a cluster holds one k for a pass of
        // outputs n, and the cluster reduces over its k spatially.
        let reduction = shape.size(Dim::K).min(integer_sqrt(shape.pes)).max(1);
        let filters = filters_per_pass(shape, Dim::N, 1);
        plan.spatial(Dim::M, Tile::UNIT)
            .tiles(Dim::N, filters)
            .tiles(Dim::K, reduction)
            .cluster(reduction)
            .spatial(Dim::K, Tile::UNIT)
            .step(Dim::N);
        return plan.finish();
    }
    let filter_rows = shape.size(Dim::R);
    let filter_columns = shape.size(Dim::S);
    if shape.size(Dim::OutY) == 1 && !is_depthwise(shape) {
        // One output row (a fully connected layer): there are no rows to give the clusters, so
        // each cluster takes one filter instead, as Eyeriss does for FC layers.
        plan.spatial(Dim::K, Tile::UNIT).step(Dim::OutX);
        batch_and_groups(&mut plan, shape);
        plan.step(Dim::C);
    } else {
        plan.spatial(Dim::OutY, Tile::UNIT).step(Dim::OutX);
        batch_and_groups(&mut plan, shape);
        plan.step(Dim::C);
        if !is_depthwise(shape) {
            plan.tiles(Dim::K, filters_per_pass(shape, Dim::K, filter_columns));
        }
    }
    // The reference converts Y'/X' to input rows/columns with the R/S directive of the same level.
    plan.tiles(Dim::R, filter_rows)
        .tiles(Dim::S, filter_columns);
    // A cluster never has more PEs than the accelerator; with fewer PEs than filter rows, the row pairs
    // fold over the PEs.
    plan.cluster(filter_rows.min(shape.pes))
        .spatial(Dim::Y, Tile::UNIT)
        .spatial(Dim::R, Tile::UNIT)
        .tiles(Dim::S, filter_columns);
    plan.finish()
}

/// Filters per pass: up to [`MAX_FILTERS_PER_PASS`], fewer when a PE's L1 cannot hold, twice (double
/// buffering), one `row`-long filter row per filter, one input row and one partial sum per filter.
fn filters_per_pass(shape: &Shape<'_>, filters: Dim, row: u64) -> u64 {
    let budget = (shape.l1_size / 2).saturating_sub(row);
    let fitting = budget / row.saturating_add(1);
    fitting.clamp(1, shape.size(filters).clamp(1, MAX_FILTERS_PER_PASS))
}
