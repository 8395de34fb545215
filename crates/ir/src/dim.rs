//! Loop dimensions of a layer: the convolution family's `N K C R S Y X`, the output coordinates
//! `Y'`/`X'`, the group count `G`, and GEMM's `M` (GEMM reuses `N` and `K`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// One loop dimension. The set is closed: an unknown name in a file is a diagnostic, not a new variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Dim {
    /// Batch (CONV family) or GEMM's column count of the result.
    N,
    /// Output channels (CONV family) or GEMM's reduction dimension.
    K,
    /// Input channels.
    C,
    /// Filter rows (sliding window over `Y`).
    R,
    /// Filter columns (sliding window over `X`).
    S,
    /// Input rows.
    Y,
    /// Input columns.
    X,
    /// Output rows, written `Y'`.
    OutY,
    /// Output columns, written `X'`.
    OutX,
    /// Groups of a grouped convolution.
    G,
    /// GEMM's row count.
    M,
}

impl Dim {
    /// Every dimension, in declaration order of this enum.
    pub const ALL: [Dim; 11] = [
        Dim::N,
        Dim::K,
        Dim::C,
        Dim::R,
        Dim::S,
        Dim::Y,
        Dim::X,
        Dim::OutY,
        Dim::OutX,
        Dim::G,
        Dim::M,
    ];

    /// The name as written in a mapping file (`Y'` for [`Dim::OutY`]).
    pub fn name(self) -> &'static str {
        match self {
            Dim::N => "N",
            Dim::K => "K",
            Dim::C => "C",
            Dim::R => "R",
            Dim::S => "S",
            Dim::Y => "Y",
            Dim::X => "X",
            Dim::OutY => "Y'",
            Dim::OutX => "X'",
            Dim::G => "G",
            Dim::M => "M",
        }
    }

    /// Parses a dimension name. The typographic prime `’` (U+2019) is accepted as `'`.
    pub fn from_name(name: &str) -> Option<Dim> {
        Some(match name {
            "N" => Dim::N,
            "K" => Dim::K,
            "C" => Dim::C,
            "R" => Dim::R,
            "S" => Dim::S,
            "Y" => Dim::Y,
            "X" => Dim::X,
            "Y'" | "Y\u{2019}" => Dim::OutY,
            "X'" | "X\u{2019}" => Dim::OutX,
            "G" => Dim::G,
            "M" => Dim::M,
            _ => return None,
        })
    }

    /// For a sliding-window pair, the partner: `Y`↔`R`, `X`↔`S`. `None` for every other dimension.
    pub fn window_partner(self) -> Option<Dim> {
        match self {
            Dim::Y => Some(Dim::R),
            Dim::R => Some(Dim::Y),
            Dim::X => Some(Dim::S),
            Dim::S => Some(Dim::X),
            _ => None,
        }
    }

    /// The output coordinate of an input coordinate (`Y` → `Y'`, `X` → `X'`), and back.
    pub fn output_alias(self) -> Option<Dim> {
        match self {
            Dim::Y => Some(Dim::OutY),
            Dim::X => Some(Dim::OutX),
            Dim::OutY => Some(Dim::Y),
            Dim::OutX => Some(Dim::X),
            _ => None,
        }
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for dim in Dim::ALL {
            assert_eq!(Dim::from_name(dim.name()), Some(dim));
        }
        assert_eq!(Dim::from_name("Y\u{2019}"), Some(Dim::OutY));
        assert_eq!(Dim::from_name("y"), None);
    }
}
