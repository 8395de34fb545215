//! The `maestro` binary: a thin layer over the library crates. `main` calls `run`, and every outcome
//! becomes an exit status in one place: 0 success, 1 invalid input, 2 usage error.

mod args;
mod commands;
mod failure;
mod hardware;
mod input;
mod output;
mod part_file;
mod settings;
mod shared;
mod spans;

use args::{Cli, Command};
use clap::Parser;
use failure::Failure;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(failure) => failure.report(),
    }
}

fn run() -> Result<ExitCode, Failure> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // `--help` and `--version` arrive as "errors" that belong on standard output with status 0.
        Err(error) if !error.use_stderr() => {
            output::emit(&error.render().to_string(), output::Output::open(None)?)?;
            return Ok(ExitCode::SUCCESS);
        }
        Err(error) => return Err(Failure::Usage(error)),
    };
    install_error_renderer();
    match cli.command {
        Command::Check(args) => commands::check::run(settings::CheckSettings::from_args(args)?),
        Command::Analyze(args) => {
            commands::analyze::run(settings::AnalyzeSettings::from_args(args)?)
        }
        Command::Simulate(args) => {
            commands::simulate::run(settings::SimulateSettings::from_args(args)?)
        }
        Command::Validate(args) => {
            commands::validate::run(commands::validate::ValidateSettings::from_args(args)?)
        }
        Command::Sweep(args) => commands::sweep::run(args),
        Command::Dse(args) => commands::dse::run(args),
        Command::Noc(args) => commands::noc::run_command(args),
        Command::Dram(args) => commands::dram::run(args),
        Command::Systolic(args) => commands::systolic::run(args),
        Command::Merge(args) => commands::merge::run(args),
        Command::Import(args) => commands::import::run(args),
    }
}

/// Diagnostics are rendered with miette's graphical handler: colours only on a terminal (and never with
/// `NO_COLOR`), Unicode art, wrapped at 100 columns so that output does not depend on the terminal.
fn install_error_renderer() {
    // The hook can only be set once per process; a second call fails harmlessly.
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .terminal_links(false)
                .width(100)
                .build(),
        )
    }));
}
