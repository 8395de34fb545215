//! Where reports go: standard output or a file.
//!
//! A file is written to a temporary file in the same directory (`.NAME.PID.tmp`) and renamed over the
//! target only when it is complete, so a full disk or an interruption never leaves a cut report where
//! the old one was. Commands open their outputs before any work starts, so a bad path fails at once.
//! Standard output is written through a duplicate of its descriptor: a closed standard output
//! (`>&-`) is an error (exit 1), while a closed pipe (`maestro analyze | head`) ends the output quietly
//! and successfully.

use crate::failure::Failure;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

/// A report destination, opened before the work and finished after it.
#[derive(Debug)]
pub struct Output {
    target: String,
    writer: BufWriter<File>,
    /// For a file: the temporary file and the path it replaces when finished.
    rename: Option<(PathBuf, PathBuf)>,
    /// The reader of standard output went away: further text is dropped.
    pipe_closed: bool,
}

impl Output {
    /// Opens `path` (through a temporary file beside it) or, without a path, standard output.
    pub fn open(path: Option<&Path>) -> Result<Output, Failure> {
        match path {
            Some(path) => Output::file(path),
            None => Output::stdout(),
        }
    }

    fn stdout() -> Result<Output, Failure> {
        let target = "standard output".to_owned();
        if standard_output_was_closed() {
            return Err(Failure::Write {
                target,
                error: io::Error::new(io::ErrorKind::BrokenPipe, "it is closed"),
            });
        }
        let descriptor =
            io::stdout()
                .as_fd()
                .try_clone_to_owned()
                .map_err(|error| Failure::Write {
                    target: target.clone(),
                    error,
                })?;
        Ok(Output {
            target,
            writer: BufWriter::new(File::from(descriptor)),
            rename: None,
            pipe_closed: false,
        })
    }

    fn file(path: &Path) -> Result<Output, Failure> {
        let target = path.display().to_string();
        let failure = |error| Failure::Write {
            target: target.clone(),
            error,
        };
        if path.is_dir() {
            return Err(failure(io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is a directory",
            )));
        }
        let name = path
            .file_name()
            .ok_or_else(|| failure(io::Error::new(io::ErrorKind::InvalidInput, "no file name")))?;
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let mut temporary_name = std::ffi::OsString::from(".");
        temporary_name.push(name);
        temporary_name.push(format!(".{}.tmp", std::process::id()));
        let temporary = directory.join(temporary_name);
        let file = File::create(&temporary).map_err(failure)?;
        Ok(Output {
            target,
            writer: BufWriter::new(file),
            rename: Some((temporary, path.to_path_buf())),
            pipe_closed: false,
        })
    }

    /// Whether the reader of standard output has gone (producers may stop early).
    pub fn is_closed(&self) -> bool {
        self.pipe_closed
    }

    /// Appends `text`.
    pub fn write_str(&mut self, text: &str) -> Result<(), Failure> {
        if self.pipe_closed {
            return Ok(());
        }
        let result = self.writer.write_all(text.as_bytes());
        self.settle(result)
    }

    /// Flushes and, for a file, renames the temporary file over the target.
    pub fn finish(mut self) -> Result<(), Failure> {
        if !self.pipe_closed {
            let result = self.writer.flush();
            self.settle(result)?;
        }
        if let Some((temporary, path)) = self.rename.take() {
            let synced = self.writer.get_ref().sync_all();
            let result = synced.and_then(|()| std::fs::rename(&temporary, &path));
            if let Err(error) = result {
                let _ = std::fs::remove_file(&temporary);
                return Err(Failure::Write {
                    target: self.target.clone(),
                    error,
                });
            }
        }
        Ok(())
    }

    /// A broken pipe on standard output is the reader's choice, not a failure.
    fn settle(&mut self, result: io::Result<()>) -> Result<(), Failure> {
        match result {
            Err(error) if self.rename.is_none() && error.kind() == io::ErrorKind::BrokenPipe => {
                self.pipe_closed = true;
                Ok(())
            }
            Err(error) => Err(Failure::Write {
                target: self.target.clone(),
                error,
            }),
            Ok(()) => Ok(()),
        }
    }
}

impl Drop for Output {
    /// An unfinished file output leaves the target untouched and removes its temporary file.
    fn drop(&mut self) {
        if let Some((temporary, _)) = self.rename.take() {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

impl Write for Output {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        self.writer.write(buffer)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Whether the process started with standard output closed (`>&-`). Rust's runtime then opens
/// `/dev/null` read-write in its place, which is how it is recognised (Linux: through `/proc`); a
/// shell's `> /dev/null` opens it write-only and is a normal destination.
fn standard_output_was_closed() -> bool {
    if !cfg!(target_os = "linux") {
        return false;
    }
    let is_null =
        std::fs::read_link("/proc/self/fd/1").is_ok_and(|target| target == Path::new("/dev/null"));
    if !is_null {
        return false;
    }
    let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else {
        return false;
    };
    info.lines()
        .find_map(|line| line.strip_prefix("flags:"))
        .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
        .is_some_and(|flags| flags & 0o3 == 0o2)
}

/// Prints one warning line on standard error (a closed standard error leaves nobody to tell).
pub fn warn(message: &str) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "warning: {message}");
}

/// Writes `text` to an opened output and finishes it.
pub fn emit(text: &str, mut output: Output) -> Result<(), Failure> {
    output.write_str(text)?;
    output.finish()
}

/// Writes `text` to `path` atomically (temporary file, then rename).
pub fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    emit(text, Output::file(path)?)
}
