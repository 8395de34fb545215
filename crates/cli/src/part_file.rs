//! The part a sharded study (`maestro sweep|dse --shard K/N --output PART`) writes: blocks are appended
//! to `PART.partial` and flushed one design point at a time, and the file is renamed to `PART` when
//! the shard is complete, so `PART` is always whole. `--resume` keeps the design points an earlier
//! run wrote (in `PART`, or in `PART.partial` up to its last whole block) and evaluates the rest.

use crate::failure::{invalid, Failure};
use crate::shared::progress_bar;
use maestro_report::study::{
    read_part, render_part_header, render_part_point, render_sweep_csv_header,
    render_sweep_csv_point, PartHeader, PartKind,
};
use maestro_study::{for_each_sweep_point, sweep_frame, Sweep, SweepOptions};
use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The largest part `--resume` reads back (a part of a million design points of a 50-layer network
/// is about 1 GiB).
const MAX_PART_BYTES: u64 = 4 << 30;

/// A part being written.
#[derive(Debug)]
pub struct PartFile {
    target: PathBuf,
    partial: PathBuf,
    /// What an earlier run left (`--resume`): the file's name and text.
    earlier: Option<(PathBuf, String)>,
    file: File,
}

impl PartFile {
    /// Opens `PART.partial` beside `target` (so an unwritable place fails before any work), reading
    /// what an earlier run left when `resume` is set.
    pub fn open(target: &Path, resume: bool) -> Result<PartFile, Failure> {
        let mut name = target.file_name().unwrap_or_default().to_owned();
        name.push(".partial");
        let partial = target.with_file_name(name);
        let earlier = if resume {
            [target, partial.as_path()]
                .into_iter()
                .find(|path| path.exists())
                .map(|path| {
                    let bytes = crate::input::read_bytes_within(path, MAX_PART_BYTES)?;
                    let text = String::from_utf8(bytes).map_err(|_| {
                        invalid(format!("{}: not a part (not UTF-8 text)", path.display()))
                    })?;
                    Ok::<_, Failure>((path.to_owned(), text))
                })
                .transpose()?
        } else {
            None
        };
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&partial)
            .map_err(|error| write_failure(&partial, error))?;
        Ok(PartFile {
            target: target.to_owned(),
            partial,
            earlier,
            file,
        })
    }

    /// Starts the part with `header`: keeps what an earlier run of the same study and shard wrote
    /// (with `--resume`; anything else there is an error) and returns the design points it holds.
    pub fn start(&mut self, header: &PartHeader) -> Result<BTreeSet<usize>, Failure> {
        let mut kept = render_part_header(header);
        let mut done = BTreeSet::new();
        if let Some((path, text)) = &self.earlier {
            let name = path.display().to_string();
            let earlier = read_part(&name, text).map_err(|error| invalid(error.to_string()))?;
            if &earlier.header != header {
                return Err(invalid(format!(
                    "{name} was written for another study or shard (study {}, shard {}/{} of {}); \
                     this run is study {}, shard {}/{} of {}: remove it or drop --resume",
                    earlier.header.study,
                    earlier.header.shard,
                    earlier.header.shards,
                    earlier.header.points,
                    header.study,
                    header.shard,
                    header.shards,
                    header.points
                )));
            }
            kept = text[..earlier.whole_bytes].to_owned();
            done = earlier.points.into_iter().collect();
        }
        // Start the unfinished part afresh from what is kept.
        self.file.set_len(0).map_err(|error| self.failure(error))?;
        self.file
            .write_all(kept.as_bytes())
            .map_err(|error| self.failure(error))?;
        Ok(done)
    }

    /// Appends design point `point`'s block (its rows, each ending in a newline).
    pub fn write_block(&mut self, point: usize, rows: &str) -> Result<(), Failure> {
        let block = render_part_point(point, rows);
        self.file
            .write_all(block.as_bytes())
            .map_err(|error| self.failure(error))
    }

    /// Completes the part: flushed, then renamed from `PART.partial` to `PART`.
    pub fn finish(self) -> Result<ExitCode, Failure> {
        self.file.sync_all().map_err(|error| self.failure(error))?;
        std::fs::rename(&self.partial, &self.target)
            .map_err(|error| write_failure(&self.target, error))?;
        Ok(ExitCode::SUCCESS)
    }

    /// Evaluates a sweep shard's design points not yet written and completes the part.
    pub fn run_sweep(
        mut self,
        sweep: &Sweep,
        mut options: SweepOptions,
    ) -> Result<ExitCode, Failure> {
        let frame = sweep_frame(sweep, &options);
        let header = PartHeader {
            kind: PartKind::Sweep,
            study: format!("{:016x}", sweep.fingerprint(&options)),
            shard: options.shard.index,
            shards: options.shard.count,
            points: sweep.points(),
            csv_header: render_sweep_csv_header(&frame)
                .trim_end_matches('\n')
                .to_owned(),
        };
        options.done = self.start(&header)?;
        let remaining = options.selected_points(sweep).len() as u64;
        let layers = sweep.workload.network.layers.len() as u64;
        let bar = progress_bar(Some(remaining.saturating_mul(layers)), "sweeping shard");
        let mut failure = None;
        for_each_sweep_point(
            sweep,
            &options,
            &|n| bar.inc(n),
            &mut |index, point| match self
                .write_block(index, &render_sweep_csv_point(&frame, &point))
            {
                Ok(()) => ControlFlow::Continue(()),
                Err(error) => {
                    failure = Some(error);
                    ControlFlow::Break(())
                }
            },
        );
        bar.finish_and_clear();
        if let Some(failure) = failure {
            return Err(failure);
        }
        self.finish()
    }

    fn failure(&self, error: std::io::Error) -> Failure {
        write_failure(&self.partial, error)
    }
}

fn write_failure(path: &Path, error: std::io::Error) -> Failure {
    Failure::Write {
        target: path.display().to_string(),
        error,
    }
}
