//! Assembling the accelerator of a run: a baseline (which depends on the model mode and on the kind of
//! hardware file), then the file's keys, then the command-line overrides, each per key.
//!
//! | source | corrected model | `--compat` |
//! | --- | --- | --- |
//! | no `--hw` | `Accelerator::default()` | the reference's CLI defaults, but 256 PEs |
//! | `--hw F.toml` | the TOML file (absent keys: `Accelerator::default()`) | the same |
//! | `--hw F.m` | the file's keys over `Accelerator::default()` | the file's keys over the reference's HW-file defaults |
//!
//! Flags (`--num-pes`, `--noc-bw`, …) always override the key they name.

use crate::args::HardwareArgs;
use maestro_ir::{Accelerator, CollectionNoc, DistributionNoc, NocTopology, OffChipMemory};

/// The reference's "unconstrained" value: the largest 32-bit signed integer.
pub const REFERENCE_UNLIMITED: u64 = i32::MAX as u64;

/// The keys of a reference-format hardware file (`num_pes`, `l1_size_cstr`, `l2_size_cstr`,
/// `noc_bw_cstr`, `offchip_bw_cstr`, `NoC_NumHops`); `None` for a key the file does not set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReferenceHardwareKeys {
    pub num_pes: Option<u64>,
    pub l1_size: Option<u64>,
    pub l2_size: Option<u64>,
    pub noc_bandwidth: Option<u64>,
    pub offchip_bandwidth: Option<u64>,
    /// `NoC_NumHops`, which the reference uses as the latency of one transfer.
    pub noc_hops: Option<u64>,
}

/// The reference binary's command-line defaults (unlimited NoC and buffers, no hop latency, off-chip
/// 70000 elements/cycle, one SIMD lane), except the PE count: the reference's 7 is an accident of its
/// option table, and 256 matches the example accelerator.
pub fn compat_cli_defaults() -> Accelerator {
    Accelerator {
        name: "reference-defaults".into(),
        num_pes: 256,
        simd_lanes: 1,
        mac_pipeline_latency: 0,
        l1_size: REFERENCE_UNLIMITED,
        l2_size: REFERENCE_UNLIMITED,
        l2_bandwidth: REFERENCE_UNLIMITED,
        distribution_noc: DistributionNoc {
            bandwidth: REFERENCE_UNLIMITED,
            hop_latency: 0,
            multicast: true,
            topology: NocTopology::Bus,
        },
        collection_noc: CollectionNoc {
            bandwidth: REFERENCE_UNLIMITED,
            hop_latency: 0,
            implicit_reduction: true,
            reduction_op: true,
            topology: NocTopology::Bus,
        },
        offchip: OffChipMemory {
            bandwidth: 70000,
            latency: 0,
            duplex: maestro_ir::accelerator::Duplex::Half,
        },
        energy: Default::default(),
    }
}

/// The values the reference gives to keys that a hardware file leaves out.
fn reference_hardware_file_defaults() -> ReferenceHardwareKeys {
    ReferenceHardwareKeys {
        num_pes: Some(1),
        l1_size: Some(REFERENCE_UNLIMITED),
        l2_size: Some(REFERENCE_UNLIMITED),
        noc_bandwidth: Some(REFERENCE_UNLIMITED),
        offchip_bandwidth: Some(REFERENCE_UNLIMITED),
        noc_hops: Some(1),
    }
}

/// Applies a reference-format hardware file. In compat mode absent keys take the reference's
/// hardware-file defaults (as the reference binary does); otherwise they keep `base`'s values.
pub fn apply_reference_keys(
    base: Accelerator,
    keys: ReferenceHardwareKeys,
    compat: bool,
) -> Accelerator {
    let mut accelerator = base;
    let keys = if compat {
        fill_absent(keys, reference_hardware_file_defaults())
    } else {
        keys
    };
    if let Some(num_pes) = keys.num_pes {
        accelerator.num_pes = num_pes;
    }
    if let Some(l1_size) = keys.l1_size {
        accelerator.l1_size = l1_size;
    }
    if let Some(l2_size) = keys.l2_size {
        accelerator.l2_size = l2_size;
    }
    if let Some(bandwidth) = keys.noc_bandwidth {
        accelerator.distribution_noc.bandwidth = bandwidth;
        accelerator.collection_noc.bandwidth = bandwidth;
    }
    if let Some(bandwidth) = keys.offchip_bandwidth {
        accelerator.offchip.bandwidth = bandwidth;
    }
    if let Some(latency) = keys.noc_hops {
        accelerator.distribution_noc.hop_latency = latency;
        accelerator.collection_noc.hop_latency = latency;
    }
    accelerator
}

fn fill_absent(
    keys: ReferenceHardwareKeys,
    defaults: ReferenceHardwareKeys,
) -> ReferenceHardwareKeys {
    ReferenceHardwareKeys {
        num_pes: keys.num_pes.or(defaults.num_pes),
        l1_size: keys.l1_size.or(defaults.l1_size),
        l2_size: keys.l2_size.or(defaults.l2_size),
        noc_bandwidth: keys.noc_bandwidth.or(defaults.noc_bandwidth),
        offchip_bandwidth: keys.offchip_bandwidth.or(defaults.offchip_bandwidth),
        noc_hops: keys.noc_hops.or(defaults.noc_hops),
    }
}

/// Applies the per-key command-line overrides.
pub fn apply_overrides(mut accelerator: Accelerator, flags: &HardwareArgs) -> Accelerator {
    if let Some(num_pes) = flags.num_pes {
        accelerator.num_pes = num_pes;
    }
    if let Some(bandwidth) = flags.noc_bw {
        accelerator.distribution_noc.bandwidth = bandwidth;
        accelerator.collection_noc.bandwidth = bandwidth;
    }
    if let Some(latency) = flags.noc_hop_latency {
        accelerator.distribution_noc.hop_latency = latency;
        accelerator.collection_noc.hop_latency = latency;
    }
    if let Some(multicast) = flags.noc_multicast {
        accelerator.distribution_noc.multicast = multicast;
    }
    if let Some(lanes) = flags.simd_lanes {
        accelerator.simd_lanes = lanes;
    }
    if let Some(size) = flags.l1_size {
        accelerator.l1_size = size;
    }
    if let Some(size) = flags.l2_size {
        accelerator.l2_size = size;
    }
    if let Some(bandwidth) = flags.offchip_bw {
        accelerator.offchip.bandwidth = bandwidth;
    }
    if let Some(reduction) = flags.implicit_reduction {
        accelerator.collection_noc.implicit_reduction = reduction;
    }
    if let Some(reduction_op) = flags.reduction_op {
        accelerator.collection_noc.reduction_op = reduction_op;
    }
    accelerator
}

/// Values that the engines divide by or multiply with must be in range even when they come from a
/// reference-format file, which (unlike TOML and flags) has no range checks of its own.
pub fn check_ranges(accelerator: &Accelerator) -> Result<(), String> {
    use maestro_ir::limits::{MAX_PES, MAX_SIZE};
    let checks = [
        ("num_pes", accelerator.num_pes, 1, MAX_PES),
        ("l1 size", accelerator.l1_size, 1, MAX_SIZE),
        ("l2 size", accelerator.l2_size, 1, MAX_SIZE),
        (
            "NoC bandwidth",
            accelerator.distribution_noc.bandwidth,
            1,
            MAX_SIZE,
        ),
        (
            "NoC bandwidth",
            accelerator.collection_noc.bandwidth,
            1,
            MAX_SIZE,
        ),
        (
            "NoC hop latency",
            accelerator.distribution_noc.hop_latency,
            0,
            maestro_config::MAX_LATENCY,
        ),
        (
            "off-chip bandwidth",
            accelerator.offchip.bandwidth,
            1,
            MAX_SIZE,
        ),
    ];
    for (what, value, min, max) in checks {
        if !(min..=max).contains(&value) {
            return Err(format!(
                "the {what} must be between {min} and {max}, found {value}"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_flags() -> HardwareArgs {
        HardwareArgs::default()
    }

    #[test]
    fn compat_file_keys_that_are_absent_take_the_reference_file_defaults() {
        let keys = ReferenceHardwareKeys {
            num_pes: Some(64),
            ..Default::default()
        };
        let accelerator = apply_reference_keys(compat_cli_defaults(), keys, true);
        assert_eq!(accelerator.num_pes, 64);
        assert_eq!(accelerator.offchip.bandwidth, REFERENCE_UNLIMITED);
        assert_eq!(accelerator.distribution_noc.hop_latency, 1);
        assert_eq!(accelerator.l1_size, REFERENCE_UNLIMITED);
    }

    #[test]
    fn corrected_file_keys_that_are_absent_keep_the_default_accelerator() {
        let keys = ReferenceHardwareKeys {
            noc_bandwidth: Some(14),
            ..Default::default()
        };
        let accelerator = apply_reference_keys(Accelerator::default(), keys, false);
        let default = Accelerator::default();
        assert_eq!(accelerator.distribution_noc.bandwidth, 14);
        assert_eq!(accelerator.collection_noc.bandwidth, 14);
        assert_eq!(accelerator.num_pes, default.num_pes);
        assert_eq!(accelerator.offchip, default.offchip);
    }

    #[test]
    fn flags_override_every_named_key() {
        let flags = HardwareArgs {
            num_pes: Some(168),
            noc_bw: Some(14),
            noc_hop_latency: Some(1),
            noc_multicast: Some(false),
            simd_lanes: Some(2),
            l1_size: Some(5120),
            l2_size: Some(1_024_000),
            offchip_bw: Some(9),
            implicit_reduction: Some(false),
            reduction_op: Some(false),
            ..no_flags()
        };
        let accelerator = apply_overrides(compat_cli_defaults(), &flags);
        assert_eq!(accelerator.num_pes, 168);
        assert_eq!(accelerator.distribution_noc.bandwidth, 14);
        assert_eq!(accelerator.collection_noc.bandwidth, 14);
        assert_eq!(accelerator.collection_noc.hop_latency, 1);
        assert!(!accelerator.distribution_noc.multicast);
        assert_eq!(
            (
                accelerator.simd_lanes,
                accelerator.l1_size,
                accelerator.l2_size
            ),
            (2, 5120, 1_024_000)
        );
        assert_eq!(accelerator.offchip.bandwidth, 9);
        assert!(
            !accelerator.collection_noc.implicit_reduction
                && !accelerator.collection_noc.reduction_op
        );
        assert_eq!(
            apply_overrides(Accelerator::default(), &no_flags()),
            Accelerator::default()
        );
    }

    #[test]
    fn zero_pes_from_a_reference_file_are_rejected() {
        let keys = ReferenceHardwareKeys {
            num_pes: Some(0),
            ..Default::default()
        };
        let accelerator = apply_reference_keys(Accelerator::default(), keys, false);
        assert!(check_ranges(&accelerator).unwrap_err().contains("num_pes"));
        assert!(check_ranges(&compat_cli_defaults()).is_ok());
    }
}
