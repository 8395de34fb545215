//! The Pareto front of points with two costs to minimise.

/// Indices of the points not dominated by another (no other point is at most as large in both costs
/// and smaller in one), sorted by the first cost, then the second, then index. Of points with equal
/// costs the first is kept. Points with a non-finite cost are never on the front.
pub fn pareto_front(costs: &[(f64, f64)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..costs.len())
        .filter(|&index| costs[index].0.is_finite() && costs[index].1.is_finite())
        .collect();
    order.sort_by(|&a, &b| {
        costs[a]
            .0
            .total_cmp(&costs[b].0)
            .then(costs[a].1.total_cmp(&costs[b].1))
            .then(a.cmp(&b))
    });
    let mut front = Vec::new();
    let mut best_second = f64::INFINITY;
    for index in order {
        // Sorted by the first cost, a point is on the front exactly when its second cost beats
        // every point before it.
        if costs[index].1 < best_second {
            best_second = costs[index].1;
            front.push(index);
        }
    }
    front
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dominated_and_duplicate_points_are_left_out() {
        let costs = [
            (1.0, 5.0),
            (2.0, 3.0),
            (2.0, 4.0),
            (3.0, 3.0),
            (4.0, 1.0),
            (1.0, 5.0),
        ];
        assert_eq!(pareto_front(&costs), [0, 1, 4]);
        assert_eq!(pareto_front(&[(f64::NAN, 0.0), (1.0, 1.0)]), [1]);
        assert!(pareto_front(&[]).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn the_front_is_exactly_the_undominated_points(
            costs in proptest::collection::vec((0u8..20, 0u8..20), 0..40)
        ) {
            let costs: Vec<(f64, f64)> = costs.into_iter().map(|(a, b)| (a as f64, b as f64)).collect();
            let front = pareto_front(&costs);
            for (index, &(a, b)) in costs.iter().enumerate() {
                let dominated = costs.iter().any(|&(c, d)| c <= a && d <= b && (c < a || d < b));
                let earlier_twin = costs[..index].iter().any(|&(c, d)| c == a && d == b);
                prop_assert_eq!(front.contains(&index), !dominated && !earlier_twin);
            }
        }
    }
}
