//! TOML hardware descriptions lowered to the IR's [`Accelerator`], with span-labelled errors.
//!
//! The file has one optional section per part of the accelerator; every key is optional and defaults
//! to the value in `Accelerator::default()`. Unknown keys, wrong types and out-of-range values are
//! errors that point at the offending text:
//!
//! ```toml
//! name = "edge64"
//! [pe]
//! count = 64                 # PEs
//! simd_lanes = 1             # MAC lanes per PE
//! mac_pipeline_latency = 0   # cycles
//! [l1]
//! size = 512                 # elements per PE
//! [l2]
//! size = 131072              # elements
//! bandwidth = 64             # elements/cycle per port
//! [noc.distribution]
//! bandwidth = 64             # elements/cycle
//! hop_latency = 1            # cycles
//! multicast = true
//! topology = "bus"           # bus | tree | mesh
//! [noc.collection]
//! bandwidth = 64
//! hop_latency = 1
//! implicit_reduction = true
//! reduction_op = true
//! topology = "bus"
//! [offchip]
//! bandwidth = 16             # elements/cycle
//! latency = 100              # cycles
//! duplex = "half"            # half (reads and writes share the bandwidth) | full
//! [energy]                   # nJ per event
//! mac = 0.00023
//! l1_access = 0.000386
//! l2_access = 0.00428
//! offchip_access = 0.046
//! noc_hop = 0.00023
//! ```

mod error;
mod lower;
mod schema;

pub use error::{ConfigError, ConfigProblem};
pub use lower::{MAX_EVENT_ENERGY_NJ, MAX_LATENCY};

use maestro_ir::Accelerator;

/// Reads a TOML hardware description. `file_name` is only used to label diagnostics.
pub fn parse_accelerator_toml(file_name: &str, text: &str) -> Result<Accelerator, ConfigError> {
    let file: schema::AcceleratorFile = toml::from_str(text).map_err(|error| {
        let problem = ConfigProblem {
            message: error.message().trim_end().to_owned(),
            span: error
                .span()
                .map(|span| (span.start, span.end - span.start).into()),
            label: "here".to_owned(),
        };
        ConfigError::new(file_name, text, problem, Vec::new())
    })?;
    lower::lower(file).map_err(|(first, others)| ConfigError::new(file_name, text, first, others))
}

#[cfg(test)]
mod tests;
