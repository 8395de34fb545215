//! `parse_network(write_network(n)) == n` for every valid network `n`: random layers of every type,
//! random names (quoted when needed), strides, and mappings that pass validation.

use maestro_dsl::{parse_network, write_network};
use maestro_ir::{
    ClusterDirective, ClusterKind, Dim, Directive, Layer, LayerType, MapDirective, Mapping,
    Network, Strides,
};
use proptest::prelude::*;

/// A small deterministic generator, so that one seed describes a whole consistent layer.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.range(1, 100) <= percent
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            let other = self.range(0, index as u64) as usize;
            items.swap(index, other);
        }
    }
}

fn layer(layer_type: LayerType, name: String, seed: u64) -> Layer {
    let mut draw = Draw(seed);
    let mut dimensions: Vec<(Dim, u64)> = Vec::new();
    let mut strides = Strides::default();
    if layer_type == LayerType::Gemm {
        for dim in [Dim::M, Dim::N, Dim::K] {
            dimensions.push((dim, draw.range(1, 40)));
        }
    } else {
        strides = Strides {
            y: draw.range(1, 3),
            x: draw.range(1, 3),
        };
        let (r, s) = (draw.range(1, 4), draw.range(1, 4));
        dimensions.extend([
            (Dim::K, draw.range(1, 16)),
            (Dim::C, draw.range(1, 16)),
            (Dim::R, r),
            (Dim::S, s),
        ]);
        if draw.chance(50) {
            dimensions.push((Dim::N, draw.range(1, 4)));
        }
        if layer_type == LayerType::GroupedConv {
            dimensions.push((Dim::G, draw.range(1, 8)));
        }
        dimensions.push(if draw.chance(50) {
            (Dim::Y, r + draw.range(0, 12))
        } else {
            (Dim::OutY, draw.range(1, 12))
        });
        dimensions.push(if draw.chance(50) {
            (Dim::X, s + draw.range(0, 12))
        } else {
            (Dim::OutX, draw.range(1, 12))
        });
    }
    draw.shuffle(&mut dimensions);
    let mut layer = Layer {
        name,
        layer_type,
        dimensions,
        strides,
        mapping: None,
    };
    if draw.chance(75) {
        layer.mapping = Some(mapping(&layer, &mut draw));
    }
    layer
}

/// A mapping that passes validation: 1–3 levels, each with one or two spatial maps on distinct axes,
/// window tiles at least the filter, whole temporal filter tiles.
fn mapping(layer: &Layer, draw: &mut Draw) -> Mapping {
    let full = |dim: Dim| layer.declared(dim).unwrap_or(1);
    let mut axes: Vec<Dim> = layer.dimensions.iter().map(|&(dim, _)| dim).collect();
    let mut directives = Vec::new();
    let levels = draw.range(1, 3);
    for level in 0..levels {
        if level > 0 {
            let kind = if draw.chance(50) {
                ClusterKind::Physical
            } else {
                ClusterKind::Logical
            };
            directives.push(Directive::Cluster(ClusterDirective {
                size: draw.range(1, 8),
                kind,
            }));
        }
        draw.shuffle(&mut axes);
        let count = draw.range(1, axes.len().min(4) as u64) as usize;
        let spatial = draw.range(1, count.min(2) as u64) as usize;
        let mut maps = Vec::new();
        for (position, &declared) in axes[..count].iter().enumerate() {
            // The input and output coordinates of an axis are interchangeable in directives.
            let dim = match declared.output_alias() {
                Some(alias) if draw.chance(50) => alias,
                _ => declared,
            };
            let (size, offset) = match dim {
                Dim::R | Dim::S if position >= spatial => (full(dim), full(dim)),
                Dim::R | Dim::S => (draw.range(1, full(dim)), draw.range(1, 3)),
                Dim::Y => (full(Dim::R) + draw.range(0, 4), draw.range(1, 4)),
                Dim::X => (full(Dim::S) + draw.range(0, 4), draw.range(1, 4)),
                _ => (draw.range(1, 8), draw.range(1, 8)),
            };
            maps.push(if position < spatial {
                MapDirective::spatial(size, offset, dim)
            } else {
                MapDirective::temporal(size, offset, dim)
            });
        }
        draw.shuffle(&mut maps);
        directives.extend(maps.into_iter().map(Directive::Map));
    }
    Mapping::new(directives)
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z_][A-Za-z0-9_.'-]{0,10}",
        "[ -~]{0,10}",
        "\\PC{0,6}",
        "[a-z\\n\\t\\x01\"\\\\]{0,6}",
    ]
}

fn layer_type() -> impl Strategy<Value = LayerType> {
    prop_oneof![
        Just(LayerType::Conv),
        Just(LayerType::TransposedConv),
        Just(LayerType::DepthwiseConv),
        Just(LayerType::GroupedConv),
        Just(LayerType::Gemm),
    ]
}

fn network() -> impl Strategy<Value = Network> {
    (
        name(),
        proptest::collection::vec((layer_type(), name(), any::<u64>()), 1..6),
    )
        .prop_map(|(name, layers)| Network {
            name,
            layers: layers
                .into_iter()
                .map(|(layer_type, name, seed)| layer(layer_type, name, seed))
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::case_count(1000), ..ProptestConfig::default() })]

    #[test]
    fn written_networks_parse_back_identically(network in network()) {
        let text = write_network(&network);
        let parsed = parse_network("written.m", text.as_bytes());
        match parsed {
            Ok(parsed) => prop_assert_eq!(parsed.network, network),
            Err(diagnostics) => {
                let messages: Vec<String> = diagnostics.iter().map(|d| format!("{}:{}: {}", d.line(), d.column(), d.message())).collect();
                prop_assert!(false, "{}\n{}", messages.join("\n"), text);
            }
        }
    }
}
