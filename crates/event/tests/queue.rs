//! The queue's order is a stable sort by cycle: earlier cycles first, and at one cycle the order of
//! pushing, however pushes and pops interleave.

use maestro_event::EventQueue;
use proptest::prelude::*;

proptest! {
    #[test]
    fn the_queue_pops_in_cycle_then_push_order(
        batches in prop::collection::vec(prop::collection::vec(0u64..20, 0..30), 1..5)
    ) {
        let mut queue = EventQueue::new();
        let mut pushed: Vec<(u64, usize)> = Vec::new();
        let mut popped = Vec::new();
        for batch in batches {
            for cycle in batch {
                // Never schedule into the past of what was popped, as the kernel never does.
                let cycle = cycle.max(popped.last().map_or(0, |&(c, _)| c));
                queue.push(cycle, pushed.len());
                pushed.push((cycle, pushed.len()));
            }
            // Pop half of what is queued between batches.
            for _ in 0..queue.len() / 2 {
                popped.push(queue.pop().expect("queued"));
            }
        }
        while let Some(item) = queue.pop() {
            popped.push(item);
        }
        // Popped cycles never decrease, and equal cycles keep push order.
        for pair in popped.windows(2) {
            prop_assert!(pair[0].0 < pair[1].0 || (pair[0].0 == pair[1].0 && pair[0].1 < pair[1].1));
        }
        prop_assert_eq!(popped.len(), pushed.len());
    }
}
