//! The simulator walks the shared iteration space: every PE computes exactly the regions the
//! expansion (`maestro_ir::expansion`) assigns to it, in the same order.

mod common;

use maestro_ir::{Accelerator, Expansion, Region};
use maestro_sim::SimBuilder;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn per_pe_from_expansion(case: &common::Case) -> BTreeMap<u64, Vec<Region>> {
    let expansion = Expansion::new(&case.layer, case.hardware.num_pes).expect("expands");
    let mut per_pe: BTreeMap<u64, Vec<Region>> = BTreeMap::new();
    expansion
        .for_each_pe_work(|pe, region| per_pe.entry(u64::from(pe.0)).or_default().push(*region));
    per_pe
}

fn per_pe_from_simulator(case: &common::Case) -> BTreeMap<u64, Vec<Region>> {
    let simulator = SimBuilder::new(&case.hardware)
        .build()
        .expect("valid hardware");
    let mut per_pe: BTreeMap<u64, Vec<Region>> = BTreeMap::new();
    simulator
        .for_each_pe_work(&case.layer, |pe, region| {
            per_pe.entry(pe).or_default().push(*region)
        })
        .expect("expands");
    per_pe
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_pe_works_on_the_expansions_regions_in_its_order(case in common::case(9, 3)) {
        let Some(case) = case else { return Ok(()); };
        prop_assert_eq!(per_pe_from_simulator(&case), per_pe_from_expansion(&case));
    }
}

#[test]
fn edge_tiles_at_two_levels_match_the_expansion() {
    // K = 7 over 2 clusters of 3 PEs: the second cluster's K tile is an edge tile, so its inner level
    // has fewer steps (it idles in the lock-step schedule) and a partial last fold. The first cluster's
    // K tile (5) folds over its 3 PEs; the second's (2) leaves its third PE without work.
    let levels = vec![
        (1, vec![(0, true, 5), (4, false, 4)]),
        (3, vec![(0, true, 1), (1, false, 4), (5, false, 3)]),
    ];
    let layer = common::build_layer([7, 5, 3, 2, 5, 6], 1, &levels, 6).expect("a valid mapping");
    let case = common::Case {
        layer,
        hardware: Accelerator {
            num_pes: 6,
            ..Accelerator::default()
        },
    };
    let simulated = per_pe_from_simulator(&case);
    assert_eq!(simulated, per_pe_from_expansion(&case));
    assert_eq!(simulated.len(), 5);
}

#[test]
fn the_random_cases_are_mostly_valid_mappings() {
    // Guards the property test above against testing nothing: most generated mappings expand.
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = common::case(9, 3);
    let valid = (0..200)
        .filter(|_| {
            strategy
                .new_tree(&mut runner)
                .expect("a case")
                .current()
                .is_some()
        })
        .count();
    assert!(valid > 100, "only {valid} of 200 cases were valid");
}
