//! The harness end to end on a small network: a run checked against its own baseline passes; the
//! model with its ingress halved fails the gate with a message naming the case, the layer and the
//! quantity; a case the simulator cannot run is a failure, never a pass; suite files are read with
//! span-labelled errors.

use maestro_ir::{Accelerator, Network};
use maestro_validate::{
    check_against_baseline, parse_suite, validate_network, Baseline, CaseOutcome, GateFinding,
    Perturbation, Quantity, ValidationOptions,
};

/// A convolution and a matrix multiply with written mappings (the CLI's test network).
const TINY: &str = include_str!("../../cli/tests/data/tiny.m");
const DATAFLOWS: [&str; 5] = ["kcp_ws", "nlr", "xp_ws", "yxp_os", "rs"];

const SUITE: &str = r#"
[tolerance]
runtime = 0.5

[[case]]
name = "starved"
mapping = "tiny.m"
[case.overrides]
noc_bw = 2
"#;

fn tiny() -> Network {
    match maestro_dsl::parse_network("tiny.m", TINY.as_bytes()) {
        Ok(parsed) => parsed.network,
        Err(diagnostics) => panic!("tiny.m does not parse: {diagnostics:?}"),
    }
}

fn starved_accelerator() -> Accelerator {
    let suite = parse_suite("suite.toml", SUITE, &DATAFLOWS).expect("the suite parses");
    suite.cases[0].overrides.apply(Accelerator::default())
}

fn run(perturbation: Perturbation) -> CaseOutcome {
    let options = ValidationOptions {
        threads: 2,
        perturbation,
        ..ValidationOptions::default()
    };
    CaseOutcome {
        case: "starved".to_owned(),
        result: validate_network(&tiny(), &starved_accelerator(), &options)
            .map_err(|error| error.to_string()),
    }
}

#[test]
fn a_run_passes_against_its_own_baseline() {
    let suite = parse_suite("suite.toml", SUITE, &DATAFLOWS).expect("the suite parses");
    let outcome = run(Perturbation::None);
    let validation = outcome.result.as_ref().expect("the case runs");
    assert_eq!(validation.layers.len(), 2);
    let baseline = Baseline::from_results([("starved", validation)]);
    let reread = Baseline::from_json(&baseline.to_json()).expect("the baseline reads back");
    assert_eq!(reread, baseline);
    let report = check_against_baseline(&suite, &[outcome], &reread);
    assert!(report.passed(), "{:?}", report.findings);
    assert_eq!(report.comparisons, 2 * Quantity::ALL.len());
}

#[test]
fn halving_the_models_ingress_fails_the_gate_naming_case_layer_and_quantity() {
    let suite = parse_suite("suite.toml", SUITE, &DATAFLOWS).expect("the suite parses");
    let honest = run(Perturbation::None);
    let baseline =
        Baseline::from_results([("starved", honest.result.as_ref().expect("the case runs"))]);
    let broken = run(Perturbation::halved_ingress());
    let validation = broken.result.as_ref().expect("the perturbed case runs");
    assert_eq!(
        validation.perturbation.as_deref(),
        Some("analytical ingress scaled by 1/2")
    );
    let report = check_against_baseline(&suite, &[broken], &baseline);
    assert!(!report.passed(), "a halved ingress must fail the gate");
    let messages: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert!(
        report.findings.iter().all(|finding| matches!(
            finding,
            GateFinding::Drift {
                quantity: Quantity::Runtime,
                ..
            }
        )),
        "only the runtime moves: {messages:?}"
    );
    let first = &messages[0];
    assert!(first.starts_with("case `starved`, layer `"), "{first}");
    assert!(first.contains("Runtime error moved from"), "{first}");
}

#[test]
fn a_case_the_simulator_cannot_run_fails_the_gate() {
    let suite = parse_suite("suite.toml", SUITE, &DATAFLOWS).expect("the suite parses");
    let mut accelerator = starved_accelerator();
    accelerator.offchip.bandwidth = 0;
    let result = validate_network(&tiny(), &accelerator, &ValidationOptions::default())
        .map_err(|error| error.to_string());
    let reason = result.as_ref().err().cloned().unwrap_or_default();
    assert!(reason.contains("off-chip bandwidth is 0"), "{reason}");
    let outcome = CaseOutcome {
        case: "starved".to_owned(),
        result,
    };
    let report = check_against_baseline(&suite, &[outcome], &Baseline::default());
    assert_eq!(
        report.findings,
        vec![GateFinding::CaseFailed {
            case: "starved".to_owned(),
            reason
        }]
    );
}

#[test]
fn a_case_missing_from_the_baseline_fails_the_gate() {
    let suite = parse_suite("suite.toml", SUITE, &DATAFLOWS).expect("the suite parses");
    let report = check_against_baseline(&suite, &[run(Perturbation::None)], &Baseline::default());
    assert_eq!(
        report.findings,
        vec![GateFinding::MissingCase {
            case: "starved".to_owned()
        }]
    );
}

#[test]
fn layer_subsets_keep_the_suite_order_and_reject_unknown_layers() {
    let text = "[[case]]\nname = \"subset\"\nmapping = \"tiny.m\"\nlayers = [\"FC\", \"CONV1\"]\n\
                [[case]]\nname = \"typo\"\nmapping = \"tiny.m\"\nlayers = [\"FC\", \"CONV9\"]\n";
    let suite = parse_suite("suite.toml", text, &DATAFLOWS).expect("the suite parses");
    let subset = suite
        .select_layers(&suite.cases[0], &tiny())
        .expect("both layers exist");
    let names: Vec<&str> = subset
        .layers
        .iter()
        .map(|layer| layer.name.as_str())
        .collect();
    assert_eq!(names, ["FC", "CONV1"]);
    let error = suite
        .select_layers(&suite.cases[1], &tiny())
        .expect_err("CONV9 does not exist");
    assert!(
        error.message.contains("no layer `CONV9`"),
        "{}",
        error.message
    );
    let offset = text.find("\"CONV9\"").unwrap_or_default();
    assert_eq!(
        miette::Diagnostic::labels(&error)
            .and_then(|mut labels| labels.next())
            .map(|label| label.offset()),
        Some(offset)
    );
}

#[test]
fn suite_errors_point_at_the_offending_text() {
    let cases = [
        ("[[case]]\nname = \"a\"\nmapping = \"x.m\"\ncolour = 1\n", "colour", "unknown field"),
        (
            "[[case]]\nname = \"a\"\nmodel = \"x.m\"\ndataflow = \"zigzag\"\n",
            "\"zigzag\"",
            "unknown dataflow `zigzag`",
        ),
        (
            "[[case]]\nname = \"a\"\nmapping = \"x.m\"\n[[case]]\nname = \"a\"\nmapping = \"y.m\"\n",
            "\"a\"\nmapping = \"y.m\"",
            "two cases are named `a`",
        ),
        (
            "[[case]]\nname = \"a\"\nmapping = \"x.m\"\nmodel = \"y.m\"\n",
            "\"y.m\"",
            "either `mapping` or `model`",
        ),
        (
            "[[case]]\nname = \"a\"\nmapping = \"x.m\"\n[case.overrides]\nnoc_bw = 0\n",
            "0",
            "`noc_bw` must be between 1",
        ),
        (
            "[tolerance]\nruntime = -1.0\n[[case]]\nname = \"a\"\nmapping = \"x.m\"\n",
            "-1.0",
            "tolerance must be between 0 and 1000",
        ),
        (
            "[[case]]\nname = \"a\"\nmapping = \"x.m\"\n[case.overrides]\nnoc_topology = \"ring\"\n",
            "\"ring\"",
            "unknown variant `ring`",
        ),
    ];
    for (text, offending, message) in cases {
        let error = parse_suite("suite.toml", text, &DATAFLOWS).expect_err(message);
        assert!(
            error.message.contains(message),
            "{message:?} not in {:?}",
            error.message
        );
        let offset = text.rfind(offending).unwrap_or_default();
        let label_offset = miette::Diagnostic::labels(&error)
            .and_then(|mut labels| labels.next())
            .map(|label| label.offset());
        assert_eq!(label_offset, Some(offset), "{message}");
    }
    assert!(parse_suite("suite.toml", "", &DATAFLOWS)
        .expect_err("no cases")
        .message
        .contains("no [[case]]"));
}
