//! `maestro check`: parse, map and validate a network, then print its summary.

use crate::failure::{invalid, Failure};
use crate::input::{load_network, LoadedNetwork};
use crate::output::emit;
use crate::settings::CheckSettings;
use maestro_ir::Accelerator;
use std::process::ExitCode;

pub fn run(settings: CheckSettings) -> Result<ExitCode, Failure> {
    let loaded = load_network(&settings.source, &settings.accelerator)?;
    check_shapes(&loaded)?;
    if settings.check_fit {
        check_fit(&loaded, &settings.accelerator)?;
    }
    let mut text = maestro_report::render_network_summary(&loaded.network);
    if let Some(summary) = &loaded.import_summary {
        text.push_str(&format!("Imported: {summary}\n"));
    }
    text.push_str(&format!("{}: valid\n", loaded.file_name));
    emit(&text, None)?;
    Ok(ExitCode::SUCCESS)
}

/// Every layer must have a well-formed loop nest (declared dimensions, filters no larger than inputs).
fn check_shapes(loaded: &LoadedNetwork) -> Result<(), Failure> {
    let problems: Vec<String> = loaded
        .network
        .layers
        .iter()
        .filter_map(|layer| {
            layer
                .loop_bounds()
                .err()
                .map(|error| format!("layer {}: {error}", layer.name))
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(invalid(format!(
            "{}: {}",
            loaded.file_name,
            problems.join("; ")
        )))
    }
}

/// The PEs a mapping asks for (the product of its `Cluster` sizes) must exist.
fn check_fit(loaded: &LoadedNetwork, accelerator: &Accelerator) -> Result<(), Failure> {
    for (index, layer) in loaded.network.layers.iter().enumerate() {
        let Some(mapping) = &layer.mapping else {
            continue;
        };
        let needed = mapping
            .cluster_sizes()
            .into_iter()
            .try_fold(1u64, |product, size| product.checked_mul(size));
        let fits = needed.is_some_and(|needed| needed <= accelerator.num_pes);
        if !fits {
            let needed =
                needed.map_or_else(|| "more than 2^64".to_owned(), |needed| needed.to_string());
            let message = format!(
                "layer {} needs {needed} PEs (the product of its Cluster sizes) but the accelerator has {}",
                layer.name, accelerator.num_pes
            );
            return Err(crate::spans::cluster_diagnostic(loaded, index, message));
        }
    }
    Ok(())
}
