//! The PE grid played cycle by cycle: row links carry operands rightwards and column links downwards,
//! one PE per cycle; a PE multiplies when the two operands of one MAC meet in it.
//!
//! Slots hold the temporal index `t` of the operand (or, during a preload, the array row the value is
//! meant for). A `Null` slot is a padding operand: it moves like any other (the array is clocked as a
//! whole) but is never read from SRAM and never multiplied.

use crate::layer::Dataflow;

/// What one link register (or a PE's stationary register) holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Empty,
    /// Padding for an array row or column the fold does not use.
    Null,
    /// An operand with its temporal index (stream operands) or target row (preloaded values).
    Value(u64),
}

impl Slot {
    fn is_empty(self) -> bool {
        self == Slot::Empty
    }
}

/// What one fold lays on the array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub used_rows: u64,
    pub used_cols: u64,
    pub temporal: u64,
}

/// The operands each feeder puts on its edge link in one cycle (`Empty` if none).
#[derive(Clone, Debug, Default)]
pub struct Injections {
    pub rows: Vec<Slot>,
    pub cols: Vec<Slot>,
}

/// The cycle in which a fold's feeders start streaming along the rows: weight- and input-stationary
/// folds first preload one value per PE, shifted down the columns for `rows` cycles.
pub fn preload_cycles(dataflow: Dataflow, rows: u64) -> u64 {
    match dataflow {
        Dataflow::Os => 0,
        Dataflow::Ws | Dataflow::Is => rows,
    }
}

/// The edge schedule of a fold at array cycle `tau`: what row feeder `i` and column feeder `j` inject.
/// Row `i` starts `i` cycles late and column `j` starts `j` cycles late (the skew that makes the
/// operands of one MAC meet).
pub fn row_injection(dataflow: Dataflow, rows: u64, fold: Fold, i: u64, tau: u64) -> Slot {
    let start = preload_cycles(dataflow, rows) + i;
    if tau < start || tau - start >= fold.temporal {
        return Slot::Empty;
    }
    if i < fold.used_rows {
        Slot::Value(tau - start)
    } else {
        Slot::Null
    }
}

pub fn col_injection(dataflow: Dataflow, rows: u64, fold: Fold, j: u64, tau: u64) -> Slot {
    match dataflow {
        Dataflow::Os => {
            if tau < j || tau - j >= fold.temporal {
                Slot::Empty
            } else if j < fold.used_cols {
                Slot::Value(tau - j)
            } else {
                Slot::Null
            }
        }
        Dataflow::Ws | Dataflow::Is => {
            // Preload: the value for the bottom row enters first, so that after `rows` shifts every
            // row holds its own.
            if tau >= rows {
                return Slot::Empty;
            }
            let target_row = rows - 1 - tau;
            if j < fold.used_cols && target_row < fold.used_rows {
                Slot::Value(target_row)
            } else {
                Slot::Null
            }
        }
    }
}

/// The grid of link registers, played one cycle at a time.
#[derive(Debug)]
pub struct Grid {
    rows: usize,
    cols: usize,
    dataflow: Dataflow,
    /// `row_links[i * cols + j]`: the operand moving right that PE (i, j) holds this cycle.
    row_links: Vec<Slot>,
    /// `col_links[i * cols + j]`: the operand (or preload value) moving down that PE (i, j) holds.
    col_links: Vec<Slot>,
    /// The value kept in PE (i, j) after a preload (weight- and input-stationary).
    stationary: Vec<Slot>,
    /// MACs done by each PE during the current fold (output stationary: its output's partial count).
    pub macs: u64,
}

impl Grid {
    pub fn new(rows: u64, cols: u64, dataflow: Dataflow) -> Grid {
        let (rows, cols) = (rows as usize, cols as usize);
        Grid {
            rows,
            cols,
            dataflow,
            row_links: vec![Slot::Empty; rows * cols],
            col_links: vec![Slot::Empty; rows * cols],
            stationary: vec![Slot::Empty; rows * cols],
            macs: 0,
        }
    }

    /// Clears the stationary registers at the start of a fold.
    pub fn begin_fold(&mut self) {
        self.stationary.fill(Slot::Empty);
    }

    /// One cycle: every link register passes its operand one PE on, the edge feeders inject, and the
    /// PEs whose operands meet multiply. Returns the MACs done this cycle.
    pub fn step(&mut self, injections: &Injections, preloading: bool) -> u64 {
        let (rows, cols) = (self.rows, self.cols);
        for i in 0..rows {
            let lane = &mut self.row_links[i * cols..(i + 1) * cols];
            lane.rotate_right(1);
            lane[0] = injections.rows[i];
        }
        for j in (0..cols).rev() {
            for i in (1..rows).rev() {
                self.col_links[i * cols + j] = self.col_links[(i - 1) * cols + j];
            }
            self.col_links[j] = injections.cols[j];
        }
        let mut macs = 0;
        match self.dataflow {
            Dataflow::Os => {
                for (row, col) in self.row_links.iter().zip(&self.col_links) {
                    if let (Slot::Value(a), Slot::Value(b)) = (row, col) {
                        debug_assert_eq!(a, b, "operands of different MACs met");
                        macs += 1;
                    }
                }
            }
            Dataflow::Ws | Dataflow::Is => {
                if preloading {
                    return 0;
                }
                for (row, kept) in self.row_links.iter().zip(&self.stationary) {
                    if let (Slot::Value(_), Slot::Value(_)) = (row, kept) {
                        macs += 1;
                    }
                }
            }
        }
        self.macs += macs;
        macs
    }

    /// Ends a preload: every PE keeps the value its column link holds (the value meant for its row).
    pub fn latch_preload(&mut self) {
        for i in 0..self.rows {
            for j in 0..self.cols {
                let slot = self.col_links[i * self.cols + j];
                debug_assert!(
                    matches!(slot, Slot::Value(r) if r == i as u64)
                        || !matches!(slot, Slot::Value(_)),
                    "a preloaded value stopped in the wrong row"
                );
                self.stationary[i * self.cols + j] = slot;
                self.col_links[i * self.cols + j] = Slot::Empty;
            }
        }
    }

    /// Whether no operand is left on any link.
    pub fn links_empty(&self) -> bool {
        self.row_links.iter().all(|s| s.is_empty()) && self.col_links.iter().all(|s| s.is_empty())
    }

    /// What PE (i, j) holds: (row link, column link, stationary register).
    pub fn pe(&self, i: usize, j: usize) -> (Slot, Slot, Slot) {
        let at = i * self.cols + j;
        (self.row_links[at], self.col_links[at], self.stationary[at])
    }

    /// The operand leaving the bottom of column `j` this cycle in a weight- or input-stationary fold:
    /// the partial sum of the row-link operand PE (rows − 1, j) just multiplied.
    pub fn bottom_row(&self, j: usize) -> Slot {
        self.row_links[(self.rows - 1) * self.cols + j]
    }
}
