//! Laws every simulation obeys, checked over random small layers and mappings: MACs are conserved,
//! every output element is finalised exactly once, no PE receives fewer elements than it needs, runs are
//! deterministic, and closed-form skipping of steady-state steps changes nothing but its own counter.

mod common;

use maestro_ir::directive::{ClusterDirective, ClusterKind};
use maestro_ir::{
    Accelerator, Dim, Directive, Layer, LayerType, MapDirective, Mapping, NocTopology, Strides,
};
use maestro_sim::{SimBuilder, SimOptions, TraceEvent, TraceSink};
use proptest::prelude::*;
use std::collections::HashSet;

#[derive(Debug, Clone)]
struct Case {
    layer: Layer,
    hardware: Accelerator,
}

/// Collects the boxes of final output tiles.
#[derive(Default)]
struct FinalOutputs {
    elements: Vec<Vec<u64>>,
}

impl TraceSink for FinalOutputs {
    fn record(&mut self, event: &TraceEvent<'_>) -> std::io::Result<()> {
        if let TraceEvent::Collection {
            final_output: true,
            output_box,
            ..
        } = event
        {
            let mut points = vec![Vec::new()];
            for range in output_box.ranges() {
                points = points
                    .into_iter()
                    .flat_map(|prefix| {
                        (range.start..range.end).map(move |i| {
                            let mut p = prefix.clone();
                            p.push(i);
                            p
                        })
                    })
                    .collect();
            }
            self.elements.extend(points);
        }
        Ok(())
    }
}

fn tile_strategy(extent: u64) -> impl Strategy<Value = u64> {
    1..=extent
}

prop_compose! {
    fn case()(
        k in 1u64..=4, c in 1u64..=4, r in 1u64..=3, s in 1u64..=2,
        out_y in 1u64..=5, out_x in 1u64..=4, stride in 1u64..=2,
        spatial_choice in 0usize..4, pes in 1u64..=6, two_levels in any::<bool>(),
        multicast in any::<bool>(), reduction in any::<bool>(), tree in any::<bool>(),
        bandwidth in 1u64..=4, simd in 1u64..=3,
    )(
        k in Just(k), c in Just(c), r in Just(r), s in Just(s), out_y in Just(out_y), out_x in Just(out_x),
        stride in Just(stride), spatial_choice in Just(spatial_choice), pes in Just(pes),
        two_levels in Just(two_levels), multicast in Just(multicast), reduction in Just(reduction),
        tree in Just(tree), bandwidth in Just(bandwidth), simd in Just(simd),
        k_tile in tile_strategy(k), c_tile in tile_strategy(c), y_tile in tile_strategy(out_y),
        x_tile in tile_strategy(out_x), inner_tile in tile_strategy(2),
    ) -> Case {
        let y = (out_y - 1) * stride + r;
        let x = (out_x - 1) * stride + s;
        let spatial_dim = [Dim::K, Dim::C, Dim::OutY, Dim::OutX][spatial_choice];
        let tile_of = |dim: Dim| match dim {
            Dim::K => k_tile,
            Dim::C => c_tile,
            Dim::OutY => y_tile,
            _ => x_tile,
        };
        let mut directives = vec![Directive::Map(MapDirective::spatial(tile_of(spatial_dim), tile_of(spatial_dim), spatial_dim))];
        for dim in [Dim::K, Dim::C, Dim::OutY, Dim::OutX] {
            if dim != spatial_dim {
                directives.push(Directive::Map(MapDirective::temporal(tile_of(dim), tile_of(dim), dim)));
            }
        }
        let cluster = if two_levels && pes >= 2 { 2 } else { 1 };
        if cluster > 1 {
            directives.push(Directive::Cluster(ClusterDirective { size: 2, kind: ClusterKind::Logical }));
            let inner = if spatial_dim == Dim::K { Dim::C } else { Dim::K };
            directives.push(Directive::Map(MapDirective::spatial(inner_tile, inner_tile, inner)));
        }
        let layer = Layer {
            name: "random".into(),
            layer_type: LayerType::Conv,
            dimensions: vec![(Dim::K, k), (Dim::C, c), (Dim::R, r), (Dim::S, s), (Dim::Y, y), (Dim::X, x)],
            strides: Strides { y: stride, x: stride },
            mapping: Some(Mapping::new(directives)),
        };
        let topology = if tree { NocTopology::Tree } else { NocTopology::Bus };
        let mut hardware = Accelerator { num_pes: pes, simd_lanes: simd, l1_size: 10_000, l2_bandwidth: 3, ..Accelerator::default() };
        hardware.distribution_noc.bandwidth = bandwidth;
        hardware.distribution_noc.multicast = multicast;
        hardware.distribution_noc.topology = topology;
        hardware.collection_noc.bandwidth = bandwidth;
        hardware.collection_noc.implicit_reduction = reduction;
        hardware.collection_noc.topology = topology;
        hardware.offchip.latency = 3;
        Case { layer, hardware }
    }
}

fn report_json(case: &Case, skip: bool) -> serde_json::Value {
    let options = SimOptions {
        skip_steady_state: skip,
        ..SimOptions::default()
    };
    let simulator = SimBuilder::new(&case.hardware)
        .options(options)
        .build()
        .expect("valid hardware");
    let report = simulator.run_layer(&case.layer).expect("simulates");
    serde_json::to_value(&report).expect("serialises")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn conservation_laws_hold(case in case()) {
        let bounds = case.layer.loop_bounds().expect("valid layer");
        let simulator = SimBuilder::new(&case.hardware).build().expect("valid hardware");
        let report = simulator.run_layer(&case.layer).expect("simulates");
        prop_assert_eq!(report.macs, bounds.macs());
        prop_assert_eq!(report.tensors.output.final_writes, bounds.tensor_elements(maestro_ir::Tensor::Output));
        prop_assert!(report.tensors.weight.noc_elements_delivered >= bounds.tensor_elements(maestro_ir::Tensor::Weight));
        if bounds.strides.y == 1 && bounds.strides.x == 1 {
            prop_assert!(report.tensors.input.noc_elements_delivered >= bounds.tensor_elements(maestro_ir::Tensor::Input));
        }
        prop_assert!(report.pe_utilisation <= 1.0);

        let mut finals = FinalOutputs::default();
        let traced = simulator.run_layer_traced(&case.layer, &mut finals).expect("simulates");
        prop_assert_eq!(traced.macs, report.macs);
        let unique: HashSet<&Vec<u64>> = finals.elements.iter().collect();
        prop_assert_eq!(unique.len(), finals.elements.len(), "an output element was finalised twice");
        prop_assert_eq!(unique.len() as u64, bounds.tensor_elements(maestro_ir::Tensor::Output));
    }

    #[test]
    fn runs_are_deterministic_and_skipping_is_exact(case in case()) {
        let first = report_json(&case, true);
        let second = report_json(&case, true);
        prop_assert_eq!(serde_json::to_string(&first).unwrap(), serde_json::to_string(&second).unwrap());
        let mut skipped = first.clone();
        let mut stepped = report_json(&case, false);
        skipped["steps_skipped_in_closed_form"] = 0.into();
        stepped["steps_skipped_in_closed_form"] = 0.into();
        prop_assert_eq!(skipped, stepped);
    }

    #[test]
    fn conservation_laws_hold_on_multi_level_mappings(case in common::case(8, 3)) {
        let Some(case) = case else { return Ok(()); };
        let bounds = case.layer.loop_bounds().expect("valid layer");
        let simulator = SimBuilder::new(&case.hardware).ignore_capacity(true).build().expect("valid hardware");
        let report = simulator.run_layer(&case.layer).expect("simulates");
        prop_assert_eq!(report.macs, bounds.macs());
        prop_assert_eq!(report.tensors.output.final_writes, bounds.tensor_elements(maestro_ir::Tensor::Output));
        prop_assert!(report.tensors.weight.noc_elements_delivered >= bounds.tensor_elements(maestro_ir::Tensor::Weight));
        if bounds.strides.y == 1 && bounds.strides.x == 1 {
            prop_assert!(report.tensors.input.noc_elements_delivered >= bounds.tensor_elements(maestro_ir::Tensor::Input));
        }
        let mut finals = FinalOutputs::default();
        simulator.run_layer_traced(&case.layer, &mut finals).expect("simulates");
        let unique: HashSet<&Vec<u64>> = finals.elements.iter().collect();
        prop_assert_eq!(unique.len(), finals.elements.len(), "an output element was finalised twice");
        prop_assert_eq!(unique.len() as u64, bounds.tensor_elements(maestro_ir::Tensor::Output));
    }
}
