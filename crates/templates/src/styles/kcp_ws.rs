//! `kcp_ws`: KC-P, weight stationary (NVDLA-like). Clusters take output channels, the PEs of a cluster
//! take input channels and keep their weights while the output rows and columns slide past; the cluster
//! reduces over the channels spatially.

use super::{batch_and_groups, is_depthwise, whole_filter};
use crate::builder::Plan;
use crate::shape::{Shape, Tile};
use maestro_ir::{Dim, LayerType, Mapping};

pub(super) fn build(shape: &Shape<'_>) -> Mapping {
    // A quarter of the PEs per cluster: 64 of 256, the width of NVDLA's channel atom.
    let cluster_limit = (shape.pes / 4).max(1);
    let mut plan = Plan::new();
    if shape.layer_type() == LayerType::Gemm {
        // N are the output channels, K the input channels, M the pixels.
        let channels = shape.size(Dim::K).min(cluster_limit);
        plan.spatial(Dim::N, Tile::UNIT)
            .tiles(Dim::K, channels)
            .step(Dim::M)
            .cluster(channels)
            .spatial(Dim::K, Tile::UNIT)
            .step(Dim::M);
        return plan.finish();
    }
    batch_and_groups(&mut plan, shape);
    if is_depthwise(shape) {
        // Depth-wise layers have no output channels to spread: every PE takes its own channel.
        plan.spatial(Dim::C, Tile::UNIT);
        sliding_rows_and_columns(&mut plan, shape);
        whole_filter(&mut plan, shape);
        return plan.finish();
    }
    let channels = shape.size(Dim::C).min(cluster_limit);
    plan.spatial(Dim::K, Tile::UNIT).tiles(Dim::C, channels);
    whole_filter(&mut plan, shape);
    sliding_rows_and_columns(&mut plan, shape);
    plan.cluster(channels).spatial(Dim::C, Tile::UNIT);
    sliding_rows_and_columns(&mut plan, shape);
    whole_filter(&mut plan, shape);
    plan.finish()
}

/// One output pixel per step: the window moves by one stride along the columns, then the rows.
fn sliding_rows_and_columns(plan: &mut Plan, shape: &Shape<'_>) {
    plan.temporal(Dim::Y, shape.row_window(1))
        .temporal(Dim::X, shape.column_window(1));
}
