//! `nlr`: C-P with no local reuse. Input channels one per PE; every other dimension advances one element
//! (one output pixel, one filter) per step, so no operand stays in a PE.

use super::{batch_and_groups, is_depthwise, whole_filter};
use crate::builder::Plan;
use crate::shape::{Shape, Tile};
use maestro_ir::{Dim, LayerType, Mapping};

pub(super) fn build(shape: &Shape<'_>) -> Mapping {
    let mut plan = Plan::new();
    if shape.layer_type() == LayerType::Gemm {
        // GEMM's reduction dimension K plays the part of C.
        plan.step(Dim::M).step(Dim::N).spatial(Dim::K, Tile::UNIT);
        return plan.finish();
    }
    batch_and_groups(&mut plan, shape);
    if !is_depthwise(shape) {
        plan.step(Dim::K);
    }
    plan.temporal(Dim::Y, shape.row_window(1))
        .temporal(Dim::X, shape.column_window(1));
    whole_filter(&mut plan, shape);
    plan.spatial(Dim::C, Tile::UNIT);
    plan.finish()
}
