//! Every style on a set of awkward layer shapes and PE counts: the mapping is built, passes the
//! structural rules and computes every point of the layer exactly once.

mod common;

use maestro_ir::{Accelerator, Dim, Layer, LayerType, Network, Strides};
use maestro_templates::{apply, mapping_for, DataflowStyle, TemplateError};

fn layer(name: &str, layer_type: LayerType, stride: (u64, u64), dims: &[(Dim, u64)]) -> Layer {
    Layer {
        name: name.into(),
        layer_type,
        dimensions: dims.to_vec(),
        strides: Strides {
            y: stride.0,
            x: stride.1,
        },
        mapping: None,
    }
}

fn tricky_layers() -> Vec<Layer> {
    use Dim::*;
    use LayerType::*;
    vec![
        layer(
            "rgb_7x7_s2",
            Conv,
            (2, 2),
            &[(K, 64), (C, 3), (R, 7), (S, 7), (Y, 230), (X, 230)],
        ),
        layer(
            "alexnet_11x11_s4",
            Conv,
            (4, 4),
            &[(K, 96), (C, 3), (R, 11), (S, 11), (Y, 227), (X, 227)],
        ),
        layer(
            "pointwise",
            Conv,
            (1, 1),
            &[(K, 256), (C, 64), (R, 1), (S, 1), (Y, 56), (X, 56)],
        ),
        layer(
            "projection_1x1_s2",
            Conv,
            (2, 2),
            &[(K, 512), (C, 256), (R, 1), (S, 1), (Y, 56), (X, 56)],
        ),
        layer(
            "tiny_7x7",
            Conv,
            (1, 1),
            &[(K, 512), (C, 512), (R, 3), (S, 3), (Y, 9), (X, 9)],
        ),
        layer(
            "one_pixel",
            Conv,
            (1, 1),
            &[(K, 1000), (C, 2048), (R, 1), (S, 1), (Y, 1), (X, 1)],
        ),
        layer(
            "filter_is_input",
            Conv,
            (1, 1),
            &[(K, 4), (C, 5), (R, 6), (S, 6), (Y, 6), (X, 6)],
        ),
        layer(
            "leftover_rows",
            Conv,
            (3, 2),
            &[(K, 7), (C, 2), (R, 3), (S, 2), (Y, 13), (X, 10)],
        ),
        layer(
            "wide_filter",
            Conv,
            (1, 4),
            &[(K, 2), (C, 3), (R, 2), (S, 5), (Y, 4), (X, 21)],
        ),
        layer(
            "batch",
            Conv,
            (2, 2),
            &[(N, 3), (K, 8), (C, 3), (R, 3), (S, 3), (Y, 15), (X, 15)],
        ),
        layer(
            "output_coords",
            Conv,
            (1, 1),
            &[(K, 8), (C, 16), (R, 3), (S, 3), (OutY, 5), (OutX, 4)],
        ),
        layer(
            "transposed",
            TransposedConv,
            (1, 1),
            &[(K, 64), (C, 128), (R, 2), (S, 2), (Y, 57), (X, 57)],
        ),
        layer(
            "depthwise",
            DepthwiseConv,
            (1, 1),
            &[(K, 1), (C, 144), (R, 3), (S, 3), (Y, 58), (X, 58)],
        ),
        layer(
            "depthwise_s2",
            DepthwiseConv,
            (2, 2),
            &[(K, 1), (C, 32), (R, 3), (S, 3), (Y, 113), (X, 113)],
        ),
        layer(
            "depthwise_multiplier",
            DepthwiseConv,
            (1, 1),
            &[(K, 2), (C, 3), (R, 5), (S, 5), (Y, 9), (X, 9)],
        ),
        layer(
            "depthwise_1x1_tiny",
            DepthwiseConv,
            (1, 1),
            &[(K, 1), (C, 1), (R, 1), (S, 1), (Y, 1), (X, 1)],
        ),
        layer(
            "grouped",
            GroupedConv,
            (1, 1),
            &[(G, 32), (K, 4), (C, 4), (R, 3), (S, 3), (Y, 58), (X, 58)],
        ),
        layer(
            "grouped_s2",
            GroupedConv,
            (2, 2),
            &[(G, 2), (K, 128), (C, 48), (R, 5), (S, 5), (Y, 31), (X, 31)],
        ),
        layer("gemm", Gemm, (1, 1), &[(M, 128), (N, 768), (K, 3072)]),
        layer("gemm_vector", Gemm, (1, 1), &[(M, 1), (N, 1000), (K, 4096)]),
        layer("gemm_scalar", Gemm, (1, 1), &[(M, 1), (N, 1), (K, 1)]),
        layer("gemm_odd", Gemm, (1, 1), &[(M, 7), (N, 3), (K, 5)]),
    ]
}

fn accelerator(pes: u64, l1_size: u64) -> Accelerator {
    Accelerator {
        num_pes: pes,
        l1_size,
        ..Accelerator::default()
    }
}

#[test]
fn every_style_maps_every_tricky_layer_on_every_pe_count() {
    for pes in [1, 2, 3, 7, 16, 100, 256, 1024] {
        for l1_size in [1, 64, 512] {
            let accelerator = accelerator(pes, l1_size);
            for layer in tricky_layers() {
                for style in DataflowStyle::ALL {
                    let mapping =
                        mapping_for(style, &layer, &accelerator).unwrap_or_else(|error| {
                            panic!("{style} on {} with {pes} PEs: {error}", layer.name)
                        });
                    let verdict = common::check(&layer, &mapping, pes)
                        .and_then(|()| common::check_with_project(&layer, &mapping, pes, false));
                    if let Err(problem) = verdict {
                        let directives: Vec<String> =
                            mapping.directives.iter().map(ToString::to_string).collect();
                        panic!(
                            "{style} on {} with {pes} PEs, L1 {l1_size}: {problem}\n{}",
                            layer.name,
                            directives.join("\n")
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn clusters_adapt_to_the_layer_and_the_pe_count() {
    let default = Accelerator::default();
    let layers = tricky_layers();
    let find = |name: &str| layers.iter().find(|layer| layer.name == name).unwrap();
    let clusters = |style, name: &str, accelerator: &Accelerator| {
        mapping_for(style, find(name), accelerator)
            .unwrap()
            .cluster_sizes()
    };
    // KC-P: 64 input channels per cluster on 256 PEs, fewer when the layer has fewer.
    assert_eq!(
        clusters(DataflowStyle::KcpWs, "tiny_7x7", &default),
        vec![64]
    );
    assert_eq!(
        clusters(DataflowStyle::KcpWs, "rgb_7x7_s2", &default),
        vec![3]
    );
    assert_eq!(
        clusters(DataflowStyle::KcpWs, "tiny_7x7", &accelerator(1024, 512)),
        vec![256]
    );
    assert_eq!(
        clusters(DataflowStyle::KcpWs, "depthwise", &default),
        Vec::<u64>::new()
    );
    // YX-P: 16 output columns per cluster on 256 PEs, the whole row when it is narrower, one column
    // when the stride jumps over the filter.
    assert_eq!(
        clusters(DataflowStyle::YxpOs, "pointwise", &default),
        vec![16]
    );
    assert_eq!(
        clusters(DataflowStyle::YxpOs, "tiny_7x7", &default),
        vec![7]
    );
    assert_eq!(
        clusters(DataflowStyle::YxpOs, "projection_1x1_s2", &default),
        vec![1]
    );
    // RS: one PE per filter row, never more than the PEs.
    assert_eq!(
        clusters(DataflowStyle::Rs, "alexnet_11x11_s4", &default),
        vec![11]
    );
    assert_eq!(
        clusters(DataflowStyle::Rs, "alexnet_11x11_s4", &accelerator(7, 512)),
        vec![7]
    );
    assert_eq!(clusters(DataflowStyle::Rs, "gemm", &default), vec![16]);
}

#[test]
fn mappings_read_like_their_styles() {
    let default = Accelerator::default();
    let layers = tricky_layers();
    let conv = layers
        .iter()
        .find(|layer| layer.name == "rgb_7x7_s2")
        .unwrap();
    let render = |style| {
        let mapping = mapping_for(style, conv, &default).unwrap();
        mapping
            .directives
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    };
    assert_eq!(
        render(DataflowStyle::Nlr),
        "TemporalMap(1,1) K; TemporalMap(7,2) Y; TemporalMap(7,2) X; TemporalMap(7,7) R; \
         TemporalMap(7,7) S; SpatialMap(1,1) C"
    );
    assert_eq!(
        render(DataflowStyle::XpWs),
        "TemporalMap(1,1) K; TemporalMap(1,1) C; TemporalMap(7,2) Y; SpatialMap(7,2) X; \
         TemporalMap(7,7) R; TemporalMap(7,7) S"
    );
    assert_eq!(
        render(DataflowStyle::YxpOs),
        "TemporalMap(1,1) K; SpatialMap(7,2) Y; TemporalMap(37,32) X; TemporalMap(3,3) C; \
         TemporalMap(7,7) R; TemporalMap(7,7) S; Cluster(16,P); SpatialMap(7,2) X; TemporalMap(1,1) C; \
         TemporalMap(7,7) R; TemporalMap(7,7) S"
    );
    assert_eq!(
        render(DataflowStyle::Rs),
        "SpatialMap(1,1) Y'; TemporalMap(1,1) X'; TemporalMap(1,1) C; TemporalMap(16,16) K; \
         TemporalMap(7,7) R; TemporalMap(7,7) S; Cluster(7,P); SpatialMap(1,1) Y; SpatialMap(1,1) R; \
         TemporalMap(7,7) S"
    );
    assert_eq!(
        render(DataflowStyle::KcpWs),
        "SpatialMap(1,1) K; TemporalMap(3,3) C; TemporalMap(7,7) R; TemporalMap(7,7) S; \
         TemporalMap(7,2) Y; TemporalMap(7,2) X; Cluster(3,P); SpatialMap(1,1) C; TemporalMap(7,2) Y; \
         TemporalMap(7,2) X; TemporalMap(7,7) R; TemporalMap(7,7) S"
    );
}

#[test]
fn apply_maps_every_layer_and_keeps_the_rest() {
    let network = Network {
        name: "tricky".into(),
        layers: tricky_layers(),
    };
    let accelerator = Accelerator::default();
    for style in DataflowStyle::ALL {
        let mapped = apply(style, &network, &accelerator).unwrap();
        assert_eq!(mapped.name, network.name);
        assert_eq!(mapped.layers.len(), network.layers.len());
        for (mapped_layer, layer) in mapped.layers.iter().zip(&network.layers) {
            assert_eq!(mapped_layer.dimensions, layer.dimensions);
            assert_eq!(
                mapped_layer.mapping,
                Some(mapping_for(style, layer, &accelerator).unwrap())
            );
        }
    }
}

#[test]
fn unmappable_inputs_are_typed_errors() {
    let good = layer(
        "good",
        LayerType::Conv,
        (1, 1),
        &[
            (Dim::K, 2),
            (Dim::C, 2),
            (Dim::R, 1),
            (Dim::S, 1),
            (Dim::Y, 2),
            (Dim::X, 2),
        ],
    );
    let no_pes = Accelerator {
        num_pes: 0,
        ..Accelerator::default()
    };
    assert_eq!(
        mapping_for(DataflowStyle::Rs, &good, &no_pes),
        Err(TemplateError::NoProcessingElements)
    );

    let zero_stride = Layer {
        strides: Strides { y: 0, x: 1 },
        ..good.clone()
    };
    assert!(matches!(
        mapping_for(DataflowStyle::Nlr, &zero_stride, &Accelerator::default()),
        Err(TemplateError::ZeroStride { .. })
    ));

    let missing_filter = layer(
        "no_r",
        LayerType::Conv,
        (1, 1),
        &[
            (Dim::K, 2),
            (Dim::C, 2),
            (Dim::S, 1),
            (Dim::Y, 2),
            (Dim::X, 2),
        ],
    );
    let network = Network {
        name: "n".into(),
        layers: vec![good, missing_filter],
    };
    let error = apply(DataflowStyle::KcpWs, &network, &Accelerator::default()).unwrap_err();
    assert!(matches!(&error, TemplateError::Shape { layer, .. } if layer == "no_r"));
    assert_eq!(
        error.to_string(),
        "layer no_r: layer type CONV needs dimension R, which is not declared"
    );
}
