//! Building blocks the hardware models share: a link that serialises what it carries at a bandwidth
//! and delivers it a latency later (one per hop, so hops pipeline), a credit counter that stops a
//! producer when the buffer it feeds is full, and the buffer itself.

use crate::Cycle;
use std::collections::VecDeque;

/// One hop: `bandwidth` elements per cycle, delivery `latency` cycles after the last element left.
/// Transfers that arrive while the link is busy queue behind it in arrival order (FIFO); a cycle
/// left partly free by one transfer serves the next (element slots).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub bandwidth: u64,
    pub latency: Cycle,
    /// The first free element slot (cycle × bandwidth + elements already sent in that cycle).
    free_slot: u128,
    /// Elements carried so far.
    pub carried: u64,
}

/// When a transfer left a link and when it reaches the far end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Departure {
    /// The cycle its first element entered the link.
    pub start: Cycle,
    /// The cycle its last element left the link (start + ⌈elements / bandwidth⌉ when uncontended).
    pub leaves: Cycle,
    /// `leaves + latency`.
    pub arrives: Cycle,
}

impl Link {
    /// A link of `bandwidth` elements per cycle (at least 1) and `latency` cycles.
    pub fn new(bandwidth: u64, latency: Cycle) -> Link {
        Link {
            bandwidth: bandwidth.max(1),
            latency,
            free_slot: 0,
            carried: 0,
        }
    }

    /// Sends `elements` that are ready at `now`.
    pub fn send(&mut self, now: Cycle, elements: u64) -> Departure {
        let bandwidth = u128::from(self.bandwidth);
        let start_slot = (u128::from(now) * bandwidth).max(self.free_slot);
        let end_slot = start_slot + u128::from(elements);
        self.free_slot = end_slot;
        self.carried = self.carried.saturating_add(elements);
        let to_cycle = |slot: u128| Cycle::try_from(slot).unwrap_or(Cycle::MAX);
        let start = to_cycle(start_slot / bandwidth);
        let leaves = to_cycle(end_slot.div_ceil(bandwidth)).max(start.saturating_add(1));
        Departure {
            start,
            leaves,
            arrives: leaves.saturating_add(self.latency),
        }
    }

    /// The first cycle at which a new transfer would start.
    pub fn free_at(&self) -> Cycle {
        Cycle::try_from(self.free_slot / u128::from(self.bandwidth)).unwrap_or(Cycle::MAX)
    }
}

/// The producer's view of a finite buffer downstream: one credit per free entry. A producer sends only
/// with a credit in hand; the buffer returns the credit when the entry leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credits {
    available: u64,
    capacity: u64,
    /// Times a producer wanted to send and held no credit.
    pub stalls: u64,
}

impl Credits {
    pub fn new(capacity: u64) -> Credits {
        Credits {
            available: capacity,
            capacity,
            stalls: 0,
        }
    }

    /// Takes a credit if one is available; counts a stall otherwise.
    pub fn try_take(&mut self) -> bool {
        if self.available == 0 {
            self.stalls += 1;
            return false;
        }
        self.available -= 1;
        true
    }

    /// A credit comes back. More credits than entries would be a model error: it is ignored.
    pub fn give_back(&mut self) {
        self.available = (self.available + 1).min(self.capacity);
    }

    pub fn available(&self) -> u64 {
        self.available
    }
}

/// A first-in first-out buffer of `capacity` entries that refuses an entry when full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundedFifo<T> {
    entries: VecDeque<T>,
    capacity: usize,
    /// The most entries held at once.
    pub peak: usize,
}

impl<T> BoundedFifo<T> {
    pub fn new(capacity: usize) -> BoundedFifo<T> {
        BoundedFifo {
            entries: VecDeque::new(),
            capacity,
            peak: 0,
        }
    }

    /// Adds `item`, or gives it back when the buffer is full.
    pub fn push(&mut self, item: T) -> Result<(), T> {
        if self.entries.len() >= self.capacity {
            return Err(item);
        }
        self.entries.push_back(item);
        self.peak = self.peak.max(self.entries.len());
        Ok(())
    }

    pub fn pop(&mut self) -> Option<T> {
        self.entries.pop_front()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn is_full(&self) -> bool {
        self.entries.len() >= self.capacity
    }
}
