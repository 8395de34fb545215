//! A layer's dataflow: its directives in written order, and their split into cluster levels
//! (level 0 is fed by L2; the last level's units are PEs).

use crate::directive::{Directive, MapDirective};
use serde::{Deserialize, Serialize};

/// The directives of one layer, exactly as written (sizes resolved).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub directives: Vec<Directive>,
}

/// The directives between two `Cluster` directives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterLevel {
    /// 0 for the outermost level.
    pub depth: usize,
    /// The size of the `Cluster` directive that opened this level (`None` for level 0).
    pub opened_by_cluster: Option<u64>,
    /// The level's map directives, outermost loop first.
    pub maps: Vec<MapDirective>,
}

impl Mapping {
    pub fn new(directives: Vec<Directive>) -> Self {
        Mapping { directives }
    }

    /// The `Cluster` sizes in written order.
    pub fn cluster_sizes(&self) -> Vec<u64> {
        self.directives
            .iter()
            .filter_map(|directive| match directive {
                Directive::Cluster(cluster) => Some(cluster.size),
                Directive::Map(_) => None,
            })
            .collect()
    }

    /// Splits the directives at every `Cluster`: `c` clusters give `c + 1` levels.
    pub fn levels(&self) -> Vec<ClusterLevel> {
        let mut levels = vec![ClusterLevel {
            depth: 0,
            opened_by_cluster: None,
            maps: Vec::new(),
        }];
        for directive in &self.directives {
            match directive {
                Directive::Map(map) => levels
                    .last_mut()
                    .expect("levels is never empty")
                    .maps
                    .push(*map),
                Directive::Cluster(cluster) => levels.push(ClusterLevel {
                    depth: levels.len(),
                    opened_by_cluster: Some(cluster.size),
                    maps: Vec::new(),
                }),
            }
        }
        levels
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClusterDirective, ClusterKind, Dim};

    #[test]
    fn splits_at_clusters() {
        let mapping = Mapping::new(vec![
            Directive::Map(MapDirective::spatial(1, 1, Dim::K)),
            Directive::Cluster(ClusterDirective {
                size: 4,
                kind: ClusterKind::Physical,
            }),
            Directive::Map(MapDirective::spatial(1, 1, Dim::C)),
            Directive::Map(MapDirective::temporal(3, 1, Dim::Y)),
        ]);
        let levels = mapping.levels();
        assert_eq!(levels.len(), 2);
        assert_eq!(levels[0].maps.len(), 1);
        assert_eq!(levels[1].opened_by_cluster, Some(4));
        assert_eq!(levels[1].maps.len(), 2);
        assert_eq!(mapping.cluster_sizes(), vec![4]);
    }
}
