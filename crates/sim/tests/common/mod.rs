//! Random convolution layers with random multi-level mappings (edge tiles, folds, one or two spatial
//! maps per level, sliding windows, strides) and random hardware, shared by the property tests.

use maestro_ir::directive::{ClusterDirective, ClusterKind};
use maestro_ir::{
    Accelerator, Dim, Directive, Expansion, Layer, LayerType, MapDirective, Mapping, NocTopology,
    Strides,
};
use proptest::prelude::*;

/// One directive before it is tied to a layer: dimension index into `LOOP_DIMS`, spatial or not,
/// and a size: 0 for a tile of one index, else a fraction of the dimension in eighths (at least 1).
pub type RawDirective = (usize, bool, u64);

pub const LOOP_DIMS: [Dim; 6] = [Dim::K, Dim::C, Dim::R, Dim::S, Dim::OutY, Dim::OutX];

#[derive(Debug, Clone)]
pub struct Case {
    pub layer: Layer,
    pub hardware: Accelerator,
}

fn sized(extent: u64, eighths: u64) -> u64 {
    if eighths == 0 {
        return 1;
    }
    (extent * eighths).div_ceil(8).clamp(1, extent)
}

/// Builds the layer; `None` when the expansion rejects the mapping (the engines must agree on that,
/// it is not what these tests are about).
pub fn build_layer(
    dims: [u64; 6],
    stride: u64,
    levels: &[(u64, Vec<RawDirective>)],
    pes: u64,
) -> Option<Layer> {
    let [k, c, r, s, out_y, out_x] = dims;
    let extents = [k, c, r, s, out_y, out_x];
    let mut directives = Vec::new();
    for (depth, (cluster, maps)) in levels.iter().enumerate() {
        if depth > 0 {
            directives.push(Directive::Cluster(ClusterDirective {
                size: *cluster,
                kind: ClusterKind::Logical,
            }));
        }
        let mut seen = [false; 6];
        let mut spatial = 0;
        for &(dim_index, is_spatial, eighths) in maps {
            if std::mem::replace(&mut seen[dim_index], true) {
                continue;
            }
            let is_spatial = is_spatial && spatial < 2;
            spatial += usize::from(is_spatial);
            let size = sized(extents[dim_index], eighths);
            let dim = LOOP_DIMS[dim_index];
            let map = if is_spatial {
                MapDirective::spatial(size, size, dim)
            } else {
                MapDirective::temporal(size, size, dim)
            };
            directives.push(Directive::Map(map));
        }
    }
    let layer = Layer {
        name: "random".into(),
        layer_type: LayerType::Conv,
        dimensions: vec![
            (Dim::K, k),
            (Dim::C, c),
            (Dim::R, r),
            (Dim::S, s),
            (Dim::Y, (out_y - 1) * stride + r),
            (Dim::X, (out_x - 1) * stride + s),
        ],
        strides: Strides {
            y: stride,
            x: stride,
        },
        mapping: Some(Mapping::new(directives)),
    };
    Expansion::new(&layer, pes).ok().map(|_| layer)
}

pub fn raw_levels(max_levels: usize) -> impl Strategy<Value = Vec<(u64, Vec<RawDirective>)>> {
    prop::collection::vec(
        (
            1u64..=3,
            prop::collection::vec(
                (0usize..6, any::<bool>(), prop_oneof![Just(0u64), 1u64..=8]),
                0..=5,
            ),
        ),
        1..=max_levels,
    )
}

prop_compose! {
    pub fn hardware()(
        multicast in any::<bool>(), reduction in any::<bool>(),
        distribution in 0usize..3, collection in 0usize..3,
        bandwidth in 1u64..=4, simd in 1u64..=3, l2_bandwidth in 1u64..=8,
        small_l2 in any::<bool>(), offchip_latency in 0u64..=3, hop_latency in 0u64..=2,
        double_buffering_room in any::<bool>(),
    ) -> Accelerator {
        let topologies = [NocTopology::Bus, NocTopology::Tree, NocTopology::Mesh];
        let mut hardware = Accelerator {
            simd_lanes: simd,
            l1_size: if double_buffering_room { 100_000 } else { 1 },
            l2_size: if small_l2 { 64 } else { 1 << 20 },
            l2_bandwidth,
            ..Accelerator::default()
        };
        hardware.distribution_noc.bandwidth = bandwidth;
        hardware.distribution_noc.hop_latency = hop_latency;
        hardware.distribution_noc.multicast = multicast;
        hardware.distribution_noc.topology = topologies[distribution];
        hardware.collection_noc.bandwidth = bandwidth;
        hardware.collection_noc.hop_latency = hop_latency;
        hardware.collection_noc.implicit_reduction = reduction;
        hardware.collection_noc.topology = topologies[collection];
        hardware.offchip.latency = offchip_latency;
        hardware.offchip.bandwidth = 3;
        hardware
    }
}

prop_compose! {
    /// A layer with extents up to `max_extent` and up to `max_levels` cluster levels on up to 12 PEs.
    pub fn case(max_extent: u64, max_levels: usize)(
        k in 1u64..=max_extent, c in 1u64..=max_extent, r in 1u64..=3, s in 1u64..=3,
        out_y in 1u64..=max_extent, out_x in 1u64..=max_extent, stride in 1u64..=2,
        levels in raw_levels(max_levels), extra_pes in 0u64..=4, hardware in hardware(),
    ) -> Option<Case> {
        let clusters: u64 = levels.iter().skip(1).map(|(size, _)| *size).product();
        let pes = (clusters * (1 + extra_pes % 3) + extra_pes / 3).max(1);
        build_layer([k, c, r, s, out_y, out_x], stride, &levels, pes).map(|layer| Case {
            layer,
            hardware: Accelerator { num_pes: pes, ..hardware },
        })
    }
}
