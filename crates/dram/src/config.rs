//! The parameters of a DRAM system (structure, timing, controller, power), their validation, and the
//! quantities derived from them once (burst cycles, read and write delays, request size, mapping).

use crate::error::ConfigError;
use crate::mapping::AddressMapping;
use serde::Serialize;

/// The DRAM standards whose JEDEC-style timing the model implements (named as DRAMsim3 names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Protocol {
    Ddr3,
    Ddr4,
    Lpddr,
    Lpddr3,
    Lpddr4,
    Hbm,
    Hbm2,
}

impl Protocol {
    /// The protocol named as in DRAMsim3's `protocol` key.
    pub fn from_name(name: &str) -> Option<Protocol> {
        Some(match name {
            "DDR3" => Protocol::Ddr3,
            "DDR4" => Protocol::Ddr4,
            "LPDDR" => Protocol::Lpddr,
            "LPDDR3" => Protocol::Lpddr3,
            "LPDDR4" => Protocol::Lpddr4,
            "HBM" => Protocol::Hbm,
            "HBM2" => Protocol::Hbm2,
            _ => return None,
        })
    }

    /// The name DRAMsim3 uses for the protocol.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Ddr3 => "DDR3",
            Protocol::Ddr4 => "DDR4",
            Protocol::Lpddr => "LPDDR",
            Protocol::Lpddr3 => "LPDDR3",
            Protocol::Lpddr4 => "LPDDR4",
            Protocol::Hbm => "HBM",
            Protocol::Hbm2 => "HBM2",
        }
    }

    /// HBM separates the activate-to-read and activate-to-write delays and may issue a row command
    /// and a column command in the same cycle.
    pub fn is_hbm(self) -> bool {
        matches!(self, Protocol::Hbm | Protocol::Hbm2)
    }

    /// LPDDR4 constrains precharge-to-precharge spacing (tPPD) across banks.
    pub fn has_precharge_to_precharge(self) -> bool {
        matches!(self, Protocol::Lpddr4)
    }
}

/// How many of each unit there are, and how wide the data path is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Structure {
    pub protocol: Protocol,
    pub channels: u32,
    pub ranks: u32,
    pub bankgroups: u32,
    pub banks_per_group: u32,
    pub rows: u32,
    /// Columns per row in device-width units (for HBM, as DRAMsim3 counts them: twice the `.ini` value).
    pub columns: u32,
    /// Bits per device (x4, x8, x16, x128).
    pub device_width: u32,
    /// Bits of the channel's data bus.
    pub bus_width: u32,
    /// Beats per burst (BL).
    pub burst_length: u32,
}

/// Timing parameters in DRAM clock cycles (except `tck_ns`), named as JEDEC and DRAMsim3 name them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimingParameters {
    pub tck_ns: f64,
    pub al: u32,
    pub cl: u32,
    pub cwl: u32,
    /// Activate to read (tRCD, or tRCDRD for HBM).
    pub trcd_read: u32,
    /// Activate to write (tRCD, or tRCDWR for HBM).
    pub trcd_write: u32,
    pub trp: u32,
    pub tras: u32,
    pub trc: u32,
    pub trfc: u32,
    pub trefi: u32,
    pub tccd_s: u32,
    pub tccd_l: u32,
    pub trrd_s: u32,
    pub trrd_l: u32,
    pub tfaw: u32,
    pub twr: u32,
    pub twtr_s: u32,
    pub twtr_l: u32,
    pub trtp: u32,
    /// Rank-to-rank switch (bus turnaround between ranks).
    pub trtrs: u32,
    /// Precharge to precharge in other banks (LPDDR4).
    pub tppd: u32,
}

/// Open page keeps a row open after an access; closed page precharges with every read or write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PagePolicy {
    Open,
    Closed,
}

/// One command queue per bank, or one per rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QueueStructure {
    PerBank,
    PerRank,
}

/// All-bank refresh of every rank at once every tREFI, or of one rank every tREFI / ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RefreshPolicy {
    RankLevelSimultaneous,
    RankLevelStaggered,
}

/// The memory controller's organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemParameters {
    /// DRAMsim3's bit-order string, most significant field first, e.g. `rochrababgco`.
    pub address_mapping: String,
    pub page_policy: PagePolicy,
    pub queue_structure: QueueStructure,
    pub refresh_policy: RefreshPolicy,
    /// Commands per command queue.
    pub command_queue_size: u32,
    /// Transactions per read queue and per write buffer (the write high watermark: a full buffer
    /// starts draining).
    pub transaction_queue_size: u32,
    /// The write low watermark: a write buffer holding more than this many writes also drains when
    /// every command queue is empty.
    pub write_drain_idle_threshold: u32,
    /// HBM's dual command issue: a row command and a column command in the same cycle.
    pub dual_command_issue: bool,
}

/// Supply voltage (V) and IDD currents (mA) per device, from which energy per command is derived.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PowerParameters {
    pub vdd: f64,
    pub idd0: f64,
    pub idd2n: f64,
    pub idd3n: f64,
    pub idd4r: f64,
    pub idd4w: f64,
    pub idd5ab: f64,
}

/// A complete DRAM system description.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DramConfig {
    /// A name for reports (the preset or the configuration file).
    pub name: String,
    pub structure: Structure,
    pub timing: TimingParameters,
    pub system: SystemParameters,
    pub power: PowerParameters,
}

/// Largest count accepted for any structural parameter, so that products never overflow.
const MAX_COUNT: u64 = 1 << 20;
/// Largest number of banks per channel (ranks x bank groups x banks), bounding memory.
const MAX_BANKS_PER_CHANNEL: u64 = 4096;
/// Largest number of channels.
const MAX_CHANNELS: u64 = 1024;
/// Largest queue depth.
const MAX_QUEUE: u64 = 4096;
/// Largest timing parameter in cycles.
const MAX_TIMING: u64 = 1 << 24;

/// Quantities computed once from a valid configuration.
#[derive(Debug, Clone)]
pub(crate) struct Derived {
    pub burst_cycles: i64,
    pub read_latency: i64,
    pub write_latency: i64,
    /// Read command to data fully returned: RL + burst.
    pub read_delay: i64,
    /// Write command to data fully written: WL + burst.
    pub write_delay: i64,
    pub banks_per_rank: usize,
    pub mapping: AddressMapping,
    pub refresh_interval: u64,
}

impl DramConfig {
    /// Checks every parameter and computes the derived quantities.
    pub(crate) fn derive(&self) -> Result<Derived, ConfigError> {
        let s = &self.structure;
        let counts: [(&'static str, u32, u64); 9] = [
            ("channels", s.channels, MAX_CHANNELS),
            ("ranks", s.ranks, MAX_COUNT),
            ("bankgroups", s.bankgroups, MAX_COUNT),
            ("banks_per_group", s.banks_per_group, MAX_COUNT),
            ("rows", s.rows, u64::from(u32::MAX)),
            ("columns", s.columns, u64::from(u32::MAX)),
            ("device_width", s.device_width, MAX_COUNT),
            ("bus_width", s.bus_width, MAX_COUNT),
            ("BL", s.burst_length, MAX_COUNT),
        ];
        for (key, value, max) in counts {
            let value = u64::from(value);
            if value == 0 {
                return Err(ConfigError::Zero { key });
            }
            if value > max {
                return Err(ConfigError::TooLarge { key, value, max });
            }
        }
        for (key, value) in [
            ("channels", s.channels),
            ("ranks", s.ranks),
            ("bankgroups", s.bankgroups),
            ("banks_per_group", s.banks_per_group),
            ("rows", s.rows),
            ("columns", s.columns),
            ("BL", s.burst_length),
        ] {
            if !value.is_power_of_two() {
                return Err(ConfigError::NotPowerOfTwo {
                    key,
                    value: u64::from(value),
                });
            }
        }
        let banks_per_channel =
            u64::from(s.ranks) * u64::from(s.bankgroups) * u64::from(s.banks_per_group);
        if banks_per_channel > MAX_BANKS_PER_CHANNEL {
            return Err(ConfigError::TooLarge {
                key: "banks_per_group",
                value: banks_per_channel,
                max: MAX_BANKS_PER_CHANNEL,
            });
        }
        if s.columns < s.burst_length {
            return Err(ConfigError::ImpossibleTiming {
                key: "columns",
                value: u64::from(s.columns),
                requirement: "BL",
                minimum: u64::from(s.burst_length),
            });
        }
        if s.bus_width % 8 != 0 {
            return Err(ConfigError::Unsupported {
                key: "bus_width",
                value: s.bus_width.to_string(),
                expected: "a multiple of 8 bits",
            });
        }
        let request_bytes = u64::from(s.bus_width / 8) * u64::from(s.burst_length);
        if !request_bytes.is_power_of_two() {
            return Err(ConfigError::NotPowerOfTwo {
                key: "bus_width",
                value: u64::from(s.bus_width),
            });
        }

        let t = &self.timing;
        if !(t.tck_ns.is_finite() && t.tck_ns > 0.0) {
            return Err(ConfigError::Zero { key: "tCK" });
        }
        let timings: [(&'static str, u32, bool); 21] = [
            ("AL", t.al, false),
            ("CL", t.cl, true),
            ("CWL", t.cwl, true),
            ("tRCD", t.trcd_read, true),
            ("tRCDWR", t.trcd_write, true),
            ("tRP", t.trp, true),
            ("tRAS", t.tras, true),
            ("tRC", t.trc, true),
            ("tRFC", t.trfc, true),
            ("tREFI", t.trefi, true),
            ("tCCD_S", t.tccd_s, false),
            ("tCCD_L", t.tccd_l, false),
            ("tRRD_S", t.trrd_s, false),
            ("tRRD_L", t.trrd_l, false),
            ("tFAW", t.tfaw, false),
            ("tWR", t.twr, false),
            ("tWTR_S", t.twtr_s, false),
            ("tWTR_L", t.twtr_l, false),
            ("tRTP", t.trtp, false),
            ("tRTRS", t.trtrs, false),
            ("tPPD", t.tppd, false),
        ];
        for (key, value, positive) in timings {
            if positive && value == 0 {
                return Err(ConfigError::Zero { key });
            }
            if u64::from(value) > MAX_TIMING {
                return Err(ConfigError::TooLarge {
                    key,
                    value: u64::from(value),
                    max: MAX_TIMING,
                });
            }
        }
        if u64::from(t.trc) < u64::from(t.tras) + u64::from(t.trp) {
            return Err(ConfigError::ImpossibleTiming {
                key: "tRC",
                value: u64::from(t.trc),
                requirement: "tRAS + tRP",
                minimum: u64::from(t.tras) + u64::from(t.trp),
            });
        }
        let refresh_interval = match self.system.refresh_policy {
            RefreshPolicy::RankLevelSimultaneous => u64::from(t.trefi),
            RefreshPolicy::RankLevelStaggered => u64::from(t.trefi) / u64::from(s.ranks),
        };
        if refresh_interval <= u64::from(t.trfc) {
            return Err(ConfigError::ImpossibleTiming {
                key: "tREFI",
                value: u64::from(t.trefi),
                requirement: "ranks x (tRFC + 1)",
                minimum: u64::from(s.ranks) * (u64::from(t.trfc) + 1),
            });
        }

        let sys = &self.system;
        for (key, value) in [
            ("cmd_queue_size", sys.command_queue_size),
            ("trans_queue_size", sys.transaction_queue_size),
        ] {
            if value == 0 {
                return Err(ConfigError::Zero { key });
            }
            if u64::from(value) > MAX_QUEUE {
                return Err(ConfigError::TooLarge {
                    key,
                    value: u64::from(value),
                    max: MAX_QUEUE,
                });
            }
        }
        let mapping = AddressMapping::new(&sys.address_mapping, s, request_bytes)?;

        let burst_cycles = i64::from(s.burst_length / 2);
        let read_latency = i64::from(t.al) + i64::from(t.cl);
        let write_latency = i64::from(t.al) + i64::from(t.cwl);
        Ok(Derived {
            burst_cycles,
            read_latency,
            write_latency,
            read_delay: read_latency + burst_cycles,
            write_delay: write_latency + burst_cycles,
            banks_per_rank: (s.bankgroups * s.banks_per_group) as usize,
            mapping,
            refresh_interval,
        })
    }

    /// Checks the configuration without building a memory system.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.derive().map(|_| ())
    }

    /// Bytes moved by one read or write request (bus width x burst length).
    pub fn request_bytes(&self) -> u64 {
        u64::from(self.structure.bus_width / 8) * u64::from(self.structure.burst_length)
    }

    /// Peak data bandwidth of all channels in GB/s: two transfers per clock on every bus bit.
    pub fn peak_bandwidth_gbps(&self) -> f64 {
        let bytes_per_cycle = f64::from(self.structure.bus_width) / 8.0 * 2.0;
        bytes_per_cycle * f64::from(self.structure.channels) / self.timing.tck_ns
    }
}
