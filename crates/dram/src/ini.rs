//! DRAMsim3's `.ini` configuration files read unchanged: `[dram_structure]`, `[timing]`, `[power]`
//! and `[system]` keys become a [`DramConfig`] with DRAMsim3's defaults for missing keys and its
//! derived quantities (ranks from the channel size, HBM's doubled column count, tRC = tRAS + tRP
//! unless given); keys the model does not use are returned by name with their position.

use crate::config::{
    DramConfig, PagePolicy, PowerParameters, Protocol, QueueStructure, RefreshPolicy, Structure,
    SystemParameters, TimingParameters,
};
use crate::error::{ConfigError, IniError};
use std::collections::HashMap;

/// A configuration read from a DRAMsim3 `.ini` file.
#[derive(Debug, Clone, PartialEq)]
pub struct IniConfig {
    pub config: DramConfig,
    /// Keys present in the file that the model does not use, in file order.
    pub ignored: Vec<IgnoredKey>,
}

/// A key the model does not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredKey {
    pub section: String,
    pub key: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
struct Entry {
    section: String,
    key: String,
    value: String,
    line: usize,
    key_column: usize,
    value_column: usize,
    used: bool,
}

/// The keys the model reads, per section (lower case, as DRAMsim3's reader compares them).
const MODELLED: &[(&str, &[&str])] = &[
    (
        "dram_structure",
        &[
            "protocol",
            "bankgroups",
            "banks_per_group",
            "bankgroup_enable",
            "rows",
            "columns",
            "device_width",
            "bl",
            "hbm_dual_cmd",
        ],
    ),
    (
        "timing",
        &[
            "tck", "al", "cl", "cwl", "trcd", "trcdrd", "trcdwr", "trp", "tras", "trc", "trfc",
            "trefi", "tccd_s", "tccd_l", "trrd_s", "trrd_l", "tfaw", "twr", "twtr_s", "twtr_l",
            "trtp", "trtrs", "tppd",
        ],
    ),
    (
        "power",
        &["vdd", "idd0", "idd2n", "idd3n", "idd4r", "idd4w", "idd5ab"],
    ),
    (
        "system",
        &[
            "channel_size",
            "channels",
            "bus_width",
            "address_mapping",
            "queue_structure",
            "row_buf_policy",
            "cmd_queue_size",
            "trans_queue_size",
            "unified_queue",
            "refresh_policy",
            "enable_self_refresh",
        ],
    ),
];

struct Reader<'a> {
    file: &'a str,
    entries: Vec<Entry>,
    index: HashMap<(String, String), usize>,
}

/// Parses the text of a DRAMsim3 configuration file called `file`.
pub fn parse_ini(file: &str, text: &str) -> Result<IniConfig, IniError> {
    let mut reader = Reader {
        file,
        entries: Vec::new(),
        index: HashMap::new(),
    };
    reader.scan(text)?;
    let config = reader.build()?;
    if let Err(source) = config.validate() {
        let (line, column) = reader.locate(&source);
        return Err(IniError::Config {
            file: file.to_string(),
            line,
            column,
            source,
        });
    }
    let ignored = reader
        .entries
        .iter()
        .filter(|e| !e.used)
        .map(|e| IgnoredKey {
            section: e.section.clone(),
            key: e.key.clone(),
            line: e.line,
            column: e.key_column,
        })
        .collect();
    Ok(IniConfig { config, ignored })
}

fn column_of(line: &str, offset: usize) -> usize {
    line[..offset].chars().count() + 1
}

impl<'a> Reader<'a> {
    fn scan(&mut self, text: &str) -> Result<(), IniError> {
        let mut section = String::new();
        for (number, raw) in text.lines().enumerate() {
            let number = number + 1;
            // Inline comments start with `;` or `#` after whitespace (or at the start of the line).
            let mut end = raw.len();
            for (i, c) in raw.char_indices() {
                if (c == ';' || c == '#') && (i == 0 || raw[..i].ends_with(char::is_whitespace)) {
                    end = i;
                    break;
                }
            }
            let line = &raw[..end];
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let start = line.len() - line.trim_start().len();
            if let Some(rest) = trimmed.strip_prefix('[') {
                let Some(name) = rest.strip_suffix(']') else {
                    return Err(IniError::Syntax {
                        file: self.file.to_string(),
                        line: number,
                        column: column_of(raw, start + trimmed.len()),
                        message: "expected `]` to close the section name".to_string(),
                    });
                };
                section = name.trim().to_ascii_lowercase();
                continue;
            }
            let Some(equals) = line.find(['=', ':']) else {
                return Err(IniError::Syntax {
                    file: self.file.to_string(),
                    line: number,
                    column: column_of(raw, start),
                    message: format!("expected `key = value` or `[section]`, found `{trimmed}`"),
                });
            };
            let key = line[..equals].trim();
            if key.is_empty() {
                return Err(IniError::Syntax {
                    file: self.file.to_string(),
                    line: number,
                    column: column_of(raw, start),
                    message: "expected a key before `=`".to_string(),
                });
            }
            let value_part = &line[equals + 1..];
            let value = value_part.trim();
            let value_offset = equals + 1 + (value_part.len() - value_part.trim_start().len());
            let entry = Entry {
                section: section.clone(),
                key: key.to_string(),
                value: value.to_string(),
                line: number,
                key_column: column_of(raw, start),
                value_column: column_of(raw, value_offset),
                used: false,
            };
            let lookup = (section.clone(), key.to_ascii_lowercase());
            // A repeated key replaces the earlier one; the earlier one is reported as unused.
            self.index.insert(lookup, self.entries.len());
            self.entries.push(entry);
        }
        let modelled_entries: Vec<usize> = self.index.values().copied().collect();
        for i in modelled_entries {
            let e = &self.entries[i];
            let known = MODELLED.iter().any(|(section, keys)| {
                *section == e.section && keys.contains(&e.key.to_ascii_lowercase().as_str())
            });
            self.entries[i].used = known;
        }
        Ok(())
    }

    fn entry(&self, section: &str, key: &str) -> Option<&Entry> {
        self.index
            .get(&(section.to_string(), key.to_ascii_lowercase()))
            .map(|&i| &self.entries[i])
    }

    fn value_error(&self, e: &Entry, expected: &'static str) -> IniError {
        IniError::Value {
            file: self.file.to_string(),
            line: e.line,
            column: e.value_column,
            key: format!("[{}] {}", e.section, e.key),
            expected,
            found: e.value.clone(),
        }
    }

    fn string(&self, section: &str, key: &str, default: &str) -> String {
        self.entry(section, key)
            .map_or_else(|| default.to_string(), |e| e.value.clone())
    }

    fn integer(&self, section: &str, key: &str, default: u32) -> Result<u32, IniError> {
        let Some(e) = self.entry(section, key) else {
            return Ok(default);
        };
        let text = e.value.as_str();
        let parsed = if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))
        {
            u32::from_str_radix(hex, 16).ok()
        } else {
            text.parse::<u32>().ok()
        };
        parsed.ok_or_else(|| self.value_error(e, "a non-negative integer of at most 32 bits"))
    }

    fn real(&self, section: &str, key: &str, default: f64) -> Result<f64, IniError> {
        let Some(e) = self.entry(section, key) else {
            return Ok(default);
        };
        match e.value.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.value_error(e, "a number")),
        }
    }

    fn boolean(&self, section: &str, key: &str, default: bool) -> Result<bool, IniError> {
        let Some(e) = self.entry(section, key) else {
            return Ok(default);
        };
        match e.value.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok(true),
            "false" | "no" | "off" | "0" => Ok(false),
            _ => Err(self.value_error(e, "true or false")),
        }
    }

    fn config_error(&self, source: ConfigError) -> IniError {
        let (line, column) = self.locate(&source);
        IniError::Config {
            file: self.file.to_string(),
            line,
            column,
            source,
        }
    }

    fn unsupported(&self, section: &str, key: &'static str, expected: &'static str) -> IniError {
        let value = self.string(section, key, "");
        self.config_error(ConfigError::Unsupported {
            key,
            value,
            expected,
        })
    }

    /// Where the key an error names is written (the start of the file if it took its default).
    fn locate(&self, error: &ConfigError) -> (usize, usize) {
        let key = match error {
            ConfigError::Zero { key }
            | ConfigError::NotPowerOfTwo { key, .. }
            | ConfigError::TooLarge { key, .. }
            | ConfigError::ImpossibleTiming { key, .. }
            | ConfigError::Unsupported { key, .. } => *key,
            ConfigError::AddressMapping { .. } => "address_mapping",
            ConfigError::UnknownPreset { .. } => "",
        };
        let key = match key {
            "ranks" => "channel_size",
            other => other,
        };
        let lower = key.to_ascii_lowercase();
        let alternatives: &[&str] = match lower.as_str() {
            "trcd" => &["trcd", "trcdrd"],
            "trcdwr" => &["trcdwr", "trcd"],
            _ => &[],
        };
        self.entries
            .iter()
            .rev()
            .find(|e| {
                let k = e.key.to_ascii_lowercase();
                k == lower || alternatives.contains(&k.as_str())
            })
            .map_or((1, 1), |e| (e.line, e.key_column))
    }

    fn build(&self) -> Result<DramConfig, IniError> {
        const S: &str = "dram_structure";
        const T: &str = "timing";
        const P: &str = "power";
        const Y: &str = "system";
        let protocol_name = self.string(S, "protocol", "DDR3");
        let protocol = Protocol::from_name(&protocol_name).ok_or_else(|| {
            self.unsupported(
                S,
                "protocol",
                "DDR3, DDR4, LPDDR, LPDDR3, LPDDR4, HBM or HBM2",
            )
        })?;
        let mut bankgroups = self.integer(S, "bankgroups", 2)?;
        let mut banks_per_group = self.integer(S, "banks_per_group", 2)?;
        if !self.boolean(S, "bankgroup_enable", true)? {
            banks_per_group = banks_per_group.saturating_mul(bankgroups);
            bankgroups = 1;
        }
        let rows = self.integer(S, "rows", 1 << 16)?;
        let mut columns = self.integer(S, "columns", 1 << 10)?;
        if protocol.is_hbm() {
            columns = columns.saturating_mul(2);
        }
        let device_width = self.integer(S, "device_width", 8)?;
        let burst_length = self.integer(S, "BL", 8)?;
        let dual_command_issue = self.boolean(S, "hbm_dual_cmd", true)? && protocol.is_hbm();

        let channel_size = self.integer(Y, "channel_size", 1024)?;
        let channels = self.integer(Y, "channels", 1)?;
        let bus_width = self.integer(Y, "bus_width", 64)?;
        if self.boolean(Y, "unified_queue", false)? {
            return Err(self.unsupported(Y, "unified_queue", "False"));
        }
        if self.boolean(Y, "enable_self_refresh", false)? {
            return Err(self.unsupported(Y, "enable_self_refresh", "False"));
        }
        let queue_structure = match self.string(Y, "queue_structure", "PER_BANK").as_str() {
            "PER_BANK" => QueueStructure::PerBank,
            "PER_RANK" => QueueStructure::PerRank,
            _ => return Err(self.unsupported(Y, "queue_structure", "PER_BANK or PER_RANK")),
        };
        let page_policy = match self.string(Y, "row_buf_policy", "OPEN_PAGE").as_str() {
            "OPEN_PAGE" => PagePolicy::Open,
            "CLOSE_PAGE" => PagePolicy::Closed,
            _ => return Err(self.unsupported(Y, "row_buf_policy", "OPEN_PAGE or CLOSE_PAGE")),
        };
        let refresh_policy = match self
            .string(Y, "refresh_policy", "RANK_LEVEL_STAGGERED")
            .as_str()
        {
            "RANK_LEVEL_STAGGERED" => RefreshPolicy::RankLevelStaggered,
            "RANK_LEVEL_SIMULTANEOUS" => RefreshPolicy::RankLevelSimultaneous,
            _ => {
                return Err(self.unsupported(
                    Y,
                    "refresh_policy",
                    "RANK_LEVEL_STAGGERED or RANK_LEVEL_SIMULTANEOUS",
                ))
            }
        };

        // Ranks follow from the channel capacity as DRAMsim3 computes them (in MiB).
        for (key, value) in [
            ("device_width", device_width),
            ("bus_width", bus_width),
            ("rows", rows),
            ("columns", columns),
        ] {
            if value == 0 {
                return Err(self.config_error(ConfigError::Zero { key }));
            }
        }
        let devices_per_rank = u64::from(bus_width / device_width.max(1)).max(1);
        let page_bytes = u64::from(columns) * u64::from(device_width) / 8;
        let mib_per_bank = page_bytes * u64::from(rows / 1024) / 1024;
        let banks = u64::from(bankgroups) * u64::from(banks_per_group);
        let mib_per_rank = mib_per_bank * banks * devices_per_rank;
        let ranks = if mib_per_rank == 0 || mib_per_rank > u64::from(channel_size) {
            1
        } else {
            u64::from(channel_size) / mib_per_rank
        };
        let ranks = u32::try_from(ranks).unwrap_or(u32::MAX);

        let tras = self.integer(T, "tRAS", 24)?;
        let trp = self.integer(T, "tRP", 10)?;
        let (trcd_read, trcd_write) = if protocol.is_hbm() {
            (
                self.integer(T, "tRCDRD", 24)?,
                self.integer(T, "tRCDWR", 20)?,
            )
        } else {
            let trcd = self.integer(T, "tRCD", 10)?;
            (trcd, trcd)
        };
        let timing = TimingParameters {
            tck_ns: self.real(T, "tCK", 1.0)?,
            al: self.integer(T, "AL", 0)?,
            cl: self.integer(T, "CL", 12)?,
            cwl: self.integer(T, "CWL", 12)?,
            trcd_read,
            trcd_write,
            trp,
            tras,
            trc: self.integer(T, "tRC", tras.saturating_add(trp))?,
            trfc: self.integer(T, "tRFC", 74)?,
            trefi: self.integer(T, "tREFI", 7800)?,
            tccd_s: self.integer(T, "tCCD_S", 4)?,
            tccd_l: self.integer(T, "tCCD_L", 6)?,
            trrd_s: self.integer(T, "tRRD_S", 4)?,
            trrd_l: self.integer(T, "tRRD_L", 4)?,
            tfaw: self.integer(T, "tFAW", 50)?,
            twr: self.integer(T, "tWR", 10)?,
            twtr_s: self.integer(T, "tWTR_S", 5)?,
            twtr_l: self.integer(T, "tWTR_L", 5)?,
            trtp: self.integer(T, "tRTP", 5)?,
            trtrs: self.integer(T, "tRTRS", 2)?,
            tppd: self.integer(T, "tPPD", 0)?,
        };
        let power = PowerParameters {
            vdd: self.real(P, "VDD", 1.2)?,
            idd0: self.real(P, "IDD0", 48.0)?,
            idd2n: self.real(P, "IDD2N", 34.0)?,
            idd3n: self.real(P, "IDD3N", 43.0)?,
            idd4r: self.real(P, "IDD4R", 135.0)?,
            idd4w: self.real(P, "IDD4W", 123.0)?,
            idd5ab: self.real(P, "IDD5AB", 250.0)?,
        };
        Ok(DramConfig {
            name: self.file.to_string(),
            structure: Structure {
                protocol,
                channels,
                ranks,
                bankgroups,
                banks_per_group,
                rows,
                columns,
                device_width,
                bus_width,
                burst_length,
            },
            timing,
            system: SystemParameters {
                address_mapping: self.string(Y, "address_mapping", "chrobabgraco"),
                page_policy,
                queue_structure,
                refresh_policy,
                command_queue_size: self.integer(Y, "cmd_queue_size", 16)?,
                transaction_queue_size: self.integer(Y, "trans_queue_size", 32)?,
                write_drain_idle_threshold: 8,
                dual_command_issue,
            },
            power,
        })
    }
}
