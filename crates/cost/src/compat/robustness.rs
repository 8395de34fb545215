//! Property tests: any layer, mapping and hardware gives a row or a layer-naming error — never a panic
//! or an arithmetic overflow trap — and the threaded analysis equals the sequential one.

use super::*;
use crate::{AnalysisOptions, ModelMode};
use maestro_ir::{
    ClusterDirective, ClusterKind, Directive, LayerType, MapDirective, Mapping, Strides,
};
use proptest::prelude::*;

const DIMS: [Dim; 11] = Dim::ALL;

fn size() -> impl Strategy<Value = u64> {
    prop_oneof![200 => 1u64..10, 4 => 0u64..3, 4 => Just(i32::MAX as u64), 1 => Just(u64::MAX)]
}

fn directive() -> impl Strategy<Value = Directive> {
    prop_oneof![
        6 => (any::<bool>(), size(), size(), 0usize..DIMS.len()).prop_map(|(spatial, size, offset, dim)| {
            let dim = DIMS[dim];
            Directive::Map(if spatial {
                MapDirective::spatial(size, offset, dim)
            } else {
                MapDirective::temporal(size, offset, dim)
            })
        }),
        1 => (0u64..5).prop_map(|size| Directive::Cluster(ClusterDirective { size, kind: ClusterKind::Logical })),
    ]
}

fn layer() -> impl Strategy<Value = Layer> {
    let types = prop_oneof![
        Just(LayerType::Conv),
        Just(LayerType::TransposedConv),
        Just(LayerType::DepthwiseConv),
        Just(LayerType::GroupedConv),
        Just(LayerType::Gemm),
    ];
    (
        types,
        proptest::collection::vec((0usize..DIMS.len(), size()), 0..9),
        prop_oneof![12 => 1u64..4, 1 => Just(0u64)],
        proptest::option::weighted(0.95, proptest::collection::vec(directive(), 0..9)),
    )
        .prop_map(|(layer_type, declared, stride, directives)| {
            // Usually declare what the type needs (so the analysis gets past the shape checks), then
            // the random entries.
            let needed: &[Dim] = match layer_type {
                LayerType::Gemm => &[Dim::M, Dim::N, Dim::K],
                LayerType::GroupedConv => &[Dim::G, Dim::K, Dim::C, Dim::R, Dim::S, Dim::Y, Dim::X],
                _ => &[Dim::K, Dim::C, Dim::R, Dim::S, Dim::Y, Dim::X],
            };
            let mut dimensions: Vec<(Dim, u64)> = Vec::new();
            let complete = declared.len() % 4 != 0;
            let needed_entries =
                needed
                    .iter()
                    .filter(|_| complete)
                    .enumerate()
                    .map(|(index, &dim)| {
                        let size = declared.get(index).map_or(3, |&(_, size)| size);
                        (
                            dim,
                            if matches!(dim, Dim::Y | Dim::X) {
                                size.saturating_add(4)
                            } else {
                                size
                            },
                        )
                    });
            let random_entries = declared
                .iter()
                .map(|&(dim, size)| (DIMS[dim], size))
                .filter(|&(dim, _)| !(complete && matches!(dim, Dim::OutY | Dim::OutX)));
            for (dim, size) in needed_entries.chain(random_entries) {
                if dimensions.iter().all(|(seen, _)| *seen != dim) {
                    dimensions.push((dim, size));
                }
            }
            let mapping = directives.map(|mut directives| {
                if complete {
                    directives.insert(0, Directive::Map(MapDirective::spatial(1, 1, needed[1])));
                }
                Mapping::new(directives)
            });
            Layer {
                name: "L".into(),
                layer_type,
                dimensions,
                strides: Strides {
                    y: stride,
                    x: stride.max(1),
                },
                mapping,
            }
        })
}

fn accelerator() -> impl Strategy<Value = Accelerator> {
    (0u64..40, 0u64..9, 0u64..4, 0u64..9, 0u64..3).prop_map(
        |(pes, bandwidth, latency, offchip, lanes)| {
            let mut accelerator = Accelerator {
                num_pes: pes,
                simd_lanes: lanes,
                ..Accelerator::default()
            };
            accelerator.distribution_noc.bandwidth = bandwidth;
            accelerator.distribution_noc.hop_latency = latency;
            accelerator.offchip.bandwidth = offchip;
            accelerator
        },
    )
}

/// A well-formed CONV layer with a random one- or two-level mapping, so most cases get a row.
fn conv_layer() -> impl Strategy<Value = Layer> {
    use Dim::*;
    let map = |dims: &'static [Dim]| {
        (
            0usize..dims.len(),
            proptest::bool::weighted(0.05),
            1u64..6,
            1u64..6,
        )
            .prop_map(move |(dim, spatial, size, offset)| {
                let dim = dims[dim];
                Directive::Map(if spatial {
                    MapDirective::spatial(size, offset, dim)
                } else {
                    MapDirective::temporal(size, offset, dim)
                })
            })
    };
    const ALL: &[Dim] = &[K, C, R, S, Y, X, K, C, Y, X, OutX];
    (
        (1u64..6, 1u64..6, 1u64..4, 1u64..4, 0u64..6, 1u64..3),
        proptest::collection::vec(map(ALL), 1..4),
        proptest::option::of((1u64..4, proptest::collection::vec(map(&[K, C, Y, X]), 1..4))),
    )
        .prop_map(|((k, c, r, s, extra, stride), top, inner)| {
            let mut directives = top;
            directives.insert(0, Directive::Map(MapDirective::spatial(1, 1, K)));
            if let Some((cluster, maps)) = inner {
                directives.push(Directive::Cluster(ClusterDirective {
                    size: cluster,
                    kind: ClusterKind::Physical,
                }));
                directives.push(Directive::Map(MapDirective::spatial(1, 1, C)));
                directives.extend(maps);
            }
            Layer {
                name: "CONV".into(),
                layer_type: LayerType::Conv,
                dimensions: vec![
                    (K, k),
                    (C, c),
                    (R, r),
                    (S, s),
                    (Y, r + extra),
                    (X, s + extra),
                ],
                strides: Strides {
                    y: stride,
                    x: stride,
                },
                mapping: Some(Mapping::new(directives)),
            }
        })
}

fn options(threads: usize) -> AnalysisOptions {
    AnalysisOptions {
        mode: ModelMode::Compat,
        threads,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn arbitrary_input_never_panics(layers in proptest::collection::vec(layer(), 1..3), hardware in accelerator()) {
        let network = Network { name: "random".into(), layers };
        if let Err(error) = analyze_network(&network, &hardware, &options(1)) {
            prop_assert!(error.layer_index < network.layers.len());
            prop_assert!(!error.reason.is_empty());
        }
    }

    #[test]
    fn threads_do_not_change_the_result(layers in proptest::collection::vec(conv_layer(), 8..12), pes in 3u64..20) {
        let network = Network { name: "random".into(), layers };
        let hardware = Accelerator { num_pes: pes, ..Accelerator::default() };
        let sequential = analyze_network(&network, &hardware, &options(1));
        let parallel = analyze_network(&network, &hardware, &options(3));
        prop_assert_eq!(format!("{sequential:?}"), format!("{parallel:?}"));
    }
}
