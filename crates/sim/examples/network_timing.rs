//! Times the simulation of a mapping file on the default accelerator and prints per-layer figures:
//! `cargo run --release -p maestro-sim --example network_timing -- FILE.m [threads]`.

use maestro_ir::Accelerator;
use maestro_sim::{simulate_network, SimOptions};
use std::time::Instant;

// An example binary may print; the library stays silent.
#[allow(clippy::print_stdout)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: network_timing FILE.m [threads]")?;
    let threads = args.next().map_or(Ok(2), |text| text.parse())?;
    let bytes = std::fs::read(&path)?;
    let network = maestro_dsl::parse_network(&path, &bytes)
        .map_err(|error| format!("{error:?}"))?
        .network;
    let hw = Accelerator::default();
    let options = SimOptions {
        threads,
        ..SimOptions::default()
    };
    let started = Instant::now();
    let report = simulate_network(&network, &hw, &options)?;
    let wall = started.elapsed().as_secs_f64();
    for layer in &report.layers {
        println!(
            "{:<14} cycles {:>10} steps {:>9} skipped {:>9}",
            layer.layer, layer.cycles, layer.steps, layer.steps_skipped_in_closed_form
        );
    }
    let pe_cycles = report.total_cycles as f64 * hw.num_pes as f64;
    println!(
        "total cycles {} MACs {} wall {wall:.3} s, {:.3e} PE-cycles/s",
        report.total_cycles,
        report.total_macs,
        pe_cycles / wall
    );
    Ok(())
}
