//! Typed indices for things that live in vectors: layers of a network, cluster levels, PEs, links.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub struct $name(pub u32);

        impl $name {
            /// The position in the owning vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

typed_id!(
    /// A layer's position in its network.
    LayerId
);
typed_id!(
    /// A cluster level's depth (0 = outermost).
    LevelId
);
typed_id!(
    /// A processing element.
    PeId
);
typed_id!(
    /// A link or bus of a NoC.
    LinkId
);
