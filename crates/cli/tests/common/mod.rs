//! What every end-to-end test of the `maestro` binary needs: running it from the workspace root with
//! colours off, a run's transcript (exit code, standard output, standard error) for goldens, and the
//! test data files. Each test binary uses its own subset.
#![allow(dead_code)]

use expect_test::Expect;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const TINY: &str = "crates/cli/tests/data/tiny.m";
pub const TINY_MODEL: &str = "crates/cli/tests/data/tiny_model.m";

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `maestro ARGS` from the workspace root with colours off.
pub fn maestro(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_maestro"))
        .args(args)
        .current_dir(workspace_root())
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_GRAPHICS")
        .stdin(Stdio::null())
        .output()
        .expect("the maestro binary runs")
}

/// The exit status, standard output and standard error of a run, as one text.
pub fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or_else(|| "signal".to_owned(), |code| code.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

pub fn check(args: &[&str], expected: Expect) {
    expected.assert_eq(&transcript(&maestro(args)));
}

pub fn exit_code(args: &[&str]) -> i32 {
    maestro(args)
        .status
        .code()
        .expect("maestro exits normally, without a signal")
}
