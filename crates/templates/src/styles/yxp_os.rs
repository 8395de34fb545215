//! `yxp_os`: YX-P, output stationary (ShiDianNao-like). Clusters take output rows, the PEs of a cluster
//! take output columns, and each PE reduces over all input channels and its whole window before its
//! output pixel changes.

use super::{batch_and_groups, is_depthwise, whole_filter};
use crate::builder::Plan;
use crate::shape::{integer_sqrt, Shape, Tile};
use maestro_ir::{Dim, LayerType, Mapping};

pub(super) fn build(shape: &Shape<'_>) -> Mapping {
    // A square-ish array: as many PEs per cluster (output columns) as there are clusters (output rows).
    let side = integer_sqrt(shape.pes).max(1);
    let mut plan = Plan::new();
    if shape.layer_type() == LayerType::Gemm {
        let columns = shape.size(Dim::N).min(side);
        plan.spatial(Dim::M, Tile::UNIT)
            .tiles(Dim::N, columns)
            .tiles(Dim::K, shape.size(Dim::K))
            .cluster(columns)
            .spatial(Dim::N, Tile::UNIT)
            .step(Dim::K);
        return plan.finish();
    }
    let columns = shape.column_outputs(shape.size(Dim::OutX).min(side));
    batch_and_groups(&mut plan, shape);
    // Depth-wise layers reduce only over the window, so their channels are an outer loop like K.
    plan.step(if is_depthwise(shape) { Dim::C } else { Dim::K })
        .spatial(Dim::Y, shape.row_window(1))
        .temporal(Dim::X, shape.column_window(columns));
    if !is_depthwise(shape) {
        plan.tiles(Dim::C, shape.size(Dim::C));
    }
    whole_filter(&mut plan, shape);
    plan.cluster(columns)
        .spatial(Dim::X, shape.column_window(1));
    if !is_depthwise(shape) {
        plan.step(Dim::C);
    }
    whole_filter(&mut plan, shape);
    plan.finish()
}
