//! The first gate: a file must be non-empty UTF-8 text without NUL bytes before it is lexed.

use crate::diagnostic::{Diagnostics, Sink};
use crate::span::Span;

/// The file as text, or a single diagnostic saying why it is not a text file.
pub(crate) fn decode<'a>(file_name: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostics> {
    // `contains` on bytes is a vectorised search; the position is only needed for the diagnostic.
    if bytes.contains(&0) {
        let position = bytes.iter().position(|&byte| byte == 0).unwrap_or_default();
        // Shown lossily, with NUL bytes made visible as `.` (one byte for one byte, so offsets hold).
        let lossy = String::from_utf8_lossy(bytes);
        let shown_position = lossy.find('\0').unwrap_or(position);
        let shown = lossy.replace('\0', ".");
        let mut sink = Sink::new(file_name, &shown);
        sink.push(
            Span::new(shown_position, shown_position + 1),
            "binary file: it contains a NUL byte".to_string(),
            "NUL byte".to_string(),
            Some("expected a text file (a mapping, model or hardware .m file)".to_string()),
            Vec::new(),
        );
        return Err(finish(sink));
    }
    // A UTF-8 byte-order mark is accepted, as TOML readers do; spans count from after it.
    let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = error.valid_up_to();
            let shown = String::from_utf8_lossy(bytes).into_owned();
            let invalid = bytes.get(valid).copied().unwrap_or(0);
            let mut sink = Sink::new(file_name, &shown);
            // The replacement character that stands for the invalid bytes is 3 bytes long.
            sink.push(
                Span::new(valid, valid + '\u{FFFD}'.len_utf8()),
                format!("file is not valid UTF-8: invalid byte 0x{invalid:02X}"),
                "invalid UTF-8".to_string(),
                Some("expected UTF-8 (or ASCII) text".to_string()),
                Vec::new(),
            );
            return Err(finish(sink));
        }
    };
    if text.trim().is_empty() {
        let mut sink = Sink::new(file_name, text);
        sink.push(
            Span::new(0, text.len()),
            "file is empty".to_string(),
            "no text".to_string(),
            Some("expected a `Network NAME { Layer ... }` block".to_string()),
            Vec::new(),
        );
        return Err(finish(sink));
    }
    Ok(text)
}

fn finish(sink: Sink) -> Diagnostics {
    sink.finish().expect("one diagnostic was pushed")
}
