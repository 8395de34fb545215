//! A layer as a systolic array sees it: a convolution (SCALE-Sim's topology row) or a GEMM, its
//! operand matrices and the element addresses each feeder reads.

use serde::Serialize;

/// The largest value one topology field may hold; products of a few such fields stay inside `u64`.
pub const MAX_FIELD: u64 = 1 << 24;

/// One layer. A GEMM `M×K · K×N` is kept as SCALE-Sim keeps it: a convolution with an `M × K` ifmap,
/// a `1 × K` filter, one channel, `N` filters and unit strides (so `M` output pixels, window `K`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Layer {
    pub name: String,
    /// Ifmap height and width, padding already included (SCALE-Sim's convention).
    pub ifmap_height: u64,
    pub ifmap_width: u64,
    pub filter_height: u64,
    pub filter_width: u64,
    pub channels: u64,
    pub filters: u64,
    pub stride_height: u64,
    pub stride_width: u64,
}

impl Layer {
    /// A GEMM `M×K · K×N` in SCALE-Sim's convolution form.
    pub fn gemm(name: impl Into<String>, m: u64, n: u64, k: u64) -> Layer {
        Layer {
            name: name.into(),
            ifmap_height: m,
            ifmap_width: k,
            filter_height: 1,
            filter_width: k,
            channels: 1,
            filters: n,
            stride_height: 1,
            stride_width: 1,
        }
    }

    /// Output rows: `ceil((H − R + stride) / stride)`. SCALE-Sim rounds up, so when `H − R` is not a
    /// multiple of the stride one more output row is kept whose window runs past the ifmap; its
    /// missing inputs are never read (they are null operands) but its MACs are counted.
    pub fn ofmap_height(&self) -> u64 {
        (self.ifmap_height - self.filter_height + self.stride_height).div_ceil(self.stride_height)
    }

    pub fn ofmap_width(&self) -> u64 {
        (self.ifmap_width - self.filter_width + self.stride_width).div_ceil(self.stride_width)
    }

    /// Output pixels per filter.
    pub fn ofmap_pixels(&self) -> u64 {
        self.ofmap_height() * self.ofmap_width()
    }

    /// Convolution window: `R · S · C`, the reduction length of one output.
    pub fn window(&self) -> u64 {
        self.filter_height * self.filter_width * self.channels
    }

    /// MACs of the layer: output pixels × window × filters.
    pub fn macs(&self) -> u64 {
        self.ofmap_pixels() * self.window() * self.filters
    }

    /// Address of the ifmap element that output pixel `pixel` multiplies at window position `w`
    /// (ifmap stored row-major with channels innermost), or `None` when the window runs past the ifmap.
    pub fn ifmap_address(&self, pixel: u64, w: u64) -> Option<u64> {
        let (out_row, out_col) = (pixel / self.ofmap_width(), pixel % self.ofmap_width());
        let per_filter_row = self.filter_width * self.channels;
        let (filter_row, rest) = (w / per_filter_row, w % per_filter_row);
        let (filter_col, channel) = (rest / self.channels, rest % self.channels);
        let row = out_row * self.stride_height + filter_row;
        let col = out_col * self.stride_width + filter_col;
        (row < self.ifmap_height && col < self.ifmap_width)
            .then(|| (row * self.ifmap_width + col) * self.channels + channel)
    }

    /// Address of filter element `w` of filter `n` (each filter stored contiguously).
    pub fn filter_address(&self, w: u64, n: u64) -> u64 {
        n * self.window() + w
    }
}

/// Which operand stays in the PEs while the others stream through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dataflow {
    /// Output stationary: ifmap rows enter at the left edge, filter columns at the top edge, each PE
    /// accumulates one output.
    Os,
    /// Weight stationary: a fold of filter weights is preloaded from the top edge, ifmap values enter
    /// at the left edge, partial sums flow down and leave at the bottom edge.
    Ws,
    /// Input stationary: a fold of ifmap values is preloaded from the top edge, filter values enter at
    /// the left edge, partial sums flow down and leave at the bottom edge.
    Is,
}

impl Dataflow {
    pub const ALL: [Dataflow; 3] = [Dataflow::Os, Dataflow::Ws, Dataflow::Is];

    pub fn name(self) -> &'static str {
        match self {
            Dataflow::Os => "os",
            Dataflow::Ws => "ws",
            Dataflow::Is => "is",
        }
    }

    pub fn from_name(name: &str) -> Option<Dataflow> {
        match name.trim().to_ascii_lowercase().as_str() {
            "os" => Some(Dataflow::Os),
            "ws" => Some(Dataflow::Ws),
            "is" => Some(Dataflow::Is),
            _ => None,
        }
    }
}

/// The operand matrices laid onto the array: `spatial_rows` is mapped onto array rows,
/// `spatial_cols` onto array columns, and `temporal` is streamed in time (SCALE-Sim's `Sr`, `Sc`, `T`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    pub spatial_rows: u64,
    pub spatial_cols: u64,
    pub temporal: u64,
}

impl Geometry {
    pub fn of(layer: &Layer, dataflow: Dataflow) -> Geometry {
        let (pixels, window, filters) = (layer.ofmap_pixels(), layer.window(), layer.filters);
        match dataflow {
            Dataflow::Os => Geometry {
                spatial_rows: pixels,
                spatial_cols: filters,
                temporal: window,
            },
            Dataflow::Ws => Geometry {
                spatial_rows: window,
                spatial_cols: filters,
                temporal: pixels,
            },
            Dataflow::Is => Geometry {
                spatial_rows: window,
                spatial_cols: pixels,
                temporal: filters,
            },
        }
    }
}

/// Which operand a feeder or a buffer carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    Ifmap,
    Filter,
}

/// The element at spatial row `r` (an array row of some fold), spatial column `c` and temporal index
/// `t`, per dataflow: which ifmap and filter elements meet there, and which output they update.
/// Ifmap addresses are `None` for the null operands of a window that runs past the ifmap.
pub fn ifmap_at(layer: &Layer, dataflow: Dataflow, r: u64, c: u64, t: u64) -> Option<u64> {
    match dataflow {
        Dataflow::Os => layer.ifmap_address(r, t),
        Dataflow::Ws => layer.ifmap_address(t, r),
        Dataflow::Is => layer.ifmap_address(c, r),
    }
}

pub fn filter_at(layer: &Layer, dataflow: Dataflow, r: u64, c: u64, t: u64) -> u64 {
    match dataflow {
        Dataflow::Os => layer.filter_address(t, c),
        Dataflow::Ws => layer.filter_address(r, c),
        Dataflow::Is => layer.filter_address(r, t),
    }
}
