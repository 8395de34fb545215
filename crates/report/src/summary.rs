//! The short summary `maestro check` prints: the network name, layer counts by type, and per layer its
//! type, cluster levels and MAC count, with the total.

use comfy_table::{presets, CellAlignment, Table};
use maestro_ir::{LayerType, Network};

/// Renders the summary. Layers whose loop nest cannot be formed show `invalid` instead of a MAC count
/// and are left out of the total (the caller reports why).
pub fn render_network_summary(network: &Network) -> String {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(["Layer", "Type", "Cluster levels", "MACs"]);
    let mut total_macs: u64 = 0;
    for layer in &network.layers {
        let levels = match &layer.mapping {
            Some(mapping) => mapping.levels().len().to_string(),
            None => "none".to_owned(),
        };
        let macs = match layer.loop_bounds() {
            Ok(bounds) => {
                total_macs = total_macs.saturating_add(bounds.macs());
                bounds.macs().to_string()
            }
            Err(_) => "invalid".to_owned(),
        };
        table.add_row([
            crate::cell::name_cell(&layer.name),
            layer.layer_type.to_string(),
            levels,
            macs,
        ]);
    }
    for column in [2, 3] {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!(
        "network: {}\nlayers: {}\n{table}\ntotal MACs: {total_macs}\n",
        network.name,
        layer_counts(network)
    )
}

/// `3 (CONV 2, GEMM 1)`: the count, then the count per type in a fixed type order.
fn layer_counts(network: &Network) -> String {
    const ORDER: [LayerType; 5] = [
        LayerType::Conv,
        LayerType::TransposedConv,
        LayerType::DepthwiseConv,
        LayerType::GroupedConv,
        LayerType::Gemm,
    ];
    let per_type: Vec<String> = ORDER
        .iter()
        .filter_map(|&layer_type| {
            let count = network
                .layers
                .iter()
                .filter(|layer| layer.layer_type == layer_type)
                .count();
            (count > 0).then(|| format!("{layer_type} {count}"))
        })
        .collect();
    if per_type.is_empty() {
        network.layers.len().to_string()
    } else {
        format!("{} ({})", network.layers.len(), per_type.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use maestro_ir::{
        ClusterDirective, ClusterKind, Dim, Directive, Layer, MapDirective, Mapping, Strides,
    };

    #[test]
    fn summary_golden() {
        let mapping = Mapping::new(vec![
            Directive::Map(MapDirective::spatial(1, 1, Dim::K)),
            Directive::Cluster(ClusterDirective {
                size: 8,
                kind: ClusterKind::Physical,
            }),
            Directive::Map(MapDirective::spatial(1, 1, Dim::C)),
        ]);
        let network = Network {
            name: "mini".into(),
            layers: vec![
                Layer {
                    name: "CONV1".into(),
                    layer_type: LayerType::Conv,
                    dimensions: vec![
                        (Dim::K, 8),
                        (Dim::C, 4),
                        (Dim::R, 3),
                        (Dim::S, 3),
                        (Dim::Y, 10),
                        (Dim::X, 10),
                    ],
                    strides: Strides::default(),
                    mapping: Some(mapping),
                },
                Layer {
                    name: "FC".into(),
                    layer_type: LayerType::Gemm,
                    dimensions: vec![(Dim::M, 16), (Dim::N, 1), (Dim::K, 32)],
                    strides: Strides::default(),
                    mapping: None,
                },
                Layer {
                    name: "BROKEN".into(),
                    layer_type: LayerType::Gemm,
                    dimensions: vec![(Dim::M, 16)],
                    strides: Strides::default(),
                    mapping: None,
                },
            ],
        };
        expect![[r#"
            network: mini
            layers: 3 (CONV 1, GEMM 2)
            ┌────────┬──────┬────────────────┬─────────┐
            │ Layer  ┆ Type ┆ Cluster levels ┆    MACs │
            ╞════════╪══════╪════════════════╪═════════╡
            │ CONV1  ┆ CONV ┆              2 ┆   18432 │
            │ FC     ┆ GEMM ┆           none ┆     512 │
            │ BROKEN ┆ GEMM ┆           none ┆ invalid │
            └────────┴──────┴────────────────┴─────────┘
            total MACs: 18944
        "#]]
        .assert_eq(&render_network_summary(&network));
    }
}
