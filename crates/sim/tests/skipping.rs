//! Closed-form skipping of repeated steady-state iterations is exact: on random layers, mappings and
//! hardware (every topology, with and without multicast, reduction, double buffering, and an L2 too
//! small for the layer), the report with skipping equals the report played step by step, except for
//! the count of skipped steps.

mod common;

use maestro_sim::{LayerSimReport, SimBuilder, SimOptions};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

fn simulate(case: &common::Case, skip: bool) -> LayerSimReport {
    SimBuilder::new(&case.hardware)
        .options(SimOptions {
            skip_steady_state: skip,
            ignore_capacity: true,
            ..SimOptions::default()
        })
        .build()
        .expect("valid hardware")
        .run_layer(&case.layer)
        .expect("simulates")
}

/// Whether skipping changed nothing; returns the number of skipped steps.
fn check(case: &common::Case) -> Result<u64, TestCaseError> {
    let skipped = simulate(case, true);
    let stepped = simulate(case, false);
    prop_assert_eq!(stepped.steps_skipped_in_closed_form, 0);
    let count = skipped.steps_skipped_in_closed_form;
    prop_assert_eq!(
        LayerSimReport {
            steps_skipped_in_closed_form: 0,
            ..skipped
        },
        stepped
    );
    Ok(count)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn skipping_changes_nothing_but_its_counter(case in common::case(16, 3)) {
        if let Some(case) = case {
            check(&case)?;
        }
    }
}

#[test]
fn skipping_happens_in_many_random_cases() {
    // The property above would hold trivially if nothing were ever skipped.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = common::case(16, 3);
    let (mut valid, mut skipping) = (0, 0);
    for _ in 0..100 {
        let Some(case) = strategy.new_tree(&mut runner).expect("a case").current() else {
            continue;
        };
        valid += 1;
        if check(&case).expect("skipping is exact") > 0 {
            skipping += 1;
        }
    }
    assert!(
        skipping * 4 >= valid,
        "only {skipping} of {valid} cases skipped anything"
    );
}
