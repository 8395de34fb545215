//! Unit tests of defaults, full descriptions and collected range problems.

use crate::parse_accelerator_toml;
use maestro_ir::{Accelerator, Duplex, NocTopology};

#[test]
fn an_empty_file_is_the_default_accelerator() {
    assert_eq!(
        parse_accelerator_toml("empty.toml", "").unwrap(),
        Accelerator::default()
    );
}

#[test]
fn every_key_reaches_the_accelerator() {
    let text = r#"
        name = "full"
        [pe]
        count = 64
        simd_lanes = 4
        mac_pipeline_latency = 3
        [l1]
        size = 128
        [l2]
        size = 4096
        bandwidth = 32
        [noc.distribution]
        bandwidth = 16
        hop_latency = 2
        multicast = false
        topology = "mesh"
        [noc.collection]
        bandwidth = 8
        hop_latency = 5
        implicit_reduction = false
        reduction_op = false
        topology = "tree"
        [offchip]
        bandwidth = 4
        latency = 120
        duplex = "full"
        [energy]
        mac = 1
        l1_access = 2.0
        l2_access = 3.5
        offchip_access = 400.0
        noc_hop = 0.0
    "#;
    let accelerator = parse_accelerator_toml("full.toml", text).unwrap();
    assert_eq!(accelerator.name, "full");
    assert_eq!(
        (
            accelerator.num_pes,
            accelerator.simd_lanes,
            accelerator.mac_pipeline_latency
        ),
        (64, 4, 3)
    );
    assert_eq!(
        (
            accelerator.l1_size,
            accelerator.l2_size,
            accelerator.l2_bandwidth
        ),
        (128, 4096, 32)
    );
    let distribution = accelerator.distribution_noc;
    assert_eq!((distribution.bandwidth, distribution.hop_latency), (16, 2));
    assert!(!distribution.multicast);
    assert_eq!(distribution.topology, NocTopology::Mesh);
    let collection = accelerator.collection_noc;
    assert_eq!((collection.bandwidth, collection.hop_latency), (8, 5));
    assert!(!collection.implicit_reduction && !collection.reduction_op);
    assert_eq!(collection.topology, NocTopology::Tree);
    assert_eq!(
        (
            accelerator.offchip.bandwidth,
            accelerator.offchip.latency,
            accelerator.offchip.duplex
        ),
        (4, 120, Duplex::Full)
    );
    let energy = accelerator.energy;
    assert_eq!(
        [
            energy.mac,
            energy.l1_access,
            energy.l2_access,
            energy.offchip_access,
            energy.noc_hop
        ],
        [1.0, 2.0, 3.5, 400.0, 0.0]
    );
}

#[test]
fn missing_keys_keep_their_defaults() {
    let accelerator = parse_accelerator_toml("partial.toml", "[pe]\ncount = 32\n").unwrap();
    assert_eq!(
        accelerator,
        Accelerator {
            num_pes: 32,
            ..Accelerator::default()
        }
    );
}

#[test]
fn every_out_of_range_value_is_reported_with_its_span() {
    let text = "[pe]\ncount = 0\n[l1]\nsize = 4294967296\n[energy]\nmac = -1.0\n";
    let error = parse_accelerator_toml("bad.toml", text).unwrap_err();
    let problems: Vec<_> = error.problems().collect();
    assert_eq!(problems.len(), 3);
    let spanned_text: Vec<&str> = problems
        .iter()
        .map(|problem| {
            let span = problem.span.expect("range problems always have a span");
            &text[span.offset()..span.offset() + span.len()]
        })
        .collect();
    assert_eq!(spanned_text, ["0", "4294967296", "-1.0"]);
}

#[test]
fn limits_are_inclusive() {
    let text = format!(
        "[pe]\ncount = {}\n[offchip]\nlatency = 0\n",
        maestro_ir::limits::MAX_PES
    );
    let accelerator = parse_accelerator_toml("edge.toml", &text).unwrap();
    assert_eq!(accelerator.num_pes, maestro_ir::limits::MAX_PES);
    let too_many = format!("[pe]\ncount = {}\n", maestro_ir::limits::MAX_PES + 1);
    assert!(parse_accelerator_toml("edge.toml", &too_many).is_err());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
    /// A PE count is accepted exactly when it is within 1..=MAX_PES, and then reaches the accelerator
    /// unchanged; a rejected one is reported with the span of the number.
    #[test]
    fn pe_counts_are_accepted_exactly_in_range(count in 0u64..(1 << 26)) {
        let text = format!("[pe]\ncount = {count}\n");
        let in_range = (1..=maestro_ir::limits::MAX_PES).contains(&count);
        match parse_accelerator_toml("pe.toml", &text) {
            Ok(accelerator) => {
                proptest::prop_assert!(in_range);
                proptest::prop_assert_eq!(accelerator.num_pes, count);
            }
            Err(error) => {
                proptest::prop_assert!(!in_range);
                let span = error.problems().next().and_then(|problem| problem.span).unwrap();
                proptest::prop_assert_eq!(&text[span.offset()..span.offset() + span.len()], count.to_string());
            }
        }
    }
}
