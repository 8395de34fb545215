//! DRAMsim3's trace format — one request per line, `ADDRESS KIND CYCLE` (`0x1f40 READ 12`) — read
//! lazily line by line, and the trace-driven run that feeds a memory system the way DRAMsim3's trace
//! front end does: the next request is offered from its cycle on, one per cycle, in file order.

use crate::error::TraceError;
use crate::system::{MemorySystem, Request, RequestKind, MAX_ARRIVAL};
use std::io::BufRead;

/// One trace line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceRecord {
    pub address: u64,
    pub kind: RequestKind,
    pub cycle: u64,
    /// 1-based line number, used as the request's tag.
    pub line: u64,
}

/// Request kinds as DRAMsim3's traces spell them (it also accepts the gem5 packet names).
fn kind_of(word: &str) -> Option<RequestKind> {
    match word {
        "READ" | "read" | "P_MEM_RD" | "P_FETCH" => Some(RequestKind::Read),
        "WRITE" | "write" | "P_MEM_WR" | "BOFF" => Some(RequestKind::Write),
        _ => None,
    }
}

/// Parses one line of `file`; blank lines and lines starting with `#` give `None`.
pub fn parse_trace_line(
    file: &str,
    line: u64,
    text: &str,
) -> Result<Option<TraceRecord>, TraceError> {
    let malformed = |column: usize, expected: &'static str, found: String| TraceError::Malformed {
        file: file.to_string(),
        line: line as usize,
        column,
        expected,
        found,
    };
    // At most four fields are looked at: three expected and one to report as extra.
    let mut fields: [(usize, &str); 4] = [(0, ""); 4];
    let mut count = 0;
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                fields[count] = (s, &text[s..i]);
                count += 1;
                if count == fields.len() {
                    break;
                }
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let (Some(s), true) = (start, count < fields.len()) {
        fields[count] = (s, &text[s..]);
        count += 1;
    }
    let fields = &fields[..count];
    let column = |offset: usize| text[..offset].chars().count() + 1;
    match fields.first() {
        None => return Ok(None),
        Some((_, word)) if word.starts_with('#') => return Ok(None),
        _ => {}
    }
    let (offset, word) = fields[0];
    let digits = word
        .strip_prefix("0x")
        .or_else(|| word.strip_prefix("0X"))
        .unwrap_or(word);
    let address = u64::from_str_radix(digits, 16).map_err(|_| {
        malformed(
            column(offset),
            "a hexadecimal address (such as 0x1f40) of at most 64 bits",
            format!("`{word}`"),
        )
    })?;
    let Some(&(offset, word)) = fields.get(1) else {
        return Err(malformed(
            text.trim_end().chars().count() + 1,
            "READ or WRITE",
            "the end of the line".to_string(),
        ));
    };
    let kind = kind_of(word)
        .ok_or_else(|| malformed(column(offset), "READ or WRITE", format!("`{word}`")))?;
    let Some(&(offset, word)) = fields.get(2) else {
        return Err(malformed(
            text.trim_end().chars().count() + 1,
            "a decimal cycle",
            "the end of the line".to_string(),
        ));
    };
    let cycle = word
        .parse::<u64>()
        .ok()
        .filter(|&cycle| cycle <= MAX_ARRIVAL)
        .ok_or_else(|| {
            malformed(
                column(offset),
                "a decimal cycle of at most 2^60",
                format!("`{word}`"),
            )
        })?;
    if let Some(&(offset, word)) = fields.get(3) {
        return Err(malformed(
            column(offset),
            "the end of the line",
            format!("`{word}`"),
        ));
    }
    Ok(Some(TraceRecord {
        address,
        kind,
        cycle,
        line,
    }))
}

/// The records of a trace read lazily from `reader` (one line in memory at a time).
#[derive(Debug)]
pub struct TraceLines<R> {
    file: String,
    reader: R,
    line: u64,
    buffer: String,
    failed: bool,
}

impl<R: BufRead> TraceLines<R> {
    pub fn new(file: impl Into<String>, reader: R) -> TraceLines<R> {
        TraceLines {
            file: file.into(),
            reader,
            line: 0,
            buffer: String::new(),
            failed: false,
        }
    }
}

impl<R: BufRead> Iterator for TraceLines<R> {
    type Item = Result<TraceRecord, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            self.buffer.clear();
            self.line += 1;
            match self.reader.read_line(&mut self.buffer) {
                Ok(0) => return None,
                Ok(_) => match parse_trace_line(&self.file, self.line, &self.buffer) {
                    Ok(Some(record)) => return Some(Ok(record)),
                    Ok(None) => continue,
                    Err(error) => {
                        self.failed = true;
                        return Some(Err(error));
                    }
                },
                Err(error) => {
                    self.failed = true;
                    return Some(Err(TraceError::Read {
                        file: self.file.clone(),
                        line: self.line as usize,
                        message: error.to_string(),
                    }));
                }
            }
        }
    }
}

/// How long a trace run lasts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraceRunOptions {
    /// Simulate exactly this many cycles (DRAMsim3's `-c`), whether or not the trace is done;
    /// `None` runs until every request has completed.
    pub cycles: Option<u64>,
}

/// Feeds the records to `system` (which should be fresh) and simulates until the trace is done or
/// the cycle budget is spent. At most one record is held in memory.
pub fn run_trace<I>(
    system: &mut MemorySystem,
    records: I,
    options: TraceRunOptions,
) -> Result<(), TraceError>
where
    I: IntoIterator<Item = Result<TraceRecord, TraceError>>,
{
    system.keep_completions(false);
    let limit = options.cycles.unwrap_or(u64::MAX);
    let mut records = records.into_iter();
    let mut exhausted = false;
    while system.now() < limit {
        if !exhausted && system.waiting() == 0 {
            match records.next() {
                Some(record) => {
                    let record = record?;
                    system.submit(Request {
                        address: record.address,
                        kind: record.kind,
                        arrival: record.cycle,
                        tag: record.line,
                    });
                }
                None => exhausted = true,
            }
        }
        if exhausted && options.cycles.is_none() && system.is_idle() {
            break;
        }
        let progress = system.tick();
        let finished = exhausted && options.cycles.is_none() && system.is_idle();
        if !progress && !finished {
            system.skip_idle(limit);
        }
    }
    Ok(())
}
