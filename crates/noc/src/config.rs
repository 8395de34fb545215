//! The network's parameters (BookSim2 names and defaults where BookSim has the key) and their checks.

use crate::error::NocError;
use serde::Serialize;

/// The largest radix accepted, so that node and port numbers stay small and products never overflow.
pub const MAX_RADIX: u32 = 64;
/// The largest concentration (terminals per router).
pub const MAX_CONCENTRATION: u32 = 16;
/// The largest number of virtual channels per port.
pub const MAX_VCS: u32 = 64;
/// The largest per-VC buffer, in flits.
pub const MAX_VC_BUFFER: u32 = 1 << 16;
/// The largest pipeline or channel delay, in cycles.
pub const MAX_DELAY: u32 = 1 << 12;
/// The largest packet, in flits.
pub const MAX_PACKET_SIZE: u32 = 1 << 16;

/// The shape of the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TopologyKind {
    /// A k×k grid without wrap-around links.
    Mesh,
    /// A k×k grid with wrap-around links in both dimensions.
    Torus,
}

/// How a packet chooses its next hop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutingKind {
    /// X first, then Y (BookSim `dor`).
    DimensionOrder,
    /// Minimal adaptive: any productive direction on VCs 1.., with VC 0 as a dimension-order escape
    /// channel (mesh only).
    MinimalAdaptive,
}

/// Every parameter of the network. Field names follow BookSim2's configuration keys.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NocConfig {
    /// Mesh or torus.
    pub topology: TopologyKind,
    /// Routers per dimension (BookSim `k`); the network is always two-dimensional (`n = 2`).
    pub k: u32,
    /// Terminals per router (BookSim `c`).
    pub concentration: u32,
    /// Dimension-order or minimal-adaptive routing.
    pub routing: RoutingKind,
    /// Virtual channels per port (BookSim `num_vcs`).
    pub num_vcs: u32,
    /// Flits per virtual-channel buffer (BookSim `vc_buf_size`).
    pub vc_buf_size: u32,
    /// Cycles between a credit's arrival at a router and its use (BookSim `credit_delay`).
    pub credit_delay: u32,
    /// Route computation cycles (BookSim `routing_delay`).
    pub routing_delay: u32,
    /// VC allocation cycles (BookSim `vc_alloc_delay`, at least 1).
    pub vc_alloc_delay: u32,
    /// Switch allocation cycles (BookSim `sw_alloc_delay`, at least 1).
    pub sw_alloc_delay: u32,
    /// Switch-traversal preparation cycles (BookSim `st_prepare_delay`).
    pub st_prepare_delay: u32,
    /// Switch-traversal cycles (BookSim `st_final_delay`).
    pub st_final_delay: u32,
    /// Router-to-router channel latency in cycles; BookSim uses 1 on a mesh and 2 on a torus.
    pub channel_latency: u32,
    /// Terminal-to-router (injection and ejection) channel latency in cycles (BookSim: 1).
    pub terminal_latency: u32,
    /// Torus only: split the VCs into two dateline classes (deadlock freedom). Without it a
    /// torus can deadlock; the network detects that and reports the routers involved.
    pub dateline: bool,
    /// Replicate multicast packets in the routers along a dimension-order tree; when off, a
    /// multicast is sent as one unicast per destination.
    pub multicast: bool,
    /// Combine the packets of a reduction group where their paths meet; when off, every
    /// contribution travels to the sink.
    pub reduction: bool,
    /// Cycles a router's adder needs to combine a reduction group's packets.
    pub adder_latency: u32,
    /// Cycles without any flit moving, while flits are in the network, after which the network is
    /// declared deadlocked.
    pub deadlock_timeout: u32,
}

impl Default for NocConfig {
    /// BookSim2's defaults for the keys it has (with `topology = mesh`, `k = 8`, `routing_function = dor`),
    /// multicast and reduction on.
    fn default() -> Self {
        NocConfig {
            topology: TopologyKind::Mesh,
            k: 8,
            concentration: 1,
            routing: RoutingKind::DimensionOrder,
            num_vcs: 16,
            vc_buf_size: 8,
            credit_delay: 0,
            routing_delay: 1,
            vc_alloc_delay: 1,
            sw_alloc_delay: 1,
            st_prepare_delay: 0,
            st_final_delay: 1,
            channel_latency: 1,
            terminal_latency: 1,
            dateline: true,
            multicast: true,
            reduction: true,
            adder_latency: 1,
            deadlock_timeout: 10_000,
        }
    }
}

impl NocConfig {
    /// Routers in the network.
    pub fn routers(&self) -> u32 {
        self.k * self.k
    }

    /// Terminals (nodes) in the network.
    pub fn nodes(&self) -> u32 {
        self.routers() * self.concentration
    }

    /// Checks every parameter's range; the error names the offending key.
    pub fn validate(&self) -> Result<(), NocError> {
        let in_range = |key: &'static str, value: u32, low: u32, high: u32| {
            if value < low || value > high {
                Err(NocError::Parameter {
                    key,
                    message: format!("must be between {low} and {high}, found {value}"),
                })
            } else {
                Ok(())
            }
        };
        in_range("k", self.k, 2, MAX_RADIX)?;
        in_range("c", self.concentration, 1, MAX_CONCENTRATION)?;
        in_range("num_vcs", self.num_vcs, 1, MAX_VCS)?;
        in_range("vc_buf_size", self.vc_buf_size, 1, MAX_VC_BUFFER)?;
        in_range("credit_delay", self.credit_delay, 0, MAX_DELAY)?;
        in_range("routing_delay", self.routing_delay, 0, MAX_DELAY)?;
        in_range("vc_alloc_delay", self.vc_alloc_delay, 1, MAX_DELAY)?;
        in_range("sw_alloc_delay", self.sw_alloc_delay, 1, MAX_DELAY)?;
        in_range("st_prepare_delay", self.st_prepare_delay, 0, MAX_DELAY)?;
        in_range("st_final_delay", self.st_final_delay, 1, MAX_DELAY)?;
        in_range("channel_latency", self.channel_latency, 1, MAX_DELAY)?;
        in_range("terminal_latency", self.terminal_latency, 1, MAX_DELAY)?;
        in_range("adder_latency", self.adder_latency, 0, MAX_DELAY)?;
        in_range("deadlock_timeout", self.deadlock_timeout, 16, 1 << 24)?;
        if self.topology == TopologyKind::Torus && self.dateline && self.num_vcs < 2 {
            return Err(NocError::Parameter {
                key: "num_vcs",
                message: "a torus with dateline virtual channels needs at least 2 VCs".into(),
            });
        }
        if self.routing == RoutingKind::MinimalAdaptive {
            if self.topology != TopologyKind::Mesh {
                return Err(NocError::Parameter {
                    key: "routing_function",
                    message: "minimal adaptive routing is modelled on a mesh only".into(),
                });
            }
            if self.num_vcs < 2 {
                return Err(NocError::Parameter {
                    key: "num_vcs",
                    message:
                        "minimal adaptive routing needs at least 2 VCs (VC 0 is the escape channel)"
                            .into(),
                });
            }
        }
        Ok(())
    }

    /// Cycles a flit spends crossing the switch (BookSim's crossbar delay).
    pub(crate) fn crossbar_delay(&self) -> u64 {
        u64::from(self.st_prepare_delay) + u64::from(self.st_final_delay)
    }
}
