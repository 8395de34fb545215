//! One module per dataflow style, plus the pieces they share (outer batch/group loops, whole filters).

mod kcp_ws;
mod nlr;
mod rs;
mod xp_ws;
mod yxp_os;

use crate::builder::Plan;
use crate::shape::Shape;
use crate::style::DataflowStyle;
use maestro_ir::{Dim, LayerType, Mapping};

pub(crate) fn build(style: DataflowStyle, shape: &Shape<'_>) -> Mapping {
    match style {
        DataflowStyle::Nlr => nlr::build(shape),
        DataflowStyle::XpWs => xp_ws::build(shape),
        DataflowStyle::YxpOs => yxp_os::build(shape),
        DataflowStyle::Rs => rs::build(shape),
        DataflowStyle::KcpWs => kcp_ws::build(shape),
    }
}

/// The outermost loops every convolution style shares: one batch sample at a time (when the layer
/// declares `N`), then one group at a time (grouped convolutions).
fn batch_and_groups(plan: &mut Plan, shape: &Shape<'_>) {
    if shape.has_batch() {
        plan.step(Dim::N);
    }
    if shape.layer_type() == LayerType::GroupedConv {
        plan.step(Dim::G);
    }
}

/// The whole filter window in one step: the only temporal mapping of `R` and `S` the reference accepts.
fn whole_filter(plan: &mut Plan, shape: &Shape<'_>) {
    plan.tiles(Dim::R, shape.size(Dim::R))
        .tiles(Dim::S, shape.size(Dim::S));
}

fn is_depthwise(shape: &Shape<'_>) -> bool {
    shape.layer_type() == LayerType::DepthwiseConv
}
