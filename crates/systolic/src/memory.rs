//! The SRAM buffers between DRAM and the array edges: double-buffered read buffers that refill from
//! DRAM at a given bandwidth (USER mode) and the output buffer that drains to DRAM.
//!
//! A read buffer holds a window over its operand's *fetch stream*: the operand's elements in the order
//! the array first needs them (fold after fold, each fold read along its skewed wavefronts). The buffer
//! is split in an active half, which the feeders read, and a prefetch half. When a feeder asks for an
//! element that is not in the active half, the halves swap: the window slides by the prefetch half, and
//! the array waits until the DRAM port has refilled the half it just freed. Refills are serialised on
//! the port, one after another. The stream is cut into 100 equal sets (SCALE-Sim's granularity), and a
//! window is a run of whole sets; the stream wraps around, so an operand read again by a later fold is
//! fetched again unless it fits in the active half.

use std::collections::VecDeque;

/// Cycles between a request reaching a read buffer and the data leaving it (a hit).
pub const HIT_LATENCY: i64 = 1;

/// One operand's fetch stream, cut into sets, with the sets each address appears in.
#[derive(Debug, Default)]
pub struct FetchStream {
    /// The sets each address appears in, ascending: `sets_of[starts[a]..starts[a + 1]]` for a dense
    /// address range, or (address, set) pairs sorted by address when addresses are sparse.
    index: SetIndex,
    /// Number of sets, the last one possibly partial (or empty).
    sets: u32,
    /// Valid (non-null) elements in the stream.
    elements: u64,
}

#[derive(Debug)]
enum SetIndex {
    Dense { starts: Vec<u32>, sets_of: Vec<u32> },
    Sparse(Vec<(u64, u32)>),
}

impl Default for SetIndex {
    fn default() -> Self {
        SetIndex::Sparse(Vec::new())
    }
}

impl FetchStream {
    /// Builds a stream from its elements in order (`None`: a null slot that is not fetched).
    pub fn new(elements: impl Iterator<Item = Option<u64>>, set_size: u64) -> FetchStream {
        let set_size = set_size.max(1);
        let mut pairs = Vec::new();
        let mut count: u64 = 0;
        for address in elements.flatten() {
            let set = u32::try_from(count / set_size).unwrap_or(u32::MAX);
            pairs.push((address, set));
            count += 1;
        }
        let sets = u32::try_from(count / set_size + 1).unwrap_or(u32::MAX);
        let max_address = pairs.iter().map(|&(a, _)| a).max().unwrap_or(0);
        // A dense index when the address range is not much larger than the stream (always, for
        // the operand layouts here, unless strides skip most of the ifmap).
        let dense = max_address < 4 * count + (1 << 20) && max_address < u64::from(u32::MAX);
        let index = if dense {
            let range = max_address as usize + 1;
            // Sets arrive in ascending order per address: keep each (address, set) once.
            let mut last = vec![u32::MAX; range];
            let mut counts = vec![0u32; range + 1];
            for &(address, set) in &pairs {
                let a = address as usize;
                if last[a] != set {
                    last[a] = set;
                    counts[a + 1] += 1;
                }
            }
            for i in 1..counts.len() {
                counts[i] += counts[i - 1];
            }
            let starts = counts;
            let mut fill = starts.clone();
            let mut sets_of = vec![0u32; starts[range] as usize];
            last.fill(u32::MAX);
            for &(address, set) in &pairs {
                let a = address as usize;
                if last[a] != set {
                    last[a] = set;
                    sets_of[fill[a] as usize] = set;
                    fill[a] += 1;
                }
            }
            SetIndex::Dense { starts, sets_of }
        } else {
            pairs.sort_unstable();
            pairs.dedup();
            SetIndex::Sparse(pairs)
        };
        FetchStream {
            index,
            sets,
            elements: count,
        }
    }

    pub fn elements(&self) -> u64 {
        self.elements
    }

    /// The sets `address` appears in, ascending.
    fn sets_of(&self, address: u64) -> SetsOf<'_> {
        match &self.index {
            SetIndex::Dense { starts, sets_of } => {
                let a = address as usize;
                if a + 1 >= starts.len() {
                    return SetsOf::Dense(&[]);
                }
                SetsOf::Dense(&sets_of[starts[a] as usize..starts[a + 1] as usize])
            }
            SetIndex::Sparse(pairs) => {
                let from = pairs.partition_point(|&(a, _)| a < address);
                let to = pairs.partition_point(|&(a, _)| a <= address);
                SetsOf::Sparse(&pairs[from..to])
            }
        }
    }

    /// Whether `address` appears in any set of `[start, end)` (wrapping when `start >= end`).
    fn in_window(&self, address: u64, start: u32, end: u32) -> bool {
        let sets = self.sets_of(address);
        let len = sets.len();
        let first_at_or_after = |set: u32| sets.partition_point(set);
        let i = first_at_or_after(start);
        if start < end {
            i < len && sets.get(i) < end
        } else {
            // The window wraps: [start, sets) and [0, end).
            i < len || (len > 0 && sets.get(0) < end)
        }
    }
}

/// A view of the ascending sets one address appears in.
enum SetsOf<'a> {
    Dense(&'a [u32]),
    Sparse(&'a [(u64, u32)]),
}

impl SetsOf<'_> {
    fn len(&self) -> usize {
        match self {
            SetsOf::Dense(s) => s.len(),
            SetsOf::Sparse(s) => s.len(),
        }
    }

    fn get(&self, i: usize) -> u32 {
        match self {
            SetsOf::Dense(s) => s[i],
            SetsOf::Sparse(s) => s[i].1,
        }
    }

    /// The first index whose set is at least `set`.
    fn partition_point(&self, set: u32) -> usize {
        match self {
            SetsOf::Dense(s) => s.partition_point(|&x| x < set),
            SetsOf::Sparse(s) => s.partition_point(|&(_, x)| x < set),
        }
    }
}

/// A double-buffered read buffer in USER mode.
#[derive(Debug)]
pub struct ReadBuffer {
    stream: FetchStream,
    active_sets: u32,
    prefetch_sets: u32,
    window: (u32, u32),
    /// Cycles the port needs to refill the prefetch half.
    refill_cycles: i64,
    prefetch_words: u64,
    /// The cycle at which the last refill completed.
    last_refill_done: i64,
    pub dram_reads: u64,
    pub refills: u64,
    /// First and last cycle at which the port delivered data.
    pub dram_first_cycle: i64,
}

impl ReadBuffer {
    pub fn new(stream: FetchStream, capacity_words: u64, words_per_cycle: u64) -> ReadBuffer {
        let active_words = capacity_words.div_ceil(2);
        let prefetch_words = capacity_words - active_words;
        let set_size = capacity_words.div_ceil(100).max(1);
        let sets = stream.sets.max(1);
        let active_sets = u32::try_from(active_words.div_ceil(set_size))
            .unwrap_or(u32::MAX)
            .min(sets);
        let prefetch_sets = u32::try_from(prefetch_words.div_ceil(set_size))
            .unwrap_or(u32::MAX)
            .min(sets - active_sets);
        let bandwidth = words_per_cycle.max(1);
        let initial_lines = active_words
            .div_ceil(bandwidth)
            .min(stream.elements.div_ceil(bandwidth));
        ReadBuffer {
            dram_reads: active_words.min(stream.elements),
            refills: 0,
            dram_first_cycle: -i64::try_from(initial_lines).unwrap_or(i64::MAX),
            stream,
            active_sets,
            prefetch_sets,
            window: (0, active_sets),
            refill_cycles: i64::try_from(prefetch_words.div_ceil(bandwidth)).unwrap_or(i64::MAX),
            prefetch_words,
            last_refill_done: -1,
        }
    }

    /// The set size for a buffer of `capacity_words` (SCALE-Sim cuts a buffer into 100 sets).
    pub fn set_size(capacity_words: u64) -> u64 {
        capacity_words.div_ceil(100).max(1)
    }

    fn hit(&self, address: u64) -> bool {
        self.stream.in_window(address, self.window.0, self.window.1)
    }

    fn swap_halves(&mut self) {
        let sets = self.stream.sets.max(1);
        let start = (self.window.0 + self.prefetch_sets) % sets;
        let end = (start + self.active_sets) % sets;
        self.window = (start, end);
        self.last_refill_done = self.last_refill_done.saturating_add(self.refill_cycles + 1);
        self.dram_reads = self
            .dram_reads
            .saturating_add(self.prefetch_words.min(self.stream.elements));
        self.refills += 1;
    }

    /// Serves the reads of one cycle; returns the cycle at which the last of them is served.
    pub fn serve(&mut self, cycle: i64, addresses: &[u64]) -> i64 {
        let mut served = cycle + HIT_LATENCY;
        for &address in addresses {
            let mut swaps = 0;
            while !self.hit(address) && swaps <= self.stream.sets {
                self.swap_halves();
                served = self.last_refill_done;
                swaps += 1;
            }
        }
        served
    }

    pub fn last_refill_done(&self) -> i64 {
        self.last_refill_done
    }
}

/// The output buffer: outputs fill it; when more than half is used, that half drains to DRAM at the
/// port's bandwidth while the other half keeps filling; a write to a full buffer waits for the drain.
#[derive(Debug)]
pub struct WriteBuffer {
    capacity: i64,
    active: i64,
    drain_words: u64,
    bandwidth: u64,
    free: i64,
    drain_done: i64,
    /// Lines of words waiting to drain (each at most `bandwidth` words), and the partial line.
    lines: VecDeque<u64>,
    partial: u64,
    pub dram_writes: u64,
    pub dram_first_cycle: Option<i64>,
    pub dram_last_cycle: Option<i64>,
}

impl WriteBuffer {
    pub fn new(capacity_words: u64, words_per_cycle: u64) -> WriteBuffer {
        let capacity = i64::try_from(capacity_words).unwrap_or(i64::MAX);
        let active = i64::try_from(capacity_words.div_ceil(2)).unwrap_or(i64::MAX);
        WriteBuffer {
            capacity,
            active,
            drain_words: capacity_words - capacity_words.div_ceil(2),
            bandwidth: words_per_cycle.max(1),
            free: capacity,
            drain_done: 0,
            lines: VecDeque::new(),
            partial: 0,
            dram_writes: 0,
            dram_first_cycle: None,
            dram_last_cycle: None,
        }
    }

    fn store(&mut self) {
        self.free -= 1;
        self.partial += 1;
        if self.partial == self.bandwidth {
            self.lines.push_back(self.partial);
            self.partial = 0;
        }
    }

    /// Drains up to half the buffer starting at `cycle`; returns the cycle of its last word.
    fn drain(&mut self, cycle: i64) -> i64 {
        if self.partial > 0 {
            self.lines.push_back(self.partial);
            self.partial = 0;
        }
        let lines = self.drain_words.div_ceil(self.bandwidth).max(1);
        let mut taken = 0u64;
        let mut words = 0u64;
        while taken < lines {
            let Some(line) = self.lines.pop_front() else {
                break;
            };
            taken += 1;
            // Every line but the last counts as full: the port moves whole lines.
            words = if self.lines.is_empty() || taken == lines {
                words + line
            } else {
                words + self.bandwidth.max(line)
            };
        }
        self.free = self
            .free
            .saturating_add(i64::try_from(words).unwrap_or(i64::MAX));
        self.dram_writes += words;
        let end = cycle + i64::try_from(taken.max(1)).unwrap_or(i64::MAX) - 1;
        self.dram_first_cycle.get_or_insert(cycle);
        // The port may still be busy with an earlier drain that ends later (a final flush starts
        // at the last output, not after the drain in flight): the last DRAM write is the latest end.
        self.dram_last_cycle = Some(self.dram_last_cycle.map_or(end, |last| last.max(end)));
        end
    }

    /// Writes `count` outputs arriving at `cycle`; returns the cycle at which the last is accepted.
    pub fn write(&mut self, cycle: i64, count: u64) -> i64 {
        let mut current = cycle;
        for _ in 0..count {
            self.store();
            if current < self.drain_done {
                if self.free <= 0 {
                    current = self.drain_done;
                }
            } else if self.free < self.active {
                self.drain_done = self.drain(current);
            }
        }
        current
    }

    /// Drains everything left after the last output, starting at `cycle`.
    pub fn flush(&mut self, mut cycle: i64) {
        if self.partial > 0 {
            self.lines.push_back(self.partial);
            self.partial = 0;
        }
        while !self.lines.is_empty() {
            self.drain_done = self.drain(cycle);
            cycle = self.drain_done + 1;
        }
    }

    pub fn capacity(&self) -> i64 {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::FetchStream;

    #[test]
    fn dense_and_sparse_indexes_agree() {
        // The same stream twice: small addresses (dense index) and addresses spread far apart
        // (sparse index); every window answers the same for every address.
        let pattern: Vec<u64> = (0..300u64).map(|i| (i * 7) % 53).collect();
        let dense = FetchStream::new(pattern.iter().map(|&a| Some(a)), 10);
        let sparse = FetchStream::new(pattern.iter().map(|&a| Some(a << 30)), 10);
        assert!(matches!(dense.index, super::SetIndex::Dense { .. }));
        assert!(matches!(sparse.index, super::SetIndex::Sparse(_)));
        for start in 0..dense.sets {
            for end in 0..dense.sets {
                for a in 0..60u64 {
                    assert_eq!(
                        dense.in_window(a, start, end),
                        sparse.in_window(a << 30, start, end)
                    );
                }
            }
        }
    }
}
