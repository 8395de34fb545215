//! `maestro import`: an ONNX model → a model file (`.m`, layer shapes) that every command reads, with a
//! header saying where it came from and which operators without MACs were skipped (the import itself
//! is `input::import_file`, which `--onnx` uses too).

use crate::failure::Failure;
use crate::input::import_file;
use crate::output::{emit, Output};
use clap::Args;
use maestro_ir::limits::MAX_SIZE;
use maestro_onnx::{parse_input_shape, ImportOptions};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The ONNX model to import.
    #[arg(value_name = "MODEL.onnx")]
    pub model: PathBuf,
    /// Write the model file to FILE (replaced atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Batch size: replaces the first axis of every graph input whose first axis is symbolic or 1
    /// (inputs given with --input excepted) [default: 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE))]
    pub batch: Option<u64>,
    /// The full shape of a graph input, NAME=1x3x224x224 (repeatable); needed when the graph leaves
    /// an axis other than the first dynamic.
    #[arg(long = "input", value_name = "NAME=SHAPE", value_parser = parse_input_shape)]
    pub inputs: Vec<(String, Vec<u64>)>,
}

pub fn run(args: ImportArgs) -> Result<ExitCode, Failure> {
    // The model file is written through a temporary file beside it, opened before any work.
    let output = Output::open(args.output.as_deref())?;
    let options = ImportOptions {
        batch: args.batch,
        inputs: args.inputs,
        fallback_name: String::new(),
    };
    let imported = import_file(&args.model, options)?;
    let text = imported.model_text(&args.model.display().to_string());
    emit(&text, output)?;
    if let Some(path) = &args.output {
        emit(
            &format!(
                "{}: {}; {}\n",
                path.display(),
                imported.layer_summary(),
                imported.skipped_summary()
            ),
            Output::open(None)?,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
