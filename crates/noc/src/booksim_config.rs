//! A reader for BookSim2 configuration files (`key = value;` statements, `//` and `/* */`
//! comments): the modelled keys set the network and the run, BookSim keys that are not modelled
//! are accepted only at BookSim's default value, anything else is an error with its line and column.
//! BookSim's defaults apply to omitted keys, except `topology` (mesh here) and `routing_function`
//! (dimension order here; BookSim has no default).

use crate::config::{NocConfig, RoutingKind, TopologyKind};
use crate::run::{RunSettings, SimType};
use crate::traffic::TrafficPattern;
use thiserror::Error;

/// A problem in a configuration file, at a byte range.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ConfigDiagnostic {
    /// The file name given to the reader.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Byte offset of the start of the offending text.
    pub offset: usize,
    /// Byte length of the offending text.
    pub length: usize,
    /// What is wrong, naming the key.
    pub message: String,
}

/// A configuration file's network and run.
#[derive(Debug, Clone, PartialEq)]
pub struct BooksimFile {
    /// The network.
    pub network: NocConfig,
    /// The traffic and measurement.
    pub run: RunSettings,
}

/// BookSim keys that are not modelled, with BookSim's default; a file may only restate the default.
const UNMODELLED_DEFAULTS: &[(&str, &str)] = &[
    ("subnets", "1"),
    ("classes", "1"),
    ("internal_speedup", "1.0"),
    ("output_buffer_size", "-1"),
    ("noq", "0"),
    ("speculative", "0"),
    ("spec_check_elig", "1"),
    ("spec_check_cred", "1"),
    ("spec_mask_by_reqs", "0"),
    ("spec_sw_allocator", "prio"),
    ("buf_size", "-1"),
    ("buffer_policy", "private"),
    ("private_bufs", "-1"),
    ("max_held_slots", "-1"),
    ("wait_for_tail_credit", "0"),
    ("vc_busy_when_full", "0"),
    ("vc_prioritize_empty", "0"),
    ("vc_priority_donation", "0"),
    ("vc_shuffle_requests", "0"),
    ("hold_switch_for_packet", "0"),
    ("input_speedup", "1"),
    ("output_speedup", "1"),
    ("vct", "0"),
    ("alloc_iters", "1"),
    ("arb_type", "round_robin"),
    ("router", "iq"),
    ("output_delay", "0"),
    ("use_noc_latency", "1"),
    ("priority", "none"),
    ("class_priority", "0"),
    ("perm_seed", "0"),
    ("packet_size_rate", "1"),
    ("injection_process", "bernoulli"),
    ("batch_count", "1"),
    ("max_outstanding_requests", "0"),
    ("use_read_write", "0"),
    ("measure_stats", "1"),
    ("pair_stats", "0"),
    ("warmup_thres", "0.05"),
    ("acc_warmup_thres", "0.05"),
    ("acc_stopping_thres", "0.05"),
    ("sim_count", "1"),
    ("include_queuing", "1"),
    ("print_activity", "0"),
    ("print_csv_results", "0"),
    ("deadlock_warn_timeout", "256"),
    ("viewer_trace", "0"),
    ("watch_file", ""),
    ("watch_flits", ""),
    ("watch_packets", ""),
    ("watch_transactions", ""),
    ("watch_out", ""),
    ("stats_out", ""),
    ("sim_power", "0"),
    ("channel_width", "128"),
    ("channel_file", ""),
    ("network_file", ""),
    ("link_failures", "0"),
    ("fail_seed", "0"),
    ("x", "8"),
    ("y", "8"),
    ("xr", "1"),
    ("yr", "1"),
    ("in_ports", "5"),
    ("out_ports", "5"),
];

struct Statement<'a> {
    key: &'a str,
    key_offset: usize,
    value: &'a str,
    value_offset: usize,
}

/// Reads a BookSim configuration from `text`; `file` names it in diagnostics. Returns every
/// diagnostic when the file is invalid.
pub fn parse_booksim_config(text: &str, file: &str) -> Result<BooksimFile, Vec<ConfigDiagnostic>> {
    let mut diagnostics = Vec::new();
    let located = |offset: usize, length: usize, message: String| {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        ConfigDiagnostic {
            file: file.to_string(),
            line,
            column: text[line_start..offset.min(text.len())].chars().count() + 1,
            offset,
            length,
            message,
        }
    };
    let statements = split_statements(text, &mut |offset, length, message| {
        diagnostics.push(located(offset, length, message));
    });
    let mut network = NocConfig::default();
    let mut run = RunSettings::default();
    let mut hotspot_text: Option<(String, usize, usize)> = None;
    let mut traffic_text = ("uniform".to_string(), 0usize, 0usize);
    let mut rate_uses_flits = false;
    let mut rate_text: Option<(f64, usize, usize)> = None;
    for statement in &statements {
        let key = statement.key;
        let value = statement.value;
        let at_value = |message: String| located(statement.value_offset, value.len(), message);
        let integer = |low: i64, high: i64| -> Result<i64, ConfigDiagnostic> {
            match value.parse::<i64>() {
                Ok(number) if (low..=high).contains(&number) => Ok(number),
                Ok(number) => Err(at_value(format!(
                    "`{key}` must be between {low} and {high}, found {number}"
                ))),
                Err(_) => Err(at_value(format!(
                    "`{key}` expects an integer, found `{value}`"
                ))),
            }
        };
        let number = || -> Result<f64, ConfigDiagnostic> {
            value
                .parse::<f64>()
                .ok()
                .filter(|number| number.is_finite())
                .ok_or_else(|| at_value(format!("`{key}` expects a number, found `{value}`")))
        };
        let small = |low: i64, high: i64| integer(low, high).map(|n| n as u32);
        let result: Result<(), ConfigDiagnostic> = (|| {
            match key {
                "topology" => {
                    network.topology = match value {
                        "mesh" => TopologyKind::Mesh,
                        "torus" => TopologyKind::Torus,
                        other => {
                            return Err(at_value(format!(
                            "`topology` must be mesh or torus (the modelled ones), found `{other}`"
                        )))
                        }
                    }
                }
                "k" => network.k = small(2, i64::from(crate::config::MAX_RADIX))?,
                "n" => {
                    integer(2, 2)?;
                }
                "c" => {
                    network.concentration = small(1, i64::from(crate::config::MAX_CONCENTRATION))?
                }
                "routing_function" => {
                    network.routing = match value {
                        "dor" | "dim_order" => RoutingKind::DimensionOrder,
                        "min_adapt" | "adaptive" => RoutingKind::MinimalAdaptive,
                        other => {
                            return Err(at_value(format!(
                        "`routing_function` must be dor, dim_order or min_adapt, found `{other}`"
                    )))
                        }
                    }
                }
                "num_vcs" => network.num_vcs = small(1, i64::from(crate::config::MAX_VCS))?,
                "vc_buf_size" => {
                    network.vc_buf_size = small(1, i64::from(crate::config::MAX_VC_BUFFER))?
                }
                "credit_delay" => {
                    network.credit_delay = small(0, i64::from(crate::config::MAX_DELAY))?
                }
                "routing_delay" => {
                    network.routing_delay = small(1, i64::from(crate::config::MAX_DELAY))?
                }
                "vc_alloc_delay" => {
                    network.vc_alloc_delay = small(1, i64::from(crate::config::MAX_DELAY))?
                }
                "sw_alloc_delay" => {
                    network.sw_alloc_delay = small(1, i64::from(crate::config::MAX_DELAY))?
                }
                "st_prepare_delay" => {
                    network.st_prepare_delay = small(0, i64::from(crate::config::MAX_DELAY))?
                }
                "st_final_delay" => {
                    network.st_final_delay = small(1, i64::from(crate::config::MAX_DELAY))?
                }
                "vc_allocator" | "sw_allocator" => {
                    if value != "separable_input_first" && value != "islip" {
                        return Err(at_value(format!(
                            "`{key}`: only separable_input_first is modelled (islip, BookSim's default, is read as it), found `{value}`"
                        )));
                    }
                }
                "dateline" => network.dateline = integer(0, 1)? == 1,
                "multicast" => network.multicast = integer(0, 1)? == 1,
                "reduction" => network.reduction = integer(0, 1)? == 1,
                "adder_latency" => {
                    network.adder_latency = small(0, i64::from(crate::config::MAX_DELAY))?
                }
                "traffic" => {
                    traffic_text = (value.to_string(), statement.value_offset, value.len());
                }
                "hotspots" => {
                    hotspot_text = Some((value.to_string(), statement.value_offset, value.len()))
                }
                "injection_rate" => {
                    let rate = number()?;
                    if !(0.0..=1.0).contains(&rate) {
                        return Err(at_value(format!(
                            "`injection_rate` must be between 0 and 1, found {rate}"
                        )));
                    }
                    rate_text = Some((rate, statement.value_offset, value.len()));
                }
                "injection_rate_uses_flits" => rate_uses_flits = integer(0, 1)? == 1,
                "packet_size" => {
                    run.packet_size = small(1, i64::from(crate::config::MAX_PACKET_SIZE))?
                }
                "sim_type" => {
                    run.sim_type = match value {
                        "latency" => SimType::Latency,
                        "batch" => SimType::Batch,
                        "throughput" => SimType::Throughput,
                        other => {
                            return Err(at_value(format!(
                                "`sim_type` must be latency, throughput or batch, found `{other}`"
                            )))
                        }
                    }
                }
                "warmup_periods" => run.warmup_periods = small(0, 10_000)?,
                "sample_period" => run.sample_period = small(1, 10_000_000)?,
                "max_samples" => run.max_samples = small(1, 10_000)?,
                "latency_thres" => {
                    let thres = number()?;
                    if thres <= 0.0 {
                        return Err(at_value(format!(
                            "`latency_thres` must be positive, found {thres}"
                        )));
                    }
                    run.latency_thres = thres;
                }
                "stopping_thres" => {
                    let thres = number()?;
                    if thres <= 0.0 {
                        return Err(at_value(format!(
                            "`stopping_thres` must be positive, found {thres}"
                        )));
                    }
                    run.stopping_thres = thres;
                }
                "batch_size" => run.batch_size = small(1, 1_000_000)?,
                "seed" => run.seed = integer(0, i64::MAX)? as u64,
                _ => match UNMODELLED_DEFAULTS.iter().find(|(name, _)| *name == key) {
                    Some((_, default)) => {
                        let same = value == *default
                            || matches!(
                                (value.parse::<f64>(), default.parse::<f64>()),
                                (Ok(a), Ok(b)) if a == b
                            );
                        if !same {
                            return Err(at_value(format!(
                                "`{key}` is a BookSim key that is not modelled; only its default `{default}` is accepted, found `{value}`"
                            )));
                        }
                    }
                    None => {
                        return Err(located(
                            statement.key_offset,
                            key.len(),
                            format!("unknown key `{key}`"),
                        ))
                    }
                },
            }
            Ok(())
        })();
        if let Err(diagnostic) = result {
            diagnostics.push(diagnostic);
        }
    }
    if network.topology == TopologyKind::Torus
        && !statements.iter().any(|s| s.key == "channel_latency")
    {
        network.channel_latency = 2;
    }
    let hotspots: Vec<usize> = match &hotspot_text {
        Some((text, offset, length)) => {
            let mut nodes = Vec::new();
            for item in text.trim_matches(|c| c == '{' || c == '}').split(',') {
                match item.trim().parse::<usize>() {
                    Ok(node) => nodes.push(node),
                    Err(_) => diagnostics.push(located(
                        *offset,
                        *length,
                        format!("`hotspots` expects node numbers, found `{}`", item.trim()),
                    )),
                }
            }
            nodes
        }
        None => Vec::new(),
    };
    match TrafficPattern::parse(&traffic_text.0, &hotspots).and_then(|pattern| {
        pattern
            .check(network.k as usize, network.concentration as usize)
            .map(|()| pattern)
    }) {
        Ok(pattern) => run.traffic = pattern,
        Err(error) => diagnostics.push(located(traffic_text.1, traffic_text.2, error.to_string())),
    }
    if let Some((rate, _, _)) = rate_text {
        run.injection_rate = if rate_uses_flits {
            rate
        } else {
            rate * f64::from(run.packet_size)
        };
    }
    if let Some((rate, offset, length)) = rate_text {
        if run.injection_rate > 1.0 {
            diagnostics.push(located(
                offset,
                length,
                format!(
                    "`injection_rate` {rate} packets of {} flits exceeds 1 flit/node/cycle",
                    run.packet_size
                ),
            ));
        }
    }
    if diagnostics.is_empty() {
        if let Err(error) = network.validate().and_then(|()| run.validate(&network)) {
            diagnostics.push(located(0, 0, error.to_string()));
        }
    }
    if diagnostics.is_empty() {
        Ok(BooksimFile { network, run })
    } else {
        Err(diagnostics)
    }
}

/// Splits the text into `key = value;` statements, skipping comments; reports malformed ones.
fn split_statements<'a>(
    text: &'a str,
    report: &mut dyn FnMut(usize, usize, String),
) -> Vec<Statement<'a>> {
    // Blank out comments, keeping offsets.
    let mut cleaned: Vec<u8> = text.as_bytes().to_vec();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                cleaned[i] = b' ';
                i += 1;
            }
        } else if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                if bytes[i] != b'\n' {
                    cleaned[i] = b' ';
                }
                i += 1;
            }
            for _ in 0..2 {
                if i < bytes.len() {
                    cleaned[i] = b' ';
                    i += 1;
                }
            }
        } else {
            i += 1;
        }
    }
    let mut statements = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    for (index, &byte) in cleaned.iter().enumerate() {
        match byte {
            b'{' | b'(' => depth += 1,
            b'}' | b')' => depth -= 1,
            b';' if depth <= 0 => {
                push_statement(text, &cleaned, start, index, &mut statements, report);
                start = index + 1;
                depth = 0;
            }
            _ => {}
        }
    }
    let rest = std::str::from_utf8(&cleaned[start..]).unwrap_or("");
    if !rest.trim().is_empty() {
        let offset = start + (rest.len() - rest.trim_start().len());
        report(
            offset,
            rest.trim().len(),
            "expected `;` after the statement".into(),
        );
    }
    statements
}

fn push_statement<'a>(
    text: &'a str,
    cleaned: &[u8],
    start: usize,
    end: usize,
    statements: &mut Vec<Statement<'a>>,
    report: &mut dyn FnMut(usize, usize, String),
) {
    let segment = std::str::from_utf8(&cleaned[start..end]).unwrap_or("");
    if segment.trim().is_empty() {
        return;
    }
    let leading = segment.len() - segment.trim_start().len();
    let Some(equals) = segment.find('=') else {
        report(
            start + leading,
            segment.trim().len(),
            "expected `key = value;`".into(),
        );
        return;
    };
    let key_part = &segment[..equals];
    let value_part = &segment[equals + 1..];
    let key = key_part.trim();
    let key_offset = start + (key_part.len() - key_part.trim_start().len());
    let value_leading = value_part.len() - value_part.trim_start().len();
    let value_offset = start + equals + 1 + value_leading;
    let value_end = value_offset + value_part.trim().len();
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        report(
            key_offset.min(start + leading),
            key.len().max(1),
            format!("`{key}` is not a key name"),
        );
        return;
    }
    let mut value = &text[value_offset..value_end];
    if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
        value = &value[1..value.len() - 1];
    }
    statements.push(Statement {
        key: &text[key_offset..key_offset + key.len()],
        key_offset,
        value,
        value_offset,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        match parse_booksim_config(text, "net.cfg") {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn reads_modelled_keys_and_defaults() {
        let file = parse_booksim_config(
            "// a mesh\ntopology = mesh;\nk = 4;\nn = 2;\nrouting_function = dor;\nnum_vcs = 2;\nvc_buf_size = 4;\n\
             traffic = hotspot({{0,3}});\ninjection_rate = 0.05;\npacket_size = 4;\nwait_for_tail_credit = 0;\n",
            "net.cfg",
        )
        .expect("valid");
        assert_eq!(file.network.k, 4);
        assert_eq!(file.network.num_vcs, 2);
        assert_eq!(file.run.traffic, TrafficPattern::Hotspot(vec![0, 3]));
        // injection_rate counts packets unless injection_rate_uses_flits = 1.
        assert!((file.run.injection_rate - 0.2).abs() < 1e-12);
    }

    #[test]
    fn errors_name_the_key_with_line_and_column() {
        assert_eq!(
            messages("k = 4;\nbogus_key = 1;\n"),
            ["net.cfg:2:1: unknown key `bogus_key`"]
        );
        assert_eq!(
            messages("num_vcs = 0;"),
            ["net.cfg:1:11: `num_vcs` must be between 1 and 64, found 0"]
        );
        assert_eq!(
            messages("k = four;"),
            ["net.cfg:1:5: `k` expects an integer, found `four`"]
        );
        assert_eq!(
            messages("speculative = 1;"),
            ["net.cfg:1:15: `speculative` is a BookSim key that is not modelled; only its default `0` is accepted, found `1`"]
        );
        assert_eq!(
            messages("injection_rate = 1.5;"),
            ["net.cfg:1:18: `injection_rate` must be between 0 and 1, found 1.5"]
        );
        assert_eq!(
            messages("k = 4;\ntraffic = hotspot({{99}});"),
            ["net.cfg:2:11: traffic: hotspot node 99 is outside the network's 16 nodes"]
        );
        assert_eq!(
            messages("k = 4"),
            ["net.cfg:1:1: expected `;` after the statement"]
        );
    }
}
