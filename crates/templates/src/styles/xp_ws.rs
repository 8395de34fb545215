//! `xp_ws`: X-P, weight stationary. Each PE computes one output column; filters and channels are the
//! outer loops, so a PE's weights stay while the rows and columns advance.

use super::{batch_and_groups, is_depthwise, whole_filter};
use crate::builder::Plan;
use crate::shape::{Shape, Tile};
use maestro_ir::{Dim, LayerType, Mapping};

pub(super) fn build(shape: &Shape<'_>) -> Mapping {
    let mut plan = Plan::new();
    if shape.layer_type() == LayerType::Gemm {
        // W[k, n] stays in the PE of output column n while the rows M stream past.
        plan.step(Dim::K).spatial(Dim::N, Tile::UNIT).step(Dim::M);
        return plan.finish();
    }
    batch_and_groups(&mut plan, shape);
    if !is_depthwise(shape) {
        plan.step(Dim::K);
    }
    plan.step(Dim::C)
        .temporal(Dim::Y, shape.row_window(1))
        .spatial(Dim::X, shape.column_window(1));
    whole_filter(&mut plan, shape);
    plan.finish()
}
