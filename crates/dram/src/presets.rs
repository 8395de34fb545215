//! Named device presets with datasheet timing, equal to the parameters DRAMsim3 simulates for its
//! `DDR4_8Gb_x8_3200`, `LPDDR4_8Gb_x16_2400` and `HBM2_8Gb_x128` configurations (JEDEC JESD79-4,
//! JESD209-4 and JESD235 speed bins; IDD currents from the vendors' datasheets as DRAMsim3 records
//! them).

use crate::config::{
    DramConfig, PagePolicy, PowerParameters, Protocol, QueueStructure, RefreshPolicy, Structure,
    SystemParameters, TimingParameters,
};
use crate::error::ConfigError;

/// The names [`preset`] accepts.
pub const PRESET_NAMES: [&str; 4] = ["ddr4_3200", "lpddr4_2400", "hbm2", "hbm2_stack"];

/// The preset called `name`.
pub fn preset(name: &str) -> Result<DramConfig, ConfigError> {
    match name {
        "ddr4_3200" => Ok(ddr4_3200()),
        "lpddr4_2400" => Ok(lpddr4_2400()),
        "hbm2" => Ok(hbm2(1, "hbm2")),
        "hbm2_stack" => Ok(hbm2(8, "hbm2_stack")),
        _ => Err(ConfigError::UnknownPreset {
            name: name.to_string(),
            known: PRESET_NAMES.join(", "),
        }),
    }
}

fn controller(mapping: &str, dual_command_issue: bool) -> SystemParameters {
    SystemParameters {
        address_mapping: mapping.to_string(),
        page_policy: PagePolicy::Open,
        queue_structure: QueueStructure::PerBank,
        refresh_policy: RefreshPolicy::RankLevelStaggered,
        command_queue_size: 8,
        transaction_queue_size: 32,
        write_drain_idle_threshold: 8,
        dual_command_issue,
    }
}

/// DDR4-3200AA (22-22-22), 8 Gb x8 devices, one 64-bit channel of two ranks (16 GiB).
fn ddr4_3200() -> DramConfig {
    DramConfig {
        name: "ddr4_3200".to_string(),
        structure: Structure {
            protocol: Protocol::Ddr4,
            channels: 1,
            ranks: 2,
            bankgroups: 4,
            banks_per_group: 4,
            rows: 65536,
            columns: 1024,
            device_width: 8,
            bus_width: 64,
            burst_length: 8,
        },
        timing: TimingParameters {
            // 1600 MHz; DRAMsim3 rounds 0.625 ns to 0.63 ns, kept so that GB/s compare exactly.
            tck_ns: 0.63,
            al: 0,
            cl: 22,
            cwl: 16,
            trcd_read: 22,
            trcd_write: 22,
            trp: 22,
            tras: 52,
            trc: 74,
            trfc: 560,
            trefi: 12480,
            tccd_s: 4,
            tccd_l: 8,
            trrd_s: 4,
            trrd_l: 8,
            tfaw: 34,
            twr: 24,
            twtr_s: 4,
            twtr_l: 12,
            trtp: 12,
            trtrs: 1,
            tppd: 0,
        },
        system: controller("rochrababgco", false),
        power: PowerParameters {
            vdd: 1.2,
            idd0: 57.0,
            idd2n: 37.0,
            idd3n: 52.0,
            idd4r: 168.0,
            idd4w: 150.0,
            idd5ab: 250.0,
        },
    }
}

/// LPDDR4-2400, 8 Gb x16 devices, one 64-bit channel (four devices) of two ranks (8 GiB).
fn lpddr4_2400() -> DramConfig {
    DramConfig {
        name: "lpddr4_2400".to_string(),
        structure: Structure {
            protocol: Protocol::Lpddr4,
            channels: 1,
            ranks: 2,
            bankgroups: 2,
            banks_per_group: 4,
            rows: 65536,
            columns: 1024,
            device_width: 16,
            bus_width: 64,
            burst_length: 16,
        },
        timing: TimingParameters {
            // 1200 MHz (0.833 ns, rounded as DRAMsim3 rounds it).
            tck_ns: 0.83,
            al: 0,
            cl: 17,
            cwl: 14,
            trcd_read: 15,
            trcd_write: 15,
            trp: 15,
            tras: 32,
            trc: 47,
            trfc: 392,
            trefi: 8660,
            tccd_s: 4,
            tccd_l: 6,
            trrd_s: 8,
            trrd_l: 8,
            tfaw: 32,
            twr: 30,
            twtr_s: 8,
            twtr_l: 16,
            trtp: 12,
            trtrs: 1,
            tppd: 2,
        },
        system: controller("rochrababgco", false),
        power: PowerParameters {
            vdd: 1.2,
            idd0: 80.0,
            idd2n: 34.0,
            idd3n: 47.0,
            idd4r: 243.0,
            idd4w: 228.0,
            idd5ab: 280.0,
        },
    }
}

/// HBM2 at 2 Gb/s per pin (1 GHz), 8 Gb x128 channels: one channel, or the eight of a stack.
fn hbm2(channels: u32, name: &str) -> DramConfig {
    DramConfig {
        name: name.to_string(),
        structure: Structure {
            protocol: Protocol::Hbm,
            channels,
            ranks: 1,
            bankgroups: 4,
            banks_per_group: 4,
            rows: 32768,
            // 64 columns of 256 bits per pseudo-channel pair; DRAMsim3 counts 128 of 128 bits.
            columns: 128,
            device_width: 128,
            bus_width: 128,
            burst_length: 4,
        },
        timing: TimingParameters {
            tck_ns: 1.0,
            al: 0,
            cl: 14,
            cwl: 4,
            trcd_read: 14,
            trcd_write: 14,
            trp: 14,
            tras: 34,
            trc: 48,
            trfc: 260,
            trefi: 3900,
            tccd_s: 1,
            tccd_l: 2,
            trrd_s: 4,
            trrd_l: 6,
            tfaw: 30,
            twr: 16,
            twtr_s: 6,
            twtr_l: 8,
            // DRAMsim3's HBM2 file gives tRTP_S = 4 and tRTP_L = 6, which it does not read; it
            // simulates its default tRTP of 5, as do we.
            trtp: 5,
            // Not in DRAMsim3's HBM2 file; its default of 2 cycles.
            trtrs: 2,
            tppd: 0,
        },
        system: controller("rorabgbachco", true),
        power: PowerParameters {
            vdd: 1.2,
            idd0: 65.0,
            idd2n: 40.0,
            idd3n: 55.0,
            idd4r: 390.0,
            idd4w: 500.0,
            idd5ab: 250.0,
        },
    }
}
