//! The TOML document's shape: one serde struct per section, every field optional (a missing field takes
//! its value from `Accelerator::default()`), unknown keys rejected, and every value kept with its byte
//! span so that a value that parses but makes no sense can still be pointed at.

use maestro_ir::{Duplex, NocTopology};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AcceleratorFile {
    pub name: Option<Spanned<String>>,
    pub pe: Option<PeSection>,
    pub l1: Option<L1Section>,
    pub l2: Option<L2Section>,
    pub noc: Option<NocSection>,
    pub offchip: Option<OffChipSection>,
    pub energy: Option<EnergySection>,
}

/// `[pe]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeSection {
    pub count: Option<Spanned<u64>>,
    pub simd_lanes: Option<Spanned<u64>>,
    pub mac_pipeline_latency: Option<Spanned<u64>>,
}

/// `[l1]`: the scratchpad of each PE.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct L1Section {
    pub size: Option<Spanned<u64>>,
}

/// `[l2]`: the shared buffer.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct L2Section {
    pub size: Option<Spanned<u64>>,
    pub bandwidth: Option<Spanned<u64>>,
}

/// `[noc]`, which only holds the two sub-tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NocSection {
    pub distribution: Option<DistributionSection>,
    pub collection: Option<CollectionSection>,
}

/// `[noc.distribution]`: L2 down to the PEs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DistributionSection {
    pub bandwidth: Option<Spanned<u64>>,
    pub hop_latency: Option<Spanned<u64>>,
    pub multicast: Option<bool>,
    pub topology: Option<NocTopology>,
}

/// `[noc.collection]`: the PEs back up to L2.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CollectionSection {
    pub bandwidth: Option<Spanned<u64>>,
    pub hop_latency: Option<Spanned<u64>>,
    pub implicit_reduction: Option<bool>,
    pub reduction_op: Option<bool>,
    pub topology: Option<NocTopology>,
}

/// `[offchip]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OffChipSection {
    pub bandwidth: Option<Spanned<u64>>,
    pub latency: Option<Spanned<u64>>,
    /// `"half"` (reads and writes share the bandwidth, the default) or `"full"`.
    pub duplex: Option<Duplex>,
}

/// `[energy]`, in nanojoules per event.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnergySection {
    pub mac: Option<Spanned<f64>>,
    pub l1_access: Option<Spanned<f64>>,
    pub l2_access: Option<Spanned<f64>>,
    pub offchip_access: Option<Spanned<f64>>,
    pub noc_hop: Option<Spanned<f64>>,
}
