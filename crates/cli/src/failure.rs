//! Everything that can end a run early, and the one place where a failure becomes a message and an
//! exit status.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status of a run whose input was invalid (parse, validation or analysis errors).
pub const EXIT_INVALID_INPUT: u8 = 1;
/// Exit status of a malformed command line (clap uses the same).
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug)]
pub enum Failure {
    /// The command line could not be parsed; clap renders the message.
    Usage(clap::Error),
    /// The inputs are invalid: a rendered-by-miette diagnostic (with source spans where there are any).
    Invalid(miette::Report),
    /// A file could not be read.
    Read { path: PathBuf, error: io::Error },
    /// The report could not be written (other than to a closed pipe, which is not a failure).
    Write { target: String, error: io::Error },
}

impl Failure {
    /// Prints the failure to standard error and returns the exit status.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Usage(error) => {
                // If even standard error is gone there is nobody left to tell.
                let _ = error.print();
                ExitCode::from(EXIT_USAGE)
            }
            Failure::Invalid(report) => {
                print_error(&format!("{report:?}"));
                ExitCode::from(EXIT_INVALID_INPUT)
            }
            Failure::Read { path, error } => {
                print_error(&format!("error: cannot read {}: {error}", path.display()));
                ExitCode::from(EXIT_INVALID_INPUT)
            }
            Failure::Write { target, error } => {
                print_error(&format!("error: cannot write {target}: {error}"));
                ExitCode::from(EXIT_INVALID_INPUT)
            }
        }
    }
}

fn print_error(text: &str) {
    use std::io::Write as _;
    let mut stderr = io::stderr().lock();
    // A failure to print the error leaves nothing else to do; the exit status still tells.
    let _ = writeln!(stderr, "{}", text.trim_end());
}

impl From<miette::Report> for Failure {
    fn from(report: miette::Report) -> Self {
        Failure::Invalid(report)
    }
}

/// Shorthand for a plain (span-less) invalid-input failure.
pub fn invalid(message: impl Into<String>) -> Failure {
    Failure::Invalid(miette::Report::msg(message.into()))
}
