//! One verdict: `maestro check` accepts exactly the mappings `maestro analyze` accepts, with the same
//! error, on random layers and directives (gaps between tiles, oversized clusters, missing spatial
//! maps, windows larger than tiles, ...), with and without a hardware description.

mod common;

use common::{maestro, transcript};
use proptest::prelude::*;

const DIMS: [&str; 6] = ["K", "C", "R", "S", "Y", "X"];

/// One directive: a map of a dimension (with a size and offset from a few shapes) or a cluster.
fn directive() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0..DIMS.len(), prop::bool::ANY, 0u32..6, 0u32..6).prop_map(|(dim, spatial, size, offset)| {
            let kind = if spatial { "SpatialMap" } else { "TemporalMap" };
            let dim = DIMS[dim];
            let value = |code: u32| match code {
                0 => "1".to_owned(),
                1 => "2".to_owned(),
                2 => "3".to_owned(),
                3 => "8".to_owned(),
                4 => "Sz(R)".to_owned(),
                _ => "Sz(S)".to_owned(),
            };
            format!("{kind}({},{}) {dim};", value(size), value(offset))
        }),
        1 => prop_oneof![Just(2u64), Just(8), Just(64), Just(100_000)]
            .prop_map(|size| format!("Cluster({size},P);")),
    ]
}

fn mapping_file() -> impl Strategy<Value = String> {
    (
        (1u64..20, 1u64..20, 1u64..4, 1u64..4, 3u64..12, 3u64..12),
        prop::collection::vec(directive(), 1..9),
    )
        .prop_map(|((k, c, r, s, y, x), directives)| {
            format!(
                "Network random {{\n  Layer L {{\n    Type: CONV\n    Dimensions {{ K: {k}, C: {c}, R: {r}, S: {s}, Y: {y}, X: {x} }}\n    Dataflow {{\n      {}\n    }}\n  }}\n}}\n",
                directives.join("\n      ")
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn check_accepts_exactly_what_analyze_accepts(text in mapping_file(), pes in prop_oneof![Just(None), Just(Some("4")), Just(Some("1024"))]) {
        let path = std::env::temp_dir().join(format!("maestro-verdict-{}.m", std::process::id()));
        std::fs::write(&path, &text).expect("writable");
        let path_text = path.display().to_string();
        let mut check_args = vec!["check", "--mapping", &path_text];
        let mut analyze_args = vec!["analyze", "--mapping", &path_text, "--format", "csv"];
        if let Some(pes) = pes {
            check_args.extend(["--num-pes", pes]);
            analyze_args.extend(["--num-pes", pes]);
        }
        let check = maestro(&check_args);
        let analyze = maestro(&analyze_args);
        prop_assert_eq!(
            check.status.code(),
            analyze.status.code(),
            "{}\ncheck: {}\nanalyze: {}",
            text,
            transcript(&check),
            transcript(&analyze)
        );
        if analyze.status.code() != Some(0) {
            prop_assert_eq!(
                String::from_utf8_lossy(&check.stderr),
                String::from_utf8_lossy(&analyze.stderr),
                "{}", text
            );
        }
    }
}

#[test]
fn a_gap_between_tiles_is_rejected_by_every_command_at_its_directive() {
    for command in ["check", "analyze", "simulate", "validate"] {
        let output = maestro(&[command, "--mapping", "crates/cli/tests/data/gap.m"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{command}: {}",
            transcript(&output)
        );
        assert!(
            stderr.contains("crates/cli/tests/data/gap.m:7:7")
                && stderr.contains("would leave gaps"),
            "{command}: {stderr}"
        );
    }
}
