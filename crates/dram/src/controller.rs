//! One channel's controller: a read queue and a write buffer of transactions, per-bank (or per-rank)
//! command queues scheduled first-ready first-come-first-served, write draining between a high and a
//! low watermark, all-bank refresh, and the bank state and timing that say when each command may
//! issue. The cycle semantics follow DRAMsim3's JEDEC controller so that the two can be compared.

use crate::config::{Derived, DramConfig, PagePolicy, QueueStructure};
use crate::mapping::AddressMapping;
use crate::stats::ChannelStats;
use crate::system::{Completion, RequestKind};
use crate::timing::{CommandKind, Scope, TimingTable, COMMAND_KINDS};

/// Per issued command kind and scope, the dense gaps (see `TimingTable::dense`).
type DenseGaps = [[[i64; COMMAND_KINDS]; 4]; COMMAND_KINDS];
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

/// A request inside the controller.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Transaction {
    pub address: u64,
    pub is_write: bool,
    pub arrival: u64,
    pub accepted: u64,
    pub tag: u64,
}

/// A transaction in the read queue or write buffer with its command decoded once, on acceptance.
#[derive(Debug, Clone, Copy)]
struct Queued {
    transaction: Transaction,
    command: Command,
}

/// A command in a command queue, or about to issue.
#[derive(Debug, Clone, Copy)]
struct Command {
    kind: CommandKind,
    rank: u32,
    bankgroup: u32,
    bank: u32,
    row: u32,
    column: u32,
    address: u64,
}

/// Why the bank's current row was opened, to tell misses from conflicts at its first access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenCause {
    Miss,
    Conflict,
}

#[derive(Debug, Clone)]
struct Bank {
    open_row: Option<u32>,
    /// Accesses to the open row since it was activated.
    row_hits: u32,
    /// Earliest cycle each command kind may issue to this bank.
    ready: [u64; COMMAND_KINDS],
    /// A precharge was issued to make way for another row.
    closed_for_conflict: bool,
    open_cause: OpenCause,
}

impl Bank {
    fn new() -> Bank {
        Bank {
            open_row: None,
            row_hits: 0,
            ready: [0; COMMAND_KINDS],
            closed_for_conflict: false,
            open_cause: OpenCause::Miss,
        }
    }

    /// The command this bank needs next to serve `kind` on `row`.
    fn required(&self, kind: CommandKind, row: u32) -> CommandKind {
        match (self.open_row, kind) {
            (None, CommandKind::Refresh) => CommandKind::Refresh,
            (None, _) => CommandKind::Activate,
            (Some(_), CommandKind::Refresh) => CommandKind::Precharge,
            (Some(open), _) if open == row => kind,
            (Some(_), _) => CommandKind::Precharge,
        }
    }
}

/// A completion waiting for its cycle, ordered by (cycle, sequence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct PendingCompletion {
    finished: u64,
    sequence: u64,
    index: usize,
}

/// A small deterministic hasher for address keys (addresses are already well spread).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

type AddressMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<AddressHasher>>;

#[derive(Debug)]
pub(crate) struct Channel {
    clock: u64,
    table: TimingTable,
    dense_gaps: Box<DenseGaps>,
    mapping: AddressMapping,
    page_policy: PagePolicy,
    queue_structure: QueueStructure,
    ranks: usize,
    bankgroups: usize,
    banks_per_group: usize,
    banks_per_rank: usize,
    tfaw: u64,
    read_delay: u64,
    refresh_interval: u64,
    /// The next cycle at which a refresh falls due (every multiple of the interval after 0).
    next_refresh: u64,
    staggered_refresh: bool,
    command_queue_size: usize,
    transaction_queue_size: usize,
    write_drain_idle_threshold: usize,
    dual_command_issue: bool,

    banks: Vec<Bank>,
    /// Per rank: end cycles of the activates inside the rolling four-activate window.
    activate_windows: Vec<VecDeque<u64>>,
    command_queues: Vec<Vec<Command>>,
    /// One bit per command queue: set while it holds a command (so scheduling skips empty ones).
    occupied: Vec<u64>,
    queued_commands: usize,
    queue_index: usize,
    /// After a scheduling pass found nothing to issue: no command can issue before this cycle unless
    /// the state changes (0: unknown, scan again). Cleared by every change of state.
    issue_bound: u64,
    /// Per command queue: no command of it can issue before this cycle unless its bank's state or
    /// its contents change (0: unknown). Valid because earliest-issue cycles only ever increase.
    queue_bound: Vec<u64>,
    read_queue: Vec<Queued>,
    write_buffer: Vec<Queued>,
    pending_reads: AddressMap<Vec<Transaction>>,
    pending_writes: AddressMap<Transaction>,
    write_draining: usize,
    /// The last transaction-scheduling pass moved nothing and would again (see
    /// `schedule_transaction`).
    schedule_blocked: bool,
    refresh_queue: VecDeque<usize>,
    /// The rank whose command queues wait for a pending refresh.
    refresh_blocked_rank: Option<usize>,
    next_refresh_rank: usize,

    completions: BinaryHeap<Reverse<PendingCompletion>>,
    completion_slots: Vec<Option<Completion>>,
    free_slots: Vec<usize>,
    sequence: u64,
    pub stats: ChannelStats,
}

impl Channel {
    pub fn new(config: &DramConfig, derived: &Derived) -> Channel {
        let s = &config.structure;
        let ranks = s.ranks as usize;
        let banks_per_rank = derived.banks_per_rank;
        let queues = match config.system.queue_structure {
            QueueStructure::PerBank => ranks * banks_per_rank,
            QueueStructure::PerRank => ranks,
        };
        let command_queue_size = config.system.command_queue_size as usize;
        let transaction_queue_size = config.system.transaction_queue_size as usize;
        let table = TimingTable::new(config, derived);
        let mut dense_gaps = Box::new([[[0; COMMAND_KINDS]; 4]; COMMAND_KINDS]);
        for kind in [
            CommandKind::Read,
            CommandKind::ReadPrecharge,
            CommandKind::Write,
            CommandKind::WritePrecharge,
            CommandKind::Activate,
            CommandKind::Precharge,
            CommandKind::Refresh,
        ] {
            for scope in [
                Scope::SameBank,
                Scope::OtherBanksSameGroup,
                Scope::OtherGroupsSameRank,
                Scope::OtherRanks,
            ] {
                dense_gaps[kind as usize][scope as usize] = table.dense(scope, kind);
            }
        }
        Channel {
            clock: 0,
            table,
            dense_gaps,
            mapping: derived.mapping.clone(),
            page_policy: config.system.page_policy,
            queue_structure: config.system.queue_structure,
            ranks,
            bankgroups: s.bankgroups as usize,
            banks_per_group: s.banks_per_group as usize,
            banks_per_rank,
            tfaw: u64::from(config.timing.tfaw),
            read_delay: derived.read_delay.max(0) as u64,
            refresh_interval: derived.refresh_interval,
            next_refresh: derived.refresh_interval,
            staggered_refresh: matches!(
                config.system.refresh_policy,
                crate::config::RefreshPolicy::RankLevelStaggered
            ),
            command_queue_size,
            transaction_queue_size,
            write_drain_idle_threshold: config.system.write_drain_idle_threshold as usize,
            dual_command_issue: config.system.dual_command_issue && s.protocol.is_hbm(),
            banks: vec![Bank::new(); ranks * banks_per_rank],
            activate_windows: vec![VecDeque::with_capacity(5); ranks],
            command_queues: (0..queues)
                .map(|_| Vec::with_capacity(command_queue_size))
                .collect(),
            occupied: vec![0; queues.div_ceil(64)],
            queued_commands: 0,
            queue_index: 0,
            issue_bound: 0,
            queue_bound: vec![0; queues],
            read_queue: Vec::with_capacity(transaction_queue_size),
            write_buffer: Vec::with_capacity(transaction_queue_size),
            pending_reads: AddressMap::default(),
            pending_writes: AddressMap::default(),
            write_draining: 0,
            schedule_blocked: false,
            refresh_queue: VecDeque::new(),
            refresh_blocked_rank: None,
            next_refresh_rank: 0,
            completions: BinaryHeap::new(),
            completion_slots: Vec::new(),
            free_slots: Vec::new(),
            sequence: 0,
            stats: ChannelStats::default(),
        }
    }

    pub fn set_clock(&mut self, clock: u64) {
        self.clock = clock;
    }

    fn bank_index(&self, rank: u32, bankgroup: u32, bank: u32) -> usize {
        rank as usize * self.banks_per_rank
            + bankgroup as usize * self.banks_per_group
            + bank as usize
    }

    fn queue_of(&self, rank: u32, bankgroup: u32, bank: u32) -> usize {
        match self.queue_structure {
            QueueStructure::PerBank => self.bank_index(rank, bankgroup, bank),
            QueueStructure::PerRank => rank as usize,
        }
    }

    /// Whether a pending refresh holds this queue (the division only when a refresh is pending).
    fn refresh_blocks(&self, queue: usize) -> bool {
        self.refresh_blocked_rank
            .is_some_and(|rank| rank == self.queue_rank(queue))
    }

    fn queue_rank(&self, queue: usize) -> usize {
        match self.queue_structure {
            QueueStructure::PerBank => queue / self.banks_per_rank,
            QueueStructure::PerRank => queue,
        }
    }

    /// Whether a new transaction of this kind fits.
    pub fn will_accept(&self, is_write: bool) -> bool {
        if is_write {
            self.write_buffer.len() < self.transaction_queue_size
        } else {
            self.read_queue.len() < self.transaction_queue_size
        }
    }

    /// Every accepted request has completed and been reported. Posted writes may still sit in the
    /// write buffer: as in DRAMsim3, a buffer at or below the low watermark is not drained until more
    /// writes arrive.
    pub fn all_completed(&self) -> bool {
        self.read_queue.is_empty() && self.pending_reads.is_empty() && self.completions.is_empty()
    }

    /// Writes accepted (and reported complete) but not yet written to the DRAM.
    pub fn buffered_writes(&self) -> usize {
        self.pending_writes.len()
    }

    /// Accepts a transaction at the current clock (the caller checked `will_accept`). Writes are
    /// posted: they complete the next cycle. A read of an address with a pending write is served from
    /// the write buffer; reads of one address merge into one command.
    pub fn add(&mut self, mut transaction: Transaction) {
        transaction.accepted = self.clock;
        self.schedule_blocked = false;
        let address = transaction.address;
        let queued = Queued {
            transaction,
            command: self.to_command(&transaction),
        };
        if transaction.is_write {
            if let std::collections::hash_map::Entry::Vacant(entry) =
                self.pending_writes.entry(address)
            {
                entry.insert(transaction);
                self.write_buffer.push(queued);
            }
            self.complete(transaction, self.clock + 1);
        } else if self.pending_writes.contains_key(&address) {
            self.stats.write_buffer_hits += 1;
            self.complete(transaction, self.clock + 1);
        } else {
            let waiting = self.pending_reads.entry(address).or_default();
            waiting.push(transaction);
            if waiting.len() == 1 {
                self.read_queue.push(queued);
            }
        }
    }

    fn complete(&mut self, transaction: Transaction, finished: u64) {
        let completion = Completion {
            tag: transaction.tag,
            address: transaction.address,
            kind: if transaction.is_write {
                RequestKind::Write
            } else {
                RequestKind::Read
            },
            arrival: transaction.arrival,
            accepted: transaction.accepted,
            finished,
        };
        let index = match self.free_slots.pop() {
            Some(index) => {
                self.completion_slots[index] = Some(completion);
                index
            }
            None => {
                self.completion_slots.push(Some(completion));
                self.completion_slots.len() - 1
            }
        };
        self.completions.push(Reverse(PendingCompletion {
            finished,
            sequence: self.sequence,
            index,
        }));
        self.sequence += 1;
    }

    /// Earliest cycle at which a not-yet-reported completion finishes.
    pub fn next_completion(&self) -> Option<u64> {
        self.completions.peek().map(|Reverse(p)| p.finished)
    }

    /// Reports completions finished by `cycle` (inclusive), counting them in the statistics.
    pub fn deliver(&mut self, cycle: u64, mut sink: impl FnMut(Completion)) {
        while let Some(Reverse(next)) = self.completions.peek().copied() {
            if next.finished > cycle {
                break;
            }
            self.completions.pop();
            let Some(completion) = self.completion_slots[next.index].take() else {
                continue;
            };
            self.free_slots.push(next.index);
            match completion.kind {
                RequestKind::Write => self.stats.writes_done += 1,
                RequestKind::Read => self
                    .stats
                    .record_read_latency(completion.finished - completion.accepted),
            }
            sink(completion);
        }
    }

    /// One controller cycle. Returns whether anything changed besides the clock (if not, nothing
    /// will change until a timing constraint expires, a refresh falls due or a request arrives).
    pub fn tick(&mut self) -> bool {
        let now = self.clock;
        let mut progress = false;
        if now >= self.next_refresh {
            self.next_refresh += self.refresh_interval;
            self.insert_refresh();
            progress = true;
        }
        let mut command = None;
        if let Some(&rank) = self.refresh_queue.front() {
            self.refresh_blocked_rank = Some(rank);
            command = self.refresh_command(rank, now);
            if matches!(command, Some(c) if c.kind == CommandKind::Refresh) {
                self.refresh_blocked_rank = None;
            }
        }
        let from_refresh = command.is_some();
        if command.is_none() {
            command = self.command_to_issue(now, None);
        }
        if let Some(first) = command {
            self.issue(first, now, from_refresh);
            progress = true;
            if self.dual_command_issue {
                let want_read_write = !first.kind.is_read_write();
                if let Some(second) = self.command_to_issue(now, Some(want_read_write)) {
                    self.issue(second, now, false);
                }
            }
        }
        progress |= self.schedule_transaction();
        self.clock += 1;
        progress
    }

    fn insert_refresh(&mut self) {
        self.issue_bound = 0;
        if self.staggered_refresh {
            self.refresh_queue.push_back(self.next_refresh_rank);
            self.next_refresh_rank = (self.next_refresh_rank + 1) % self.ranks;
        } else {
            self.refresh_queue.push_back(0);
            for rank in 1..self.ranks {
                self.refresh_queue.push_back(rank);
            }
        }
    }

    /// The refresh if every bank of `rank` is closed and ready, else a precharge of the first open
    /// bank that may close, else nothing.
    fn refresh_command(&self, rank: usize, now: u64) -> Option<Command> {
        let mut ready = 0;
        for group in 0..self.bankgroups {
            for bank in 0..self.banks_per_group {
                let b =
                    &self.banks[rank * self.banks_per_rank + group * self.banks_per_group + bank];
                let required = b.required(CommandKind::Refresh, 0);
                if now < b.ready[required as usize] {
                    continue;
                }
                if required == CommandKind::Precharge {
                    return Some(Command {
                        kind: CommandKind::Precharge,
                        rank: rank as u32,
                        bankgroup: group as u32,
                        bank: bank as u32,
                        row: 0,
                        column: 0,
                        address: 0,
                    });
                }
                ready += 1;
            }
        }
        (ready == self.banks_per_rank).then_some(Command {
            kind: CommandKind::Refresh,
            rank: rank as u32,
            bankgroup: 0,
            bank: 0,
            row: 0,
            column: 0,
            address: 0,
        })
    }

    /// Round-robin over the command queues from the one after the last served; in each, the first
    /// command whose next step may issue now (first ready, first come). `column_only`: for a second
    /// command in the same cycle, only a column (read/write) command, or only a row command.
    fn command_to_issue(&mut self, now: u64, column_only: Option<bool>) -> Option<Command> {
        if now < self.issue_bound {
            return None;
        }
        let mut bound = u64::MAX;
        let found = self.scan_queues(now, column_only, &mut bound);
        // A pass that issues changes the state; one that does not tells when to look again.
        self.issue_bound = if found.is_some() || column_only.is_some() {
            0
        } else {
            bound
        };
        found
    }

    /// The scheduling pass of [`Channel::command_to_issue`]; lowers `bound` to the earliest future
    /// cycle at which a command that cannot issue now might (time-based constraints only).
    fn scan_queues(
        &mut self,
        now: u64,
        column_only: Option<bool>,
        bound: &mut u64,
    ) -> Option<Command> {
        let queues = self.command_queues.len();
        let start = if self.queue_index + 1 == queues {
            0
        } else {
            self.queue_index + 1
        };
        // Visit the occupied queues in the order start .. queues, 0 .. start; empty ones never win.
        let mut from = start;
        let mut end = queues;
        let mut wrapped = false;
        loop {
            let Some(queue) = self.next_occupied(from, end) else {
                if wrapped || start == 0 {
                    return None;
                }
                wrapped = true;
                from = 0;
                end = start;
                continue;
            };
            from = queue + 1;
            if self.refresh_blocks(queue) {
                continue;
            }
            if now < self.queue_bound[queue] {
                *bound = (*bound).min(self.queue_bound[queue]);
                continue;
            }
            let earliest = self.earliest_in_bank_queue(queue, now);
            if earliest > now {
                self.queue_bound[queue] = earliest;
                *bound = (*bound).min(earliest);
                continue;
            }
            let ready = self.first_ready(queue, now);
            if ready.is_none() {
                let next = self.next_ready_in_queue(queue, now);
                self.queue_bound[queue] = next;
                *bound = (*bound).min(next);
            }
            if let Some((position, command)) = ready {
                self.queue_index = queue;
                if let Some(want) = column_only {
                    if command.kind.is_read_write() != want {
                        return None;
                    }
                }
                self.queue_bound[queue] = 0;
                if command.kind.is_read_write() {
                    self.schedule_blocked = false;
                    self.command_queues[queue].remove(position);
                    self.queued_commands -= 1;
                    if self.command_queues[queue].is_empty() {
                        self.occupied[queue / 64] &= !(1u64 << (queue % 64));
                    }
                }
                return Some(command);
            }
        }
    }

    /// The first occupied command queue in `from .. end`.
    fn next_occupied(&self, from: usize, end: usize) -> Option<usize> {
        if from >= end {
            return None;
        }
        let mut word = from / 64;
        let mut bits = self.occupied[word] & (u64::MAX << (from % 64));
        loop {
            if bits != 0 {
                let queue = word * 64 + bits.trailing_zeros() as usize;
                return (queue < end).then_some(queue);
            }
            word += 1;
            if word * 64 >= end {
                return None;
            }
            bits = self.occupied[word];
        }
    }

    /// For a per-bank queue, a lower bound on the cycle its first command may issue: the earliest
    /// of the commands the bank's state allows (an activate if it is closed; a column command or a
    /// precharge if open) that is not already past, or `now` if one is. Per-rank queues: `now`.
    fn earliest_in_bank_queue(&self, queue: usize, now: u64) -> u64 {
        if self.queue_structure == QueueStructure::PerRank {
            return now;
        }
        let bank = &self.banks[queue];
        match bank.open_row {
            None => {
                let mut ready = bank.ready[CommandKind::Activate as usize];
                let rank = queue / self.banks_per_rank;
                let window = &self.activate_windows[rank];
                if window.len() >= 4 {
                    if let Some(&end) = window.front() {
                        ready = ready.max(end);
                    }
                }
                ready
            }
            Some(_) => {
                let kinds: &[CommandKind] = match self.page_policy {
                    PagePolicy::Open => &[
                        CommandKind::Read,
                        CommandKind::Write,
                        CommandKind::Precharge,
                    ],
                    PagePolicy::Closed => &[
                        CommandKind::ReadPrecharge,
                        CommandKind::WritePrecharge,
                        CommandKind::Precharge,
                    ],
                };
                kinds
                    .iter()
                    .map(|&k| bank.ready[k as usize].max(now))
                    .min()
                    .unwrap_or(now)
            }
        }
    }

    /// The earliest cycle after `now` at which a command of `queue` meets its timing (bank and
    /// four-activate window); `u64::MAX` if every command already does and waits on the state.
    fn next_ready_in_queue(&self, queue: usize, now: u64) -> u64 {
        let mut next = u64::MAX;
        for queued in &self.command_queues[queue] {
            let ready = self.command_ready(queued);
            if ready > now {
                next = next.min(ready);
            }
        }
        next
    }

    /// The earliest cycle at which the command `queued` needs next (an activate, a precharge or the
    /// access itself) meets its bank's timing and, for an activate, the rank's four-activate window.
    fn command_ready(&self, queued: &Command) -> u64 {
        let bank = &self.banks[self.bank_index(queued.rank, queued.bankgroup, queued.bank)];
        let required = bank.required(queued.kind, queued.row);
        let mut ready = bank.ready[required as usize];
        if required == CommandKind::Activate {
            let window = &self.activate_windows[queued.rank as usize];
            if window.len() >= 4 {
                if let Some(&end) = window.front() {
                    ready = ready.max(end);
                }
            }
        }
        ready
    }

    fn activate_window_ok(&self, rank: usize, now: u64) -> bool {
        let window = &self.activate_windows[rank];
        !(window.len() >= 4 && window.front().is_some_and(|&end| now < end))
    }

    fn first_ready(&self, queue: usize, now: u64) -> Option<(usize, Command)> {
        let commands = &self.command_queues[queue];
        for (position, queued) in commands.iter().enumerate() {
            let bank = &self.banks[self.bank_index(queued.rank, queued.bankgroup, queued.bank)];
            let required = bank.required(queued.kind, queued.row);
            if now < bank.ready[required as usize] {
                continue;
            }
            let held_back = match required {
                CommandKind::Activate => !self.activate_window_ok(queued.rank as usize, now),
                CommandKind::Precharge => !self.precharge_allowed(commands, position, bank),
                kind if kind.is_write() => Self::write_after_read(commands, position),
                _ => false,
            };
            if held_back {
                continue;
            }
            return Some((
                position,
                Command {
                    kind: required,
                    ..*queued
                },
            ));
        }
        None
    }

    /// A precharge for the command at `position` may issue only if no older command waits for the
    /// same bank, and either no queued command hits the open row or the row has served four hits.
    fn precharge_allowed(&self, commands: &[Command], position: usize, bank: &Bank) -> bool {
        let this = &commands[position];
        let same_bank = |c: &Command| {
            c.rank == this.rank && c.bankgroup == this.bankgroup && c.bank == this.bank
        };
        if commands[..position].iter().any(same_bank) {
            return false;
        }
        let pending_hit = commands[position..]
            .iter()
            .any(|c| same_bank(c) && Some(c.row) == bank.open_row);
        !pending_hit || bank.row_hits >= 4
    }

    /// A write may not pass an older read of the same location.
    fn write_after_read(commands: &[Command], position: usize) -> bool {
        let this = &commands[position];
        commands[..position].iter().any(|c| {
            c.kind.is_read()
                && c.row == this.row
                && c.column == this.column
                && c.bank == this.bank
                && c.bankgroup == this.bankgroup
        })
    }

    fn issue(&mut self, command: Command, now: u64, for_refresh: bool) {
        self.issue_bound = 0;
        let queue = self.queue_of(command.rank, command.bankgroup, command.bank);
        self.queue_bound[queue] = 0;
        let kind = command.kind;
        if kind.is_read() {
            if let Some(waiting) = self.pending_reads.remove(&command.address) {
                for transaction in waiting {
                    self.complete(transaction, now + self.read_delay);
                }
            }
        } else if kind.is_write() {
            self.pending_writes.remove(&command.address);
        }
        let rank = command.rank as usize;
        let index = self.bank_index(command.rank, command.bankgroup, command.bank);
        // Statistics first: a hit is an access to a row that already served one.
        match kind {
            CommandKind::Read
            | CommandKind::ReadPrecharge
            | CommandKind::Write
            | CommandKind::WritePrecharge => {
                let bank = &self.banks[index];
                let hit = bank.row_hits != 0;
                if kind.is_read() {
                    self.stats.read_cmds += 1;
                    self.stats.read_row_hits += u64::from(hit);
                } else {
                    self.stats.write_cmds += 1;
                    self.stats.write_row_hits += u64::from(hit);
                }
                if !hit {
                    match bank.open_cause {
                        OpenCause::Miss => self.stats.row_misses += 1,
                        OpenCause::Conflict => self.stats.row_conflicts += 1,
                    }
                }
            }
            CommandKind::Activate => self.stats.act_cmds += 1,
            CommandKind::Precharge => self.stats.pre_cmds += 1,
            CommandKind::Refresh => self.stats.ref_cmds += 1,
        }
        // State.
        match kind {
            CommandKind::Refresh => {
                if let Some(position) = self.refresh_queue.iter().position(|&r| r == rank) {
                    self.refresh_queue.remove(position);
                }
                let first = rank * self.banks_per_rank;
                for bank in &mut self.banks[first..first + self.banks_per_rank] {
                    bank.closed_for_conflict = false;
                }
            }
            CommandKind::Activate => {
                let bank = &mut self.banks[index];
                bank.open_row = Some(command.row);
                bank.row_hits = 0;
                bank.open_cause = if bank.closed_for_conflict {
                    OpenCause::Conflict
                } else {
                    OpenCause::Miss
                };
                bank.closed_for_conflict = false;
            }
            CommandKind::Read | CommandKind::Write => self.banks[index].row_hits += 1,
            CommandKind::ReadPrecharge | CommandKind::WritePrecharge => {
                let bank = &mut self.banks[index];
                bank.open_row = None;
                bank.row_hits = 0;
                bank.closed_for_conflict = false;
            }
            CommandKind::Precharge => {
                let bank = &mut self.banks[index];
                bank.open_row = None;
                bank.row_hits = 0;
                bank.closed_for_conflict = !for_refresh;
            }
        }
        // Timing.
        if kind == CommandKind::Refresh {
            let first = rank * self.banks_per_rank;
            for bank in &mut self.banks[first..first + self.banks_per_rank] {
                for &(later, gap) in &self.table.refresh_same_rank {
                    raise(&mut bank.ready[later as usize], now, gap);
                }
            }
            return;
        }
        if kind == CommandKind::Activate {
            let window = &mut self.activate_windows[rank];
            if window.front().is_some_and(|&end| now >= end) {
                window.pop_front();
            }
            window.push_back(now + self.tfaw);
        }
        let rank_first = rank * self.banks_per_rank;
        let group_first = rank_first + command.bankgroup as usize * self.banks_per_group;
        let group_end = group_first + self.banks_per_group;
        let rank_end = rank_first + self.banks_per_rank;
        let now_signed = now as i64;
        let apply = |banks: &mut [Bank], gaps: &[i64; COMMAND_KINDS]| {
            for bank in banks {
                for (ready, &gap) in bank.ready.iter_mut().zip(gaps) {
                    let cycle = (now_signed + gap).max(0) as u64;
                    *ready = (*ready).max(cycle);
                }
            }
        };
        let gaps = &self.dense_gaps[kind as usize];
        let other_ranks = &gaps[Scope::OtherRanks as usize];
        let other_groups = &gaps[Scope::OtherGroupsSameRank as usize];
        let same_group = &gaps[Scope::OtherBanksSameGroup as usize];
        let same_bank = &gaps[Scope::SameBank as usize];
        apply(&mut self.banks[..rank_first], other_ranks);
        apply(&mut self.banks[rank_end..], other_ranks);
        apply(&mut self.banks[rank_first..group_first], other_groups);
        apply(&mut self.banks[group_end..rank_end], other_groups);
        apply(&mut self.banks[group_first..index], same_group);
        apply(&mut self.banks[index + 1..group_end], same_group);
        apply(&mut self.banks[index..index + 1], same_bank);
    }

    /// Moves at most one transaction into its command queue: writes while draining, reads otherwise.
    /// Draining starts when the write buffer is full (high watermark) or holds more than the low
    /// watermark while every command queue is empty, and lasts for the writes present at its start.
    fn schedule_transaction(&mut self) -> bool {
        if self.schedule_blocked {
            return false;
        }
        let draining_before = self.write_draining;
        let moved = self.move_one_transaction();
        // A pass that moved nothing and left the draining state as it was repeats itself until a
        // command queue frees a slot or a transaction arrives.
        self.schedule_blocked = !moved && self.write_draining == draining_before;
        moved
    }

    fn move_one_transaction(&mut self) -> bool {
        if self.write_draining == 0
            && (self.write_buffer.len() >= self.transaction_queue_size
                || (self.write_buffer.len() > self.write_drain_idle_threshold
                    && self.queued_commands == 0))
        {
            self.write_draining = self.write_buffer.len();
        }
        let draining = self.write_draining > 0;
        let length = if draining {
            self.write_buffer.len()
        } else {
            self.read_queue.len()
        };
        for position in 0..length {
            let Queued {
                transaction,
                command,
            } = if draining {
                self.write_buffer[position]
            } else {
                self.read_queue[position]
            };
            let queue = self.queue_of(command.rank, command.bankgroup, command.bank);
            if self.command_queues[queue].len() >= self.command_queue_size {
                continue;
            }
            if draining {
                // A write may not overtake a read of the same address still waiting.
                if self.pending_reads.contains_key(&transaction.address) {
                    self.write_draining = 0;
                    return false;
                }
                self.write_draining -= 1;
                self.write_buffer.remove(position);
            } else {
                self.read_queue.remove(position);
            }
            self.command_queues[queue].push(command);
            self.occupied[queue / 64] |= 1u64 << (queue % 64);
            self.issue_bound = 0;
            self.queue_bound[queue] = 0;
            self.queued_commands += 1;
            return true;
        }
        false
    }

    fn to_command(&self, transaction: &Transaction) -> Command {
        let decoded = self.mapping.decode(transaction.address);
        let kind = match (self.page_policy, transaction.is_write) {
            (PagePolicy::Open, false) => CommandKind::Read,
            (PagePolicy::Open, true) => CommandKind::Write,
            (PagePolicy::Closed, false) => CommandKind::ReadPrecharge,
            (PagePolicy::Closed, true) => CommandKind::WritePrecharge,
        };
        Command {
            kind,
            rank: decoded.rank,
            bankgroup: decoded.bankgroup,
            bank: decoded.bank,
            row: decoded.row,
            column: decoded.column,
            address: transaction.address,
        }
    }

    /// Nothing but refreshes can happen until a request arrives (see `fast_forward_refreshes`).
    pub fn is_quiescent(&self) -> bool {
        (self.staggered_refresh || self.ranks == 1)
            && self.queued_commands == 0
            && self.read_queue.is_empty()
            && self.write_buffer.len() <= self.write_drain_idle_threshold
            && self.write_buffer.len() < self.transaction_queue_size
            && self.refresh_queue.is_empty()
            && self.completions.is_empty()
    }

    /// Applies, without stepping, the refreshes due before `target` while the channel is quiescent
    /// (no command or read queued, the write buffer below its low watermark, every bank closed and
    /// ready to refresh): each would issue on its due cycle and only push back its rank's activates
    /// and refreshes by tRFC. A long idle stretch then costs nothing (staggered policy or one rank).
    pub fn fast_forward_refreshes(&mut self, target: u64) -> bool {
        let mut applied = false;
        if !self.is_quiescent() {
            return false;
        }
        let trfc = self
            .table
            .refresh_same_rank
            .first()
            .map_or(0, |&(_, gap)| gap);
        let mut individually = 0;
        while self.next_refresh >= self.clock && self.next_refresh < target {
            if individually == self.ranks {
                // Every rank has been refreshed once in this stretch with its banks closed: the
                // rest follow in closed form (a rank's refreshes are ranks x interval > tRFC apart).
                self.bulk_refreshes(target, trfc);
                return true;
            }
            individually += 1;
            let due = self.next_refresh;
            let rank = self.next_refresh_rank;
            let first = rank * self.banks_per_rank;
            let banks = &mut self.banks[first..first + self.banks_per_rank];
            if banks
                .iter()
                .any(|b| b.open_row.is_some() || b.ready[CommandKind::Refresh as usize] > due)
            {
                return applied;
            }
            for bank in banks {
                for kind in [CommandKind::Activate, CommandKind::Refresh] {
                    raise(&mut bank.ready[kind as usize], due, trfc);
                }
                bank.closed_for_conflict = false;
            }
            self.stats.ref_cmds += 1;
            self.next_refresh_rank = (self.next_refresh_rank + 1) % self.ranks;
            self.next_refresh += self.refresh_interval;
            self.issue_bound = 0;
            applied = true;
        }
        applied
    }

    /// The refreshes due in `next_refresh .. target`, each at its due cycle, all banks closed.
    fn bulk_refreshes(&mut self, target: u64, trfc: i64) {
        let interval = self.refresh_interval;
        let count = (target - 1 - self.next_refresh) / interval + 1;
        let ranks = self.ranks as u64;
        for j in 0..count.min(ranks) {
            let rank = (self.next_refresh_rank + j as usize) % self.ranks;
            let of_rank = (count - 1 - j) / ranks + 1;
            let last_due = self.next_refresh + (j + (of_rank - 1) * ranks) * interval;
            let first = rank * self.banks_per_rank;
            for bank in &mut self.banks[first..first + self.banks_per_rank] {
                for kind in [CommandKind::Activate, CommandKind::Refresh] {
                    raise(&mut bank.ready[kind as usize], last_due, trfc);
                }
            }
        }
        self.stats.ref_cmds += count;
        self.next_refresh_rank = (self.next_refresh_rank + (count % ranks) as usize) % self.ranks;
        self.next_refresh += count * interval;
        self.issue_bound = 0;
    }

    /// After a tick that changed nothing, the earliest cycle at which something might: a bank
    /// constraint expiring for a queued command or the pending refresh, the four-activate window
    /// sliding, the next refresh falling due. `None` if only an outside event can change anything.
    pub fn next_wake(&self) -> Option<u64> {
        let now = self.clock;
        let mut wake = self.next_refresh;
        let mut consider = |cycle: u64| {
            if cycle >= now && cycle < wake {
                wake = cycle;
            }
        };
        if let Some(&rank) = self.refresh_queue.front() {
            let first = rank * self.banks_per_rank;
            for bank in &self.banks[first..first + self.banks_per_rank] {
                consider(bank.ready[bank.required(CommandKind::Refresh, 0) as usize]);
            }
        }
        if self.issue_bound > now {
            // This cycle's scheduling pass already found the earliest time-based change.
            consider(self.issue_bound);
            return Some(wake);
        }
        let mut from = 0;
        while let Some(queue) = self.next_occupied(from, self.command_queues.len()) {
            from = queue + 1;
            let commands = &self.command_queues[queue];
            if self.refresh_blocks(queue) {
                continue;
            }
            if self.queue_bound[queue] > now {
                consider(self.queue_bound[queue]);
                continue;
            }
            if self.queue_structure == QueueStructure::PerBank {
                // A lower bound is enough: waking early costs one more quiet cycle.
                let bank = &self.banks[queue];
                if bank.open_row.is_none() {
                    consider(self.earliest_in_bank_queue(queue, now));
                } else {
                    for kind in [
                        CommandKind::Read,
                        CommandKind::Write,
                        CommandKind::ReadPrecharge,
                        CommandKind::WritePrecharge,
                        CommandKind::Precharge,
                    ] {
                        consider(bank.ready[kind as usize]);
                    }
                }
                continue;
            }
            for queued in commands {
                consider(self.command_ready(queued));
            }
        }
        Some(wake)
    }
}

/// Raises an earliest-issue cycle to `now + gap` (gaps may be negative across ranks).
fn raise(ready: &mut u64, now: u64, gap: i64) {
    let cycle = now.saturating_add_signed(gap);
    if cycle > *ready {
        *ready = cycle;
    }
}
