//! The names of the dataflow styles, as used on the command line and in file names.

use std::fmt;

/// One of the named dataflow templates (see the crate documentation for what each one does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataflowStyle {
    /// C-P, no local reuse.
    Nlr,
    /// X-P, weight stationary.
    XpWs,
    /// YX-P, output stationary (ShiDianNao-like).
    YxpOs,
    /// YR-P, row stationary (Eyeriss-like).
    Rs,
    /// KC-P, weight stationary (NVDLA-like).
    KcpWs,
}

impl DataflowStyle {
    /// Every style, in a fixed order.
    pub const ALL: [DataflowStyle; 5] = [
        DataflowStyle::Nlr,
        DataflowStyle::XpWs,
        DataflowStyle::YxpOs,
        DataflowStyle::Rs,
        DataflowStyle::KcpWs,
    ];

    /// The style's name: `nlr`, `xp_ws`, `yxp_os`, `rs` or `kcp_ws`.
    pub fn name(self) -> &'static str {
        match self {
            DataflowStyle::Nlr => "nlr",
            DataflowStyle::XpWs => "xp_ws",
            DataflowStyle::YxpOs => "yxp_os",
            DataflowStyle::Rs => "rs",
            DataflowStyle::KcpWs => "kcp_ws",
        }
    }

    /// The style with exactly this name (as returned by [`DataflowStyle::name`]).
    pub fn from_name(name: &str) -> Option<DataflowStyle> {
        DataflowStyle::ALL
            .into_iter()
            .find(|style| style.name() == name)
    }
}

impl fmt::Display for DataflowStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_distinct() {
        for style in DataflowStyle::ALL {
            assert_eq!(DataflowStyle::from_name(style.name()), Some(style));
            assert_eq!(style.to_string(), style.name());
        }
        assert_eq!(DataflowStyle::from_name("KCP_WS"), None);
        assert_eq!(DataflowStyle::from_name(""), None);
    }
}
