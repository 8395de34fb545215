//! Timing as data: for each command just issued and each unit it affects (the same bank, other banks
//! of its bank group, other bank groups of its rank, other ranks), the minimum gap before each later
//! command. Computed once from the parameters; the banks only keep "earliest cycle" per command.

use crate::config::{Derived, DramConfig};

/// The commands the controller issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CommandKind {
    Read = 0,
    ReadPrecharge = 1,
    Write = 2,
    WritePrecharge = 3,
    Activate = 4,
    Precharge = 5,
    Refresh = 6,
}

pub(crate) const COMMAND_KINDS: usize = 7;

/// A gap so negative that it never raises an earliest-issue cycle.
pub(crate) const NO_GAP: i64 = i64::MIN / 2;

impl CommandKind {
    pub fn is_read(self) -> bool {
        matches!(self, CommandKind::Read | CommandKind::ReadPrecharge)
    }
    pub fn is_write(self) -> bool {
        matches!(self, CommandKind::Write | CommandKind::WritePrecharge)
    }
    pub fn is_read_write(self) -> bool {
        self.is_read() || self.is_write()
    }
}

/// Which banks a gap list applies to, relative to the bank that received the command.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope {
    SameBank = 0,
    OtherBanksSameGroup = 1,
    OtherGroupsSameRank = 2,
    OtherRanks = 3,
}

/// `gaps[scope][issued]`: the (later command, minimum cycles) pairs that constrain it.
#[derive(Debug, Clone)]
pub(crate) struct TimingTable {
    gaps: [[Vec<(CommandKind, i64)>; COMMAND_KINDS]; 4],
    /// Gaps a rank-wide refresh imposes on every bank of its rank.
    pub refresh_same_rank: Vec<(CommandKind, i64)>,
}

impl TimingTable {
    pub fn new(config: &DramConfig, derived: &Derived) -> TimingTable {
        use CommandKind::*;
        let t = &config.timing;
        let v = |x: u32| i64::from(x);
        let burst = derived.burst_cycles;
        let single_group = config.structure.bankgroups == 1;
        // With one bank group the long (same-group) constraints are the short ones.
        let (tccd_l, twtr_l, trrd_l) = if single_group {
            (v(t.tccd_s), v(t.twtr_s), v(t.trrd_s))
        } else {
            (v(t.tccd_l), v(t.twtr_l), v(t.trrd_l))
        };
        let read_to_read_long = burst.max(tccd_l);
        let read_to_read_short = burst.max(v(t.tccd_s));
        let read_to_read_other_rank = burst + v(t.trtrs);
        let read_to_write = derived.read_latency + burst - derived.write_latency + v(t.trtrs);
        let read_to_write_other_rank =
            derived.read_delay + burst + v(t.trtrs) - derived.write_delay;
        let read_to_precharge = v(t.al) + v(t.trtp);
        let read_precharge_to_activate = v(t.al) + burst + v(t.trtp) + v(t.trp);
        let write_to_read_long = derived.write_delay + twtr_l;
        let write_to_read_short = derived.write_delay + v(t.twtr_s);
        let write_to_read_other_rank =
            derived.write_delay + burst + v(t.trtrs) - derived.read_delay;
        let write_to_write_long = burst.max(tccd_l);
        let write_to_write_short = burst.max(v(t.tccd_s));
        let write_to_write_other_rank = burst;
        let write_to_precharge = derived.write_latency + burst + v(t.twr);
        let read_to_activate = read_to_precharge + v(t.trp);
        let write_to_activate = write_to_precharge + v(t.trp);

        let column_read = |rr: i64, rw: i64| {
            vec![
                (Read, rr),
                (Write, rw),
                (ReadPrecharge, rr),
                (WritePrecharge, rw),
            ]
        };
        let column_write = |wr: i64, ww: i64| {
            vec![
                (Read, wr),
                (Write, ww),
                (ReadPrecharge, wr),
                (WritePrecharge, ww),
            ]
        };

        let mut gaps: [[Vec<(CommandKind, i64)>; COMMAND_KINDS]; 4] = Default::default();
        let same = Scope::SameBank as usize;
        let group = Scope::OtherBanksSameGroup as usize;
        let rank = Scope::OtherGroupsSameRank as usize;
        let other = Scope::OtherRanks as usize;

        // Reads, with or without auto-precharge, constrain column commands everywhere.
        for kind in [Read, ReadPrecharge] {
            gaps[group][kind as usize] = column_read(read_to_read_long, read_to_write);
            gaps[rank][kind as usize] = column_read(read_to_read_short, read_to_write);
            gaps[other][kind as usize] =
                column_read(read_to_read_other_rank, read_to_write_other_rank);
        }
        let mut read_same = column_read(read_to_read_long, read_to_write);
        read_same.push((Precharge, read_to_precharge));
        gaps[same][Read as usize] = read_same;
        gaps[same][ReadPrecharge as usize] = vec![
            (Activate, read_precharge_to_activate),
            (Refresh, read_to_activate),
        ];

        for kind in [Write, WritePrecharge] {
            gaps[group][kind as usize] = column_write(write_to_read_long, write_to_write_long);
            gaps[rank][kind as usize] = column_write(write_to_read_short, write_to_write_short);
            gaps[other][kind as usize] =
                column_write(write_to_read_other_rank, write_to_write_other_rank);
        }
        let mut write_same = column_write(write_to_read_long, write_to_write_long);
        write_same.push((Precharge, write_to_precharge));
        gaps[same][Write as usize] = write_same;
        gaps[same][WritePrecharge as usize] =
            vec![(Activate, write_to_activate), (Refresh, write_to_activate)];

        let (activate_to_read, activate_to_write) = if config.structure.protocol.is_hbm() {
            (v(t.trcd_read), v(t.trcd_write))
        } else {
            (v(t.trcd_read) - v(t.al), v(t.trcd_write) - v(t.al))
        };
        gaps[same][Activate as usize] = vec![
            (Activate, v(t.trc)),
            (Read, activate_to_read),
            (Write, activate_to_write),
            (ReadPrecharge, activate_to_read),
            (WritePrecharge, activate_to_write),
            (Precharge, v(t.tras)),
        ];
        gaps[group][Activate as usize] = vec![(Activate, trrd_l)];
        gaps[rank][Activate as usize] = vec![(Activate, v(t.trrd_s))];

        gaps[same][Precharge as usize] = vec![(Activate, v(t.trp)), (Refresh, v(t.trp))];
        if config.structure.protocol.has_precharge_to_precharge() {
            gaps[group][Precharge as usize] = vec![(Precharge, v(t.tppd))];
            gaps[rank][Precharge as usize] = vec![(Precharge, v(t.tppd))];
        }

        TimingTable {
            gaps,
            refresh_same_rank: vec![(Activate, v(t.trfc)), (Refresh, v(t.trfc))],
        }
    }

    pub fn gaps(&self, scope: Scope, issued: CommandKind) -> &[(CommandKind, i64)] {
        &self.gaps[scope as usize][issued as usize]
    }

    /// The gaps of `gaps` as one entry per later command, `NO_GAP` where there is none: raising
    /// every entry with a maximum is then branch-free.
    pub fn dense(&self, scope: Scope, issued: CommandKind) -> [i64; COMMAND_KINDS] {
        let mut dense = [NO_GAP; COMMAND_KINDS];
        for &(later, gap) in self.gaps(scope, issued) {
            dense[later as usize] = gap;
        }
        dense
    }
}
