//! A brute-force reading of a mapping, written from the execution model's text
//! (`docs/execution-model.md`) without `maestro_ir::expansion`: every level's tiles listed explicitly,
//! the step odometer walked by recursion, every MAC enumerated point by point and every tensor element
//! a PE touches collected in a set. Slow on purpose: it is for layers of a few thousand MACs.

use maestro_ir::{Dim, Directive, Layer, LayerType, Tensor};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// A box of the loop space: one index range per loop dimension of the layer.
pub type LoopBox = BTreeMap<Dim, Range<u64>>;

/// A tensor element: its coordinates, in the tensor's dimension order.
pub type Element = Vec<u64>;

/// One loop of a level after the directive was read: loop dimension, spatial or not, tile size in
/// loop coordinates.
#[derive(Clone, Debug)]
struct OracleLoop {
    dim: Dim,
    spatial: bool,
    size: u64,
}

#[derive(Clone, Debug)]
struct OracleLevel {
    units: u64,
    pes_per_unit: u64,
    loops: Vec<OracleLoop>,
}

/// The layer read by the oracle.
#[derive(Clone, Debug)]
pub struct Oracle {
    layer_type: LayerType,
    stride: (u64, u64),
    /// Loop bounds per loop dimension.
    bounds: BTreeMap<Dim, u64>,
    levels: Vec<OracleLevel>,
}

/// One PE work item: which PE, which box of the loop space.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Work {
    pub pe: u64,
    pub region: LoopBox,
}

fn loop_dims(layer_type: LayerType) -> Vec<Dim> {
    use Dim::*;
    match layer_type {
        LayerType::Conv | LayerType::TransposedConv => vec![N, K, C, R, S, OutY, OutX],
        LayerType::DepthwiseConv => vec![N, C, K, R, S, OutY, OutX],
        LayerType::GroupedConv => vec![N, G, K, C, R, S, OutY, OutX],
        LayerType::Gemm => vec![M, N, K],
    }
}

fn is_convolution(layer_type: LayerType) -> bool {
    layer_type != LayerType::Gemm
}

impl Oracle {
    /// Reads `layer`'s directives for `num_pes` PEs; `None` when the execution model calls the mapping
    /// an error.
    pub fn new(layer: &Layer, num_pes: u64) -> Option<Oracle> {
        let layer_type = layer.layer_type;
        let declared = |dim: Dim| {
            layer
                .dimensions
                .iter()
                .find(|(d, _)| *d == dim)
                .map(|&(_, size)| size)
        };
        let mut bounds = BTreeMap::new();
        for dim in loop_dims(layer_type) {
            let size = match dim {
                Dim::OutY | Dim::OutX => {
                    let (input, filter, stride) = if dim == Dim::OutY {
                        (Dim::Y, Dim::R, layer.strides.y)
                    } else {
                        (Dim::X, Dim::S, layer.strides.x)
                    };
                    match (declared(input), declared(dim)) {
                        (Some(input_size), None) => {
                            (input_size.checked_sub(declared(filter)?)?) / stride + 1
                        }
                        (None, Some(output_size)) => output_size,
                        _ => return None,
                    }
                }
                Dim::N => declared(Dim::N).unwrap_or(1),
                Dim::K if layer_type == LayerType::DepthwiseConv => declared(Dim::K).unwrap_or(1),
                other => declared(other)?,
            };
            bounds.insert(dim, size);
        }
        // The declared input extents (for clipping input tiles).
        let input_extent = |out: Dim| -> u64 {
            let (input, filter, stride) = if out == Dim::OutY {
                (Dim::Y, Dim::R, layer.strides.y)
            } else {
                (Dim::X, Dim::S, layer.strides.x)
            };
            declared(input).unwrap_or((bounds[&out] - 1) * stride + bounds[&filter])
        };

        // Split the directives into levels at each Cluster.
        let mut written: Vec<(Option<u64>, Vec<maestro_ir::MapDirective>)> = vec![(None, vec![])];
        for directive in &layer.mapping.as_ref()?.directives {
            match directive {
                Directive::Cluster(cluster) => written.push((Some(cluster.size), vec![])),
                Directive::Map(map) => written.last_mut().expect("a level").1.push(*map),
            }
        }
        let mut cluster_product = 1u64;
        for (size, _) in &written[1..] {
            if *size == Some(0) {
                return None;
            }
            cluster_product = cluster_product.checked_mul(size.unwrap_or(1))?;
        }
        if cluster_product > num_pes || written.len() > 8 {
            return None;
        }
        let mut enclosing = bounds.clone();
        let mut pes_below = cluster_product;
        let mut levels = Vec::new();
        for (depth, (cluster, maps)) in written.iter().enumerate() {
            let units = cluster.unwrap_or(num_pes / cluster_product);
            if depth > 0 {
                pes_below /= units;
            }
            let mut loops = Vec::new();
            let mut seen = BTreeSet::new();
            for map in maps {
                let dim = match map.dim {
                    d if loop_dims(layer_type).contains(&d) => d,
                    Dim::Y if is_convolution(layer_type) => Dim::OutY,
                    Dim::X if is_convolution(layer_type) => Dim::OutX,
                    _ => return None,
                };
                if !seen.insert(dim) || map.size == 0 || map.offset == 0 {
                    return None;
                }
                let (mut size, offset) = if map.dim == Dim::Y || map.dim == Dim::X {
                    let (filter, stride) = if map.dim == Dim::Y {
                        (Dim::R, layer.strides.y)
                    } else {
                        (Dim::S, layer.strides.x)
                    };
                    let window = maps
                        .iter()
                        .find(|m| m.dim == filter)
                        .map_or(enclosing[&filter], |m| m.size.min(enclosing[&filter]));
                    let spanned = (enclosing[&dim] - 1) * stride + window;
                    let extent = spanned.min(input_extent(dim).max(window));
                    let tile = map.size.min(extent);
                    if tile < window {
                        return None;
                    }
                    ((tile - window) / stride + 1, map.offset.div_ceil(stride))
                } else {
                    (map.size, map.offset)
                };
                if enclosing[&dim] > size {
                    if offset > size {
                        return None;
                    }
                    size = offset;
                }
                loops.push(OracleLoop {
                    dim,
                    spatial: map.kind == maestro_ir::MapKind::Spatial,
                    size,
                });
            }
            if loops.iter().filter(|l| l.spatial).count() > 2 {
                return None;
            }
            for dim in loop_dims(layer_type) {
                if !seen.contains(&dim) {
                    loops.push(OracleLoop {
                        dim,
                        spatial: false,
                        size: enclosing[&dim],
                    });
                }
            }
            for l in &loops {
                let e = enclosing.get_mut(&l.dim).expect("loop dim");
                *e = (*e).min(l.size);
            }
            levels.push(OracleLevel {
                units,
                pes_per_unit: pes_below,
                loops,
            });
        }
        Some(Oracle {
            layer_type,
            stride: (layer.strides.y, layer.strides.x),
            bounds,
            levels,
        })
    }

    /// Every PE work item, levels walked depth first, steps in schedule order, units in order.
    pub fn work(&self) -> Vec<Work> {
        let whole: LoopBox = self.bounds.iter().map(|(&d, &n)| (d, 0..n)).collect();
        let mut out = Vec::new();
        self.walk_level(0, &whole, 0, &mut out);
        out
    }

    fn walk_level(&self, depth: usize, region: &LoopBox, first_pe: u64, out: &mut Vec<Work>) {
        let level = &self.levels[depth];
        // The tiles of each loop over this region, listed.
        let tiles: Vec<Vec<Range<u64>>> = level
            .loops
            .iter()
            .map(|l| {
                let range = region[&l.dim].clone();
                let step = l.size.min(range.end - range.start).max(1);
                let mut list = Vec::new();
                let mut start = range.start;
                while start < range.end {
                    list.push(start..(start + step).min(range.end));
                    start += step;
                }
                list
            })
            .collect();
        // The spatial product, row-major, first spatial loop outermost.
        let spatial: Vec<usize> = (0..level.loops.len())
            .filter(|&i| level.loops[i].spatial)
            .collect();
        let mut combos: Vec<Vec<Range<u64>>> = vec![vec![]];
        for &i in &spatial {
            combos = combos
                .into_iter()
                .flat_map(|prefix| {
                    tiles[i].iter().map(move |t| {
                        let mut c = prefix.clone();
                        c.push(t.clone());
                        c
                    })
                })
                .collect();
        }
        let folds = (combos.len() as u64).div_ceil(level.units.max(1));
        // The schedule: temporal loops, and the fold loop at the first spatial loop's place.
        enum Axis {
            Temporal(usize),
            Folds,
        }
        let mut axes = Vec::new();
        for (i, l) in level.loops.iter().enumerate() {
            if !l.spatial {
                axes.push(Axis::Temporal(i));
            } else if spatial.first() == Some(&i) {
                axes.push(Axis::Folds);
            }
        }
        let counts: Vec<u64> = axes
            .iter()
            .map(|a| match a {
                Axis::Temporal(i) => tiles[*i].len() as u64,
                Axis::Folds => folds,
            })
            .collect();
        let innermost = depth + 1 == self.levels.len();
        let mut visit_step = |indices: &[u64]| {
            let mut base = region.clone();
            let mut fold = 0;
            for (axis, &index) in axes.iter().zip(indices) {
                match axis {
                    Axis::Temporal(i) => {
                        base.insert(level.loops[*i].dim, tiles[*i][index as usize].clone());
                    }
                    Axis::Folds => fold = index,
                }
            }
            let units = if spatial.is_empty() { 1 } else { level.units };
            for unit in 0..units {
                let joint = fold * level.units + unit;
                let Some(combo) = combos.get(joint as usize) else {
                    continue;
                };
                let mut unit_region = base.clone();
                for (k, &i) in spatial.iter().enumerate() {
                    unit_region.insert(level.loops[i].dim, combo[k].clone());
                }
                let pe = first_pe + unit * level.pes_per_unit;
                if innermost {
                    out.push(Work {
                        pe,
                        region: unit_region,
                    });
                } else {
                    self.walk_level(depth + 1, &unit_region, pe, out);
                }
            }
        };
        odometer(&counts, &mut Vec::new(), &mut visit_step);
    }

    /// The elements of `tensor` that the MACs of `region` touch, one MAC at a time.
    pub fn footprint(&self, tensor: Tensor, region: &LoopBox) -> BTreeSet<Element> {
        let mut elements = BTreeSet::new();
        let dims: Vec<Dim> = region.keys().copied().collect();
        let mut point = BTreeMap::new();
        each_point(region, &dims, &mut point, &mut |p| {
            elements.insert(self.element(tensor, p));
        });
        elements
    }

    /// The MACs of `region`.
    pub fn macs(region: &LoopBox) -> u64 {
        region.values().map(|r| r.end - r.start).product()
    }

    fn element(&self, tensor: Tensor, p: &BTreeMap<Dim, u64>) -> Element {
        use Dim::*;
        let at = |d: Dim| p.get(&d).copied().unwrap_or(0);
        let row = at(OutY) * self.stride.0 + at(R);
        let col = at(OutX) * self.stride.1 + at(S);
        match (self.layer_type, tensor) {
            (LayerType::Gemm, Tensor::Input) => vec![at(M), at(K)],
            (LayerType::Gemm, Tensor::Weight) => vec![at(K), at(N)],
            (LayerType::Gemm, Tensor::Output) => vec![at(M), at(N)],
            (LayerType::DepthwiseConv, Tensor::Input) => vec![at(N), at(C), row, col],
            (LayerType::DepthwiseConv, Tensor::Weight) => vec![at(C), at(K), at(R), at(S)],
            (LayerType::DepthwiseConv, Tensor::Output) => {
                vec![at(N), at(C), at(K), at(OutY), at(OutX)]
            }
            (LayerType::GroupedConv, Tensor::Input) => vec![at(N), at(G), at(C), row, col],
            (LayerType::GroupedConv, Tensor::Weight) => vec![at(G), at(K), at(C), at(R), at(S)],
            (LayerType::GroupedConv, Tensor::Output) => {
                vec![at(N), at(G), at(K), at(OutY), at(OutX)]
            }
            (_, Tensor::Input) => vec![at(N), at(C), row, col],
            (_, Tensor::Weight) => vec![at(K), at(C), at(R), at(S)],
            (_, Tensor::Output) => vec![at(N), at(K), at(OutY), at(OutX)],
        }
    }
}

fn odometer(counts: &[u64], prefix: &mut Vec<u64>, visit: &mut dyn FnMut(&[u64])) {
    if prefix.len() == counts.len() {
        visit(prefix);
        return;
    }
    for index in 0..counts[prefix.len()] {
        prefix.push(index);
        odometer(counts, prefix, visit);
        prefix.pop();
    }
}

fn each_point(
    region: &LoopBox,
    dims: &[Dim],
    point: &mut BTreeMap<Dim, u64>,
    visit: &mut dyn FnMut(&BTreeMap<Dim, u64>),
) {
    let Some((&dim, rest)) = dims.split_first() else {
        visit(point);
        return;
    };
    for index in region[&dim].clone() {
        point.insert(dim, index);
        each_point(region, rest, point, visit);
    }
}

/// Per tensor, the elements each PE receives into its L1 over the layer: per work item, what its
/// footprint has that the PE's previous work item's footprint (whenever that was) did not.
pub fn l1_deliveries(oracle: &Oracle, work: &[Work], tensor: Tensor) -> u64 {
    let mut held: BTreeMap<u64, BTreeSet<Element>> = BTreeMap::new();
    let mut delivered = 0u64;
    for item in work {
        let now = oracle.footprint(tensor, &item.region);
        let before = held.entry(item.pe).or_default();
        delivered += now.difference(before).count() as u64;
        *before = now;
    }
    delivered
}
