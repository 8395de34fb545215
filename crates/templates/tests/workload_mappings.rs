//! The workloads: their model files read, their sizes are the published ones, and the committed
//! mapping files are exactly what the generator example writes (so they cannot drift), are read back
//! by the `.m` reader and pass the mapping checker.

mod common;
#[path = "support/workload_files.rs"]
mod workload_files;

use maestro_ir::Accelerator;
use maestro_templates::mapping_for;
use std::fs;

#[test]
fn workloads_have_their_published_sizes() {
    let workloads = workload_files::read_workloads().unwrap();
    let summary: Vec<(String, usize, u64)> = workloads
        .iter()
        .map(|workload| {
            let (layers, macs) = workload_files::layers_and_macs(&workload.network).unwrap();
            (workload.stem.clone(), layers, macs)
        })
        .collect();
    // Layer counts from the networks' definitions; MAC totals agree with the usual published figures
    // (AlexNet 0.72 G, VGG-16 15.5 G, ResNet-50 4.1 G, MobileNetV2 300 M, BERT-base 0.93 G per layer
    // at 128 tokens).
    let expected = [
        ("alexnet", 8, 724_406_816),
        ("bert_base_encoder", 30, 931_135_488),
        ("mobilenet_v2", 53, 300_774_272),
        ("resnet50", 54, 4_089_184_256),
        ("vgg16", 16, 15_470_264_320),
    ];
    let expected: Vec<(String, usize, u64)> = expected
        .iter()
        .map(|&(name, layers, macs)| (name.to_string(), layers, macs))
        .collect();
    assert_eq!(summary, expected);
}

#[test]
fn committed_mapping_files_match_the_generator() {
    let accelerator = Accelerator::default();
    for workload in workload_files::read_workloads().unwrap() {
        for style in workload_files::COMMITTED_STYLES {
            let name = workload_files::mapping_file_name(&workload.stem, style);
            let path = workload_files::mappings_dir().join(&name);
            let committed = fs::read_to_string(&path).unwrap_or_else(|error| {
                panic!(
                    "{}: {error}; run the generate_workload_mappings example",
                    path.display()
                )
            });
            let generated = workload_files::mapping_file_text(&workload, style).unwrap();
            assert!(
                committed == generated,
                "{name} differs from the generator's output; rerun the example"
            );

            let parsed = maestro_dsl::parse_network(&name, committed.as_bytes())
                .unwrap_or_else(|diagnostics| panic!("{name}: {diagnostics:?}"));
            assert_eq!(parsed.network.layers.len(), workload.network.layers.len());
            for (read, model) in parsed.network.layers.iter().zip(&workload.network.layers) {
                let mapping = read
                    .mapping
                    .as_ref()
                    .expect("every layer of a mapping file has a mapping");
                assert_eq!(
                    Some(mapping),
                    mapping_for(style, model, &accelerator).ok().as_ref()
                );
                common::check(model, mapping, accelerator.num_pes)
                    .unwrap_or_else(|problem| panic!("{name}, layer {}: {problem}", model.name));
            }
        }
    }
}
