//! The event queue: a binary heap keyed by `(cycle, sequence)`. The sequence number is the order of
//! scheduling, so events at one cycle leave in the order they were put in (FIFO), whatever the heap
//! does with equal cycles.

use crate::Cycle;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One scheduled item.
#[derive(Debug)]
struct Entry<T> {
    cycle: Cycle,
    sequence: u64,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.cycle, self.sequence) == (other.cycle, other.sequence)
    }
}

impl<T> Eq for Entry<T> {}

impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.cycle, self.sequence).cmp(&(other.cycle, other.sequence))
    }
}

/// Items ordered by cycle, then by the order they were pushed.
#[derive(Debug)]
pub struct EventQueue<T> {
    heap: BinaryHeap<Reverse<Entry<T>>>,
    next_sequence: u64,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_sequence: 0,
        }
    }
}

impl<T> EventQueue<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Schedules `item` at `cycle`.
    pub fn push(&mut self, cycle: Cycle, item: T) {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.heap.push(Reverse(Entry {
            cycle,
            sequence,
            item,
        }));
    }

    /// The cycle of the earliest item.
    pub fn peek_cycle(&self) -> Option<Cycle> {
        self.heap.peek().map(|Reverse(entry)| entry.cycle)
    }

    /// Removes the earliest item (the first pushed among those at the earliest cycle).
    pub fn pop(&mut self) -> Option<(Cycle, T)> {
        self.heap
            .pop()
            .map(|Reverse(entry)| (entry.cycle, entry.item))
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}
