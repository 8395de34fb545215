//! Geometry of the k-ary 2-mesh and 2-torus: router and node numbering, port numbering, and the
//! routing functions (dimension order with dateline classes on a torus, minimal adaptive on a mesh,
//! and the dimension-order multicast tree).

use crate::config::{NocConfig, RoutingKind, TopologyKind};

/// Port towards larger x.
pub const EAST: usize = 0;
/// Port towards smaller x.
pub const WEST: usize = 1;
/// Port towards larger y.
pub const NORTH: usize = 2;
/// Port towards smaller y.
pub const SOUTH: usize = 3;
/// The first terminal port; terminal `j` of a router is port `FIRST_TERMINAL_PORT + j`.
pub const FIRST_TERMINAL_PORT: usize = 4;

/// Where a packet may go next: a port and the range of its VCs it may take there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteOption {
    /// The output port.
    pub port: u8,
    /// The first VC allowed.
    pub vc_low: u8,
    /// The last VC allowed (inclusive).
    pub vc_high: u8,
}

/// The network's shape and its routing rules.
#[derive(Clone, Debug)]
pub struct Topology {
    kind: TopologyKind,
    routing: RoutingKind,
    dateline: bool,
    k: usize,
    concentration: usize,
    vcs: usize,
    /// Per router, its (x, y): routing runs per head flit per hop, so no divisions there.
    coordinates: Vec<(u16, u16)>,
    /// Per router and network port, the neighbour (`u32::MAX` at a mesh edge).
    neighbours: Vec<[u32; 4]>,
}

impl Topology {
    /// The topology of a checked configuration.
    pub fn new(config: &NocConfig) -> Self {
        let k = config.k as usize;
        let mut topology = Topology {
            kind: config.topology,
            routing: config.routing,
            dateline: config.dateline,
            k,
            concentration: config.concentration as usize,
            vcs: config.num_vcs as usize,
            coordinates: (0..k * k)
                .map(|r| ((r % k) as u16, (r / k) as u16))
                .collect(),
            neighbours: Vec::new(),
        };
        topology.neighbours = (0..k * k)
            .map(|router| {
                let mut ports = [u32::MAX; 4];
                for (port, slot) in ports.iter_mut().enumerate() {
                    if let Some(next) = topology.compute_neighbour(router, port) {
                        *slot = next as u32;
                    }
                }
                ports
            })
            .collect();
        topology
    }

    /// Routers per dimension.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Ports per router (four network ports and one per terminal).
    pub fn ports(&self) -> usize {
        FIRST_TERMINAL_PORT + self.concentration
    }

    /// Routers in the network.
    pub fn routers(&self) -> usize {
        self.k * self.k
    }

    /// Terminals in the network.
    pub fn nodes(&self) -> usize {
        self.routers() * self.concentration
    }

    /// The router a node is attached to, and its terminal port there.
    pub fn attachment(&self, node: usize) -> (usize, usize) {
        if self.concentration == 1 {
            return (node, FIRST_TERMINAL_PORT);
        }
        (
            node / self.concentration,
            FIRST_TERMINAL_PORT + node % self.concentration,
        )
    }

    /// The node attached to `port` (a terminal port) of `router`.
    pub fn node_at(&self, router: usize, port: usize) -> usize {
        router * self.concentration + (port - FIRST_TERMINAL_PORT)
    }

    /// A router's coordinates.
    pub fn coordinates(&self, router: usize) -> (usize, usize) {
        let (x, y) = self.coordinates[router];
        (usize::from(x), usize::from(y))
    }

    /// The router at the far end of a network port, or `None` at a mesh edge (or for a terminal
    /// port).
    pub fn neighbour(&self, router: usize, port: usize) -> Option<usize> {
        match self.neighbours[router].get(port) {
            Some(&next) if next != u32::MAX => Some(next as usize),
            _ => None,
        }
    }

    fn compute_neighbour(&self, router: usize, port: usize) -> Option<usize> {
        let (x, y) = self.coordinates(router);
        let k = self.k;
        let wrap = self.kind == TopologyKind::Torus;
        let (nx, ny) = match port {
            EAST if x + 1 < k => (x + 1, y),
            EAST if wrap => (0, y),
            WEST if x > 0 => (x - 1, y),
            WEST if wrap => (k - 1, y),
            NORTH if y + 1 < k => (x, y + 1),
            NORTH if wrap => (x, 0),
            SOUTH if y > 0 => (x, y - 1),
            SOUTH if wrap => (x, k - 1),
            _ => return None,
        };
        Some(nx + ny * k)
    }

    /// The input port at which a flit leaving through `port` arrives at the neighbour.
    pub fn opposite(port: usize) -> usize {
        port ^ 1
    }

    /// Minimal hop count between two routers.
    pub fn distance(&self, from: usize, to: usize) -> usize {
        let (fx, fy) = self.coordinates(from);
        let (tx, ty) = self.coordinates(to);
        self.axis_distance(fx, tx) + self.axis_distance(fy, ty)
    }

    fn axis_distance(&self, from: usize, to: usize) -> usize {
        let direct = from.abs_diff(to);
        match self.kind {
            TopologyKind::Mesh => direct,
            TopologyKind::Torus => direct.min(self.k - direct),
        }
    }

    /// The direction (positive?) to take along one axis, or `None` when already there. On a
    /// torus the shorter way round; on a tie, the positive direction.
    fn axis_direction(&self, from: usize, to: usize) -> Option<bool> {
        if from == to {
            return None;
        }
        match self.kind {
            TopologyKind::Mesh => Some(to > from),
            TopologyKind::Torus => {
                let forward = (to + self.k - from) % self.k;
                Some(forward <= self.k - forward)
            }
        }
    }

    /// The dimension-order output port from `router` towards `destination_router` (a terminal
    /// port is not returned here; `None` means "arrived").
    pub fn dimension_order_port(&self, router: usize, destination_router: usize) -> Option<usize> {
        let (x, y) = self.coordinates(router);
        let (dx, dy) = self.coordinates(destination_router);
        if let Some(positive) = self.axis_direction(x, dx) {
            return Some(if positive { EAST } else { WEST });
        }
        self.axis_direction(y, dy)
            .map(|positive| if positive { NORTH } else { SOUTH })
    }

    /// Where a unicast packet from `source_router` at `router` may go next, towards `destination`
    /// (a node). Writes up to three options and returns how many. Without `adaptive` the packet
    /// keeps to its dimension-order path even under adaptive routing (reduction packets must meet
    /// where their dimension-order paths do).
    pub fn route(
        &self,
        router: usize,
        source_router: usize,
        destination: usize,
        adaptive: bool,
        options: &mut [RouteOption; 3],
    ) -> usize {
        let all = (self.vcs - 1) as u8;
        let (destination_router, terminal_port) = self.attachment(destination);
        let Some(port) = self.dimension_order_port(router, destination_router) else {
            options[0] = RouteOption {
                port: terminal_port as u8,
                vc_low: 0,
                vc_high: all,
            };
            return 1;
        };
        match (self.kind, self.routing) {
            (TopologyKind::Torus, _) if self.dateline => {
                let half = (self.vcs / 2) as u8;
                let class = self.dateline_class(router, source_router, port);
                options[0] = if class == 0 {
                    RouteOption {
                        port: port as u8,
                        vc_low: 0,
                        vc_high: half - 1,
                    }
                } else {
                    RouteOption {
                        port: port as u8,
                        vc_low: half,
                        vc_high: all,
                    }
                };
                1
            }
            (TopologyKind::Mesh, RoutingKind::MinimalAdaptive) if adaptive => {
                options[0] = RouteOption {
                    port: port as u8,
                    vc_low: 0,
                    vc_high: 0,
                };
                let (x, y) = self.coordinates(router);
                let (dx, dy) = self.coordinates(destination_router);
                let mut count = 1;
                if x != dx {
                    options[count] = RouteOption {
                        port: if dx > x { EAST } else { WEST } as u8,
                        vc_low: 1,
                        vc_high: all,
                    };
                    count += 1;
                }
                if y != dy {
                    options[count] = RouteOption {
                        port: if dy > y { NORTH } else { SOUTH } as u8,
                        vc_low: 1,
                        vc_high: all,
                    };
                    count += 1;
                }
                count
            }
            _ => {
                options[0] = RouteOption {
                    port: port as u8,
                    vc_low: 0,
                    vc_high: all,
                };
                1
            }
        }
    }

    /// The dateline class (0 before, 1 after crossing the wrap-around link of the current dimension)
    /// of the hop leaving `router` through `port` for a packet that started at `source_router`.
    fn dateline_class(&self, router: usize, source_router: usize, port: usize) -> u8 {
        let (x, y) = self.coordinates(router);
        let (sx, sy) = self.coordinates(source_router);
        let (current, start) = if port == EAST || port == WEST {
            (x, sx)
        } else {
            (y, sy)
        };
        let next = match port {
            EAST | NORTH => (current + 1) % self.k,
            _ => (current + self.k - 1) % self.k,
        };
        let crossed = match port {
            EAST | NORTH => next < start || (next == start && current != start),
            _ => next > start || (next == start && current != start),
        };
        u8::from(crossed)
    }

    /// Splits a multicast destination set at `router` along the dimension-order tree (X first, then
    /// Y): for each output port, the destinations reached through it. `split[port]` is filled.
    pub fn multicast_split(&self, router: usize, destinations: &[usize], split: &mut [Vec<usize>]) {
        for part in split.iter_mut() {
            part.clear();
        }
        let (x, y) = self.coordinates(router);
        for &node in destinations {
            let (destination_router, terminal_port) = self.attachment(node);
            let (dx, dy) = self.coordinates(destination_router);
            let port = if dx > x {
                EAST
            } else if dx < x {
                WEST
            } else if dy > y {
                NORTH
            } else if dy < y {
                SOUTH
            } else {
                terminal_port
            };
            split[port].push(node);
        }
    }

    /// The routers a dimension-order path visits from one router to another, both included.
    pub fn dimension_order_path(&self, from: usize, to: usize) -> Vec<usize> {
        let mut path = vec![from];
        let mut at = from;
        while let Some(port) = self.dimension_order_port(at, to) {
            // A dimension-order port always has a neighbour (the destination lies that way).
            let Some(next) = self.neighbour(at, port) else {
                break;
            };
            at = next;
            path.push(at);
        }
        path
    }
}
