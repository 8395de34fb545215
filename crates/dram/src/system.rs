//! The memory system seen from outside: requests in (address, read or write, arrival cycle, tag),
//! time advanced on demand, completions out with their tags and cycles. Cycles in which nothing can
//! happen are skipped, so idle stretches cost nothing.

use crate::config::DramConfig;
use crate::controller::{Channel, Transaction};
use crate::energy::EnergyPerCommand;
use crate::error::ConfigError;
use crate::mapping::AddressMapping;
use crate::stats::{ChannelStats, DramReport};
use std::collections::VecDeque;

/// The latest arrival cycle accepted (later ones are clamped), so that no cycle arithmetic overflows:
/// 2^60 cycles are 36 years at 1 GHz.
pub const MAX_ARRIVAL: u64 = 1 << 60;

/// Read or write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum RequestKind {
    Read,
    Write,
}

/// A request of one burst (`request_bytes`) at a byte address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub address: u64,
    pub kind: RequestKind,
    /// The DRAM cycle from which the request may enter the controller.
    pub arrival: u64,
    /// The caller's identifier, returned with the completion.
    pub tag: u64,
}

/// A finished request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completion {
    pub tag: u64,
    pub address: u64,
    pub kind: RequestKind,
    pub arrival: u64,
    /// The cycle the controller accepted it into its read queue or write buffer.
    pub accepted: u64,
    /// The cycle its data was fully returned (reads) or it was posted (writes, one cycle after
    /// acceptance).
    pub finished: u64,
}

/// A DRAM system: one controller per channel, sharing a clock.
#[derive(Debug)]
pub struct MemorySystem {
    config: DramConfig,
    mapping: AddressMapping,
    channels: Vec<Channel>,
    /// Cycles actually simulated (the others were skipped as idle).
    ticks: u64,
    /// Per channel: the cycle before which it cannot change (0: it must tick).
    asleep_until: Vec<u64>,
    clock: u64,
    /// Submitted requests not yet accepted, in submission order; the head enters first (at most one
    /// per cycle, as a trace-driven front end offers them).
    waiting: VecDeque<Request>,
    keep_completions: bool,
    completed: Vec<Completion>,
    energy: EnergyPerCommand,
}

impl MemorySystem {
    /// Checks the configuration and builds the system at cycle 0.
    pub fn new(config: &DramConfig) -> Result<MemorySystem, ConfigError> {
        let derived = config.derive()?;
        let channels: Vec<Channel> = (0..config.structure.channels)
            .map(|_| Channel::new(config, &derived))
            .collect();
        Ok(MemorySystem {
            config: config.clone(),
            mapping: derived.mapping.clone(),
            asleep_until: vec![0; channels.len()],
            ticks: 0,
            channels,
            clock: 0,
            waiting: VecDeque::new(),
            keep_completions: true,
            completed: Vec::new(),
            energy: EnergyPerCommand::new(config),
        })
    }

    /// Whether completions are kept for [`MemorySystem::take_completions`] (default) or only
    /// counted in the statistics (for long trace runs in bounded memory).
    pub fn keep_completions(&mut self, keep: bool) {
        self.keep_completions = keep;
    }

    pub fn config(&self) -> &DramConfig {
        &self.config
    }

    pub fn mapping(&self) -> &AddressMapping {
        &self.mapping
    }

    /// Cycles simulated one by one so far; the others were skipped as idle.
    pub fn stepped_cycles(&self) -> u64 {
        self.ticks
    }

    /// The current cycle: every cycle before it has been simulated.
    pub fn now(&self) -> u64 {
        self.clock
    }

    /// Queues a request; it enters its channel's controller at or after its arrival cycle, when the
    /// controller has room, behind the requests submitted before it.
    pub fn submit(&mut self, mut request: Request) {
        request.arrival = request.arrival.min(MAX_ARRIVAL);
        self.waiting.push_back(request);
    }

    /// Requests submitted and not yet accepted by a controller.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// Every submitted request has completed and been reported. Posted writes may still sit in a
    /// write buffer ([`MemorySystem::buffered_writes`]).
    pub fn is_idle(&self) -> bool {
        self.waiting.is_empty() && self.channels.iter().all(Channel::all_completed)
    }

    /// Writes reported complete (posted) but not yet written to the DRAM: a write buffer at or below
    /// its low watermark waits for more writes before it drains, as in DRAMsim3.
    pub fn buffered_writes(&self) -> usize {
        self.channels.iter().map(Channel::buffered_writes).sum()
    }

    /// Completions reported since the last call, in completion order per channel.
    pub fn take_completions(&mut self) -> Vec<Completion> {
        std::mem::take(&mut self.completed)
    }

    /// Simulates every cycle before `cycle`.
    pub fn advance_to(&mut self, cycle: u64) {
        while self.clock < cycle {
            if !self.tick() {
                self.skip_idle(cycle);
            }
        }
    }

    /// Simulates one cycle; returns whether anything changed besides the clock.
    pub(crate) fn tick(&mut self) -> bool {
        self.ticks += 1;
        let now = self.clock;
        let keep = self.keep_completions;
        let mut progress = false;
        for (channel, asleep_until) in self.channels.iter_mut().zip(&mut self.asleep_until) {
            let completed = &mut self.completed;
            channel.deliver(now, |c| {
                if keep {
                    completed.push(c);
                }
            });
            // A channel whose last cycle changed nothing stays as it is until its wake cycle.
            if *asleep_until > now {
                continue;
            }
            channel.set_clock(now);
            if channel.tick() {
                progress = true;
                *asleep_until = 0;
            } else {
                *asleep_until = channel.next_wake().unwrap_or(u64::MAX);
            }
        }
        self.clock = now + 1;
        if let Some(head) = self.waiting.front().copied() {
            if head.arrival <= now {
                let channel = self.mapping.decode(head.address).channel as usize;
                let is_write = head.kind == RequestKind::Write;
                if self.channels[channel].will_accept(is_write) {
                    self.waiting.pop_front();
                    self.channels[channel].set_clock(self.clock);
                    self.asleep_until[channel] = 0;
                    self.channels[channel].add(Transaction {
                        address: head.address,
                        is_write,
                        arrival: head.arrival,
                        accepted: self.clock,
                        tag: head.tag,
                    });
                    progress = true;
                }
            }
        }
        progress
    }

    /// After a cycle in which nothing changed, moves the clock (no further than `limit`) to the
    /// first cycle at which something can: an arrival, an expiring timing constraint, a refresh
    /// falling due, a completion to report.
    pub(crate) fn skip_idle(&mut self, limit: u64) {
        // Refreshes of quiescent channels are applied in bulk up to the next arrival, the next
        // event of any other channel, or the limit.
        let mut target = self
            .waiting
            .front()
            .map_or(limit, |head| head.arrival.min(limit));
        for (channel, &asleep_until) in self.channels.iter().zip(&self.asleep_until) {
            if !channel.is_quiescent() {
                target = target.min(asleep_until);
            }
        }
        for (channel, asleep_until) in self.channels.iter_mut().zip(&mut self.asleep_until) {
            if target != u64::MAX && target > self.clock && *asleep_until != 0 {
                // Asleep: nothing changes in it before its wake cycle but refreshes.
                channel.set_clock(self.clock);
                if channel.fast_forward_refreshes(target) {
                    *asleep_until = channel.next_wake().unwrap_or(u64::MAX);
                }
            }
        }
        let mut wake = limit;
        if let Some(head) = self.waiting.front() {
            if head.arrival >= self.clock {
                wake = wake.min(head.arrival);
            } else {
                // The head is blocked by a full queue, which only a controller's progress frees.
            }
        }
        for (channel, &asleep_until) in self.channels.iter().zip(&self.asleep_until) {
            wake = wake.min(asleep_until.max(self.clock));
            if let Some(cycle) = channel.next_completion() {
                wake = wake.min(cycle.max(self.clock));
            }
        }
        if wake > self.clock {
            self.clock = wake;
        }
    }

    /// Statistics per channel.
    pub fn channel_stats(&self) -> impl Iterator<Item = &ChannelStats> {
        self.channels.iter().map(|c| &c.stats)
    }

    /// The report over all channels for the cycles simulated so far.
    pub fn report(&self) -> DramReport {
        let stats: Vec<ChannelStats> = self.channels.iter().map(|c| c.stats.clone()).collect();
        DramReport::new(
            &self.config.name,
            self.config.structure.channels,
            self.config.timing.tck_ns,
            self.config.request_bytes(),
            self.config.peak_bandwidth_gbps(),
            self.clock,
            self.energy,
            &stats,
        )
    }
}
