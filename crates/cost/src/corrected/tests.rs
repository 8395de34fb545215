//! The spec's worked examples re-derived by hand under the corrected semantics, and property tests.

use super::{analyze_layer, analyze_layer_with, PreparedLayer};
use crate::LayerCost;
use maestro_ir::{
    Accelerator, ClusterDirective, ClusterKind, Dim, Dim::*, Directive, Layer, LayerType,
    MapDirective, MapKind, Mapping, NocTopology, Strides,
};
use proptest::prelude::*;

fn t(size: u64, offset: u64, dim: Dim) -> Directive {
    Directive::Map(MapDirective::temporal(size, offset, dim))
}

fn s(size: u64, offset: u64, dim: Dim) -> Directive {
    Directive::Map(MapDirective::spatial(size, offset, dim))
}

/// Generous buffers, NoC 1000 elements/cycle with no hop latency, fast off-chip memory.
fn hardware(num_pes: u64) -> Accelerator {
    let mut hardware = Accelerator {
        num_pes,
        l1_size: 1 << 20,
        l2_size: 1 << 24,
        ..Accelerator::default()
    };
    hardware.distribution_noc.hop_latency = 0;
    hardware.collection_noc.hop_latency = 0;
    hardware.offchip.bandwidth = 1000;
    hardware
}

fn conv(dims: &[(Dim, u64)], stride: u64, directives: Vec<Directive>) -> Layer {
    Layer {
        name: "A".into(),
        layer_type: LayerType::Conv,
        dimensions: dims.to_vec(),
        strides: Strides {
            y: stride,
            x: stride,
        },
        mapping: Some(Mapping::new(directives)),
    }
}

/// Spec §13.3's two-level mapping: K over 2 clusters, C over the 2 PEs of each, stride 2.
fn example_3_layer() -> Layer {
    conv(
        &[(K, 2), (C, 2), (R, 3), (S, 3), (Y, 7), (X, 7)],
        2,
        vec![
            s(1, 1, K),
            t(2, 2, C),
            t(3, 1, Y),
            t(3, 1, X),
            cluster(2),
            s(1, 1, C),
            t(3, 1, Y),
            t(3, 1, X),
        ],
    )
}

fn cluster(size: u64) -> Directive {
    Directive::Cluster(ClusterDirective {
        size,
        kind: ClusterKind::Physical,
    })
}

fn run(layer: &Layer, hardware: &Accelerator) -> LayerCost {
    analyze_layer("N", layer, hardware).unwrap()
}

#[test]
fn example_1_one_level_sliding_windows() {
    // Spec §13.1 under the corrected semantics. Schedule: K over 4 PEs (one fold), C 2, Y' 4, X' 4.
    // Every step: 9 MACs per PE → compute 9.
    // Input (shared by all PEs, one multicast): first step 9; an X' step brings 3 new elements (one new
    // column of 3 rows); a Y' step restarts X' so nothing overlaps → 9; per (C, Y') 9 + 3·3 = 18, ×8 = 144.
    // Weights: 4 PEs × 9 at the first step and when C advances: 72. Stationary otherwise.
    // Outputs: every transition changes the output pixel: 4 elements leave (31 transitions + the drain)
    // = 128 L2 writes, of which 64 final and 64 partial sums; the 16 steps of C = 1 revisit their pixel and
    // reload 4 partial sums each = 64 L2 reads, plus the 64 final outputs read from L2 on their way
    // off-chip = 128.
    // Time: fill = ingress ceil(45/1000) + compute 9 = 10; 31 steady steps of max(9, 1, 1) = 9; drain 1.
    // L2 holds the layer: inputs and weights (144) are loaded before the first step, ceil(144/1000) = 1,
    // and the 64 outputs written back after the last, 1 more.
    let layer = conv(
        &[(K, 4), (C, 2), (R, 3), (S, 3), (Y, 6), (X, 6)],
        1,
        vec![
            s(1, 1, K),
            t(1, 1, C),
            t(3, 1, Y),
            t(3, 1, X),
            t(3, 3, R),
            t(3, 3, S),
        ],
    );
    let cost = run(&layer, &hardware(4));
    let detail = cost.detail.unwrap();
    assert_eq!(cost.row.macs, 1152);
    assert_eq!(cost.row.runtime_cycles, 1 + 10 + 31 * 9 + 1 + 1);
    assert_eq!((detail.l2.input.reads, detail.l2.weight.reads), (144, 72));
    assert_eq!(
        (detail.l2.output.writes, detail.l2.output.reads),
        (128, 128)
    );
    assert_eq!(
        (detail.partial_sum_writes, detail.partial_sum_reloads),
        (64, 64)
    );
    assert_eq!(detail.noc_delivered.input, 4 * 144);
    assert_eq!(cost.row.multicast_factor_input, 4.0);
    assert_eq!((detail.runtime.fill, detail.runtime.drain), (10, 1));
}

#[test]
fn example_2_spatial_and_temporal_edges() {
    // Spec §13.2: K = 5 over 2 PEs (folds {0,1}, {2,3}, {4}), C = 3 in tiles {0,1}, {2}.
    // Steps (fold, C tile): compute 2, 1, 2, 1, 2, 1.
    // Weights: each PE its own K → 4, 2, 4, 2, 2, 1 = 15 (each weight once; the reference reads 20).
    // Inputs (multicast, shared): 2, 1, 2, 1, 2, 1 = 9.
    // Outputs leave when the fold changes (2, 2) and at the drain (1): 5 writes, no partial sums.
    // Time: fill 1 + 2 = 3; then 1, 2, 1, 2, 1; drain 1 → 11; plus loading inputs and weights before
    // the first step (1) and writing outputs back after the last (1) → 13.
    let layer = conv(
        &[(K, 5), (C, 3), (R, 1), (S, 1), (Y, 1), (X, 1)],
        1,
        vec![s(1, 1, K), t(2, 2, C)],
    );
    let cost = run(&layer, &hardware(2));
    let detail = cost.detail.unwrap();
    assert_eq!(cost.row.macs, 15);
    assert_eq!(cost.row.runtime_cycles, 13);
    assert_eq!(
        (
            detail.l2.input.reads,
            detail.l2.weight.reads,
            detail.l2.output.writes
        ),
        (9, 15, 5)
    );
    assert_eq!(detail.partial_sum_writes, 0);
    assert_eq!((detail.runtime.edge > 0, detail.runtime.drain), (true, 1));
}

#[test]
fn example_3_two_levels_stride_two() {
    // Spec §13.3: true MACs 2·2·9·9 = 324 (the strided output is 3×3). Top: K over 2 clusters, 9 output
    // pixels; inside, C over 2 PEs, each 9 MACs per pixel. Each cluster's C partial sums are reduced in
    // the network: 2 outputs per top step arrive at L2 → 18 = the output size, no partial sums; the
    // only L2 reads of outputs are the 18 finals read on their way off-chip.
    let layer = example_3_layer();
    let cost = run(&layer, &hardware(4));
    let detail = cost.detail.unwrap();
    assert_eq!(cost.row.macs, 324);
    assert_eq!(cost.row.tensors[2].l2_read, 18);
    assert_eq!(detail.l2.output.writes, 18);
    assert_eq!(detail.reductions, 18);
}

#[test]
fn pes_keep_their_tiles_across_cluster_level_steps() {
    // Example 3's mapping: each PE (k, c) holds its 3×3 weights for the whole layer, so the filter L1
    // writes are the filter's 2·2·9 = 36 elements, not 9 per PE and cluster-level step (324). Its
    // input window moves by one strided output column per cluster-level step: 6 new elements (3 rows
    // × 2 columns), 9 when the row advances and the columns restart; per PE 3 × (9 + 2·6) = 63, over
    // 4 PEs 252. Its output pixel changes every step, so every step each PE's tile leaves: output L1
    // reads = 324 MACs + 4 PEs × 9 steps = 360.
    let layer = example_3_layer();
    let detail = run(&layer, &hardware(4)).detail.unwrap();
    assert_eq!(detail.l1.weight.writes, 36);
    assert_eq!(detail.l1.input.writes, 252);
    assert_eq!(detail.l1.output.reads, 360);
}

#[test]
fn a_pe_keeps_accumulating_its_output_across_cluster_level_steps() {
    // A fully connected layer, K over 2 clusters, C in 4 tiles of 2 at the cluster level and over the
    // 2 PEs of a cluster: PE (k, c mod 2) keeps output k for all 4 cluster-level steps and sends it up
    // once at the end: output L1 reads = 16 MACs + 4 PEs × 1 = 20 (not 16 + 4 × 4), and nothing is
    // reloaded (output L1 writes = MACs).
    let layer = conv(
        &[(K, 2), (C, 8), (R, 1), (S, 1), (Y, 1), (X, 1)],
        1,
        vec![s(1, 1, K), t(2, 2, C), cluster(2), s(1, 1, C)],
    );
    let cost = run(&layer, &hardware(4));
    let detail = cost.detail.unwrap();
    assert_eq!(cost.row.macs, 16);
    assert_eq!(detail.l1.output.reads, 20);
    assert_eq!(detail.l1.output.writes, 16);
    assert_eq!(detail.l1.weight.writes, 16);
    assert_eq!(detail.l1.input.writes, 16);
}

#[test]
fn an_idle_pe_keeps_its_tiles_until_it_works_again() {
    // Rows over 2 PEs in 3 tiles (fold 1: PE 1 idle), K outside. PE 1 works on row 1 at k = 0 and,
    // after idling through fold 1, on row 1 again at k = 1: its input element is still in its L1.
    // Input L1 writes: PE 0 gets rows 0, 2, 0, 2 (4), PE 1 row 1 once (1) = 5. Weights (k): PE 0
    // k0, k1; PE 1 k0, k1 = 4. With multicast the L2 sends 2 + 1 + 1 + 1 = 5 inputs.
    let layer = conv(
        &[(K, 2), (C, 1), (R, 1), (S, 1), (Y, 3), (X, 1)],
        1,
        vec![t(1, 1, K), s(1, 1, Y)],
    );
    let cost = run(&layer, &hardware(2));
    let detail = cost.detail.unwrap();
    assert_eq!(cost.row.macs, 6);
    assert_eq!(detail.l1.input.writes, 5);
    assert_eq!(detail.l1.weight.writes, 4);
    assert_eq!(detail.l2.input.reads, 5);
}

#[test]
fn example_4_gemm() {
    // Spec §13.4: M over 2 PEs (2 folds), N 3 steps outside, K in tiles of 3 (2 steps, innermost).
    // 72 MACs; each step 3 MACs per PE → compute 3; 12 steps. Outputs (M, N) change whenever M or N
    // advances: the K loop is inside, so no partial sums. Output writes = 12 distinct elements.
    let layer = Layer {
        name: "G1".into(),
        layer_type: LayerType::Gemm,
        dimensions: vec![(M, 4), (N, 3), (K, 6)],
        strides: Strides::default(),
        mapping: Some(Mapping::new(vec![t(1, 1, N), s(1, 1, M), t(3, 3, K)])),
    };
    let cost = run(&layer, &hardware(2));
    let detail = cost.detail.unwrap();
    assert_eq!(cost.row.macs, 72);
    assert_eq!(
        (detail.l2.output.writes, detail.partial_sum_writes),
        (12, 0)
    );
    // Weights (K, N) are shared by both PEs: 3 per K step, each element once per M fold → 18 · 2 = 36.
    assert_eq!(detail.l2.weight.reads, 36);
}

/// A layer whose time is all off-chip traffic: 64 channels of 16×16, one per step on one PE, a 1×1
/// depth-wise filter, L2 far too small to hold it, off-chip 8 elements per cycle, everything on chip
/// 1,000 per cycle. Reads: 64 × 256 inputs + 64 weights = 16,448 (2,056 cycles); writes: 16,384
/// outputs (2,048 cycles).
fn streaming_layer_on(duplex: maestro_ir::Duplex) -> LayerCost {
    let layer = Layer {
        name: "elementwise".into(),
        layer_type: LayerType::DepthwiseConv,
        dimensions: vec![(K, 1), (C, 64), (R, 1), (S, 1), (Y, 16), (X, 16)],
        strides: Strides::default(),
        mapping: Some(Mapping::new(vec![t(1, 1, C)])),
    };
    let mut hardware = Accelerator {
        num_pes: 1,
        l1_size: 1 << 20,
        l2_size: 2_000,
        l2_bandwidth: 1_000,
        simd_lanes: 1_000,
        ..Accelerator::default()
    };
    hardware.offchip.bandwidth = 8;
    hardware.offchip.latency = 0;
    hardware.offchip.duplex = duplex;
    run(&layer, &hardware)
}

#[test]
fn half_duplex_off_chip_memory_serialises_reads_and_writes() {
    let half = streaming_layer_on(maestro_ir::Duplex::Half);
    let full = streaming_layer_on(maestro_ir::Duplex::Full);
    let detail = half.detail.as_ref().unwrap();
    assert_eq!(
        detail.offchip.input.reads + detail.offchip.weight.reads,
        16_448
    );
    assert_eq!(detail.offchip.output.writes, 16_384);
    // Half duplex: both directions on one link, (16,448 + 16,384) / 8 = 4,104 cycles at least; the
    // model adds the first step's load (257 elements, 33 cycles) and a few cycles of pipeline fill
    // in front of the steady steps (the simulator measures 4,104).
    assert_eq!(half.row.runtime_cycles, 4_142);
    // Full duplex: the reads bound the layer (2,056), the last step's outputs (256 elements, 32
    // cycles) follow, and the fill again (the simulator measures 2,093).
    assert_eq!(full.row.runtime_cycles, 2_126);
}

#[test]
fn unanalysable_mapping_is_an_error_naming_the_layer() {
    let layer = conv(
        &[(K, 4), (C, 2), (R, 3), (S, 3), (Y, 6), (X, 6)],
        1,
        vec![
            s(1, 1, K),
            Directive::Cluster(ClusterDirective {
                size: 2,
                kind: ClusterKind::Physical,
            }),
            s(1, 1, X),
            t(3, 3, S),
        ],
    );
    let error = analyze_layer("N", &layer, &hardware(4)).unwrap_err();
    assert_eq!(
        error,
        "layer A, level 1: the X tile (1) cannot hold one window of the S tile (3)"
    );
}

fn random_case() -> impl Strategy<Value = (Layer, u64)> {
    let types = prop::sample::select(vec![
        LayerType::Conv,
        LayerType::TransposedConv,
        LayerType::DepthwiseConv,
        LayerType::GroupedConv,
        LayerType::Gemm,
    ]);
    (
        types,
        prop::collection::vec((1u64..5, 1u64..4, prop::bool::weighted(0.3)), 8),
        1u64..3,
        1u64..5,
    )
        .prop_map(|(layer_type, picks, stride, pes)| {
            let loop_dims = layer_type.loop_dims();
            let dimensions = loop_dims
                .iter()
                .zip(&picks)
                .map(|(&dim, &(size, _, _))| (dim, size))
                .collect();
            let mut spatial = 0;
            let directives = loop_dims
                .iter()
                .zip(&picks)
                .map(|(&dim, &(_, tile, is_spatial))| {
                    let kind = if is_spatial && spatial < 2 {
                        spatial += 1;
                        MapKind::Spatial
                    } else {
                        MapKind::Temporal
                    };
                    Directive::Map(MapDirective {
                        kind,
                        size: tile,
                        offset: tile,
                        dim,
                    })
                })
                .collect();
            let stride = if layer_type.is_convolution() {
                stride
            } else {
                1
            };
            let layer = Layer {
                name: "P".into(),
                layer_type,
                dimensions,
                strides: Strides {
                    y: stride,
                    x: stride,
                },
                mapping: Some(Mapping::new(directives)),
            };
            (layer, pes)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn closed_forms_equal_unit_by_unit_on_random_layers((layer, pes) in random_case()) {
        let hardware = hardware(pes);
        let fast = analyze_layer_with("N", &layer, &hardware, false);
        let exhaustive = analyze_layer_with("N", &layer, &hardware, true);
        prop_assert_eq!(fast, exhaustive);
    }

    #[test]
    fn macs_are_the_product_of_loop_bounds((layer, pes) in random_case()) {
        let cost = run(&layer, &hardware(pes));
        prop_assert_eq!(cost.row.macs as u64, layer.loop_bounds().unwrap().macs());
        prop_assert!(cost.row.runtime_cycles > 0);
        prop_assert!(cost.row.energy_nj.is_finite() && cost.row.energy_nj > 0.0);
        for tensor in cost.row.tensors {
            prop_assert!(tensor.l1_read >= 0 && tensor.l1_write >= 0 && tensor.l2_read >= 0 && tensor.l2_write >= 0);
            prop_assert!(tensor.reuse_factor.is_finite());
        }
    }

    #[test]
    fn runtime_does_not_grow_with_noc_bandwidth((layer, pes) in random_case(), narrow in 1u64..8) {
        let mut slow = hardware(pes);
        slow.distribution_noc.bandwidth = narrow;
        slow.collection_noc.bandwidth = narrow;
        let mut fast = slow.clone();
        fast.distribution_noc.bandwidth = narrow * 4;
        fast.collection_noc.bandwidth = narrow * 4;
        prop_assert!(run(&layer, &fast).row.runtime_cycles <= run(&layer, &slow).row.runtime_cycles);
    }

    #[test]
    fn multicast_never_delivers_less((layer, pes) in random_case()) {
        let with = hardware(pes);
        let mut without = with.clone();
        without.distribution_noc.multicast = false;
        let on = run(&layer, &with).detail.unwrap();
        let off = run(&layer, &without).detail.unwrap();
        prop_assert!(off.noc_delivered.input >= on.noc_delivered.input);
        prop_assert!(off.noc_sent.input + off.noc_sent.weight >= on.noc_sent.input + on.noc_sent.weight);
    }

    #[test]
    fn without_implicit_reduction_l2_traffic_does_not_shrink((layer, pes) in random_case()) {
        let with = hardware(pes);
        let mut without = with.clone();
        without.collection_noc.implicit_reduction = false;
        let l2 = |cost: LayerCost| {
            let d = cost.detail.unwrap();
            d.l2.output.reads + d.l2.output.writes
        };
        let on = l2(run(&layer, &with));
        let off = l2(run(&layer, &without));
        prop_assert!(off >= on);
    }
}

/// Layers with one spatial map over many units (long runs of translated units, partial edge tiles,
/// several folds, sliding windows and strides), on up to 96 PEs.
/// A generated layer named `name` on [`hardware`] with `pes` PEs and the given NoC abilities.
fn random_layer_case(
    name: &str,
    mut layer: Layer,
    pes: u64,
    multicast: bool,
    reduction: bool,
) -> (Layer, Accelerator) {
    layer.name = name.into();
    let mut hardware = hardware(pes);
    hardware.distribution_noc.multicast = multicast;
    hardware.collection_noc.implicit_reduction = reduction;
    (layer, hardware)
}

fn many_unit_case() -> impl Strategy<Value = (Layer, Accelerator)> {
    let spatial = prop::sample::select(vec![K, C, Y, X, R, S]);
    (
        spatial,
        (1u64..40, 1u64..12, 1u64..5, 1u64..4),
        (1u64..4, 1u64..3, 1u64..3),
        (1u64..97, prop::bool::ANY, prop::bool::ANY, 0usize..4),
    )
        .prop_map(
            |(
                spatial,
                (k, c, window, stride),
                (tile, temporal_tile, out_extra),
                (pes, multicast, reduction, order),
            )| {
                let out = 6 + out_extra * 7;
                let input = (out - 1) * stride + window;
                let dims = [
                    (K, k),
                    (C, c),
                    (R, window),
                    (S, window),
                    (Y, input),
                    (X, input),
                ];
                let size_of =
                    |dim: Dim| dims.iter().find(|(d, _)| *d == dim).map_or(1, |(_, v)| *v);
                let spatial_tile = match spatial {
                    Y | X => window + tile - 1,
                    _ => tile,
                };
                let mut directives: Vec<Directive> = [K, C, Y, X, R, S]
                    .into_iter()
                    .filter(|&dim| dim != spatial)
                    .map(|dim| match dim {
                        Y | X => t(window + temporal_tile - 1, temporal_tile, dim),
                        R | S => t(window, window, dim),
                        _ => t(
                            temporal_tile.min(size_of(dim)),
                            temporal_tile.min(size_of(dim)),
                            dim,
                        ),
                    })
                    .collect();
                // The spatial map (and with it the fold loop) sits at any of the first four positions.
                directives.insert(order, s(spatial_tile, tile, spatial));
                random_layer_case(
                    "M",
                    conv(&dims, stride, directives),
                    pes,
                    multicast,
                    reduction,
                )
            },
        )
}

/// Two-level convolutions: any dimension spread over the clusters and another over the PEs of a
/// cluster, the rest walked in tiles (rows and columns as sliding windows) in a random order at
/// each level, so that PEs keep tiles across cluster-level steps in every pattern the orders allow.
fn two_level_case() -> impl Strategy<Value = (Layer, Accelerator)> {
    let dims = prop::sample::select(vec![K, C, Y, X, R, S]);
    (
        (dims.clone(), dims),
        (1u64..7, 1u64..7, 1u64..4, 1u64..3),
        (1u64..3, 1u64..3, 1u64..4),
        (Just(vec![K, C, Y, X, R, S]).prop_shuffle(), 0usize..6),
        (1u64..4, prop::bool::ANY, prop::bool::ANY),
    )
        .prop_map(
            |(
                (outer, inner),
                (k, c, window, stride),
                (outer_tile, inner_tile, out_extra),
                (order, shuffle),
                (cluster, multicast, reduction),
            )| {
                let out = 2 + out_extra * 2;
                let input = (out - 1) * stride + window;
                let dims = [
                    (K, k),
                    (C, c),
                    (R, window),
                    (S, window),
                    (Y, input),
                    (X, input),
                ];
                let size_of =
                    |dim: Dim| dims.iter().find(|(d, _)| *d == dim).map_or(1, |(_, v)| *v);
                // Tiles in outputs (rows and columns) or elements; the inner level's are no larger.
                let directive = |dim: Dim, tile: u64, spatial: bool| {
                    let (size, offset) = match dim {
                        Y | X => ((tile - 1) * stride + window, tile * stride),
                        R | S => (window, window),
                        _ => (tile.min(size_of(dim)), tile.min(size_of(dim))),
                    };
                    if spatial {
                        s(size, offset, dim)
                    } else {
                        t(size, offset, dim)
                    }
                };
                let mut directives: Vec<Directive> = Vec::new();
                let mut rotated = order.clone();
                rotated.rotate_left(shuffle % order.len().max(1));
                for &dim in &order {
                    directives.push(directive(dim, outer_tile + inner_tile, dim == outer));
                }
                directives.push(super::tests::cluster(cluster));
                for &dim in &rotated {
                    directives.push(directive(dim, inner_tile, dim == inner));
                }
                random_layer_case(
                    "T",
                    conv(&dims, stride, directives),
                    cluster * 3,
                    multicast,
                    reduction,
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The closed forms (segments of translated units, extrapolated window unions, one evaluation per
    /// class key) against every unit of every class evaluated one by one with exact box unions.
    #[test]
    fn eliding_runs_of_translated_units_changes_nothing((layer, hardware) in many_unit_case()) {
        let fast = analyze_layer_with("N", &layer, &hardware, false);
        let exhaustive = analyze_layer_with("N", &layer, &hardware, true);
        prop_assert_eq!(fast, exhaustive);
    }

    /// What PEs keep across cluster-level steps, by the closed forms, against every unit one by one.
    #[test]
    fn carried_tiles_by_closed_forms_equal_unit_by_unit((layer, hardware) in two_level_case()) {
        let exhaustive = analyze_layer_with("N", &layer, &hardware, true);
        prop_assume!(exhaustive.is_ok());
        prop_assert_eq!(analyze_layer_with("N", &layer, &hardware, false), exhaustive);
    }
}

/// Random evaluation-time hardware around a structure: bandwidths, latencies, SIMD, buffers, off-chip
/// memory and energy all vary; `num_pes`, multicast, reduction and topologies are the structure's.
fn evaluation_hardware(structure: &Accelerator) -> impl Strategy<Value = Accelerator> {
    let structure = structure.clone();
    (
        (1u64..64, 1u64..64, 1u64..64, 0u64..4, 0u64..4),
        (1u64..9, 0u64..4, 1u64..4000, 1u64..200_000),
        (1u64..100, 0u64..50, 0.5f64..4.0),
    )
        .prop_map(
            move |(
                (distribution, collection, l2_bandwidth, in_latency, out_latency),
                (simd, pipeline, l1, l2),
                (offchip, offchip_latency, energy_scale),
            )| {
                let mut hardware = structure.clone();
                hardware.distribution_noc.bandwidth = distribution;
                hardware.collection_noc.bandwidth = collection;
                hardware.l2_bandwidth = l2_bandwidth;
                hardware.distribution_noc.hop_latency = in_latency;
                hardware.collection_noc.hop_latency = out_latency;
                hardware.simd_lanes = simd;
                hardware.mac_pipeline_latency = pipeline;
                hardware.l1_size = l1;
                hardware.l2_size = l2;
                hardware.offchip.bandwidth = offchip;
                hardware.offchip.latency = offchip_latency;
                hardware.energy.l2_access *= energy_scale;
                hardware.energy.noc_hop *= energy_scale;
                hardware
            },
        )
}

fn structure_case() -> impl Strategy<Value = (Layer, Accelerator)> {
    (
        prop_oneof![
            random_case().prop_map(|(layer, pes)| (layer, hardware(pes))),
            many_unit_case(),
        ],
        prop::bool::ANY,
        prop::bool::ANY,
        prop::sample::select(vec![NocTopology::Bus, NocTopology::Tree, NocTopology::Mesh]),
        prop::sample::select(vec![NocTopology::Bus, NocTopology::Tree, NocTopology::Mesh]),
    )
        .prop_map(|((layer, mut hardware), multicast, reduction, into, out)| {
            hardware.distribution_noc.multicast = multicast;
            hardware.collection_noc.implicit_reduction = reduction;
            hardware.distribution_noc.topology = into;
            hardware.collection_noc.topology = out;
            (layer, hardware)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn prepared_layers_evaluate_exactly_like_a_fresh_analysis(
        ((layer, structure), evaluations) in structure_case().prop_flat_map(|(layer, structure)| {
            let sweep = prop::collection::vec(evaluation_hardware(&structure), 1..4);
            (Just((layer, structure)), sweep)
        }),
    ) {
        let prepared = PreparedLayer::new(&layer, &structure).unwrap();
        for hardware in &evaluations {
            let fresh = analyze_layer("N", &layer, hardware).unwrap();
            let evaluated = prepared.evaluate("N", hardware).unwrap();
            prop_assert_eq!(&evaluated, &fresh);
            let summary = prepared.evaluate_summary(hardware).unwrap();
            prop_assert_eq!(summary.runtime as i64, fresh.row.runtime_cycles);
            prop_assert_eq!(summary.energy.to_bits(), fresh.row.energy_nj.to_bits());
            prop_assert_eq!(summary.area.to_bits(), fresh.row.area.to_bits());
            prop_assert_eq!(summary.power.to_bits(), fresh.row.power.to_bits());
            prop_assert_eq!(summary.edp, fresh.row.energy_nj * fresh.row.runtime_cycles as f64);
        }
    }
}

#[test]
fn a_prepared_layer_refuses_hardware_of_another_structure() {
    let layer = conv(
        &[(K, 4), (C, 2), (R, 3), (S, 3), (Y, 6), (X, 6)],
        1,
        vec![s(1, 1, K), t(1, 1, C), t(3, 1, Y), t(3, 1, X)],
    );
    let structure = hardware(4);
    let prepared = PreparedLayer::new(&layer, &structure).unwrap();
    assert!(prepared.fits(&structure));
    let mut other = structure.clone();
    other.distribution_noc.multicast = false;
    assert!(!prepared.fits(&other));
    let error = prepared.evaluate("N", &other).unwrap_err();
    assert!(error.reason.contains("prepared for"), "{}", error.reason);
    let mut broken = structure.clone();
    broken.simd_lanes = 0;
    assert_eq!(
        prepared.evaluate_summary(&broken).unwrap_err().reason,
        "the hardware's simd_lanes is 0"
    );
}
