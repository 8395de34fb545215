//! Golden tests of the three renderings on a small hand-made two-layer report.

use crate::{render_csv, render_json, render_table, CSV_HEADER};
use expect_test::expect;
use maestro_cost::{DelayStats, LayerCost, NetworkCost, ReferenceRow, TensorAccess};

fn row(layer: &str, runtime_cycles: i64, macs: i64) -> ReferenceRow {
    let access = |scale: i64| TensorAccess {
        l1_read: 1000 * scale,
        l1_write: 300 * scale,
        l2_read: 300 * scale,
        l2_write: 20 * scale,
        reuse_factor: 10.0 / 3.0,
    };
    ReferenceRow {
        network: "tiny".into(),
        layer: layer.into(),
        num_pes: 64,
        runtime_cycles,
        energy_nj: 1234.5678,
        throughput_macs_per_cycle: macs as f64 / runtime_cycles as f64,
        throughput_per_energy: 2.5e7,
        area: 4.2e8,
        power: 0.8125,
        peak_noc_bw: 96,
        avg_noc_bw: 12.5,
        vector_width: 1,
        offchip_bw: 40,
        l2_size_req: 9000,
        l1_size_req: 42,
        multicast_factor_weight: 1.0,
        multicast_factor_input: 1.0,
        total_input_pixels: 50176,
        total_weight_pixels: 576,
        ops_per_joule: 1.5e12,
        macs,
        pe_power: 78.2272,
        l1_power: 1.0e-8,
        l2_power: 31.05,
        noc_power: f64::INFINITY,
        tensors: [access(1), access(2), access(3)],
        ingress_delay: DelayStats {
            min: 1,
            max: 7,
            avg: 3,
        },
        egress_delay: DelayStats {
            min: 0,
            max: 0,
            avg: 0,
        },
        compute_delay: DelayStats {
            min: i64::MIN,
            max: 2,
            avg: 2,
        },
        avg_utilized_pes: 63.5,
        arithmetic_intensity: f64::NAN,
    }
}

fn report() -> NetworkCost {
    NetworkCost {
        network: "tiny".into(),
        layers: vec![
            LayerCost {
                row: row("CONV1", 30000, 1_000_000),
                detail: None,
            },
            LayerCost {
                row: row("FC", 7, 21),
                detail: None,
            },
        ],
    }
}

#[test]
fn the_header_has_the_reference_fifty_two_columns() {
    assert_eq!(CSV_HEADER.split(',').count(), 52);
    assert!(CSV_HEADER.starts_with("Neural Network Name, Layer Number, NumPEs,"));
    assert!(CSV_HEADER.ends_with("Avg number of utilized PEs, Arithmetic Intensity"));
}

#[test]
fn csv_rows_have_fifty_two_fields_and_the_reference_separators() {
    let text = render_csv(&report());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], CSV_HEADER);
    for line in &lines[1..] {
        assert_eq!(line.split(',').count(), 52);
        let fields: Vec<&str> = line.split(',').collect();
        assert!(
            fields[..27].iter().all(|field| !field.starts_with(' ')),
            "{line}"
        );
        assert!(
            fields[27..].iter().all(|field| field.starts_with(' ')),
            "{line}"
        );
        assert!(!line.ends_with(' ') && !line.ends_with(','));
    }
}

#[test]
fn csv_golden() {
    expect![[r#"
        Neural Network Name, Layer Number, NumPEs, Runtime (Cycles), Activity count-based Energy (nJ), Throughput (MACs/Cycle), Throughput Per Energy (GMACs/s*J), Area, Power, NoC BW Req (Elements/cycle), Avg BW Req, Peak BW Req, Vector Width, Offchip BW Req (Elements/cycle),  L2 SRAM Size Req (Bytes), L1 SRAM Size Req (Bytes), Multicasting Factor (Weight), Multicasting Factor (Input), Num Total Input Pixels, Num Total Weight Pixels, Ops/J, Num MACs, PE power, L1 power, L2 power, NOC power, input l1 read, input l1 write, input l2 read, input l2 write, input reuse factor,filter l1 read, filter l1 write, filter l2 read, filter l2 write, filter reuse factor,output l1 read, output l1 write, output l2 read, output l2 write, output reuse factor,Ingress Delay (Min), Ingress Delay (Max), Ingress Delay (Avg), Egress Delay (Min), Egress Delay (Max),  Egress Delay (Avg),Compute Delay (Min), Compute Delay (Min), Compute Delay (Avg),Avg number of utilized PEs, Arithmetic Intensity
        tiny,CONV1,64,30000,1234.57,33.3333,2.5e+07,4.2e+08,0.8125,96,12.5,96,1,40,9000,42,1,1,50176,576,1.5e+12,1000000,78.2272,1e-08,31.05,inf,1000, 300, 300, 20, 3.33333, 2000, 600, 600, 40, 3.33333, 3000, 900, 900, 60, 3.33333, 1, 7, 3, 0, 0, 0, -9223372036854775808, 2, 2, 63.5, -nan
        tiny,FC,64,7,1234.57,3,2.5e+07,4.2e+08,0.8125,96,12.5,96,1,40,9000,42,1,1,50176,576,1.5e+12,21,78.2272,1e-08,31.05,inf,1000, 300, 300, 20, 3.33333, 2000, 600, 600, 40, 3.33333, 3000, 900, 900, 60, 3.33333, 1, 7, 3, 0, 0, 0, -9223372036854775808, 2, 2, 63.5, -nan
    "#]]
    .assert_eq(&render_csv(&report()));
}

#[test]
fn json_golden() {
    expect![[r#"
        {
          "network": "tiny",
          "layers": [
            {
              "row": {
                "network": "tiny",
                "layer": "CONV1",
                "num_pes": 64,
                "runtime_cycles": 30000,
                "energy_nj": 1234.5678,
                "throughput_macs_per_cycle": 33.333333333333336,
                "throughput_per_energy": 25000000.0,
                "area": 420000000.0,
                "power": 0.8125,
                "peak_noc_bw": 96,
                "avg_noc_bw": 12.5,
                "vector_width": 1,
                "offchip_bw": 40,
                "l2_size_req": 9000,
                "l1_size_req": 42,
                "multicast_factor_weight": 1.0,
                "multicast_factor_input": 1.0,
                "total_input_pixels": 50176,
                "total_weight_pixels": 576,
                "ops_per_joule": 1500000000000.0,
                "macs": 1000000,
                "pe_power": 78.2272,
                "l1_power": 1e-8,
                "l2_power": 31.05,
                "noc_power": null,
                "tensors": [
                  {
                    "l1_read": 1000,
                    "l1_write": 300,
                    "l2_read": 300,
                    "l2_write": 20,
                    "reuse_factor": 3.3333333333333335
                  },
                  {
                    "l1_read": 2000,
                    "l1_write": 600,
                    "l2_read": 600,
                    "l2_write": 40,
                    "reuse_factor": 3.3333333333333335
                  },
                  {
                    "l1_read": 3000,
                    "l1_write": 900,
                    "l2_read": 900,
                    "l2_write": 60,
                    "reuse_factor": 3.3333333333333335
                  }
                ],
                "ingress_delay": {
                  "min": 1,
                  "max": 7,
                  "avg": 3
                },
                "egress_delay": {
                  "min": 0,
                  "max": 0,
                  "avg": 0
                },
                "compute_delay": {
                  "min": -9223372036854775808,
                  "max": 2,
                  "avg": 2
                },
                "avg_utilized_pes": 63.5,
                "arithmetic_intensity": null
              }
            },
            {
              "row": {
                "network": "tiny",
                "layer": "FC",
                "num_pes": 64,
                "runtime_cycles": 7,
                "energy_nj": 1234.5678,
                "throughput_macs_per_cycle": 3.0,
                "throughput_per_energy": 25000000.0,
                "area": 420000000.0,
                "power": 0.8125,
                "peak_noc_bw": 96,
                "avg_noc_bw": 12.5,
                "vector_width": 1,
                "offchip_bw": 40,
                "l2_size_req": 9000,
                "l1_size_req": 42,
                "multicast_factor_weight": 1.0,
                "multicast_factor_input": 1.0,
                "total_input_pixels": 50176,
                "total_weight_pixels": 576,
                "ops_per_joule": 1500000000000.0,
                "macs": 21,
                "pe_power": 78.2272,
                "l1_power": 1e-8,
                "l2_power": 31.05,
                "noc_power": null,
                "tensors": [
                  {
                    "l1_read": 1000,
                    "l1_write": 300,
                    "l2_read": 300,
                    "l2_write": 20,
                    "reuse_factor": 3.3333333333333335
                  },
                  {
                    "l1_read": 2000,
                    "l1_write": 600,
                    "l2_read": 600,
                    "l2_write": 40,
                    "reuse_factor": 3.3333333333333335
                  },
                  {
                    "l1_read": 3000,
                    "l1_write": 900,
                    "l2_read": 900,
                    "l2_write": 60,
                    "reuse_factor": 3.3333333333333335
                  }
                ],
                "ingress_delay": {
                  "min": 1,
                  "max": 7,
                  "avg": 3
                },
                "egress_delay": {
                  "min": 0,
                  "max": 0,
                  "avg": 0
                },
                "compute_delay": {
                  "min": -9223372036854775808,
                  "max": 2,
                  "avg": 2
                },
                "avg_utilized_pes": 63.5,
                "arithmetic_intensity": null
              }
            }
          ],
          "totals": {
            "layers": 2,
            "runtime_cycles": 30007,
            "energy_nj": 2469.1356,
            "macs": 1000021,
            "throughput_macs_per_cycle": 33.32625720665178
          }
        }
    "#]]
    .assert_eq(&render_json(&report()));
}

#[test]
fn table_golden() {
    expect![[r#"
        Network: tiny
        ┌──────────────────┬─────────┬─────────────┬─────────┬────────────┬──────────┬────────┬────────┬────────┬─────────────┐
        │ Layer            ┆ Runtime ┆ Energy (nJ) ┆    MACs ┆ MACs/cycle ┆ PEs used ┆ L1 req ┆ L2 req ┆ NoC BW ┆ Off-chip BW │
        ╞══════════════════╪═════════╪═════════════╪═════════╪════════════╪══════════╪════════╪════════╪════════╪═════════════╡
        │ CONV1            ┆   30000 ┆     1234.57 ┆ 1000000 ┆    33.3333 ┆     63.5 ┆     42 ┆   9000 ┆     96 ┆          40 │
        │ FC               ┆       7 ┆     1234.57 ┆      21 ┆          3 ┆     63.5 ┆     42 ┆   9000 ┆     96 ┆          40 │
        │ Total (2 layers) ┆   30007 ┆     2469.14 ┆ 1000021 ┆    33.3263 ┆          ┆        ┆        ┆        ┆             │
        └──────────────────┴─────────┴─────────────┴─────────┴────────────┴──────────┴────────┴────────┴────────┴─────────────┘
        Runtime in cycles; PEs used on average; L1 (per PE) and L2 requirements in elements; NoC and off-chip bandwidth requirements in elements/cycle.
    "#]].assert_eq(&render_table(&report()));
}

#[test]
fn empty_network_renders_header_only_and_zero_totals() {
    let empty = NetworkCost {
        network: "none".into(),
        layers: Vec::new(),
    };
    assert_eq!(render_csv(&empty), format!("{CSV_HEADER}\n"));
    assert!(render_json(&empty).contains("\"throughput_macs_per_cycle\": 0.0"));
    assert!(render_table(&empty).contains("Total (0 layers)"));
}
