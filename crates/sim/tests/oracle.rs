//! An independent reference for the expansion and the simulator's traffic: a brute-force reader of
//! the directives (`oracle/brute.rs`, which does not use `maestro_ir::expansion`) enumerates every MAC
//! and every tensor element each PE touches, step by step. On random small layers (convolutions with
//! strides and directives written on input or output rows, depth-wise convolutions, GEMMs) and random
//! one- to three-level mappings (edge tiles, folds, overlapping offsets that are trimmed, gaps that are
//! errors), the property tests check that
//! - the expansion accepts exactly the mappings the oracle accepts;
//! - the expansion's PE work items are the oracle's, in the same order, and cover every MAC once;
//! - every work item's footprint (`Footprint::of`) is the set of elements its MACs touch;
//! - the simulator's per-tensor L1 writes, L1 reads, NoC deliveries, MACs and final output writes are
//!   what the oracle counts (multicast off, so L2 reads of inputs and weights equal deliveries).

mod oracle {
    pub mod brute;
}

use maestro_ir::directive::{ClusterDirective, ClusterKind};
use maestro_ir::{
    Accelerator, Dim, Directive, Expansion, Layer, LayerType, MapDirective, Mapping, Region,
    Strides, Tensor,
};
use maestro_sim::{SimBuilder, SimOptions};
use oracle::brute::{l1_deliveries, LoopBox, Oracle, Work};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn written_dims(layer_type: LayerType, input_rows: bool) -> Vec<Dim> {
    use Dim::*;
    match layer_type {
        LayerType::Gemm => vec![M, N, K],
        _ if input_rows => vec![N, K, C, R, S, Y, X],
        _ => vec![N, K, C, R, S, OutY, OutX],
    }
}

fn sized(extent: u64, eighths: u64) -> u64 {
    if eighths == 0 {
        1
    } else {
        (extent * eighths).div_ceil(8).clamp(1, extent)
    }
}

#[derive(Debug, Clone)]
struct Case {
    layer: Layer,
    pes: u64,
}

prop_compose! {
    fn case()(
        type_choice in 0usize..3, n in 1u64..=2, k in 1u64..=4, c in 1u64..=4, r in 1u64..=3,
        s in 1u64..=3, out_y in 1u64..=5, out_x in 1u64..=4, stride in 1u64..=2,
        input_rows in any::<bool>(),
        levels in prop::collection::vec(
            (1u64..=3, prop::bool::weighted(0.1), prop::collection::vec(
                (0usize..7, any::<bool>(), prop_oneof![Just(0u64), 1u64..=8],
                 prop_oneof![6 => Just(0i8), 1 => Just(-1i8), 1 => Just(1i8)]),
                0..=5,
            )),
            1..=3,
        ),
        extra_pes in 0u64..=4,
    ) -> Case {
        let layer_type = [LayerType::Conv, LayerType::DepthwiseConv, LayerType::Gemm][type_choice];
        let dims = written_dims(layer_type, input_rows);
        let extent = |dim: Dim| match dim {
            Dim::N => n,
            Dim::K => k,
            Dim::C => c,
            Dim::R => r,
            Dim::S => s,
            Dim::Y => (out_y - 1) * stride + r,
            Dim::X => (out_x - 1) * stride + s,
            Dim::OutY => out_y,
            Dim::OutX => out_x,
            Dim::M => out_y,
            _ => 1,
        };
        let mut directives = Vec::new();
        for (depth, (cluster, keep_duplicate, maps)) in levels.iter().enumerate() {
            if depth > 0 {
                directives.push(Directive::Cluster(ClusterDirective {
                    size: *cluster,
                    kind: ClusterKind::Logical,
                }));
            }
            let mut seen = Vec::new();
            for &(index, spatial, eighths, offset_shift) in maps {
                let dim = dims[index % dims.len()];
                // A repeated dimension is an error; keep one now and then to check it is refused.
                if seen.contains(&dim) && !keep_duplicate {
                    continue;
                }
                seen.push(dim);
                let size = sized(extent(dim), eighths);
                // Mostly tiles that abut; sometimes overlapping (trimmed) or gapped (an error).
                let offset = match offset_shift {
                    -1 => size.saturating_sub(1).max(1),
                    1 => size + 1,
                    _ => size,
                };
                let map = if spatial {
                    MapDirective::spatial(size, offset, dim)
                } else {
                    MapDirective::temporal(size, offset, dim)
                };
                directives.push(Directive::Map(map));
            }
        }
        let mut dimensions = match layer_type {
            LayerType::Gemm => vec![(Dim::M, out_y), (Dim::N, n), (Dim::K, k)],
            _ => vec![(Dim::N, n), (Dim::K, k), (Dim::C, c), (Dim::R, r), (Dim::S, s)],
        };
        if layer_type != LayerType::Gemm {
            if input_rows {
                dimensions.push((Dim::Y, extent(Dim::Y)));
                dimensions.push((Dim::X, extent(Dim::X)));
            } else {
                dimensions.push((Dim::OutY, out_y));
                dimensions.push((Dim::OutX, out_x));
            }
        }
        let clusters: u64 = levels.iter().skip(1).map(|(size, _, _)| *size).product();
        Case {
            layer: Layer {
                name: "random".into(),
                layer_type,
                dimensions,
                strides: Strides { y: stride, x: stride },
                mapping: Some(Mapping::new(directives)),
            },
            pes: (clusters * (1 + extra_pes % 3) + extra_pes / 3).max(1),
        }
    }
}

fn loop_box(region: &Region, layer_type: LayerType) -> LoopBox {
    layer_type
        .loop_dims()
        .iter()
        .map(|&dim| (dim, region.range(dim)))
        .collect()
}

/// The expansion's PE work items as the oracle writes them.
fn expansion_work(expansion: &Expansion, layer_type: LayerType) -> Vec<Work> {
    let mut work = Vec::new();
    expansion.for_each_pe_work(|pe, region| {
        work.push(Work {
            pe: u64::from(pe.0),
            region: loop_box(region, layer_type),
        })
    });
    work
}

fn unlimited(pes: u64) -> Accelerator {
    let mut hardware = Accelerator {
        num_pes: pes,
        l1_size: 1 << 30,
        l2_size: 1 << 40,
        ..Accelerator::default()
    };
    hardware.distribution_noc.multicast = false;
    hardware
}

fn check(case: &Case) -> Result<bool, TestCaseError> {
    let layer = &case.layer;
    let oracle = Oracle::new(layer, case.pes);
    let expansion = Expansion::new(layer, case.pes);
    prop_assert_eq!(
        oracle.is_some(),
        expansion.is_ok(),
        "accepts: oracle {:?}, expansion {:?}",
        oracle.is_some(),
        expansion.as_ref().err()
    );
    let (Some(oracle), Ok(expansion)) = (oracle, expansion) else {
        return Ok(false);
    };
    let layer_type = layer.layer_type;

    // Work items, in order; every MAC exactly once.
    let work = oracle.work();
    prop_assert_eq!(&work, &expansion_work(&expansion, layer_type));
    let macs: u64 = work.iter().map(|w| Oracle::macs(&w.region)).sum();
    prop_assert_eq!(macs, expansion.bounds.macs());

    // Footprints, element by element.
    for item in &work {
        let region = {
            let mut region = expansion.whole();
            for (&dim, range) in &item.region {
                region.set(dim, range.clone());
            }
            region
        };
        for tensor in [Tensor::Input, Tensor::Weight, Tensor::Output] {
            let expected = oracle.footprint(tensor, &item.region);
            let footprint = expansion.footprint(tensor, &region);
            prop_assert_eq!(footprint.elements(), expected.len() as u64, "{:?}", tensor);
            for element in &expected {
                prop_assert!(footprint.contains(element), "{:?} {:?}", tensor, element);
            }
        }
    }

    // The simulator's traffic, on hardware where nothing but the counting rules matter.
    let report = SimBuilder::new(&unlimited(case.pes))
        .options(SimOptions {
            ignore_capacity: true,
            ..SimOptions::default()
        })
        .build()
        .expect("valid hardware")
        .run_layer(layer)
        .expect("simulates");
    prop_assert_eq!(report.macs, macs);
    for (tensor, traffic) in [
        (Tensor::Input, report.tensors.input),
        (Tensor::Weight, report.tensors.weight),
    ] {
        let delivered = l1_deliveries(&oracle, &work, tensor);
        prop_assert_eq!(traffic.l1_writes, delivered, "{:?} L1 writes", tensor);
        prop_assert_eq!(traffic.noc_elements_delivered, delivered, "{:?}", tensor);
        prop_assert_eq!(traffic.l2_reads, delivered, "{:?} L2 reads", tensor);
        prop_assert_eq!(traffic.l1_reads, macs, "{:?} L1 reads", tensor);
    }
    let outputs: BTreeSet<_> = work
        .iter()
        .flat_map(|w| oracle.footprint(Tensor::Output, &w.region))
        .collect();
    prop_assert_eq!(report.tensors.output.final_writes, outputs.len() as u64);
    prop_assert_eq!(
        report.tensors.output.l1_writes,
        macs + report.tensors.output.partial_sum_reloads,
        "output L1 writes = one per MAC + reloads"
    );
    Ok(true)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn expansion_and_simulator_agree_with_the_brute_force_oracle(case in case()) {
        check(&case)?;
    }
}

/// The generator is not vacuous: most cases are accepted and reach the simulator comparison, and some
/// are rejected (gaps, windows larger than tiles), so both sides of the acceptance check are exercised.
#[test]
fn the_oracle_cases_exercise_acceptance_and_rejection() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut accepted, mut rejected) = (0, 0);
    for _ in 0..200 {
        let case = case().new_tree(&mut runner).expect("a case").current();
        match check(&case) {
            Ok(true) => accepted += 1,
            Ok(false) => rejected += 1,
            Err(error) => panic!("{error}"),
        }
    }
    assert!(accepted >= 60, "accepted {accepted}");
    assert!(rejected >= 10, "rejected {rejected}");
}
