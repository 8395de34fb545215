//! The accelerator description: PE array, L1 scratchpads, shared L2, off-chip memory, the distribution
//! and collection NoCs, and the energy table. Plain data; `maestro-config` and `maestro-dsl` fill it in.

use serde::{Deserialize, Serialize};

/// How the links of a NoC are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum NocTopology {
    /// One shared bus (or crossbar port) between the buffer and all units: the reference's assumption.
    #[default]
    Bus,
    /// A hierarchical tree that follows the cluster levels: one link per cluster, shared by its units.
    Tree,
    /// A 2D mesh of PEs fed from one edge.
    Mesh,
}

/// The network from L2 down to the PEs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistributionNoc {
    /// Elements per cycle that the network accepts from L2.
    pub bandwidth: u64,
    /// Cycles per hop.
    pub hop_latency: u64,
    /// Whether one transfer may deliver the same data to many units.
    pub multicast: bool,
    pub topology: NocTopology,
}

/// The network from the PEs back up to L2.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CollectionNoc {
    /// Elements per cycle that the network delivers into L2.
    pub bandwidth: u64,
    pub hop_latency: u64,
    /// In-network (implicit) reduction: a reduction tree adds partial sums on the way up. Without it, every
    /// partial sum travels and L2 accumulates it with a read-modify-write.
    pub implicit_reduction: bool,
    /// Whether the reduction additions are counted as operations (time and energy of the adders).
    pub reduction_op: bool,
    pub topology: NocTopology,
}

/// Whether off-chip reads and writes share one bandwidth or each have their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Duplex {
    /// One data bus for both directions, as a DRAM channel has: reads and writes take turns, so a
    /// layer's off-chip time is at least all its off-chip traffic over the one bandwidth.
    #[default]
    Half,
    /// A read and a write direction of the full bandwidth each (separate links).
    Full,
}

/// Off-chip memory feeding L2.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OffChipMemory {
    /// Elements per cycle (per direction with [`Duplex::Full`]).
    pub bandwidth: u64,
    /// Cycles from request to first element.
    pub latency: u64,
    /// Whether reads and writes share the bandwidth.
    #[serde(default)]
    pub duplex: Duplex,
}

/// Energy per event, in nanojoules.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnergyTable {
    pub mac: f64,
    pub l1_access: f64,
    pub l2_access: f64,
    pub offchip_access: f64,
    /// Per element per hop on a NoC.
    pub noc_hop: f64,
}

impl Default for EnergyTable {
    /// The reference's constants (MAC 0.00023 nJ, L1 1.68×, L2 18.61× a MAC), plus an off-chip access of
    /// 200× a MAC (the ratio commonly quoted for DRAM versus a MAC) and NoC hops at 1× a MAC.
    fn default() -> Self {
        const MAC: f64 = 0.00023;
        EnergyTable {
            mac: MAC,
            l1_access: 1.68 * MAC,
            l2_access: 18.61 * MAC,
            offchip_access: 200.0 * MAC,
            noc_hop: MAC,
        }
    }
}

/// Everything the engines need to know about the hardware.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Accelerator {
    pub name: String,
    pub num_pes: u64,
    /// MAC lanes per PE.
    pub simd_lanes: u64,
    /// Cycles from operands in the PE to the result, added once per compute step (0 = none).
    pub mac_pipeline_latency: u64,
    /// L1 capacity per PE, in elements.
    pub l1_size: u64,
    /// L2 capacity, in elements.
    pub l2_size: u64,
    /// L2 read and write ports, elements per cycle each.
    pub l2_bandwidth: u64,
    pub distribution_noc: DistributionNoc,
    pub collection_noc: CollectionNoc,
    pub offchip: OffChipMemory,
    pub energy: EnergyTable,
}

impl Default for Accelerator {
    /// The documented default when no hardware is given: the reference's example accelerator
    /// (256 PEs, NoC 1000 elements/cycle, off-chip 50 elements/cycle) with realistic buffer capacities
    /// (L1 512 elements per PE, L2 1 Mi elements), hop latency 1, multicast and in-network reduction.
    fn default() -> Self {
        Accelerator {
            name: "default".into(),
            num_pes: 256,
            simd_lanes: 1,
            mac_pipeline_latency: 0,
            l1_size: 512,
            l2_size: 1 << 20,
            l2_bandwidth: 1000,
            distribution_noc: DistributionNoc {
                bandwidth: 1000,
                hop_latency: 1,
                multicast: true,
                topology: NocTopology::Bus,
            },
            collection_noc: CollectionNoc {
                bandwidth: 1000,
                hop_latency: 1,
                implicit_reduction: true,
                reduction_op: true,
                topology: NocTopology::Bus,
            },
            offchip: OffChipMemory {
                bandwidth: 50,
                latency: 0,
                duplex: Duplex::Half,
            },
            energy: EnergyTable::default(),
        }
    }
}
