//! Worked examples of analytical-model §13 (the reference binary's CSV rows are the expected values) and
//! quirk-specific tests, all on hand-built IR.

use super::*;
use crate::{AnalysisOptions, DelayStats, ModelMode, ReferenceRow};
use maestro_ir::{
    ClusterDirective, ClusterKind, CollectionNoc, DistributionNoc, EnergyTable, LayerType,
    MapDirective, Mapping, NocTopology, OffChipMemory, Strides,
};

const INT_MAX: u64 = i32::MAX as u64;

/// The hardware of a run without a HW file: `--num_pes=P`, infinite NoC, latency 0, off-chip 70000.
fn cli_defaults(num_pes: u64) -> Accelerator {
    Accelerator {
        name: "cli".into(),
        num_pes,
        simd_lanes: 1,
        mac_pipeline_latency: 0,
        l1_size: INT_MAX,
        l2_size: INT_MAX,
        l2_bandwidth: INT_MAX,
        distribution_noc: DistributionNoc {
            bandwidth: INT_MAX,
            hop_latency: 0,
            multicast: true,
            topology: NocTopology::Bus,
        },
        collection_noc: CollectionNoc {
            bandwidth: INT_MAX,
            hop_latency: 0,
            implicit_reduction: true,
            reduction_op: true,
            topology: NocTopology::Bus,
        },
        offchip: OffChipMemory {
            bandwidth: 70000,
            latency: 0,
            duplex: maestro_ir::accelerator::Duplex::Half,
        },
        energy: EnergyTable::default(),
    }
}

fn temporal(size: u64, offset: u64, dim: Dim) -> Directive {
    Directive::Map(MapDirective::temporal(size, offset, dim))
}

fn spatial(size: u64, offset: u64, dim: Dim) -> Directive {
    Directive::Map(MapDirective::spatial(size, offset, dim))
}

fn cluster(size: u64) -> Directive {
    Directive::Cluster(ClusterDirective {
        size,
        kind: ClusterKind::Physical,
    })
}

use maestro_ir::Directive;

fn layer(
    name: &str,
    layer_type: LayerType,
    dims: &[(Dim, u64)],
    stride: u64,
    directives: Vec<Directive>,
) -> Layer {
    Layer {
        name: name.into(),
        layer_type,
        dimensions: dims.to_vec(),
        strides: Strides {
            y: stride,
            x: stride,
        },
        mapping: Some(Mapping::new(directives)),
    }
}

fn network(name: &str, layers: Vec<Layer>) -> Network {
    Network {
        name: name.into(),
        layers,
    }
}

fn compat_options(threads: usize) -> AnalysisOptions {
    AnalysisOptions {
        mode: ModelMode::Compat,
        threads,
    }
}

fn run(network: &Network, accelerator: &Accelerator) -> Vec<ReferenceRow> {
    crate::analyze_network(network, accelerator, &compat_options(1))
        .expect("the analysis succeeds")
        .layers
        .into_iter()
        .map(|cost| cost.row)
        .collect()
}

/// C++ `operator<<` on a double: `%g` with 6 significant digits, `-nan` for NaN.
fn format_real(value: f64) -> String {
    if value.is_nan() {
        return "-nan".into();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    if value == 0.0 {
        return "0".into();
    }
    let scientific = format!("{value:.5e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("scientific notation");
    let exponent: i32 = exponent.parse().expect("exponent");
    let trim = |text: String| {
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    };
    if !(-4..6).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mantissa.to_string()), exponent.abs())
    } else {
        let decimals = (5 - exponent).max(0) as usize;
        trim(format!("{value:.decimals$}"))
    }
}

/// The 52 fields of a row as the reference prints them.
fn fields(row: &ReferenceRow) -> Vec<String> {
    let mut out = vec![
        row.network.clone(),
        row.layer.clone(),
        row.num_pes.to_string(),
        row.runtime_cycles.to_string(),
        format_real(row.energy_nj),
        format_real(row.throughput_macs_per_cycle),
        format_real(row.throughput_per_energy),
        format_real(row.area),
        format_real(row.power),
        row.peak_noc_bw.to_string(),
        format_real(row.avg_noc_bw),
        row.peak_noc_bw.to_string(),
        row.vector_width.to_string(),
        row.offchip_bw.to_string(),
        row.l2_size_req.to_string(),
        row.l1_size_req.to_string(),
        format_real(row.multicast_factor_weight),
        format_real(row.multicast_factor_input),
        row.total_input_pixels.to_string(),
        row.total_weight_pixels.to_string(),
        format_real(row.ops_per_joule),
        row.macs.to_string(),
        format_real(row.pe_power),
        format_real(row.l1_power),
        format_real(row.l2_power),
        format_real(row.noc_power),
    ];
    for tensor in &row.tensors {
        out.extend([
            tensor.l1_read.to_string(),
            tensor.l1_write.to_string(),
            tensor.l2_read.to_string(),
            tensor.l2_write.to_string(),
            format_real(tensor.reuse_factor),
        ]);
    }
    for delay in [row.ingress_delay, row.egress_delay, row.compute_delay] {
        out.extend([
            delay.min.to_string(),
            delay.max.to_string(),
            delay.avg.to_string(),
        ]);
    }
    out.push(format_real(row.avg_utilized_pes));
    out.push(format_real(row.arithmetic_intensity));
    out
}

#[track_caller]
fn assert_row(row: &ReferenceRow, expected_csv: &str) {
    let expected: Vec<&str> = expected_csv.split(',').map(str::trim).collect();
    assert_eq!(expected.len(), 52, "the expected row has 52 fields");
    let actual = fields(row);
    let mismatches: Vec<String> = (0..52)
        .filter(|&i| actual[i] != expected[i])
        .map(|i| {
            format!(
                "field {}: got {}, expected {}",
                i + 1,
                actual[i],
                expected[i]
            )
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

fn example_1() -> Network {
    use Dim::*;
    network(
        "N1",
        vec![layer(
            "A",
            LayerType::Conv,
            &[(K, 4), (C, 2), (R, 3), (S, 3), (Y, 6), (X, 6)],
            1,
            vec![
                spatial(1, 1, K),
                temporal(1, 1, C),
                temporal(3, 1, Y),
                temporal(3, 1, X),
                temporal(3, 3, R),
                temporal(3, 3, S),
            ],
        )],
    )
}

#[test]
fn example_1_one_level_with_sliding_windows() {
    let rows = run(&example_1(), &cli_defaults(4));
    assert_row(
        &rows[0],
        "N1,A,4,288,3.95278,4,1.01195e+09,1.91369e+13,1.50398e+08,5,0.8125,5,1,5,98,54,1,1,72,72,2.9144e+11,1152,\
         4.8892,0.7452,0.3381,1.50398e+08,1152, 144, 144, 72, 8, 1152, 72, 72, 72, 16, 1152, 1152, 64, 128, 1, \
         0, 0, 0, 0, 0, 0, 9, 9, 9, 4, 12",
    );
}

#[test]
fn example_1b_finite_noc_and_offchip() {
    let mut hardware = cli_defaults(4);
    hardware.distribution_noc.bandwidth = 4;
    hardware.distribution_noc.hop_latency = 2;
    hardware.offchip.bandwidth = 3;
    let rows = run(&example_1(), &hardware);
    assert_row(
        &rows[0],
        "N1,A,4,487,3.95278,2.3655,5.9844e+08,44415.8,6.59264,5,0.8125,5,1,5,98,54,1,1,72,72,2.9144e+11,1152,\
         4.8892,0.7452,0.3381,0.620138,1152, 144, 144, 72, 8, 1152, 72, 72, 72, 16, 1152, 1152, 64, 128, 1, \
         2, 13, 3, 2, 2, 2, 9, 9, 9, 4, 12",
    );
}

#[test]
fn example_2_spatial_and_temporal_edges() {
    use Dim::*;
    let network = network(
        "EX2",
        vec![layer(
            "E2",
            LayerType::Conv,
            &[(K, 5), (C, 3), (R, 1), (S, 1), (Y, 1), (X, 1)],
            1,
            vec![spatial(1, 1, K), temporal(2, 2, C)],
        )],
    );
    let rows = run(&network, &cli_defaults(2));
    assert_row(
        &rows[0],
        "EX2,E2,2,9,0.2737,1.66667,6.08939e+09,1.27267e+13,1.00019e+08,6,3.66667,6,1,6,16,10,1,1,3,15,5.48045e+10,\
         15,2.4446,0.069,0.0552,1.00019e+08,15, 8, 8, 3, 1.875, 15, 20, 20, 15, 0.75, 15, 15, 5, 10, 1, 0, 0, 0, \
         0, 0, 0, 1, 2, 1, 1.66667, 0.333333",
    );
}

fn example_3() -> Network {
    use Dim::*;
    network(
        "EX3",
        vec![layer(
            "E3",
            LayerType::Conv,
            &[(K, 2), (C, 2), (R, 3), (S, 3), (Y, 7), (X, 7)],
            2,
            vec![
                spatial(1, 1, K),
                temporal(2, 2, C),
                temporal(3, 1, Y),
                temporal(3, 1, X),
                cluster(2),
                spatial(1, 1, C),
                temporal(3, 1, Y),
                temporal(3, 1, X),
            ],
        )],
    )
}

#[test]
fn example_3_two_cluster_levels_with_stride() {
    let rows = run(&example_3(), &cli_defaults(4));
    assert_row(
        &rows[0],
        "EX3,E3,4,81,1.34401,4,2.97616e+09,1.91369e+13,1.50398e+08,6,1.88889,6,1,6,112,54,1,1,98,36,2.41069e+11,\
         324,4.8892,0.7452,0.3864,1.50398e+08,324, 126, 126, 98, 2.57143, 324, 36, 36, 36, 9, 324, 324, 50, 18, 1, \
         0, 0, 0, 0, 0, 0, 9, 9, 9, 4, 3",
    );
}

#[test]
fn example_4_gemm() {
    use Dim::*;
    let network = network(
        "EX4",
        vec![layer(
            "G1",
            LayerType::Gemm,
            &[(M, 4), (N, 3), (K, 6)],
            1,
            vec![temporal(1, 1, N), spatial(1, 1, M), temporal(3, 3, K)],
        )],
    );
    let rows = run(&network, &cli_defaults(2));
    assert_row(
        &rows[0],
        "EX4,G1,2,36,0.799786,2,2.50067e+09,1.27267e+13,1.00019e+08,3,2.41667,3,1,3,22,14,1,1,24,18,9.00241e+10,72,\
         2.4446,0.0966,0.0759,1.00019e+08,72, 60, 60, 24, 1.2, 72, 27, 27, 18, 2.66667, 72, 72, 12, 24, 1, 0, 0, \
         0, 0, 0, 0, 3, 3, 3, 2, 0.666667",
    );
}

fn example_5(channel_tile: u64, channel_offset: u64) -> Network {
    use Dim::*;
    network(
        "EX5",
        vec![layer(
            "E5",
            LayerType::Conv,
            &[(K, 1), (C, 3), (R, 1), (S, 1), (Y, 1), (X, 1)],
            1,
            vec![spatial(1, 1, K), temporal(channel_tile, channel_offset, C)],
        )],
    )
}

/// Q-A1: an oversized tile's edge is `D − o` when that is not negative.
#[test]
fn example_5_oversized_tile_loses_macs() {
    let row = &run(&example_5(4, 1), &cli_defaults(1))[0];
    assert_eq!((row.macs, row.runtime_cycles), (2, 2));
    assert_eq!(row.tensors[0].l1_read, 2);
    let row = &run(&example_5(4, 4), &cli_defaults(1))[0];
    assert_eq!(row.macs, 3);
    let row = &run(&example_5(4, 2), &cli_defaults(1))[0];
    assert_eq!(row.macs, 1);
}

#[test]
fn example_5_input_l1_requirement_uses_the_oversized_tile() {
    let network = example_5(4, 1);
    let hardware = CompatHardware::from_accelerator(&cli_defaults(1));
    let layer = &network.layers[0];
    let roles = TensorRoles::new(TypeClass::Conv, false);
    let shape = layer_model::layer_shape(layer).unwrap();
    let levels = levels::build_levels(
        &shape,
        &roles,
        layer.mapping.as_ref().unwrap(),
        hardware.num_pes,
    )
    .unwrap();
    let analysis = analysis::analyze_layer(&levels, &roles, &shape.table, &hardware).unwrap();
    assert_eq!(analysis.first_record_l1[Tensor::Input as usize], 8);
}

/// Q-R1: a multi-level layer's energy charges the previous layer's L1 counters, not its own.
#[test]
fn multi_level_energy_uses_the_previous_layers_l1_counters() {
    let mut two_layers = example_1();
    two_layers.layers.push(example_3().layers.remove(0));
    let rows = run(&two_layers, &cli_defaults(4));
    // Example 3's L2 terms (126 + 98 + 36 + 36 + 18) plus example 1's six L1 counters (8104.32 / 1.68).
    let expected = (314.0 * 18.61 + 4824.0 * 1.68) * 0.00023;
    assert!(
        (rows[1].energy_nj - expected).abs() < 1e-9,
        "{} vs {expected}",
        rows[1].energy_nj
    );
    assert_eq!(format_real(rows[0].energy_nj), "3.95278");
}

/// Q-A14: tensor roles come from the first layer of a type class; TRCONV is the same class as CONV.
#[test]
fn tensor_roles_follow_the_first_layer_of_the_type() {
    use Dim::*;
    let dims = [(K, 4), (C, 2), (R, 3), (S, 3), (Y, 6), (X, 6)];
    let with_batch = [(N, 2), (K, 4), (C, 2), (R, 3), (S, 3), (Y, 6), (X, 6)];
    let mapping = example_1().layers[0].mapping.clone().unwrap().directives;
    let first = layer(
        "first",
        LayerType::TransposedConv,
        &dims,
        1,
        mapping.clone(),
    );
    let second = layer("second", LayerType::Conv, &with_batch, 1, mapping.clone());
    let rows = run(&network("roles", vec![first, second]), &cli_defaults(4));
    // `N` is in no tensor, so the second layer's input pixel count ignores it.
    assert_eq!(rows[1].total_input_pixels, 2 * 6 * 6);
    assert_eq!(rows[1].macs, rows[0].macs);

    let first = layer("first", LayerType::Conv, &with_batch, 1, mapping.clone());
    let second = layer("second", LayerType::Conv, &dims, 1, mapping);
    let error = crate::analyze_network(
        &network("roles", vec![first, second]),
        &cli_defaults(4),
        &compat_options(1),
    )
    .unwrap_err();
    assert_eq!((error.layer_index, error.layer.as_str()), (1, "second"));
    assert!(
        error.reason.contains("dimension N not found"),
        "{}",
        error.reason
    );
}

/// Q-P3: rows carry the reference's last-token names.
#[test]
fn rows_use_the_reference_names() {
    let mut named = example_1();
    named.name = "torchvision.models.googlenet".into();
    named.layers[0].name = "Conv2d-1".into();
    let row = &run(&named, &cli_defaults(4))[0];
    assert_eq!(
        (row.network.as_str(), row.layer.as_str()),
        ("torchvision.models.googlenet", "1")
    );
    assert_eq!(quirks::reference_name("a (b):c;d>e"), "e");
    assert_eq!(quirks::reference_name("plain"), "plain");
}

/// A row-stationary-style layer whose per-PE X tile (1) is narrower than its S tile (3).
fn row_stationary_network() -> Network {
    use Dim::*;
    let rs = layer(
        "CONV1",
        LayerType::Conv,
        &[(K, 4), (C, 2), (R, 3), (S, 3), (Y, 8), (X, 8)],
        1,
        vec![
            spatial(1, 1, K),
            temporal(3, 1, Y),
            temporal(8, 8, X),
            cluster(4),
            spatial(1, 1, X),
            spatial(1, 1, S),
            temporal(3, 3, S),
        ],
    );
    network("rs", vec![rs])
}

/// Q-A7: a per-PE X tile narrower than the S window invalidates every inner case; the reference
/// divides by zero at the top, we report the layer.
#[test]
fn row_stationary_window_mismatch_is_an_error_not_a_crash() {
    let error = crate::analyze_network(
        &row_stationary_network(),
        &cli_defaults(16),
        &compat_options(1),
    )
    .unwrap_err();
    assert_eq!(error.layer_index, 0);
    assert!(error.reason.contains("SIGFPE"), "{}", error.reason);
}

/// The reference builds every layer before analysing any: a build error in a later layer is reported
/// even when an earlier layer would crash during analysis.
#[test]
fn build_errors_win_over_earlier_analysis_crashes() {
    let mut network = row_stationary_network();
    network.layers.push(Layer {
        name: "later".into(),
        mapping: None,
        ..network.layers[0].clone()
    });
    let error =
        crate::analyze_network(&network, &cli_defaults(16), &compat_options(1)).unwrap_err();
    assert_eq!(
        (error.layer_index, error.reason.as_str()),
        (1, "layer has no dataflow")
    );
}

#[test]
fn unanalysable_layers_are_errors_naming_the_layer() {
    let hardware = cli_defaults(4);
    let mut no_dataflow = example_1();
    no_dataflow.layers.push(Layer {
        name: "pool".into(),
        mapping: None,
        ..no_dataflow.layers[0].clone()
    });
    let error = crate::analyze_network(&no_dataflow, &hardware, &compat_options(1)).unwrap_err();
    assert_eq!(error.to_string(), "layer 1 (pool): layer has no dataflow");

    // More PEs in the clusters than the accelerator has: the reference's SIGFPE.
    let error =
        crate::analyze_network(&example_3(), &cli_defaults(1), &compat_options(1)).unwrap_err();
    assert!(error.reason.contains("0 sub-clusters"), "{}", error.reason);

    let mut zero_bandwidth = cli_defaults(4);
    zero_bandwidth.distribution_noc.bandwidth = 0;
    let error =
        crate::analyze_network(&example_1(), &zero_bandwidth, &compat_options(1)).unwrap_err();
    assert!(
        error.reason.contains("NoC bandwidth is 0"),
        "{}",
        error.reason
    );

    let mut four_clusters = example_3();
    let directives = &mut four_clusters.layers[0].mapping.as_mut().unwrap().directives;
    for _ in 0..3 {
        directives.extend([cluster(1), spatial(1, 1, Dim::C)]);
    }
    let error =
        crate::analyze_network(&four_clusters, &cli_defaults(4), &compat_options(1)).unwrap_err();
    assert!(
        error.reason.contains("4 Cluster directives"),
        "{}",
        error.reason
    );
}

/// Q-A17: a level with no valid case reports the `i64::MIN` sentinels and NaN averages.
#[test]
fn a_level_without_valid_cases_reports_the_sentinels() {
    use Dim::*;
    // Q-A1 makes the X' tile 0 (`TemporalMap(8,1) X` on X = 7 with S = 7): every case is skipped
    // (ResNeXt50_yxp_os FC1000 in miniature).
    let fc = layer(
        "FC1000",
        LayerType::Conv,
        &[(K, 2), (C, 2), (R, 7), (S, 7), (Y, 7), (X, 7)],
        1,
        vec![
            temporal(1, 1, K),
            temporal(1, 1, C),
            spatial(7, 1, Y),
            temporal(8, 1, X),
        ],
    );
    let row = &run(&network("fc", vec![fc]), &cli_defaults(2))[0];
    assert_eq!((row.runtime_cycles, row.macs), (0, 0));
    assert_eq!(
        row.ingress_delay,
        DelayStats {
            min: i64::MIN,
            max: 0,
            avg: i64::MIN
        }
    );
    assert!(row.throughput_macs_per_cycle.is_nan() && row.avg_noc_bw.is_nan());
    assert_eq!(row.avg_utilized_pes, 0.0);
}

/// The threaded path returns the same rows, in order, as the sequential one.
#[test]
fn parallel_analysis_is_deterministic() {
    let mut large = example_1();
    for index in 0..23 {
        let mut next = if index % 2 == 0 {
            example_3().layers.remove(0)
        } else {
            example_1().layers.remove(0)
        };
        next.name = format!("L{index}");
        large.layers.push(next);
    }
    let sequential = crate::analyze_network(&large, &cli_defaults(4), &compat_options(1)).unwrap();
    let parallel = crate::analyze_network(&large, &cli_defaults(4), &compat_options(4)).unwrap();
    assert_eq!(sequential.layers.len(), 24);
    let names: Vec<_> = parallel
        .layers
        .iter()
        .map(|cost| cost.row.layer.as_str())
        .collect();
    assert_eq!(names[1..4], ["L0", "L1", "L2"]);
    assert_eq!(format!("{sequential:?}"), format!("{parallel:?}"));
}

#[test]
fn quirk_helpers_follow_the_reference() {
    // Q-A13: an empty transfer costs LAT − 1.
    assert_eq!(quirks::transfer_delay(0, 4, 0).unwrap(), -1);
    assert_eq!(quirks::transfer_delay(45, 4, 2).unwrap(), 13);
    // Q-A12: TemporalMap(10,1) Y with R = 3, stride 2 → TemporalMap(9,8).
    assert_eq!(
        quirks::stride_adjusted_tile(10, 2, 3, true).unwrap(),
        Some((9, 8))
    );
    assert_eq!(
        quirks::stride_adjusted_tile(7, 2, 7, true).unwrap(),
        Some((7, 2))
    );
    assert_eq!(quirks::stride_adjusted_tile(2, 2, 3, true).unwrap(), None);
    // Q-A18: the weight wraps at 32 bits.
    let mut weight = quirks::OccurrenceWeight::default();
    weight.multiply(65536);
    weight.multiply(65537);
    assert_eq!(weight.value(), 65536);
    // Q-A9: halved after every case.
    assert_eq!(quirks::fold_offchip_requirement(5, 8, 10), 5);
}

/// §7.3: the odometer reproduces `idx_j(c) = ((c − 1) ÷ f_j + 1) mod len_j` (and 0 for case 0).
#[test]
fn case_order_matches_the_reference_formula() {
    use super::cases::CaseOrder;
    use super::levels::LevelDirective;
    use super::states::directive_states;
    // Directives with 1, 2 and 3 states: a unrolled temporal map, a temporal map without edge, and one
    // with an edge.
    let lists: Vec<_> = [(4, 4, 4), (2, 1, 4), (3, 2, 8), (3, 2, 8), (2, 1, 4)]
        .into_iter()
        .map(|(size, offset, extent)| {
            let directive = LevelDirective {
                spatial: false,
                size,
                offset,
                dim: Dim::C,
            };
            directive_states(&directive, extent, 1).unwrap()
        })
        .collect();
    let lens: Vec<u64> = lists.iter().map(|list| list.len() as u64).collect();
    assert_eq!(lens, [1, 2, 3, 3, 2]);
    let place_value = |j: usize| lens[j + 1..].iter().product::<u64>();
    let mut order = CaseOrder::new(&lists).unwrap();
    let mut case = 0u64;
    while let Some(indices) = order.next_case() {
        for (j, &index) in indices.iter().enumerate() {
            let expected = if case == 0 {
                0
            } else {
                ((case - 1) / place_value(j) + 1) % lens[j]
            };
            assert_eq!(index as u64, expected, "case {case}, directive {j}");
        }
        case += 1;
    }
    assert_eq!(case, 36);
}

/// §5.2.1: a directive on `Y'`/`X'` becomes one on `Y`/`X` whose tile covers its windows
/// (`m + R − 1`), so example 1 written output-centric gives example 1's row.
#[test]
fn output_coordinate_directives_become_input_tiles() {
    use Dim::*;
    let mut primed = example_1();
    primed.layers[0].mapping = Some(Mapping::new(vec![
        spatial(1, 1, K),
        temporal(1, 1, C),
        temporal(1, 1, OutY),
        temporal(1, 1, OutX),
        temporal(3, 3, R),
        temporal(3, 3, S),
    ]));
    let hardware = cli_defaults(4);
    assert_eq!(run(&primed, &hardware), run(&example_1(), &hardware));
}

/// Q-A15: a depth-wise layer's `K` is in no tensor: without a directive it neither multiplies the MACs
/// nor counts in the weight pixels.
#[test]
fn depthwise_layers_ignore_the_multiplier() {
    use Dim::*;
    let depthwise = layer(
        "DW",
        LayerType::DepthwiseConv,
        &[(K, 2), (C, 4), (R, 3), (S, 3), (Y, 5), (X, 5)],
        1,
        vec![spatial(1, 1, C), temporal(3, 1, Y), temporal(3, 1, X)],
    );
    let row = &run(&network("dw", vec![depthwise]), &cli_defaults(4))[0];
    assert_eq!(row.macs, 4 * 9 * 3 * 3);
    assert_eq!(row.total_weight_pixels, 4 * 3 * 3);
    assert_eq!(row.total_input_pixels, 4 * 5 * 5);
    let grouped = TensorRoles::new(TypeClass::Grouped, false);
    assert_eq!(grouped.coupled(Tensor::Output), [G, K, C, Y, X]);
}
