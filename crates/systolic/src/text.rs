//! SCALE-Sim's input files, read unchanged: topology CSVs (convolution and GEMM formats) and `.cfg`
//! configurations. Text and a file name in; layers or a configuration out, or an error at
//! `file:line:col`. Keys of SCALE-Sim's that this model does not use are accepted and reported by name
//! as notes; keys SCALE-Sim does not have are errors.

use crate::config::{ArrayConfig, Interface, MAX_ARRAY_SIDE, MAX_SRAM_KB};
use crate::layer::{Dataflow, Layer, MAX_FIELD};
use thiserror::Error;

/// An error in an input file, at a 1-based line and column.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("{file}:{line}:{col}: {message}")]
pub struct ReadError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// A remark on an accepted input (a SCALE-Sim key that is not modelled), at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Which topology format a file is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopologyFormat {
    /// `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter,
    /// Strides[, Stride width]`.
    Conv,
    /// `Layer, M, N, K`.
    Gemm,
    /// Decided by the header: a header whose second field is `M` is a GEMM file.
    Auto,
}

/// One comma-separated field with its 1-based column.
struct Field<'a> {
    text: &'a str,
    col: usize,
}

/// Splits a line at commas; SCALE-Sim's rows end with a comma, so one empty last field is dropped.
fn fields(line: &str) -> Vec<Field<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, ch) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ',')))
    {
        if ch == ',' {
            let raw = &line[start..at];
            let lead = raw.len() - raw.trim_start().len();
            out.push(Field {
                text: raw.trim(),
                col: line[..start + lead].chars().count() + 1,
            });
            start = at + 1;
        }
    }
    if out.len() > 1 && out.last().is_some_and(|f| f.text.is_empty()) {
        out.pop();
    }
    out
}

fn error(file: &str, line: usize, col: usize, message: impl Into<String>) -> ReadError {
    ReadError {
        file: file.to_string(),
        line,
        col,
        message: message.into(),
    }
}

fn number(file: &str, line: usize, field: &Field<'_>, what: &str) -> Result<u64, ReadError> {
    let value: u64 = field.text.parse().map_err(|_| {
        error(
            file,
            line,
            field.col,
            format!("{what}: expected a whole number, found `{}`", field.text),
        )
    })?;
    if value == 0 {
        return Err(error(
            file,
            line,
            field.col,
            format!("{what} must be at least 1, found 0"),
        ));
    }
    if value > MAX_FIELD {
        return Err(error(
            file,
            line,
            field.col,
            format!("{what} is {value}, above the supported {MAX_FIELD}"),
        ));
    }
    Ok(value)
}

/// Reads a SCALE-Sim topology file. The first line is a header; blank lines are skipped. Layers whose
/// name contains `DP` (depthwise) become one single-channel layer per channel, as in SCALE-Sim.
pub fn parse_topology(
    text: &str,
    file: &str,
    format: TopologyFormat,
) -> Result<Vec<Layer>, ReadError> {
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        return Err(error(
            file,
            1,
            1,
            "empty topology file: expected a header line",
        ));
    };
    let format = match format {
        TopologyFormat::Auto => {
            let header_fields = fields(header);
            if header_fields
                .get(1)
                .is_some_and(|f| f.text.eq_ignore_ascii_case("m"))
            {
                TopologyFormat::Gemm
            } else {
                TopologyFormat::Conv
            }
        }
        other => other,
    };
    let mut layers = Vec::new();
    for (index, line) in lines {
        let line_no = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let row = fields(line);
        let end_col = line.chars().count() + 1;
        let names: &[&str] = match format {
            TopologyFormat::Gemm => &["M", "N", "K"],
            _ => &[
                "IFMAP height",
                "IFMAP width",
                "filter height",
                "filter width",
                "channels",
                "num filter",
                "stride",
            ],
        };
        if row.len() < names.len() + 1 {
            let missing = names[row.len().saturating_sub(1).min(names.len() - 1)];
            return Err(error(
                file,
                line_no,
                end_col,
                format!(
                    "missing field `{missing}`: expected {} fields, found {}",
                    names.len() + 1,
                    row.len()
                ),
            ));
        }
        let name = row[0].text.to_string();
        if name.is_empty() {
            return Err(error(file, line_no, row[0].col, "missing layer name"));
        }
        let max_fields = names.len() + 1 + usize::from(format != TopologyFormat::Gemm);
        if row.len() > max_fields {
            return Err(error(
                file,
                line_no,
                row[max_fields].col,
                format!(
                    "unexpected field `{}`: a row has at most {max_fields} fields",
                    row[max_fields].text
                ),
            ));
        }
        let mut values = Vec::with_capacity(row.len() - 1);
        for (field, what) in row[1..]
            .iter()
            .zip(names.iter().chain(std::iter::once(&"stride width")))
        {
            values.push(number(file, line_no, field, what)?);
        }
        match format {
            TopologyFormat::Gemm => layers.push(Layer::gemm(name, values[0], values[1], values[2])),
            _ => {
                let layer = Layer {
                    name: name.clone(),
                    ifmap_height: values[0],
                    ifmap_width: values[1],
                    filter_height: values[2],
                    filter_width: values[3],
                    channels: values[4],
                    filters: values[5],
                    stride_height: values[6],
                    stride_width: values.get(7).copied().unwrap_or(values[6]),
                };
                for (filter, ifmap, at, dim) in [
                    (layer.filter_height, layer.ifmap_height, 3, "height"),
                    (layer.filter_width, layer.ifmap_width, 4, "width"),
                ] {
                    if filter > ifmap {
                        return Err(error(
                            file,
                            line_no,
                            row[at].col,
                            format!(
                                "filter {dim} {filter} is larger than the padded IFMAP {dim} {ifmap} \
                                 (IFMAP sizes include padding)"
                            ),
                        ));
                    }
                }
                if name.contains("DP") {
                    for channel in 0..layer.channels {
                        layers.push(Layer {
                            name: format!("{name}Channel_{channel}"),
                            channels: 1,
                            ..layer.clone()
                        });
                    }
                } else {
                    layers.push(layer);
                }
            }
        }
    }
    if layers.is_empty() {
        return Err(error(
            file,
            text.lines().count().max(1),
            1,
            "no layers: expected at least one row after the header",
        ));
    }
    Ok(layers)
}

/// A SCALE-Sim configuration as read.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    pub run_name: Option<String>,
    pub config: ArrayConfig,
    /// SCALE-Sim keys that were accepted but are not modelled, by name.
    pub notes: Vec<Note>,
}

/// What a key is, per section: required/used by this model, or accepted and ignored (with a reason).
enum KeyKind {
    Used,
    Ignored(&'static str),
}

fn key_kind(section: &str, key: &str) -> Option<KeyKind> {
    use KeyKind::{Ignored, Used};
    let kind = match (section, key) {
        ("general", "run_name") => Used,
        (
            "architecture_presets",
            "arrayheight" | "arraywidth" | "ifmapsramszkb" | "filtersramszkb",
        )
        | ("architecture_presets", "ofmapsramszkb" | "dataflow" | "bandwidth" | "memorybanks") => {
            Used
        }
        ("architecture_presets", "ifmapoffset" | "filteroffset" | "ofmapoffset") => {
            Ignored("addresses are not modelled; the offset only moves SCALE-Sim's trace addresses")
        }
        ("architecture_presets", "readrequestbuffer" | "writerequestbuffer") => Ignored(
            "SCALE-Sim v3's request buffers feed its Ramulator traces, which are not modelled",
        ),
        ("run_presets", "interfacebandwidth") => Used,
        ("run_presets", "useramulatortrace") => Ignored("Ramulator DRAM traces are not modelled"),
        ("network_presets", "topologycsvloc") => {
            Ignored("the topology is given on the command line (--topology)")
        }
        ("layout", _) => Ignored("SCALE-Sim v3's SRAM bank layouts are not modelled"),
        ("sparsity", _) => Ignored("SCALE-Sim v3's sparsity support is not modelled"),
        _ => return None,
    };
    Some(kind)
}

const SECTIONS: [&str; 6] = [
    "general",
    "architecture_presets",
    "run_presets",
    "network_presets",
    "layout",
    "sparsity",
];

/// Reads a SCALE-Sim `.cfg` file (INI: `[section]`, `key: value` or `key = value`, `#`/`;` comments;
/// keys are case-insensitive, as in Python's configparser).
pub fn parse_config(text: &str, file: &str) -> Result<ConfigFile, ReadError> {
    let mut section: Option<String> = None;
    // (key, value, line, value column)
    let mut values: Vec<(String, String, usize, usize)> = Vec::new();
    let mut notes = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let trimmed = line.trim();
        let lead = line.len() - line.trim_start().len();
        let col_of = |byte: usize| line[..byte].chars().count() + 1;
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            let Some(name) = rest.strip_suffix(']') else {
                return Err(error(
                    file,
                    line_no,
                    col_of(lead),
                    "unterminated section header: expected `]`",
                ));
            };
            let name = name.trim().to_ascii_lowercase();
            if !SECTIONS.contains(&name.as_str()) {
                return Err(error(
                    file,
                    line_no,
                    col_of(lead) + 1,
                    format!(
                        "unknown section `[{name}]`: SCALE-Sim's are {}",
                        SECTIONS.join(", ")
                    ),
                ));
            }
            section = Some(name);
            continue;
        }
        let Some(split) = line.find([':', '=']) else {
            return Err(error(
                file,
                line_no,
                col_of(lead),
                format!("expected `key: value`, found `{trimmed}`"),
            ));
        };
        let key = line[..split].trim().to_ascii_lowercase();
        let raw_value = &line[split + 1..];
        let value_col = col_of(split + 1 + (raw_value.len() - raw_value.trim_start().len()));
        let Some(current) = section.as_deref() else {
            return Err(error(
                file,
                line_no,
                col_of(lead),
                format!("key `{key}` before any [section]"),
            ));
        };
        match key_kind(current, &key) {
            None => {
                return Err(error(
                    file,
                    line_no,
                    col_of(lead),
                    format!("unknown key `{}` in [{current}]", line[..split].trim()),
                ))
            }
            Some(KeyKind::Ignored(reason)) => {
                let value = raw_value.trim();
                let harmless = matches!(
                    (key.as_str(), value.to_ascii_lowercase().as_str()),
                    ("useramulatortrace", "false")
                        | ("ifmapcustomlayout", "false")
                        | ("filtercustomlayout", "false")
                        | ("sparsitysupport", "false")
                );
                if !harmless {
                    notes.push(Note {
                        line: line_no,
                        col: col_of(lead),
                        message: format!(
                            "`{}` is accepted and ignored: {reason}",
                            line[..split].trim()
                        ),
                    });
                }
            }
            Some(KeyKind::Used) => {}
        }
        values.push((key, raw_value.trim().to_string(), line_no, value_col));
    }
    let find = |key: &str| values.iter().find(|(k, ..)| k == key);
    let last_line = text.lines().count().max(1);
    let required = |key: &str, display: &str| {
        find(key).ok_or_else(|| {
            error(
                file,
                last_line,
                1,
                format!("missing key `{display}` in [architecture_presets]"),
            )
        })
    };
    let numeric = |key: &str, display: &str, max: u64| -> Result<u64, ReadError> {
        let (_, value, line, col) = required(key, display)?;
        let number: u64 = value.parse().map_err(|_| {
            error(
                file,
                *line,
                *col,
                format!("`{display}`: expected a whole number, found `{value}`"),
            )
        })?;
        if number == 0 {
            return Err(error(
                file,
                *line,
                *col,
                format!("`{display}` must be at least 1, found 0"),
            ));
        }
        if number > max {
            return Err(error(
                file,
                *line,
                *col,
                format!("`{display}` is {number}, above the supported {max}"),
            ));
        }
        Ok(number)
    };
    let rows = numeric("arrayheight", "ArrayHeight", MAX_ARRAY_SIDE)?;
    let cols = numeric("arraywidth", "ArrayWidth", MAX_ARRAY_SIDE)?;
    let ifmap_sram_kb = numeric("ifmapsramszkb", "IfmapSramSzkB", MAX_SRAM_KB)?;
    let filter_sram_kb = numeric("filtersramszkb", "FilterSramSzkB", MAX_SRAM_KB)?;
    let ofmap_sram_kb = numeric("ofmapsramszkb", "OfmapSramSzkB", MAX_SRAM_KB)?;
    let (_, dataflow_text, line, col) = required("dataflow", "Dataflow")?;
    let dataflow = Dataflow::from_name(dataflow_text).ok_or_else(|| {
        error(
            file,
            *line,
            *col,
            format!("unknown Dataflow `{dataflow_text}`: expected os, ws or is"),
        )
    })?;
    if let Some((_, banks, line, col)) = find("memorybanks") {
        match banks.parse::<u64>() {
            Ok(1) => {}
            Ok(_) => notes.push(Note {
                line: *line,
                col: *col,
                message: format!("`MemoryBanks` = {banks} is accepted and ignored: one bank per buffer is modelled"),
            }),
            Err(_) => {
                return Err(error(file, *line, *col, format!("`MemoryBanks`: expected a whole number, found `{banks}`")))
            }
        }
    }
    let interface = match find("interfacebandwidth") {
        None => {
            return Err(error(
                file,
                last_line,
                1,
                "missing key `InterfaceBandwidth` in [run_presets]",
            ));
        }
        Some((_, mode, line, col)) => match mode.to_ascii_uppercase().as_str() {
            "CALC" => Interface::Calc,
            "USER" => {
                let (_, bandwidth, bw_line, bw_col) = find("bandwidth").ok_or_else(|| {
                    error(
                        file,
                        *line,
                        *col,
                        "InterfaceBandwidth USER needs `Bandwidth` in [architecture_presets]",
                    )
                })?;
                // SCALE-Sim reads a list and uses its first entry for every buffer.
                let first = bandwidth.split(',').next().unwrap_or("").trim();
                let words_per_cycle: u64 = first.parse().map_err(|_| {
                    error(
                        file,
                        *bw_line,
                        *bw_col,
                        format!("`Bandwidth`: expected a whole number, found `{first}`"),
                    )
                })?;
                if words_per_cycle == 0 || words_per_cycle > MAX_FIELD {
                    return Err(error(
                        file,
                        *bw_line,
                        *bw_col,
                        format!("`Bandwidth` must be between 1 and {MAX_FIELD}, found {words_per_cycle}"),
                    ));
                }
                Interface::User { words_per_cycle }
            }
            _ => {
                return Err(error(
                    file,
                    *line,
                    *col,
                    format!("unknown InterfaceBandwidth `{mode}`: expected CALC or USER"),
                ))
            }
        },
    };
    Ok(ConfigFile {
        run_name: find("run_name").map(|(_, v, ..)| v.clone()),
        config: ArrayConfig {
            rows,
            cols,
            dataflow,
            ifmap_sram_kb,
            filter_sram_kb,
            ofmap_sram_kb,
            interface,
            conventions: Default::default(),
        },
        notes,
    })
}
