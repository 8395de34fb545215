//! Hand-computed examples and property tests of the expansion.

use super::*;
use crate::dim::Dim::{self, *};
use crate::directive::{ClusterDirective, ClusterKind, Directive, MapDirective, MapKind};
use crate::layer::{Layer, LayerType, Strides};
use crate::mapping::Mapping;
use proptest::prelude::*;
use std::collections::HashMap;

fn layer(
    layer_type: LayerType,
    dims: &[(Dim, u64)],
    stride: u64,
    directives: Vec<Directive>,
) -> Layer {
    Layer {
        name: "L".into(),
        layer_type,
        dimensions: dims.to_vec(),
        strides: Strides {
            y: stride,
            x: stride,
        },
        mapping: Some(Mapping::new(directives)),
    }
}

fn t(size: u64, offset: u64, dim: Dim) -> Directive {
    Directive::Map(MapDirective::temporal(size, offset, dim))
}

fn s(size: u64, offset: u64, dim: Dim) -> Directive {
    Directive::Map(MapDirective::spatial(size, offset, dim))
}

fn cluster(size: u64) -> Directive {
    Directive::Cluster(ClusterDirective {
        size,
        kind: ClusterKind::Physical,
    })
}

/// Counts how often every loop-space point is covered by a PE work item.
fn coverage(expansion: &Expansion) -> (u64, u64, u64) {
    let mut points: HashMap<Vec<u64>, u64> = HashMap::new();
    let dims = expansion.bounds.layer_type.loop_dims();
    let mut work_items = 0;
    expansion.for_each_pe_work(|_, region| {
        work_items += 1;
        let mut point: Vec<u64> = dims.iter().map(|&d| region.start(d)).collect();
        'points: loop {
            *points.entry(point.clone()).or_default() += 1;
            for (i, &d) in dims.iter().enumerate().rev() {
                point[i] += 1;
                if point[i] < region.end(d) {
                    continue 'points;
                }
                point[i] = region.start(d);
            }
            break;
        }
    });
    let repeated = points.values().filter(|&&count| count != 1).count() as u64;
    (points.len() as u64, repeated, work_items)
}

#[test]
fn one_level_sliding_window() {
    // Example 1 of the spec: K=4 over 4 PEs, C in steps of 1, Y/X tiles of 3 input rows (one output row).
    let l = layer(
        LayerType::Conv,
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
    let e = Expansion::new(&l, 4).unwrap();
    assert_eq!(e.levels.len(), 1);
    let level = &e.levels[0];
    assert_eq!(level.sub_clusters, 4);
    let y = level.loops[2];
    assert_eq!((y.dim, y.written_dim, y.size, y.offset), (OutY, Y, 1, 1));
    let g = e.geometry(0, &e.whole());
    // Schedule: fold (1), C (2), Y' (4), X' (4), R (1), S (1); N inferred (1).
    let counts: Vec<u64> = g.schedule().iter().map(|entry| entry.count()).collect();
    assert_eq!(counts, vec![1, 2, 4, 4, 1, 1, 1]);
    assert_eq!(g.steps(), 32);
    assert_eq!(
        g.spatial,
        SpatialGeometry {
            sub_clusters: 4,
            tiles: 4,
            folds: 1,
            last_fold_active: 4
        }
    );
    // Step 5 = C 0, Y' 1, X' 1; unit 2 works on K 2.
    let mut seen = None;
    g.for_each_step(|step| {
        if step.ordinal == 5 {
            seen = g.unit_region(step, 2);
        }
    });
    let region = seen.unwrap();
    assert_eq!(
        (
            region.range(K),
            region.range(C),
            region.range(OutY),
            region.range(OutX)
        ),
        (2..3, 0..1, 1..2, 1..2)
    );
    // Its input rows are 1..4: one output row with the full 3-row filter.
    let input = e.footprint(crate::Tensor::Input, &region);
    assert_eq!(input.elements(), 9);
    assert_eq!(coverage(&e), (1152, 0, 128));
}

#[test]
fn two_levels_with_stride_two() {
    // Spec example 3: K over 2 clusters, C tile 2, 3-row input tiles at stride 2 (one output row each);
    // inside a cluster C over 2 PEs.
    let l = layer(
        LayerType::Conv,
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
    );
    let e = Expansion::new(&l, 4).unwrap();
    assert_eq!(e.bounds.size(OutY), 3);
    assert_eq!(
        (e.levels[0].sub_clusters, e.levels[0].pes_per_sub_cluster),
        (2, 2)
    );
    assert_eq!(
        (e.levels[1].sub_clusters, e.levels[1].pes_per_sub_cluster),
        (2, 1)
    );
    // `TemporalMap(3,1) Y` at stride 2: (3 − 3)/2 + 1 = 1 output row, offset ceil(1/2) = 1.
    let y = e.levels[0].loops[2];
    assert_eq!((y.dim, y.size, y.offset), (OutY, 1, 1));
    let top = e.geometry(0, &e.whole());
    assert_eq!(top.steps(), 9);
    // One PE's work: K 1, C 1, one output pixel, the whole filter; its input rows are 2..5 for Y' = 1.
    let mut regions = Vec::new();
    e.for_each_pe_work(|pe, region| regions.push((pe, *region)));
    assert_eq!(regions.len(), 9 * 2 * 2);
    let (pe, region) = regions[4 * 4 + 3];
    assert_eq!(pe, crate::PeId(3));
    assert_eq!(
        (
            region.range(K),
            region.range(C),
            region.range(OutY),
            region.range(OutX)
        ),
        (1..2, 1..2, 1..2, 1..2)
    );
    let input = e.footprint(crate::Tensor::Input, &region);
    assert_eq!(
        input.axes()[2],
        AxisSet::Window {
            out_start: 1,
            out_end: 2,
            filter_start: 0,
            filter_end: 3,
            stride: 2
        }
    );
    assert_eq!(input.elements(), 9);
    assert_eq!(coverage(&e), (324, 0, 36));
}

#[test]
fn spatial_fold_with_idle_units_and_edge_tiles() {
    // Spec example 2: K=5 over 2 PEs (3 folds, one idle PE in the last), C=3 in tiles of 2 (edge 1).
    let l = layer(
        LayerType::Conv,
        &[(K, 5), (C, 3), (R, 1), (S, 1), (Y, 1), (X, 1)],
        1,
        vec![s(1, 1, K), t(2, 2, C)],
    );
    let e = Expansion::new(&l, 2).unwrap();
    let g = e.geometry(0, &e.whole());
    assert_eq!(
        g.spatial,
        SpatialGeometry {
            sub_clusters: 2,
            tiles: 5,
            folds: 3,
            last_fold_active: 1
        }
    );
    let c = g.loop_at(1);
    assert_eq!(
        (c.tiles, c.tile, c.edge_tile, c.has_partial_edge()),
        (2, 2, 1, true)
    );
    let mut active = Vec::new();
    g.for_each_step(|step| {
        active.push((
            g.active_units(step),
            g.unit_region(step, 1).map(|r| r.range(C)),
        ))
    });
    assert_eq!(
        active,
        vec![
            (2, Some(0..2)),
            (2, Some(2..3)),
            (2, Some(0..2)),
            (2, Some(2..3)),
            (1, None),
            (1, None)
        ]
    );
    assert_eq!(coverage(&e), (15, 0, 10));
}

#[test]
fn row_stationary_pairs_input_rows_with_filter_rows() {
    // Eyeriss style: output rows over clusters of R PEs; inside, PE i takes filter row i and input row
    // y'+i (two spatial maps combine into one product).
    let l = layer(
        LayerType::Conv,
        &[(K, 2), (C, 1), (R, 3), (S, 3), (Y, 5), (X, 5)],
        1,
        vec![
            s(1, 1, OutY),
            t(1, 1, OutX),
            t(3, 3, R),
            t(3, 3, S),
            cluster(3),
            s(1, 1, Y),
            s(1, 1, R),
            t(3, 3, S),
        ],
    );
    let e = Expansion::new(&l, 9).unwrap();
    let inner = e.geometry(1, &{
        let mut region = e.whole();
        region.set(OutY, 1..2);
        region.set(OutX, 0..1);
        region
    });
    assert_eq!(inner.spatial.tiles, 3);
    let mut rows = Vec::new();
    inner.for_each_step(|step| {
        for unit in 0..3 {
            let region = inner.unit_region(step, unit).unwrap();
            rows.push(e.footprint(crate::Tensor::Input, &region).axes()[2]);
        }
    });
    let input_row = |r: u64| AxisSet::Window {
        out_start: 1,
        out_end: 2,
        filter_start: r,
        filter_end: r + 1,
        stride: 1,
    };
    assert_eq!(&rows[..3], &[input_row(0), input_row(1), input_row(2)]);
    assert_eq!(coverage(&e).1, 0);
}

#[test]
fn errors_name_layer_level_and_dimension() {
    let dims = [(K, 4), (C, 2), (R, 3), (S, 3), (Y, 6), (X, 6)];
    let narrow = layer(
        LayerType::Conv,
        &dims,
        1,
        vec![s(1, 1, K), cluster(2), s(1, 1, X), t(3, 3, S)],
    );
    let error = Expansion::new(&narrow, 4).unwrap_err();
    assert_eq!(
        error.to_string(),
        "layer L, level 1: the X tile (1) cannot hold one window of the S tile (3)"
    );
    let too_many = layer(
        LayerType::Conv,
        &dims,
        1,
        vec![s(1, 1, K), cluster(8), s(1, 1, C)],
    );
    assert!(matches!(
        Expansion::new(&too_many, 4),
        Err(ExpansionError::NotEnoughPes { required: 8, .. })
    ));
    let duplicate = layer(LayerType::Conv, &dims, 1, vec![s(1, 1, S), t(3, 3, S)]);
    assert!(matches!(
        Expansion::new(&duplicate, 4),
        Err(ExpansionError::DuplicateDirective { dim: S, .. })
    ));
    let gap = layer(LayerType::Conv, &dims, 1, vec![s(1, 2, K)]);
    assert!(matches!(
        Expansion::new(&gap, 4),
        Err(ExpansionError::GapBetweenTiles { dim: K, .. })
    ));
    let gemm = layer(
        LayerType::Gemm,
        &[(M, 4), (N, 3), (K, 6)],
        1,
        vec![s(1, 1, Y)],
    );
    assert!(matches!(
        Expansion::new(&gemm, 4),
        Err(ExpansionError::UnknownDimension { dim: Y, .. })
    ));
}

#[test]
fn overlapping_tiles_are_trimmed_and_reported() {
    let l = layer(
        LayerType::Gemm,
        &[(M, 4), (N, 3), (K, 6)],
        1,
        vec![s(2, 1, M)],
    );
    let e = Expansion::new(&l, 2).unwrap();
    assert_eq!(
        e.adjustments,
        vec![Adjustment::TrimmedOverlap {
            level: 0,
            dim: M,
            written_size: 2,
            size: 1
        }]
    );
    assert_eq!(coverage(&e), (72, 0, 4));
}

#[test]
fn oversized_tiles_cover_the_dimension() {
    // Q-A1: TemporalMap(8,1) X on X = 7 must cover all 7 columns (one tile).
    let l = layer(
        LayerType::Conv,
        &[(K, 2), (C, 3), (R, 1), (S, 1), (Y, 7), (X, 7)],
        1,
        vec![s(1, 1, K), t(8, 1, X), t(4, 1, C)],
    );
    let e = Expansion::new(&l, 2).unwrap();
    // One work item per K: the X, Y and C tiles each cover their whole dimension.
    assert_eq!(coverage(&e), (2 * 3 * 49, 0, 2));
}

fn map_strategy(dim: Dim) -> impl Strategy<Value = (Dim, MapKind, u64)> {
    (prop::bool::weighted(0.3), 1u64..5).prop_map(move |(spatial, size)| {
        (
            dim,
            if spatial {
                MapKind::Spatial
            } else {
                MapKind::Temporal
            },
            size,
        )
    })
}

/// Random small layers of every type with random one- or two-level mappings whose offsets equal their
/// sizes (in loop coordinates, so `Y`/`X` tiles are written as input extents).
fn case_strategy() -> impl Strategy<Value = (Layer, u64)> {
    let types = prop::sample::select(vec![
        LayerType::Conv,
        LayerType::TransposedConv,
        LayerType::DepthwiseConv,
        LayerType::GroupedConv,
        LayerType::Gemm,
    ]);
    (
        types,
        prop::collection::vec(1u64..5, 8),
        1u64..3,
        prop::bool::ANY,
        1u64..4,
        1u64..4,
    )
        .prop_flat_map(
            |(layer_type, sizes, stride, two_levels, cluster_size, top_units)| {
                let loop_dims: Vec<Dim> = layer_type.loop_dims().to_vec();
                let maps = loop_dims
                    .iter()
                    .map(|&d| map_strategy(d))
                    .collect::<Vec<_>>();
                let maps2 = loop_dims
                    .iter()
                    .map(|&d| map_strategy(d))
                    .collect::<Vec<_>>();
                (
                    Just((
                        layer_type,
                        sizes,
                        stride,
                        two_levels,
                        cluster_size,
                        top_units,
                    )),
                    maps,
                    maps2,
                    prop::sample::subsequence(
                        (0..loop_dims.len()).collect::<Vec<_>>(),
                        0..=loop_dims.len(),
                    ),
                    any::<prop::sample::Index>(),
                )
            },
        )
        .prop_map(
            |(
                (layer_type, sizes, stride, two_levels, cluster_size, top_units),
                maps,
                maps2,
                keep,
                shuffle,
            )| {
                let mut dims = Vec::new();
                for (i, &d) in layer_type.loop_dims().iter().enumerate() {
                    match d {
                        OutY => dims.push((OutY, sizes[i])),
                        OutX => dims.push((OutX, sizes[i])),
                        other => dims.push((other, sizes[i])),
                    }
                }
                let stride = if layer_type.is_convolution() {
                    stride
                } else {
                    1
                };
                let mut directives = Vec::new();
                let level = |maps: &[(Dim, MapKind, u64)],
                             only: &[usize],
                             directives: &mut Vec<Directive>| {
                    let mut spatial = 0;
                    for &i in only {
                        let (dim, mut kind, size) = maps[i];
                        if kind == MapKind::Spatial {
                            spatial += 1;
                            if spatial > 2 {
                                kind = MapKind::Temporal;
                            }
                        }
                        directives.push(Directive::Map(MapDirective {
                            kind,
                            size,
                            offset: size,
                            dim,
                        }));
                    }
                };
                let mut order = keep.clone();
                let rotate = shuffle.index(order.len().max(1));
                let len = order.len();
                order.rotate_left(rotate.min(len));
                level(&maps, &order, &mut directives);
                if two_levels {
                    directives.push(cluster(cluster_size));
                    level(&maps2, &keep, &mut directives);
                }
                let pes = top_units * if two_levels { cluster_size } else { 1 };
                let layer = Layer {
                    name: "P".into(),
                    layer_type,
                    dimensions: dims,
                    strides: Strides {
                        y: stride,
                        x: stride,
                    },
                    mapping: Some(Mapping::new(directives)),
                };
                (layer, pes)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn pe_work_tiles_the_loop_space_exactly_once((layer, pes) in case_strategy()) {
        let expansion = Expansion::new(&layer, pes).unwrap();
        let (points, repeated, _) = coverage(&expansion);
        prop_assert_eq!(points, layer.loop_bounds().unwrap().macs());
        prop_assert_eq!(repeated, 0);
    }

    #[test]
    fn edge_tiles_are_partial_exactly_when_not_a_multiple((layer, pes) in case_strategy()) {
        let expansion = Expansion::new(&layer, pes).unwrap();
        let geometry = expansion.geometry(0, &expansion.whole());
        for walked in geometry.loops() {
            prop_assert_eq!(walked.has_partial_edge(), walked.extent % walked.tile != 0);
            prop_assert_eq!(walked.tiles.saturating_sub(1) * walked.tile + walked.edge_tile, walked.extent);
        }
    }
}
