//! Sweep parts: what one shard of a sharded sweep writes, and how parts merge into the CSV a single
//! run would have written.
//!
//! A part is text: four header lines, then one block per design point, in increasing point order:
//!
//! ```text
//! maestro-sweep-part 1
//! study 3f2a9c0d41b7e655          (a fingerprint of the study: inputs, hardware, space, engines)
//! shard 1/4 of 90                 (shard index / shard count, and the study's design points)
//! header dataflow,pe.count,layer,…   (the CSV header line)
//! @1 8                            (design point 1: its 8 CSV rows follow)
//! …
//! ```
//!
//! A block is written and flushed whole; a shard stopped in the middle leaves at most a truncated
//! last block, which a resumed run drops ([`read_part`]). Merging streams: design point `i` comes
//! from part `i mod count`, so only one block per part is held at a time.

use std::io::BufRead;

/// Which study wrote a part: its first line names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartKind {
    /// `maestro sweep --shard`: a block holds the design point's CSV rows; the header line is the
    /// CSV header.
    Sweep,
    /// `maestro dse --shard`: a block holds one candidate's outcome line; the header line is the
    /// exploration's summary (see `dse_part`).
    Dse,
}

impl PartKind {
    fn magic(self) -> &'static str {
        match self {
            PartKind::Sweep => "maestro-sweep-part 1",
            PartKind::Dse => "maestro-dse-part 1",
        }
    }
}

/// What identifies a part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartHeader {
    pub kind: PartKind,
    /// Fingerprint of the study (hexadecimal): parts of different studies do not merge.
    pub study: String,
    pub shard: usize,
    pub shards: usize,
    /// Design points of the whole study.
    pub points: usize,
    /// The CSV header line (without its newline).
    pub csv_header: String,
}

/// Why a part cannot be read or parts cannot be merged. `part` names the file.
#[derive(Debug, thiserror::Error)]
pub enum PartError {
    #[error("{part}:{line}: {message}")]
    Malformed {
        part: String,
        line: usize,
        message: String,
    },
    #[error("{part}: reading failed: {source}")]
    Io {
        part: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{part} belongs to another study than {first} ({what} differs: {found} vs {expected})"
    )]
    Mismatch {
        part: String,
        first: String,
        what: &'static str,
        expected: String,
        found: String,
    },
    #[error("shard {shard}/{shards} is given twice: {first} and {second}")]
    Duplicate {
        shard: usize,
        shards: usize,
        first: String,
        second: String,
    },
    #[error("shard {shard}/{shards} is missing: give all {shards} parts")]
    Missing { shard: usize, shards: usize },
    #[error("{part} is incomplete: design point {point} (of {points}) is not in it{hint}")]
    Incomplete {
        part: String,
        point: usize,
        points: usize,
        hint: &'static str,
    },
    #[error("no part to merge")]
    NoParts,
}

/// The four header lines of a part.
pub fn render_part_header(header: &PartHeader) -> String {
    format!(
        "{}\nstudy {}\nshard {}/{} of {}\nheader {}\n",
        header.kind.magic(),
        header.study,
        header.shard,
        header.shards,
        header.points,
        header.csv_header
    )
}

/// One design point's block: its index and its CSV rows (each ending in a newline).
pub fn render_part_point(point: usize, rows: &str) -> String {
    format!("@{point} {}\n{rows}", rows.lines().count())
}

/// Reads a part's lines with their numbers.
struct Lines<R> {
    reader: R,
    part: String,
    line: usize,
    buffer: String,
}

impl<R: BufRead> Lines<R> {
    /// The next line without its newline, `None` at the end; `Some(Err)` for a last line without a
    /// newline (a write that was cut).
    fn next(&mut self) -> Result<Option<Result<String, ()>>, PartError> {
        self.buffer.clear();
        let read = self
            .reader
            .read_line(&mut self.buffer)
            .map_err(|source| PartError::Io {
                part: self.part.clone(),
                source,
            })?;
        if read == 0 {
            return Ok(None);
        }
        self.line += 1;
        Ok(Some(match self.buffer.strip_suffix('\n') {
            Some(line) => Ok(line.to_owned()),
            None => Err(()),
        }))
    }

    fn malformed(&self, message: impl Into<String>) -> PartError {
        PartError::Malformed {
            part: self.part.clone(),
            line: self.line,
            message: message.into(),
        }
    }

    /// A complete header line starting with `key `: the rest.
    fn field(&mut self, key: &str) -> Result<String, PartError> {
        match self.next()? {
            Some(Ok(line)) => match line.strip_prefix(key) {
                Some(rest) => Ok(rest.to_owned()),
                None => Err(self.malformed(format!("expected `{key}…`, found `{line}`"))),
            },
            _ => Err(self.malformed(format!("expected `{key}…`: the part's header is cut short"))),
        }
    }
}

fn number(lines: &Lines<impl BufRead>, text: &str, what: &str) -> Result<usize, PartError> {
    text.parse()
        .map_err(|_| lines.malformed(format!("expected {what}, found `{text}`")))
}

/// Reads a part's header.
fn read_header<R: BufRead>(lines: &mut Lines<R>) -> Result<PartHeader, PartError> {
    let magic = lines.field("")?;
    let Some(kind) = [PartKind::Sweep, PartKind::Dse]
        .into_iter()
        .find(|kind| kind.magic() == magic)
    else {
        return Err(lines.malformed(format!(
            "expected `{}` or `{}` (a part written by maestro sweep or dse --shard), found `{magic}`",
            PartKind::Sweep.magic(),
            PartKind::Dse.magic()
        )));
    };
    let study = lines.field("study ")?;
    let shard_line = lines.field("shard ")?;
    let (shard, rest) = shard_line
        .split_once('/')
        .ok_or_else(|| lines.malformed("expected `shard K/N of P`"))?;
    let (shards, points) = rest
        .split_once(" of ")
        .ok_or_else(|| lines.malformed("expected `shard K/N of P`"))?;
    let header = PartHeader {
        kind,
        study,
        shard: number(lines, shard, "a shard index")?,
        shards: number(lines, shards, "a shard count")?,
        points: number(lines, points, "a number of design points")?,
        csv_header: String::new(),
    };
    if header.shard >= header.shards {
        return Err(lines.malformed(format!(
            "shard {} of {} is out of range",
            header.shard, header.shards
        )));
    }
    let csv_header = lines.field("header ")?;
    Ok(PartHeader {
        csv_header,
        ..header
    })
}

/// Reads the next block: `Ok(None)` at the end or at a cut block (`cut` is then set).
fn read_block<R: BufRead>(
    lines: &mut Lines<R>,
    cut: &mut bool,
) -> Result<Option<(usize, String)>, PartError> {
    let (point, count) = match lines.next()? {
        None => return Ok(None),
        Some(Err(())) => {
            *cut = true;
            return Ok(None);
        }
        Some(Ok(line)) => {
            let marker = line
                .strip_prefix('@')
                .and_then(|rest| rest.split_once(' '))
                .ok_or_else(|| {
                    lines.malformed(format!("expected `@POINT ROWS`, found `{line}`"))
                })?;
            let (point, count) = (marker.0.to_owned(), marker.1.to_owned());
            (
                number(lines, &point, "a design point index")?,
                number(lines, &count, "a row count")?,
            )
        }
    };
    let mut rows = String::new();
    for _ in 0..count {
        match lines.next()? {
            Some(Ok(row)) => {
                rows.push_str(&row);
                rows.push('\n');
            }
            _ => {
                *cut = true;
                return Ok(None);
            }
        }
    }
    Ok(Some((point, rows)))
}

/// A part read for resuming: its header, the design points it holds whole, and the length in bytes
/// of the text up to the last whole block (what a resumed run keeps).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadPart {
    pub header: PartHeader,
    pub points: Vec<usize>,
    pub whole_bytes: usize,
}

/// Reads a part, dropping a cut last block. Blocks must hold points of the part's shard in
/// increasing order.
pub fn read_part(part: &str, text: &str) -> Result<ReadPart, PartError> {
    let mut lines = Lines {
        reader: text.as_bytes(),
        part: part.to_owned(),
        line: 0,
        buffer: String::new(),
    };
    let header = read_header(&mut lines)?;
    let mut whole_bytes = text.len() - lines.reader.len();
    let mut points = Vec::new();
    let mut cut = false;
    while let Some((point, _)) = read_block(&mut lines, &mut cut)? {
        check_point(&lines, &header, points.last().copied(), point)?;
        points.push(point);
        whole_bytes = text.len() - lines.reader.len();
    }
    Ok(ReadPart {
        header,
        points,
        whole_bytes,
    })
}

fn check_point(
    lines: &Lines<impl BufRead>,
    header: &PartHeader,
    previous: Option<usize>,
    point: usize,
) -> Result<(), PartError> {
    if point >= header.points || point % header.shards != header.shard {
        return Err(lines.malformed(format!(
            "design point {point} is not one of shard {}/{} of {}",
            header.shard, header.shards, header.points
        )));
    }
    if previous.is_some_and(|previous| point <= previous) {
        return Err(lines.malformed(format!(
            "design point {point} comes after design point {}",
            previous.unwrap_or(0)
        )));
    }
    Ok(())
}

/// Reads a whole part and checks that it holds every design point of its shard, in order, with no
/// cut block: run over every part before [`merge_parts`] so that a merge that would fail half-way
/// fails before it writes anything.
pub fn verify_part<R: BufRead>(part: &str, reader: R) -> Result<PartHeader, PartError> {
    let mut lines = Lines {
        reader,
        part: part.to_owned(),
        line: 0,
        buffer: String::new(),
    };
    let header = read_header(&mut lines)?;
    let mut expected = header.shard;
    let mut cut = false;
    while let Some((point, _)) = read_block(&mut lines, &mut cut)? {
        let previous = expected.checked_sub(header.shards);
        check_point(
            &lines,
            &header,
            previous.filter(|_| expected != header.shard),
            point,
        )?;
        if point != expected {
            return Err(PartError::Incomplete {
                part: part.to_owned(),
                point: expected,
                points: header.points,
                hint: " (run the shard again with --resume)",
            });
        }
        expected += header.shards;
    }
    if expected < header.points {
        return Err(PartError::Incomplete {
            part: part.to_owned(),
            point: expected,
            points: header.points,
            hint: if cut {
                " (its last block is cut: run the shard again with --resume)"
            } else {
                " (run the shard again with --resume)"
            },
        });
    }
    Ok(header)
}

/// Merges parts (`(name, reader)` pairs, any order) into the CSV of the whole study, written to
/// `out` piece by piece: the header, then every design point's rows in order. Every shard must be
/// given once, every part must hold every point of its shard, and all must be of one study.
pub fn merge_parts<R: BufRead>(
    parts: Vec<(String, R)>,
    out: &mut dyn FnMut(&str) -> std::io::Result<()>,
    out_name: &str,
) -> Result<(), PartError> {
    let mut opened: Vec<(PartHeader, Lines<R>)> = Vec::with_capacity(parts.len());
    for (name, reader) in parts {
        let mut lines = Lines {
            reader,
            part: name,
            line: 0,
            buffer: String::new(),
        };
        let header = read_header(&mut lines)?;
        opened.push((header, lines));
    }
    let Some((first, first_lines)) = opened.first() else {
        return Err(PartError::NoParts);
    };
    let (first, first_name) = (first.clone(), first_lines.part.clone());
    for (header, lines) in &opened {
        let mismatch = |what, expected: String, found: String| PartError::Mismatch {
            part: lines.part.clone(),
            first: first_name.clone(),
            what,
            expected,
            found,
        };
        if header.kind != first.kind {
            return Err(mismatch(
                "kind of study",
                first.kind.magic().to_owned(),
                header.kind.magic().to_owned(),
            ));
        }
        if header.study != first.study {
            return Err(mismatch(
                "study fingerprint",
                first.study.clone(),
                header.study.clone(),
            ));
        }
        if header.shards != first.shards {
            return Err(mismatch(
                "shard count",
                first.shards.to_string(),
                header.shards.to_string(),
            ));
        }
        if header.points != first.points {
            return Err(mismatch(
                "design points",
                first.points.to_string(),
                header.points.to_string(),
            ));
        }
        if header.csv_header != first.csv_header {
            return Err(mismatch(
                "CSV header",
                first.csv_header.clone(),
                header.csv_header.clone(),
            ));
        }
    }
    let shards = first.shards;
    let mut by_shard: Vec<Option<Lines<R>>> = (0..shards).map(|_| None).collect();
    for (header, lines) in opened {
        if let Some(earlier) = &by_shard[header.shard] {
            return Err(PartError::Duplicate {
                shard: header.shard,
                shards,
                first: earlier.part.clone(),
                second: lines.part,
            });
        }
        by_shard[header.shard] = Some(lines);
    }
    let mut readers = Vec::with_capacity(shards);
    for (shard, lines) in by_shard.into_iter().enumerate() {
        readers.push(lines.ok_or(PartError::Missing { shard, shards })?);
    }
    let io = |source| PartError::Io {
        part: out_name.to_owned(),
        source,
    };
    out(&first.csv_header).map_err(io)?;
    out("\n").map_err(io)?;
    for point in 0..first.points {
        let lines = &mut readers[point % shards];
        let mut cut = false;
        let block = read_block(lines, &mut cut)?;
        match block {
            Some((found, rows)) if found == point => out(&rows).map_err(io)?,
            Some((found, _)) => {
                let header = PartHeader {
                    shard: point % shards,
                    ..first.clone()
                };
                check_point(lines, &header, None, found)?;
                return Err(PartError::Incomplete {
                    part: lines.part.clone(),
                    point,
                    points: first.points,
                    hint: "",
                });
            }
            None => {
                return Err(PartError::Incomplete {
                    part: lines.part.clone(),
                    point,
                    points: first.points,
                    hint: if cut {
                        " (its last block is cut: run the shard again with --resume)"
                    } else {
                        " (run the shard again with --resume)"
                    },
                })
            }
        }
    }
    for lines in &mut readers {
        let mut cut = false;
        if let Some((point, _)) = read_block(lines, &mut cut)? {
            return Err(lines.malformed(format!(
                "design point {point} is beyond the study's {} points",
                first.points
            )));
        }
    }
    Ok(())
}
