//! NoC topologies: which links a transfer occupies. A topology is a pluggable component (a trait); the
//! simulator owns every link in one table addressed by `LinkId`.

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
pub const OFFCHIP_LINK: LinkId = LinkId(2);

/// A NoC layout: the links a transfer between L2 and a set of PEs occupies.
pub trait NocTopology: Debug + Send + Sync {
    /// Appends the links (each once) that a transfer from L2 to `destinations` (sorted PE indices)
    /// occupies, and returns the hop count to the farthest destination.
    fn distribution_route(&self, destinations: &[u32], links: &mut Vec<LinkId>) -> u64;
    /// Appends the links (each once) that a transfer from `sources` (sorted) up to L2 occupies, and
    /// returns the hop count from the farthest source.
    fn collection_route(&self, sources: &[u32], links: &mut Vec<LinkId>) -> u64;
}

/// One shared bus each way between L2 and all PEs: the reference's assumption. One hop.
#[derive(Debug)]
pub struct BusTopology {
    distribution_bus: LinkId,
    collection_bus: LinkId,
}

impl BusTopology {
    /// Adds the two buses to `links`.
    pub fn new(
        links: &mut Vec<LinkSpec>,
        distribution_bandwidth: u64,
        collection_bandwidth: u64,
    ) -> Self {
        let distribution_bus = LinkId(links.len() as u32);
        links.push(LinkSpec {
            name: "distribution bus".into(),
            bandwidth: distribution_bandwidth,
        });
        let collection_bus = LinkId(links.len() as u32);
        links.push(LinkSpec {
            name: "collection bus".into(),
            bandwidth: collection_bandwidth,
        });
        BusTopology {
            distribution_bus,
            collection_bus,
        }
    }
}

impl NocTopology for BusTopology {
    fn distribution_route(&self, _destinations: &[u32], links: &mut Vec<LinkId>) -> u64 {
        links.push(self.distribution_bus);
        1
    }

    fn collection_route(&self, _sources: &[u32], links: &mut Vec<LinkId>) -> u64 {
        links.push(self.collection_bus);
        1
    }
}

/// A tree following the cluster levels: a root link at L2, then one link into every sub-cluster of every
/// level (the innermost level's sub-clusters are PEs). A transfer crosses `levels + 1` links.
#[derive(Debug)]
pub struct TreeTopology {
    /// Per direction (0 = distribution, 1 = collection): the root link, then per level the first link id.
    roots: [LinkId; 2],
    level_bases: [Vec<u32>; 2],
    /// PEs under one sub-cluster of each level.
    pes_below: Vec<u64>,
}

impl TreeTopology {
    pub fn new(
        links: &mut Vec<LinkSpec>,
        subclusters: &[u64],
        distribution_bandwidth: u64,
        collection_bandwidth: u64,
    ) -> Self {
        let mut pes_below = vec![1u64; subclusters.len()];
        for depth in (0..subclusters.len().saturating_sub(1)).rev() {
            pes_below[depth] = pes_below[depth + 1] * subclusters[depth + 1];
        }
        let mut roots = [LinkId(0); 2];
        let mut level_bases = [Vec::new(), Vec::new()];
        for (direction, (label, bandwidth)) in [
            ("distribution", distribution_bandwidth),
            ("collection", collection_bandwidth),
        ]
        .into_iter()
        .enumerate()
        {
            roots[direction] = LinkId(links.len() as u32);
            links.push(LinkSpec {
                name: format!("{label} root"),
                bandwidth,
            });
            let mut nodes = 1u64;
            for (depth, &units) in subclusters.iter().enumerate() {
                nodes *= units;
                level_bases[direction].push(links.len() as u32);
                for node in 0..nodes {
                    links.push(LinkSpec {
                        name: format!("{label} level {depth} unit {node}"),
                        bandwidth,
                    });
                }
            }
        }
        TreeTopology {
            roots,
            level_bases,
            pes_below,
        }
    }

    fn route(&self, direction: usize, pes: &[u32], links: &mut Vec<LinkId>) -> u64 {
        links.push(self.roots[direction]);
        for (depth, &base) in self.level_bases[direction].iter().enumerate() {
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
        self.level_bases[direction].len() as u64 + 1
    }
}

impl NocTopology for TreeTopology {
    fn distribution_route(&self, destinations: &[u32], links: &mut Vec<LinkId>) -> u64 {
        self.route(0, destinations, links)
    }

    fn collection_route(&self, sources: &[u32], links: &mut Vec<LinkId>) -> u64 {
        self.route(1, sources, links)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_multicast_shares_the_links_above_the_destinations() {
        let mut links = Vec::new();
        let tree = TreeTopology::new(&mut links, &[2, 2], 8, 8);
        // Per direction: root, 2 level-0 links, 4 level-1 links.
        assert_eq!(links.len(), 14);
        let mut route = Vec::new();
        let hops = tree.distribution_route(&[0, 1], &mut route);
        assert_eq!(hops, 3);
        assert_eq!(route, vec![LinkId(0), LinkId(1), LinkId(3), LinkId(4)]);
    }
}
