//! Where reports go: standard output or a file (replaced), with a closed pipe treated as success
//! (`maestro analyze | head` must not fail).

use crate::failure::Failure;
use std::io::{self, Write};
use std::path::Path;

/// Writes `text` to `path` (created or truncated) or, without a path, to standard output.
pub fn emit(text: &str, path: Option<&Path>) -> Result<(), Failure> {
    match path {
        Some(path) => std::fs::write(path, text).map_err(|error| Failure::Write {
            target: path.display().to_string(),
            error,
        }),
        None => {
            let mut stdout = io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(Failure::Write {
                    target: "standard output".into(),
                    error,
                }),
                _ => Ok(()),
            }
        }
    }
}
