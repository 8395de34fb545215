//! Fuzzing the engines: random layers (every layer type, random shapes and strides) with random
//! written mappings, on random small accelerators. Whatever the shared expansion accepts, the
//! analytical model and the simulator must evaluate without panicking — or reject with a typed
//! error — and when both succeed they must agree on the MAC count, which must equal the layer's.
//! The CI runs a smoke count; `PROPTEST_CASES=1000000 cargo test --release -p maestro-validate
//! --test fuzz` is the long run.

use maestro_cost::{AnalysisOptions, ModelMode};
use maestro_ir::{Accelerator, Expansion};
use maestro_sim::{SimBuilder, SimOptions};
use proptest::prelude::*;

fn case_count(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

const TYPES: [&str; 5] = ["CONV", "DSCONV", "TRCONV", "NGCONV", "GEMM"];

/// One cluster level: every dimension once, in a random order, one of them spatial; each tile is 1,
/// 2, 3 or the whole dimension, and advances by at most its size (so tiles never leave gaps).
fn level(dims: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    (
        Just(dims.to_vec()).prop_shuffle(),
        0..dims.len(),
        prop::collection::vec((0u8..4, 0u8..4), dims.len()),
    )
        .prop_map(|(order, spatial, tiles)| {
            // Filters are never split or spread; input rows and columns move by one window or whole.
            let spatial_dim = match order[spatial] {
                "R" | "S" => order
                    .iter()
                    .copied()
                    .find(|dim| !matches!(*dim, "R" | "S"))
                    .unwrap_or("K"),
                dim => dim,
            };
            order
                .iter()
                .zip(tiles)
                .map(|(dim, (tile, offset))| {
                    let kind = if *dim == spatial_dim {
                        "SpatialMap"
                    } else {
                        "TemporalMap"
                    };
                    let window = match *dim {
                        "R" | "S" => Some((format!("Sz({dim})"), format!("Sz({dim})"))),
                        "Y" if tile % 2 == 0 => Some(("Sz(R)".to_owned(), "1".to_owned())),
                        "X" if tile % 2 == 0 => Some(("Sz(S)".to_owned(), "1".to_owned())),
                        "Y" | "X" => Some((format!("Sz({dim})"), format!("Sz({dim})"))),
                        _ => None,
                    };
                    if let Some((size, offset)) = window {
                        return format!("{kind}({size},{offset}) {dim};");
                    }
                    let (size, offset) = match tile {
                        3 => (
                            format!("Sz({dim})"),
                            if offset == 0 {
                                "1".to_owned()
                            } else {
                                format!("Sz({dim})")
                            },
                        ),
                        _ => {
                            let size = u64::from(tile) + 1;
                            (size.to_string(), (u64::from(offset) % size + 1).to_string())
                        }
                    };
                    format!("{kind}({size},{offset}) {dim};")
                })
                .collect()
        })
}

/// One to three levels joined by clusters of 1 to 8 sub-clusters.
fn mapping(dims: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec((level(dims), 1u64..9), 1..4).prop_map(|levels| {
        let mut directives = Vec::new();
        for (index, (level, cluster)) in levels.into_iter().enumerate() {
            if index > 0 {
                directives.push(format!("Cluster({cluster},P);"));
            }
            directives.extend(level);
        }
        directives
    })
}

fn dims_of(layer_type: &str) -> &'static [&'static str] {
    match layer_type {
        "GEMM" => &["M", "N", "K"],
        "NGCONV" => &["G", "K", "C", "R", "S", "Y", "X"],
        _ => &["K", "C", "R", "S", "Y", "X"],
    }
}

fn layer_text() -> impl Strategy<Value = String> {
    (0..TYPES.len(), 1u64..3).prop_flat_map(|(type_index, stride)| {
        let layer_type = TYPES[type_index];
        let dims = dims_of(layer_type);
        (
            prop::collection::vec(1u64..9, dims.len()),
            mapping(dims),
        )
            .prop_map(move |(extents, directives)| {
                let dimensions: Vec<String> = dims
                    .iter()
                    .zip(&extents)
                    .map(|(dim, extent)| {
                        // Filters of at most 3, inputs of at least 4: every shape is legal.
                        let extent = match *dim {
                            "Y" | "X" => extent + 3,
                            "R" | "S" => (extent - 1) % 3 + 1,
                            _ => *extent,
                        };
                        format!("{dim}: {extent}")
                    })
                    .collect();
                let stride = if layer_type == "GEMM" {
                    String::new()
                } else {
                    format!("    Stride {{ X: {stride}, Y: {stride} }}\n")
                };
                format!(
                    "Network fuzz {{\n  Layer L {{\n    Type: {layer_type}\n{stride}    Dimensions {{ {} }}\n    Dataflow {{\n      {}\n    }}\n  }}\n}}\n",
                    dimensions.join(", "),
                    directives.join("\n      ")
                )
            })
    })
}

fn accelerator() -> impl Strategy<Value = Accelerator> {
    (
        1u64..65,
        1u64..5,
        prop::sample::select(vec![1u64, 4, 64, 1 << 20]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(pes, bandwidth, l1, multicast, reduction)| {
            let mut accelerator = Accelerator {
                num_pes: pes,
                l1_size: l1,
                ..Accelerator::default()
            };
            accelerator.distribution_noc.bandwidth = bandwidth;
            accelerator.collection_noc.bandwidth = bandwidth;
            accelerator.distribution_noc.multicast = multicast;
            accelerator.collection_noc.implicit_reduction = reduction;
            accelerator
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: case_count(64), ..ProptestConfig::default() })]

    #[test]
    fn both_engines_evaluate_what_the_expansion_accepts(text in layer_text(), accelerator in accelerator()) {
        let Ok(parsed) = maestro_dsl::parse_network("fuzz.m", text.as_bytes()) else {
            return Ok(());
        };
        let network = parsed.network;
        let layer = &network.layers[0];
        if Expansion::new(layer, accelerator.num_pes).is_err() {
            return Ok(());
        }
        let macs = layer.loop_bounds().map(|bounds| bounds.macs()).ok();
        let options = AnalysisOptions { mode: ModelMode::Corrected, threads: 1 };
        let cost = maestro_cost::analyze_network(&network, &accelerator, &options);
        let simulator = SimBuilder::new(&accelerator)
            .options(SimOptions { threads: 1, ignore_capacity: true, ..SimOptions::default() })
            .build();
        prop_assert!(simulator.is_ok(), "{:?}", simulator.err());
        let simulated = simulator.expect("checked").run_layer(layer);
        if let (Ok(cost), Ok(simulated), Some(macs)) = (&cost, &simulated, macs) {
            prop_assert_eq!(cost.layers[0].row.macs as u64, macs, "{}", text);
            prop_assert_eq!(simulated.macs, macs, "{}", text);
        }
    }
}
