//! Writes `workloads/mappings/<net>_<style>.m` for every model file `workloads/<net>.m` and every
//! committed style, for the default accelerator, and prints each network's layer and MAC counts.
//!
//! Run with `cargo run -p maestro-templates --example generate_workload_mappings`. The
//! `workload_mappings` test fails when the committed files differ from what this writes.

#![allow(clippy::print_stdout, clippy::print_stderr)] // A command-line tool: printing is its output.

#[path = "../tests/support/workload_files.rs"]
mod workload_files;

use std::fs;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let dir = workload_files::mappings_dir();
    fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    for workload in workload_files::read_workloads()? {
        let (layers, macs) = workload_files::layers_and_macs(&workload.network)?;
        println!("{:<20} {layers:>3} layers {macs:>15} MACs", workload.stem);
        for style in workload_files::COMMITTED_STYLES {
            let path = dir.join(workload_files::mapping_file_name(&workload.stem, style));
            let text = workload_files::mapping_file_text(&workload, style)?;
            fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))?;
            println!("  wrote {}", path.display());
        }
    }
    Ok(())
}
