//! Property test: for random layers of all five types and random accelerators, every style builds a
//! mapping that passes the structural rules and computes every point of the layer exactly once.

mod common;

use maestro_ir::{Accelerator, Dim, Layer, LayerType, Strides};
use maestro_templates::{mapping_for, DataflowStyle};
use proptest::prelude::*;

/// A convolution-family window: filter size, stride, output count, and rows left over after the last
/// window (padding that no window reaches).
fn window() -> impl Strategy<Value = (u64, u64, u64, u64)> {
    (1u64..=7, 1u64..=4, prop_oneof![1u64..=4, 1u64..=12]).prop_flat_map(
        |(filter, stride, outputs)| (Just(filter), Just(stride), Just(outputs), 0..stride),
    )
}

fn channels() -> impl Strategy<Value = u64> {
    prop_oneof![1u64..=4, 1u64..=40]
}

fn convolution() -> impl Strategy<Value = Layer> {
    let layer_type = prop_oneof![
        Just(LayerType::Conv),
        Just(LayerType::TransposedConv),
        Just(LayerType::DepthwiseConv),
        Just(LayerType::GroupedConv),
    ];
    (
        layer_type,
        // Small channel counts half of the time, so that many layers are small enough to play out.
        (channels(), channels(), 1u64..=4),
        prop::option::of(1u64..=3),
        window(),
        window(),
        any::<bool>(),
    )
        .prop_map(
            |(layer_type, (k, c, g), batch, rows, columns, output_coordinates)| {
                let mut dimensions = Vec::new();
                if let Some(n) = batch {
                    dimensions.push((Dim::N, n));
                }
                if layer_type == LayerType::GroupedConv {
                    dimensions.push((Dim::G, g));
                }
                let k = if layer_type == LayerType::DepthwiseConv {
                    1 + k % 2
                } else {
                    k
                };
                dimensions.extend([
                    (Dim::K, k),
                    (Dim::C, c),
                    (Dim::R, rows.0),
                    (Dim::S, columns.0),
                ]);
                for ((filter, stride, outputs, leftover), input, output) in
                    [(rows, Dim::Y, Dim::OutY), (columns, Dim::X, Dim::OutX)]
                {
                    // Output coordinates cannot express leftover rows; declare them only without.
                    if output_coordinates && leftover == 0 {
                        dimensions.push((output, outputs));
                    } else {
                        dimensions.push((input, (outputs - 1) * stride + filter + leftover));
                    }
                }
                Layer {
                    name: "random".into(),
                    layer_type,
                    dimensions,
                    strides: Strides {
                        y: rows.1,
                        x: columns.1,
                    },
                    mapping: None,
                }
            },
        )
}

fn gemm() -> impl Strategy<Value = Layer> {
    (1u64..=300, 1u64..=300, 1u64..=300).prop_map(|(m, n, k)| Layer {
        name: "random_gemm".into(),
        layer_type: LayerType::Gemm,
        dimensions: vec![(Dim::M, m), (Dim::N, n), (Dim::K, k)],
        strides: Strides::default(),
        mapping: None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn every_style_covers_every_random_layer(
        layer in prop_oneof![3 => convolution(), 1 => gemm()],
        pes in prop_oneof![Just(256u64), Just(1024), 1u64..=300],
        l1_size in prop_oneof![Just(512u64), 1u64..=2048],
    ) {
        let accelerator = Accelerator { num_pes: pes, l1_size, ..Accelerator::default() };
        // Playing every PE step is only affordable for small layers.
        let walk = layer.loop_bounds().is_ok_and(|bounds| bounds.macs() <= 50_000);
        for style in DataflowStyle::ALL {
            let mapping = mapping_for(style, &layer, &accelerator)
                .map_err(|error| TestCaseError::fail(format!("{style}: {error}")))?;
            common::check(&layer, &mapping, pes)
                .and_then(|()| common::check_with_project(&layer, &mapping, pes, walk))
                .map_err(|problem| {
                let directives: Vec<String> = mapping.directives.iter().map(ToString::to_string).collect();
                TestCaseError::fail(format!("{style}: {problem}\n{}", directives.join("\n")))
            })?;
        }
    }
}
