//! NoC topologies: which links a transfer occupies. A topology is a pluggable component (a trait) that
//! describes one direction (distribution or collection); the simulator owns every link in one table
//! addressed by `LinkId`, so the two NoCs may have different topologies.

use maestro_ir::LinkId;
use std::fmt::Debug;

/// One link or bus (or buffer port) with its bandwidth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkSpec {
    pub name: String,
    /// Elements per cycle.
    pub bandwidth: u64,
}

/// The fixed ports every topology shares, at the start of the link table.
pub const L2_READ_PORT: LinkId = LinkId(0);
pub const L2_WRITE_PORT: LinkId = LinkId(1);
/// The off-chip link: loads into L2, and with half duplex (the default) write-backs too. With full
/// duplex writes have their own direction, as the L2 ports do: that link is the last of the table,
/// after both topologies' links.
pub const OFFCHIP_LINK: LinkId = LinkId(2);

/// A NoC layout for one direction: the links a transfer between L2 and a set of PEs occupies.
pub trait NocTopology: Debug + Send + Sync {
    /// Appends the links (each once) that one transfer between L2 and `pes` (sorted, distinct PE
    /// indices) occupies, and returns the hop count to the farthest of them.
    fn route(&self, pes: &[u32], links: &mut Vec<LinkId>) -> u64;
}

fn add_link(links: &mut Vec<LinkSpec>, name: String, bandwidth: u64) -> LinkId {
    links.push(LinkSpec { name, bandwidth });
    LinkId((links.len() - 1) as u32)
}

/// One shared bus between L2 and all PEs: the reference's assumption. One hop.
#[derive(Debug)]
pub struct BusTopology {
    bus: LinkId,
}

impl BusTopology {
    /// Adds the bus to `links`; `label` names the direction.
    pub fn new(links: &mut Vec<LinkSpec>, label: &str, bandwidth: u64) -> Self {
        BusTopology {
            bus: add_link(links, format!("{label} bus"), bandwidth),
        }
    }
}

impl NocTopology for BusTopology {
    fn route(&self, _pes: &[u32], links: &mut Vec<LinkId>) -> u64 {
        links.push(self.bus);
        1
    }
}

/// A tree following the cluster levels: a root link at L2, then one link into every sub-cluster of every
/// level (the innermost level's sub-clusters are PEs). A transfer crosses `levels + 1` links. Only the
/// links above PEs `0 … reach − 1` (those that ever work) are built.
#[derive(Debug)]
pub struct TreeTopology {
    root: LinkId,
    /// Per level, the id of its first link.
    level_bases: Vec<u32>,
    /// PEs under one sub-cluster of each level.
    pes_below: Vec<u64>,
}

impl TreeTopology {
    pub fn new(
        links: &mut Vec<LinkSpec>,
        label: &str,
        sub_clusters: &[u64],
        reach: u64,
        bandwidth: u64,
    ) -> Self {
        let mut pes_below = vec![1u64; sub_clusters.len()];
        for depth in (0..sub_clusters.len().saturating_sub(1)).rev() {
            pes_below[depth] = pes_below[depth + 1].saturating_mul(sub_clusters[depth + 1]);
        }
        let root = add_link(links, format!("{label} root"), bandwidth);
        let mut level_bases = Vec::with_capacity(sub_clusters.len());
        let mut nodes = 1u64;
        for (depth, &units) in sub_clusters.iter().enumerate() {
            nodes = nodes.saturating_mul(units);
            level_bases.push(links.len() as u32);
            let reached = nodes.min(reach.div_ceil(pes_below[depth].max(1)));
            for node in 0..reached {
                add_link(
                    links,
                    format!("{label} level {depth} unit {node}"),
                    bandwidth,
                );
            }
        }
        TreeTopology {
            root,
            level_bases,
            pes_below,
        }
    }
}

impl NocTopology for TreeTopology {
    fn route(&self, pes: &[u32], links: &mut Vec<LinkId>) -> u64 {
        links.push(self.root);
        for (depth, &base) in self.level_bases.iter().enumerate() {
            let mut last_node = None;
            // PEs are sorted, so the nodes of one level come out sorted too; skip repeats.
            for &pe in pes {
                let node = u64::from(pe) / self.pes_below[depth];
                if last_node != Some(node) {
                    links.push(LinkId(base + node as u32));
                    last_node = Some(node);
                }
            }
        }
        self.level_bases.len() as u64 + 1
    }
}

/// A 2D mesh: PE `p` sits at row `p / columns`, column `p mod columns` of a near-square grid
/// (`columns = ceil(sqrt(PEs))`). L2 feeds the grid from its west edge through one port link per row;
/// between neighbours of a row there is one link per direction. Routing is dimension-ordered (XY):
/// since every row has its own edge port, a packet enters the destination's row at the edge and only
/// travels along X. A multicast sends one copy into every row that holds a destination, which runs east
/// to the farthest destination of that row and is delivered on the way (multicast along rows). The
/// collection direction mirrors it: westwards along the row into the row's port. Only the rows holding
/// PEs `0 … reach − 1` (those that ever work) are built; the grid's shape follows all the PEs.
#[derive(Debug)]
pub struct MeshTopology {
    columns: u64,
    /// Per row, the id of its port link; the row's `columns − 1` inner links follow it.
    row_bases: Vec<u32>,
}

impl MeshTopology {
    pub fn new(
        links: &mut Vec<LinkSpec>,
        label: &str,
        pes: u64,
        reach: u64,
        bandwidth: u64,
    ) -> Self {
        let pes = pes.max(1);
        let mut columns = 1u64;
        while columns * columns < pes {
            columns += 1;
        }
        let rows = pes.div_ceil(columns).min(reach.max(1).div_ceil(columns));
        let mut row_bases = Vec::with_capacity(rows as usize);
        for row in 0..rows {
            row_bases.push(links.len() as u32);
            add_link(links, format!("{label} mesh row {row} port"), bandwidth);
            for column in 1..columns {
                add_link(
                    links,
                    format!("{label} mesh row {row} link {} to {column}", column - 1),
                    bandwidth,
                );
            }
        }
        MeshTopology { columns, row_bases }
    }

    /// The grid's (rows, columns).
    pub fn shape(&self) -> (u64, u64) {
        (self.row_bases.len() as u64, self.columns)
    }
}

impl NocTopology for MeshTopology {
    fn route(&self, pes: &[u32], links: &mut Vec<LinkId>) -> u64 {
        let mut farthest = 0u64;
        let mut index = 0;
        while index < pes.len() {
            let row = u64::from(pes[index]) / self.columns;
            // Sorted PEs: the last one of this row has the largest column.
            let mut far_column = 0;
            while index < pes.len() && u64::from(pes[index]) / self.columns == row {
                far_column = u64::from(pes[index]) % self.columns;
                index += 1;
            }
            let base = self.row_bases[row as usize];
            links.push(LinkId(base));
            for hop in 0..far_column {
                links.push(LinkId(base + 1 + hop as u32));
            }
            farthest = farthest.max(far_column + 1);
        }
        farthest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_multicast_shares_the_links_above_the_destinations() {
        let mut links = Vec::new();
        let tree = TreeTopology::new(&mut links, "distribution", &[2, 2], 4, 8);
        // Root, 2 level-0 links, 4 level-1 links.
        assert_eq!(links.len(), 7);
        let mut route = Vec::new();
        let hops = tree.route(&[0, 1], &mut route);
        assert_eq!(hops, 3);
        assert_eq!(route, vec![LinkId(0), LinkId(1), LinkId(3), LinkId(4)]);
    }

    #[test]
    fn a_mesh_multicast_runs_along_each_destination_row() {
        // 10 PEs on a 4-column grid: rows 0..=2, row 2 holding PEs 8 and 9.
        let mut links = Vec::new();
        let mesh = MeshTopology::new(&mut links, "distribution", 10, 10, 4);
        assert_eq!(mesh.shape(), (3, 4));
        assert_eq!(links.len(), 12);
        let mut route = Vec::new();
        // PE 2 (row 0, column 2) and PE 9 (row 2, column 1).
        let hops = mesh.route(&[2, 9], &mut route);
        assert_eq!(hops, 3);
        assert_eq!(
            route,
            vec![LinkId(0), LinkId(1), LinkId(2), LinkId(8), LinkId(9)]
        );
        route.clear();
        assert_eq!(mesh.route(&[0], &mut route), 1);
        assert_eq!(route, vec![LinkId(0)]);
    }

    #[test]
    fn only_the_reached_part_of_a_large_noc_is_built() {
        // 16 M PEs of which 10 ever work: one mesh row of 4096 columns, not 4096 rows.
        let mut links = Vec::new();
        let mesh = MeshTopology::new(&mut links, "distribution", 1 << 24, 10, 1);
        assert_eq!(mesh.shape(), (1, 4096));
        assert_eq!(links.len(), 4096);
        // A tree of 4096 × 4096 PEs reaching 10: one level-0 link, ten level-1 links and the root.
        let mut links = Vec::new();
        TreeTopology::new(&mut links, "distribution", &[4096, 4096], 10, 1);
        assert_eq!(links.len(), 12);
    }
}
