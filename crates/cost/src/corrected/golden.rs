//! Golden outputs of the corrected model over the project's own corpus: every workload model file with
//! every dataflow template, and every workload mapping file, on the default hardware and every TOML
//! preset. Every number of every layer (the reference row and the detail, warnings included) goes into
//! a per-case digest, so any optimisation that changes an answer fails here; the default hardware's
//! per-layer numbers are also written out in full, to show *what* changed.

use super::analyze_network;
use crate::{AnalysisOptions, LayerCost, ModelMode};
use expect_test::expect_file;
use maestro_ir::{Accelerator, Network};
use maestro_templates::DataflowStyle;
use std::fmt::Write;

const MODELS: [(&str, &str); 5] = [
    ("alexnet", include_str!("../../../../workloads/alexnet.m")),
    (
        "bert_base_encoder",
        include_str!("../../../../workloads/bert_base_encoder.m"),
    ),
    (
        "mobilenet_v2",
        include_str!("../../../../workloads/mobilenet_v2.m"),
    ),
    ("resnet50", include_str!("../../../../workloads/resnet50.m")),
    ("vgg16", include_str!("../../../../workloads/vgg16.m")),
];

const MAPPINGS: [(&str, &str); 10] = [
    (
        "alexnet_kcp_ws",
        include_str!("../../../../workloads/mappings/alexnet_kcp_ws.m"),
    ),
    (
        "alexnet_yxp_os",
        include_str!("../../../../workloads/mappings/alexnet_yxp_os.m"),
    ),
    (
        "bert_base_encoder_kcp_ws",
        include_str!("../../../../workloads/mappings/bert_base_encoder_kcp_ws.m"),
    ),
    (
        "bert_base_encoder_yxp_os",
        include_str!("../../../../workloads/mappings/bert_base_encoder_yxp_os.m"),
    ),
    (
        "mobilenet_v2_kcp_ws",
        include_str!("../../../../workloads/mappings/mobilenet_v2_kcp_ws.m"),
    ),
    (
        "mobilenet_v2_yxp_os",
        include_str!("../../../../workloads/mappings/mobilenet_v2_yxp_os.m"),
    ),
    (
        "resnet50_kcp_ws",
        include_str!("../../../../workloads/mappings/resnet50_kcp_ws.m"),
    ),
    (
        "resnet50_yxp_os",
        include_str!("../../../../workloads/mappings/resnet50_yxp_os.m"),
    ),
    (
        "vgg16_kcp_ws",
        include_str!("../../../../workloads/mappings/vgg16_kcp_ws.m"),
    ),
    (
        "vgg16_yxp_os",
        include_str!("../../../../workloads/mappings/vgg16_yxp_os.m"),
    ),
];

const PRESETS: [(&str, &str); 5] = [
    (
        "cloud1024",
        include_str!("../../../../hardware/cloud1024.toml"),
    ),
    ("edge64", include_str!("../../../../hardware/edge64.toml")),
    ("example", include_str!("../../../../hardware/example.toml")),
    ("eyeriss", include_str!("../../../../hardware/eyeriss.toml")),
    ("maeri", include_str!("../../../../hardware/maeri.toml")),
];

/// `(name, hardware)`: the default accelerator first, then every TOML preset.
pub(super) fn hardware_presets() -> Vec<(&'static str, Accelerator)> {
    let mut presets = vec![("default", Accelerator::default())];
    for (name, text) in PRESETS {
        let accelerator = maestro_config::parse_accelerator_toml(name, text)
            .unwrap_or_else(|error| panic!("preset {name}: {error:?}"));
        presets.push((name, accelerator));
    }
    presets
}

fn parse(name: &str, text: &str) -> Network {
    maestro_dsl::parse_network(name, text.as_bytes())
        .unwrap_or_else(|_| panic!("{name} parses"))
        .network
}

/// `(case name, network or why it could not be mapped)` for one hardware preset: every model with every
/// template (templates adapt to the PE count), then every mapping file.
pub(super) fn corpus(hardware: &Accelerator) -> Vec<(String, Result<Network, String>)> {
    let mut cases = Vec::new();
    for (name, text) in MODELS {
        let network = parse(name, text);
        for style in DataflowStyle::ALL {
            let mapped = maestro_templates::apply(style, &network, hardware)
                .map_err(|error| format!("template error: {error}"));
            cases.push((format!("{name} {}", style.name()), mapped));
        }
    }
    for (name, text) in MAPPINGS {
        cases.push((format!("{name} (file)"), Ok(parse(name, text))));
    }
    cases
}

/// FNV-1a, 64 bits: a stable digest that does not depend on the standard library's hasher.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn layer_line(cost: &LayerCost) -> String {
    let row = &cost.row;
    let mut line = format!(
        "{} runtime={} energy={:?} peak_bw={} l1_req={} l2_req={}",
        row.layer,
        row.runtime_cycles,
        row.energy_nj,
        row.peak_noc_bw,
        row.l1_size_req,
        row.l2_size_req
    );
    if let Some(detail) = &cost.detail {
        let _ = write!(
            line,
            " l2_in={}/{} l2_w={}/{} l2_out={}/{} sent={}/{}/{} delivered={}/{}/{} psum={}/{} red={} fill={} steady={} edge={} drain={} warnings={}",
            detail.l2.input.reads,
            detail.l2.input.writes,
            detail.l2.weight.reads,
            detail.l2.weight.writes,
            detail.l2.output.reads,
            detail.l2.output.writes,
            detail.noc_sent.input,
            detail.noc_sent.weight,
            detail.noc_sent.output,
            detail.noc_delivered.input,
            detail.noc_delivered.weight,
            detail.noc_delivered.output,
            detail.partial_sum_writes,
            detail.partial_sum_reloads,
            detail.reductions,
            detail.runtime.fill,
            detail.runtime.steady,
            detail.runtime.edge,
            detail.runtime.drain,
            detail.warnings.len(),
        );
    }
    line
}

/// Renders the digests of every case on every preset, and the default hardware's layers in full.
fn render() -> (String, String) {
    let options = AnalysisOptions {
        mode: ModelMode::Corrected,
        threads: 1,
    };
    let mut digests = String::new();
    let mut layers = String::new();
    for (hardware_name, hardware) in hardware_presets() {
        for (case, network) in corpus(&hardware) {
            let outcome = network.and_then(|network| {
                analyze_network(&network, &hardware, &options).map_err(|error| error.to_string())
            });
            match outcome {
                Err(error) => {
                    let _ = writeln!(digests, "{case} @ {hardware_name}: error: {error}");
                }
                Ok(cost) => {
                    let everything = format!("{:?}", cost.layers);
                    let runtime: i64 = cost.layers.iter().map(|l| l.row.runtime_cycles).sum();
                    let _ = writeln!(
                        digests,
                        "{case} @ {hardware_name}: layers={} runtime={runtime} digest={:016x}",
                        cost.layers.len(),
                        fnv1a(&everything)
                    );
                    if hardware_name == "default" {
                        let _ = writeln!(layers, "# {case}");
                        for layer in &cost.layers {
                            let _ = writeln!(layers, "{}", layer_line(layer));
                        }
                    }
                }
            }
        }
    }
    (digests, layers)
}

#[test]
fn corpus_outputs_match_the_recorded_golden_files() {
    let (digests, layers) = render();
    expect_file!["golden/digests.txt"].assert_eq(&digests);
    expect_file!["golden/default_layers.txt"].assert_eq(&layers);
}
