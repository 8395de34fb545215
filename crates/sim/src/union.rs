//! Sizes of unions of missing element sets (`current \ held` per unit) without per-element state:
//! every axis is cut at the run boundaries of all footprints involved, and the resulting cells (each
//! entirely inside or outside every footprint) are counted once if some unit misses them.

use crate::footprint::{AxisRuns, Footprint};
use maestro_ir::expansion::MAX_TENSOR_AXES;

/// Reusable buffers for union counting.
#[derive(Debug, Default)]
pub struct UnionCounter {
    cuts: [Vec<u64>; MAX_TENSOR_AXES],
    /// Per footprint (current, held alternately per unit) and axis: which elementary intervals it covers.
    inside: Vec<[Vec<bool>; MAX_TENSOR_AXES]>,
}

fn contains(runs: &AxisRuns, index: u64) -> bool {
    if runs.windows == 0 || index < runs.first {
        return false;
    }
    let offset = index - runs.first;
    if runs.pitch == 0 {
        return offset < runs.width;
    }
    offset / runs.pitch < runs.windows && offset % runs.pitch < runs.width
}

impl UnionCounter {
    /// `|⋃ (current \ held)|` over `units`, pairs of footprints of one tensor.
    pub fn missing_union(&mut self, units: &[(&Footprint, &Footprint)]) -> u64 {
        let Some(rank) = units.iter().map(|(current, _)| current.rank).max() else {
            return 0;
        };
        let rank = usize::from(rank);
        if rank == 0 {
            return 0;
        }
        for (axis, cuts) in self.cuts.iter_mut().enumerate().take(rank) {
            cuts.clear();
            for footprint in units.iter().flat_map(|(current, held)| [*current, *held]) {
                if usize::from(footprint.rank) != rank {
                    continue;
                }
                let runs = &footprint.axes[axis];
                for i in 0..runs.windows {
                    let start = runs.first + i * runs.pitch;
                    cuts.push(start);
                    cuts.push(start + runs.width);
                }
            }
            cuts.sort_unstable();
            cuts.dedup();
        }
        if self.cuts[..rank].iter().any(|cuts| cuts.len() < 2) {
            return 0;
        }
        let footprints = units.len() * 2;
        if self.inside.len() < footprints {
            self.inside.resize_with(footprints, Default::default);
        }
        for (slot, footprint) in units
            .iter()
            .flat_map(|(current, held)| [*current, *held])
            .enumerate()
        {
            for axis in 0..rank {
                let inside = &mut self.inside[slot][axis];
                inside.clear();
                let cuts = &self.cuts[axis];
                if usize::from(footprint.rank) != rank {
                    inside.resize(cuts.len() - 1, false);
                    continue;
                }
                let runs = &footprint.axes[axis];
                inside.extend(
                    cuts[..cuts.len() - 1]
                        .iter()
                        .map(|&cut| contains(runs, cut)),
                );
            }
        }
        // Odometer over the cells.
        let mut cell = [0usize; MAX_TENSOR_AXES];
        let mut total = 0u64;
        loop {
            let missed = (0..units.len()).any(|unit| {
                let current = &self.inside[2 * unit];
                let held = &self.inside[2 * unit + 1];
                (0..rank).all(|axis| current[axis][cell[axis]])
                    && !(0..rank).all(|axis| held[axis][cell[axis]])
            });
            if missed {
                let volume = (0..rank).fold(1u64, |volume, axis| {
                    let cuts = &self.cuts[axis];
                    volume.saturating_mul(cuts[cell[axis] + 1] - cuts[cell[axis]])
                });
                total = total.saturating_add(volume);
            }
            let mut axis = 0;
            loop {
                if axis == rank {
                    return total;
                }
                cell[axis] += 1;
                if cell[axis] + 1 < self.cuts[axis].len() {
                    break;
                }
                cell[axis] = 0;
                axis += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn footprint(axes: &[AxisRuns]) -> Footprint {
        let mut footprint = Footprint::EMPTY;
        footprint.axes[..axes.len()].copy_from_slice(axes);
        footprint.rank = axes.len() as u8;
        footprint
    }

    fn members(runs: &AxisRuns) -> Vec<u64> {
        (0..runs.windows)
            .flat_map(|i| {
                let start = runs.first + i * runs.pitch;
                start..start + runs.width
            })
            .collect()
    }

    fn elements(footprint: &Footprint) -> BTreeSet<(u64, u64)> {
        if footprint.rank == 0 {
            return BTreeSet::new();
        }
        let ys = members(&footprint.axes[0]);
        let xs = members(&footprint.axes[1]);
        ys.iter()
            .flat_map(|&y| xs.iter().map(move |&x| (y, x)))
            .collect()
    }

    fn runs() -> impl Strategy<Value = AxisRuns> {
        (0u64..6, 1u64..4, 1u64..3, 0u64..3).prop_map(|(first, windows, width, extra)| {
            if windows == 1 {
                AxisRuns {
                    first,
                    windows,
                    width,
                    pitch: 0,
                }
            } else {
                AxisRuns {
                    first,
                    windows,
                    width,
                    pitch: width + extra,
                }
            }
        })
    }

    #[test]
    fn sliding_windows_share_their_overlap() {
        // Three 3-wide windows at columns 0, 1, 2 of one row, nothing held: columns 0..5.
        let window = |x: u64| {
            footprint(&[
                AxisRuns {
                    first: 0,
                    windows: 1,
                    width: 1,
                    pitch: 0,
                },
                AxisRuns {
                    first: x,
                    windows: 1,
                    width: 3,
                    pitch: 0,
                },
            ])
        };
        let (a, b, c) = (window(0), window(1), window(2));
        let units = [
            (&a, &Footprint::EMPTY),
            (&b, &Footprint::EMPTY),
            (&c, &Footprint::EMPTY),
        ];
        assert_eq!(UnionCounter::default().missing_union(&units), 5);
        // Each held its own window one step before, shifted left by one: each misses one column.
        let (pa, pb, pc) = (window(0), window(0), window(1));
        let units = [(&a, &pa), (&b, &pb), (&c, &pc)];
        assert_eq!(UnionCounter::default().missing_union(&units), 2);
    }

    proptest! {
        #[test]
        fn counts_like_element_sets(
            boxes in proptest::collection::vec((runs(), runs(), runs(), runs(), any::<bool>()), 1..4)
        ) {
            let footprints: Vec<(Footprint, Footprint)> = boxes
                .iter()
                .map(|(y, x, hy, hx, holds)| {
                    let held = if *holds { footprint(&[*hy, *hx]) } else { Footprint::EMPTY };
                    (footprint(&[*y, *x]), held)
                })
                .collect();
            let units: Vec<(&Footprint, &Footprint)> =
                footprints.iter().map(|(current, held)| (current, held)).collect();
            let expected: BTreeSet<(u64, u64)> = footprints
                .iter()
                .flat_map(|(current, held)| {
                    let held = elements(held);
                    elements(current).into_iter().filter(move |e| !held.contains(e))
                })
                .collect();
            prop_assert_eq!(
                UnionCounter::default().missing_union(&units),
                expected.len() as u64
            );
        }
    }
}
