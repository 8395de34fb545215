//! The deterministic event queue: events are keyed by (cycle, insertion sequence), so events of the same
//! cycle come out in the order they were inserted.

use maestro_ir::Cycles;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A min-priority queue over (cycle, sequence). Ties in cycle are broken by insertion order (FIFO).
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<(Cycles, u64, usize)>>,
    payloads: Vec<Option<E>>,
    next_sequence: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            payloads: Vec::new(),
            next_sequence: 0,
        }
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Schedules `event` at `cycle`.
    pub fn push(&mut self, cycle: Cycles, event: E) {
        let slot = self.payloads.len();
        self.payloads.push(Some(event));
        self.heap.push(Reverse((cycle, self.next_sequence, slot)));
        self.next_sequence += 1;
    }

    /// The earliest event; among equal cycles, the first inserted.
    pub fn pop(&mut self) -> Option<(Cycles, E)> {
        let Reverse((cycle, _, slot)) = self.heap.pop()?;
        let event = self.payloads[slot].take()?;
        if self.heap.is_empty() {
            // Every payload has been taken: reuse the storage for the next batch.
            self.payloads.clear();
        }
        Some((cycle, event))
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_cycles_come_out_in_insertion_order() {
        let mut queue = EventQueue::new();
        queue.push(Cycles(5), "late");
        queue.push(Cycles(2), "first");
        queue.push(Cycles(2), "second");
        queue.push(Cycles(2), "third");
        let order: Vec<_> = std::iter::from_fn(|| queue.pop()).map(|(_, e)| e).collect();
        assert_eq!(order, ["first", "second", "third", "late"]);
    }
}
