//! What a run reports per layer: SCALE-Sim's compute report and bandwidth report, plus counters.

use crate::config::{ArrayConfig, Interface};
use crate::engine::Counters;
use crate::layer::{Dataflow, Layer};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct LayerReport {
    pub layer: String,
    pub dataflow: Dataflow,
    pub rows: u64,
    pub cols: u64,
    pub interface: Interface,
    /// MACs in the layer (output pixels × window × filters).
    pub layer_macs: u64,
    /// MACs the PEs performed; equal to `layer_macs` (conservation).
    pub macs: u64,
    /// SCALE-Sim's "Total Cycles": the cycle (counted from 0) in which the last output is written to
    /// the output buffer, stalls included. The array played `array_cycles` cycles, which is one more
    /// than this without stalls.
    pub total_cycles: u64,
    pub stall_cycles: u64,
    pub array_cycles: u64,
    pub folds: u64,
    pub fold_cycles_max: u64,
    /// SCALE-Sim v3's "Total Cycles (incl. prefetch)": `total_cycles` plus the initial fill of the read
    /// buffers and the output buffer's final drain.
    pub total_cycles_incl_prefetch: u64,
    /// MACs / (total cycles × PEs), in percent.
    pub overall_utilisation: f64,
    /// Mean over folds of the fraction of PEs a fold maps, in percent.
    pub mapping_efficiency: f64,
    /// Mean over folds of MACs / (PEs × fold cycles), in percent.
    pub compute_utilisation: f64,
    pub sram_ifmap_reads: u64,
    pub sram_filter_reads: u64,
    pub sram_ofmap_writes: u64,
    pub dram_ifmap_reads: u64,
    pub dram_filter_reads: u64,
    pub dram_ofmap_writes: u64,
    pub avg_ifmap_sram_bw: f64,
    pub avg_filter_sram_bw: f64,
    pub avg_ofmap_sram_bw: f64,
    pub max_ifmap_sram_bw: f64,
    pub max_filter_sram_bw: f64,
    pub max_ofmap_sram_bw: f64,
    pub avg_ifmap_dram_bw: f64,
    pub avg_filter_dram_bw: f64,
    pub avg_ofmap_dram_bw: f64,
    pub max_ifmap_dram_bw: f64,
    pub max_filter_dram_bw: f64,
    pub max_ofmap_dram_bw: f64,
}

impl LayerReport {
    pub(crate) fn new(
        layer: &Layer,
        config: &ArrayConfig,
        counters: Counters,
        total_cycles: u64,
    ) -> LayerReport {
        let cycles = total_cycles.max(1) as f64;
        LayerReport {
            layer: layer.name.clone(),
            dataflow: config.dataflow,
            rows: config.rows,
            cols: config.cols,
            interface: config.interface,
            layer_macs: layer.macs(),
            macs: counters.macs,
            total_cycles,
            stall_cycles: counters.stall_cycles,
            array_cycles: counters.array_cycles,
            folds: counters.folds,
            fold_cycles_max: 0,
            total_cycles_incl_prefetch: total_cycles,
            overall_utilisation: 100.0 * layer.macs() as f64 / (cycles * config.pes() as f64),
            mapping_efficiency: 0.0,
            compute_utilisation: 0.0,
            sram_ifmap_reads: counters.ifmap_sram_reads,
            sram_filter_reads: counters.filter_sram_reads,
            sram_ofmap_writes: counters.ofmap_sram_writes,
            dram_ifmap_reads: 0,
            dram_filter_reads: 0,
            dram_ofmap_writes: 0,
            avg_ifmap_sram_bw: counters.ifmap_sram_reads as f64 / cycles,
            avg_filter_sram_bw: counters.filter_sram_reads as f64 / cycles,
            avg_ofmap_sram_bw: counters.ofmap_sram_writes as f64 / cycles,
            max_ifmap_sram_bw: counters.max_ifmap_reads_per_cycle as f64,
            max_filter_sram_bw: counters.max_filter_reads_per_cycle as f64,
            max_ofmap_sram_bw: counters.max_ofmap_writes_per_cycle as f64,
            avg_ifmap_dram_bw: 0.0,
            avg_filter_dram_bw: 0.0,
            avg_ofmap_dram_bw: 0.0,
            max_ifmap_dram_bw: 0.0,
            max_filter_dram_bw: 0.0,
            max_ofmap_dram_bw: 0.0,
        }
    }
}
