//! Documented bounds on numbers read from user files. Anything larger is rejected with a diagnostic, so
//! that no later product of sizes can overflow `u64` silently.

/// Largest accepted dimension size, tile size, offset, stride or cluster size: 2^31 − 1, the reference's
/// own integer range.
pub const MAX_SIZE: u64 = i32::MAX as u64;

/// Largest accepted number of PEs.
pub const MAX_PES: u64 = 1 << 24;

/// Largest accepted product of a layer's loop bounds (its MAC count): 2^62, so sums over a network of
/// such layers still fit comfortably in `u64` with checked arithmetic.
pub const MAX_LAYER_MACS: u64 = 1 << 62;

/// Largest accepted latency in cycles (a NoC hop, an off-chip request). A million cycles is far beyond
/// any real memory system, so a larger value is taken for a typo.
pub const MAX_LATENCY: u64 = 1 << 20;

/// Largest accepted number of cluster levels in one mapping.
pub const MAX_CLUSTER_LEVELS: usize = 8;
