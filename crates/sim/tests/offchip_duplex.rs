//! Off-chip duplex: with half duplex (the default, as a DRAM channel) loads and write-backs take
//! turns on one link, served in the order they become ready; with full duplex each direction has the
//! bandwidth. Checked on a layer whose time is all off-chip traffic, by hand, and on random layers
//! that stream through a small L2 (the traffic is the same in both modes, half duplex is never shorter
//! than all the traffic over one link, and skipping stays exact). Half duplex is not always slower:
//! the one link serves write-backs in the order they become ready, while the write direction of full
//! duplex serves them in the order the steps were played, so a later step's early write-back can
//! wait there.

mod common;

use maestro_ir::{
    Accelerator, Dim, Directive, Duplex, Layer, LayerType, MapDirective, Mapping, Strides,
};
use maestro_sim::{LayerSimReport, SimBuilder, SimOptions};
use proptest::prelude::*;

fn run(hardware: &Accelerator, layer: &Layer, skip: bool) -> LayerSimReport {
    SimBuilder::new(hardware)
        .options(SimOptions {
            skip_steady_state: skip,
            ignore_capacity: true,
            ..SimOptions::default()
        })
        .build()
        .expect("valid hardware")
        .run_layer(layer)
        .expect("simulates")
}

/// A 1×1 depth-wise layer over 64 channels of 16×16, one channel per step on one PE: 256 inputs in
/// and 256 outputs out per step, one MAC per element, everything on chip 1,000 elements per cycle,
/// off-chip 8 elements per cycle, L2 far too small to hold the layer (so it streams).
fn streaming_case(duplex: Duplex) -> (Accelerator, Layer) {
    let mut hardware = Accelerator {
        num_pes: 1,
        l1_size: 1 << 20,
        l2_size: 2_000,
        l2_bandwidth: 1_000,
        simd_lanes: 1_000,
        ..Accelerator::default()
    };
    hardware.distribution_noc.bandwidth = 1_000;
    hardware.collection_noc.bandwidth = 1_000;
    hardware.offchip.bandwidth = 8;
    hardware.offchip.latency = 0;
    hardware.offchip.duplex = duplex;
    let layer = Layer {
        name: "elementwise".into(),
        layer_type: LayerType::DepthwiseConv,
        dimensions: vec![
            (Dim::K, 1),
            (Dim::C, 64),
            (Dim::R, 1),
            (Dim::S, 1),
            (Dim::Y, 16),
            (Dim::X, 16),
        ],
        strides: Strides::default(),
        mapping: Some(Mapping::new(vec![Directive::Map(MapDirective::temporal(
            1,
            1,
            Dim::C,
        ))])),
    };
    (hardware, layer)
}

#[test]
fn half_duplex_serialises_loads_and_write_backs() {
    // Off-chip traffic: 64 × 256 inputs + 64 weights in, 64 × 256 outputs out: 16,448 and 16,384
    // elements, 2,056 and 2,048 cycles at 8 per cycle. Everything else is a few cycles per step.
    let (full_hw, layer) = streaming_case(Duplex::Full);
    let (half_hw, _) = streaming_case(Duplex::Half);
    let full = run(&full_hw, &layer, true);
    let half = run(&half_hw, &layer, true);
    for report in [&full, &half] {
        let reads = report.tensors.input.offchip_reads + report.tensors.weight.offchip_reads;
        assert_eq!(reads, 16_448);
        assert_eq!(report.tensors.output.offchip_writes, 16_384);
    }
    // Full duplex: loads run ahead while outputs drain on the other direction; the reads bound the
    // layer (2,056), then the last step's outputs (256 elements, 32 cycles), plus 5 cycles of
    // pipeline (the last step's compute and transfers on chip).
    assert_eq!(full.cycles, 2_093);
    // Half duplex: the one link carries both and is never idle: exactly 4,104 cycles.
    assert_eq!(half.cycles, 4_104);
    // Skipping steady-state steps does not change either.
    assert_eq!(run(&full_hw, &layer, false).cycles, full.cycles);
    assert_eq!(run(&half_hw, &layer, false).cycles, half.cycles);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn duplex_changes_time_not_traffic(case in common::case(10, 2)) {
        let Some(case) = case else { return Ok(()) };
        let mut full_hw = case.hardware.clone();
        full_hw.offchip.duplex = Duplex::Full;
        full_hw.l2_size = 64;
        let mut half_hw = full_hw.clone();
        half_hw.offchip.duplex = Duplex::Half;
        let full = run(&full_hw, &case.layer, true);
        let half = run(&half_hw, &case.layer, true);
        prop_assert_eq!(full.tensors, half.tensors);
        let t = &half.tensors;
        let traffic = t.input.offchip_reads + t.weight.offchip_reads + t.output.offchip_writes;
        prop_assert!(half.cycles >= traffic.div_ceil(half_hw.offchip.bandwidth));
        let stepped = run(&half_hw, &case.layer, false);
        prop_assert_eq!(
            LayerSimReport { steps_skipped_in_closed_form: 0, ..half },
            stepped
        );
    }
}
