//! Named dataflow templates: each builds a [`Mapping`] for any layer of a model file, sized to the
//! layer's shape and to the accelerator's PE count.
//!
//! A model file only says what a layer computes; a template says how the accelerator walks it. The five
//! styles below are the classic ones of the MAESTRO literature, written for this project. Every mapping
//! they produce
//! - has one or two `SpatialMap`s per cluster level (two only for a row/filter-row pair), at most one
//!   directive per dimension and level, and refers only to dimensions the layer declares;
//! - maps `R`/`S` temporally only as a whole (`TemporalMap(R,R) R`), and never gives a level an input-row
//!   (column) tile smaller than its filter-row (column) tile;
//! - walks input rows/columns in whole strided windows: a tile of `q` output rows is
//!   `TemporalMap((q−1)·σ+R, q·σ) Y`, so it means the same under the reference's stride adjustment and
//!   under the corrected model (`q = 1` whenever the stride exceeds the filter, where the two differ);
//! - never uses a tile larger than the dimension it cuts, and uses `Y'`/`X'` only as `(1,1)` next to an
//!   explicit `R`/`S` directive (the shapes the reference analyses without its oversized-tile and
//!   output-coordinate quirks);
//! - uses cluster sizes that are at least 1, at most the number of tiles the clustered level spreads,
//!   and whose product is at most the PE count.
//!
//! The styles (`σ` is the stride, `P` the PE count, `isqrt` the integer square root):
//!
//! | name | spread over PEs | stationary | levels |
//! |---|---|---|---|
//! | `nlr` | input channels `C` (GEMM: `K`) | nothing: every operand changes every step | 1 |
//! | `xp_ws` | output columns `X` (GEMM: `N`) | the weight `(k, c)` while the rows and columns slide | 1 |
//! | `yxp_os` | output rows `Y` over clusters, output columns `X` over the PEs of a cluster (GEMM: `M`, `N`) | each PE's output pixel while `C`, `R`, `S` are reduced | 2 |
//! | `rs` | output rows `Y'` over clusters of `R` PEs, filter rows `R` (with input rows) over the PEs | a filter row in each PE | 2 |
//! | `kcp_ws` | output channels `K` over clusters, input channels `C` over the PEs of a cluster | the weight tile `(k, c, R, S)` while rows and columns slide | 2 |
//!
//! Details, per style:
//! - **`nlr`** (C-P, no local reuse): one level; `C` one channel per PE, everything else one element per
//!   step, so nothing stays in a PE from one step to the next. GEMM spreads its reduction `K` the same way.
//! - **`xp_ws`** (X-P, weight stationary): one level; each PE computes one output column (one `S`-wide
//!   window of input columns); `K` and `C` are the outer loops, so a PE's weights stay while `Y` and `X`
//!   advance. GEMM keeps `W[k, n]` in the PE of column `n` while the rows `M` stream past.
//! - **`yxp_os`** (YX-P, output stationary, ShiDianNao-like): the top level gives each cluster one output
//!   row and walks the row in tiles of `cx` output columns, `cx = min(X', isqrt(P))` (1 if the column
//!   stride exceeds `S`); a cluster of `cx` PEs gives each PE one output column, and each PE reduces over
//!   all of `C` (innermost) and its whole `R×S` window before its output changes. GEMM: clusters take the
//!   rows `M`, PEs `cn = min(N, isqrt(P))` columns, `K` streams through.
//! - **`rs`** (YR-P, Eyeriss row stationary): the top level gives each cluster one output row (`Y'`),
//!   walks output columns `X'` one at a time, `C` one channel and `K` in tiles of up to 16 filters (fewer
//!   when the L1 cannot hold them); a cluster of `min(R, P)` PEs gives PE `i` filter row `i` with input
//!   row `i` (a lockstep `SpatialMap Y` + `SpatialMap R` pair, folded when `R > P`), and the cluster's
//!   partial rows are reduced spatially; a layer with one output row (fully connected) spreads its
//!   filters `K` over the clusters instead of rows. GEMM reads the reduction `K` as the filter rows: clusters take
//!   rows `M`, each cluster's `ck = min(K, isqrt(P))` PEs share one reduction.
//! - **`kcp_ws`** (KC-P, NVDLA-like weight stationary): clusters of `cc = min(C, max(1, P/4))` PEs (64
//!   for 256 PEs, as in NVDLA's atomic-C) each take one output channel `k`; within a cluster each PE takes
//!   one input channel `c`, holds its `R×S` weights while the output rows and columns slide one window at
//!   a time, and the cluster reduces over `C` spatially. Depth-wise layers have no `K` to spread: they
//!   use one level that spreads the channels over all PEs. GEMM: `N` over clusters, `K` over PEs, `M`
//!   streams.
//!
//! Conventions shared by all styles: a declared batch `N` of a convolution is walked one sample at a
//! time at the top level; the groups `G` of a grouped convolution are the outermost loop; a depth-wise
//! layer's depth multiplier `K` gets no directive (the reference does not accept a `K` directive below
//! the top level of a depth-wise layer, and an undirected dimension is walked whole), and a layer that
//! declares `Y'` instead of `Y` still gets its row directives on `Y`, which its loop bounds define.

mod builder;
mod error;
mod shape;
mod style;
mod styles;

pub use error::TemplateError;
pub use style::DataflowStyle;

use maestro_ir::{Accelerator, Layer, Mapping, Network};
use shape::Shape;

/// Builds the mapping of `style` for one layer on `accelerator`.
pub fn mapping_for(
    style: DataflowStyle,
    layer: &Layer,
    accelerator: &Accelerator,
) -> Result<Mapping, TemplateError> {
    let shape = Shape::new(layer, accelerator)?;
    Ok(styles::build(style, &shape))
}

/// Returns `network` with every layer's mapping set to the one `style` builds for it (an existing
/// mapping is replaced).
pub fn apply(
    style: DataflowStyle,
    network: &Network,
    accelerator: &Accelerator,
) -> Result<Network, TemplateError> {
    let mut mapped = network.clone();
    for layer in &mut mapped.layers {
        layer.mapping = Some(mapping_for(style, layer, accelerator)?);
    }
    Ok(mapped)
}
