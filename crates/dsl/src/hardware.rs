//! Hardware files: `key: value` lines with the reference's six keys (`num_pes`, `l1_size_cstr`,
//! `l2_size_cstr`, `noc_bw_cstr`, `offchip_bw_cstr`, `NoC_NumHops`). Every value must be a positive
//! integer; an unknown or repeated key, a missing or malformed value is a diagnostic.

use crate::diagnostic::{shorten, Diagnostics, Sink};
use crate::lexer::{lex, TokenKind};
use crate::resolve::number;
use crate::span::Span;
use maestro_ir::limits::{MAX_LATENCY, MAX_PES, MAX_SIZE};

/// The values a hardware file sets; `None` for a key the file does not mention.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HardwareFile {
    pub num_pes: Option<u64>,
    pub l1_size: Option<u64>,
    pub l2_size: Option<u64>,
    pub noc_bandwidth: Option<u64>,
    pub offchip_bandwidth: Option<u64>,
    /// `NoC_NumHops`: the reference uses it as the NoC latency of a transfer, in cycles.
    pub noc_hops: Option<u64>,
}

const KEYS: [&str; 6] = [
    "num_pes",
    "l1_size_cstr",
    "l2_size_cstr",
    "noc_bw_cstr",
    "offchip_bw_cstr",
    "NoC_NumHops",
];

impl HardwareFile {
    fn slot(&mut self, key: &str) -> Option<&mut Option<u64>> {
        Some(match key {
            "num_pes" => &mut self.num_pes,
            "l1_size_cstr" => &mut self.l1_size,
            "l2_size_cstr" => &mut self.l2_size,
            "noc_bw_cstr" => &mut self.noc_bandwidth,
            "offchip_bw_cstr" => &mut self.offchip_bandwidth,
            "NoC_NumHops" => &mut self.noc_hops,
            _ => return None,
        })
    }
}

/// Reads a hardware file (see the module documentation).
pub fn parse_hardware(file_name: &str, bytes: &[u8]) -> Result<HardwareFile, Diagnostics> {
    let text = crate::input::decode(file_name, bytes)?;
    let mut sink = Sink::new(file_name, text);
    let tokens = lex(text, &mut sink);
    let mut hardware = HardwareFile::default();
    let mut seen: Vec<(&str, Span)> = Vec::new();
    let mut position = 0;
    let expected_keys = format!("expected one of {}", KEYS.join(", "));
    while let Some(token) = tokens.get(position) {
        position += 1;
        let key = match &token.kind {
            TokenKind::Word(word) => *word,
            TokenKind::Comma | TokenKind::Semicolon => continue,
            _ => {
                sink.error(
                    token.span,
                    "unexpected punctuation in a hardware file".to_string(),
                    Some(format!("{expected_keys}, each followed by `: VALUE`")),
                );
                continue;
            }
        };
        let Some(slot) = hardware.slot(key) else {
            sink.error(
                token.span,
                format!("unknown hardware key `{}`", shorten(key)),
                Some(expected_keys.clone()),
            );
            // Skip the key's value, if it has one, so that it is not reported as a second unknown key.
            if matches!(
                tokens.get(position).map(|t| &t.kind),
                Some(TokenKind::Colon)
            ) {
                position += 1;
                if matches!(tokens.get(position).map(|t| &t.kind), Some(TokenKind::Word(word)) if !KEYS.contains(word))
                {
                    position += 1;
                }
            }
            continue;
        };
        if matches!(
            tokens.get(position).map(|t| &t.kind),
            Some(TokenKind::Colon)
        ) {
            position += 1;
        }
        let value_token = match tokens.get(position) {
            Some(value) if matches!(value.kind, TokenKind::Word(word) if !KEYS.contains(&word)) => {
                value
            }
            other => {
                let at = other.map_or(Span::new(text.len(), text.len()), |t| t.span);
                sink.push(
                    token.span,
                    format!("missing value for `{key}`"),
                    format!("`{key}` has no value"),
                    Some("expected `KEY: VALUE` with a positive integer".to_string()),
                    vec![(at, "expected a value here".to_string())],
                );
                continue;
            }
        };
        position += 1;
        let TokenKind::Word(value_text) = value_token.kind else {
            continue;
        };
        let Some(value) = number(
            value_text,
            value_token.span,
            &format!("the value of `{key}`"),
            &mut sink,
        ) else {
            continue;
        };
        if key == "num_pes" && value > MAX_PES {
            sink.error(
                value_token.span,
                format!("`num_pes` = {value} exceeds the limit of {MAX_PES} PEs"),
                Some(format!("expected at most {MAX_PES}")),
            );
            continue;
        }
        if key == "NoC_NumHops" && value > MAX_LATENCY {
            sink.error(
                value_token.span,
                format!(
                    "`NoC_NumHops` = {value} exceeds the latency limit of {MAX_LATENCY} cycles"
                ),
                Some(format!("expected at most {MAX_LATENCY}")),
            );
            continue;
        }
        debug_assert!(value <= MAX_SIZE);
        if let Some(&(_, first)) = seen.iter().find(|(seen_key, _)| *seen_key == key) {
            sink.push(
                token.span,
                format!("hardware key `{key}` is given twice"),
                "second value".to_string(),
                Some("give each key once".to_string()),
                vec![(first, "first value".to_string())],
            );
            continue;
        }
        seen.push((key, token.span));
        *slot = Some(value);
    }
    match sink.finish() {
        Some(diagnostics) => Err(diagnostics),
        None => Ok(hardware),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_six_keys() {
        let text = "num_pes: 256\r\nl1_size_cstr: 100 // per PE\nl2_size_cstr: 3000\nnoc_bw_cstr: 1000\noffchip_bw_cstr: 50\nNoC_NumHops: 2\n";
        let hardware = parse_hardware("hw.m", text.as_bytes()).unwrap();
        assert_eq!(
            hardware,
            HardwareFile {
                num_pes: Some(256),
                l1_size: Some(100),
                l2_size: Some(3000),
                noc_bandwidth: Some(1000),
                offchip_bandwidth: Some(50),
                noc_hops: Some(2),
            }
        );
    }

    #[test]
    fn absent_keys_stay_none() {
        let hardware = parse_hardware("hw.m", b"num_pes: 4").unwrap();
        assert_eq!(
            hardware,
            HardwareFile {
                num_pes: Some(4),
                ..HardwareFile::default()
            }
        );
    }

    #[test]
    fn bad_keys_and_values_are_all_reported() {
        let text = "num_pes: 0\nl1_size: 5\nl2_size_cstr: -3\nnoc_bw_cstr: fast\noffchip_bw_cstr:\nnum_pes 2\nnum_pes 3";
        let errors = parse_hardware("hw.m", text.as_bytes()).unwrap_err();
        let messages: Vec<String> = errors
            .iter()
            .map(|d| format!("{}:{} {}", d.line(), d.column(), d.message()))
            .collect();
        assert_eq!(
            messages,
            [
                "1:10 the value of `num_pes` must be at least 1, found 0",
                "2:1 unknown hardware key `l1_size`",
                "3:15 the value of `l2_size_cstr` is negative: `-3`",
                "4:14 the value of `noc_bw_cstr` is not a number: `fast`",
                "5:1 missing value for `offchip_bw_cstr`",
                "7:1 hardware key `num_pes` is given twice",
            ]
        );
    }

    #[test]
    fn an_out_of_range_hop_count_points_at_its_value() {
        let errors = parse_hardware("hw.m", b"num_pes: 4\nNoC_NumHops: 2147483647\n").unwrap_err();
        let rendered = format!("{:?}", miette::Report::new(errors));
        assert!(rendered.contains("hw.m:2:14"), "{rendered}");
        assert!(
            rendered.contains("exceeds the latency limit of 1048576 cycles"),
            "{rendered}"
        );
    }
}
