//! Why the reference-compatible model cannot produce a row for a layer: the places where the reference
//! binary exits with an error, crashes (SIGFPE, undefined behaviour) or would overflow its integers.

use maestro_ir::Dim;
use thiserror::Error;

/// A failure of one layer's compat analysis; the driver adds the layer's index and name.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub(crate) enum CompatError {
    #[error("layer has no dataflow")]
    NoDataflow,
    #[error("a {layer_type} layer needs dimension {dim}, which is not declared")]
    MissingDimension { layer_type: &'static str, dim: Dim },
    #[error("both input- and output-centric dimension definition is used ({input} and {output})")]
    BothInputAndOutput { input: Dim, output: Dim },
    #[error("dimension {0} not found")]
    DimensionNotFound(Dim),
    #[error("directive {directive} has a zero size or offset")]
    ZeroSizeOrOffset { directive: String },
    #[error("stride {stride} of dimension {dim} is not a positive integer")]
    BadStride { dim: Dim, stride: u64 },
    #[error("cluster size 0")]
    ZeroCluster,
    #[error("{clusters} Cluster directives: the reference models at most 3 (it has 4 NoCs)")]
    TooManyClusters { clusters: usize },
    #[error("cluster level {level}: no spatial map in a cluster")]
    NoSpatialMap { level: usize },
    #[error("cluster level {level}: found too many spatial maps within a single cluster")]
    TooManySpatialMaps { level: usize },
    #[error(
        "cluster level {level} has 0 sub-clusters ({pes} PEs cannot hold the product of the Cluster sizes); \
         the reference divides by zero here"
    )]
    NoSubClusters { level: usize, pes: i64 },
    #[error(
        "the changing temporal dimension {dim} has no unique elements per step; the reference exits here (Q-A19)"
    )]
    NoUniqueElements { dim: Dim },
    #[error("output dimension {0} has no directive; the reference crashes here")]
    OutputDimensionUnmapped(Dim),
    #[error(
        "every iteration of the level below the top is invalid (computation delay 0), so the off-chip bandwidth \
         divides by zero; the reference crashes with SIGFPE here (Q-A7: a tile narrower than its filter window?)"
    )]
    ZeroComputationDelay,
    #[error("NoC bandwidth is 0; the reference divides by zero")]
    ZeroNocBandwidth,
    #[error("off-chip bandwidth is 0; the reference divides by zero")]
    ZeroOffchipBandwidth,
    #[error("SIMD width is 0; the computation delay would be infinite")]
    ZeroSimdLanes,
    #[error("a count exceeds the 64-bit integers of the reference")]
    Overflow,
}

pub(crate) type CompatResult<T> = Result<T, CompatError>;

/// `a · b`, or an overflow error: the reference's 64-bit counters would wrap silently.
#[inline]
pub(crate) fn mul(a: i64, b: i64) -> CompatResult<i64> {
    a.checked_mul(b).ok_or(CompatError::Overflow)
}

#[inline]
pub(crate) fn add(a: i64, b: i64) -> CompatResult<i64> {
    a.checked_add(b).ok_or(CompatError::Overflow)
}

#[inline]
pub(crate) fn sub(a: i64, b: i64) -> CompatResult<i64> {
    a.checked_sub(b).ok_or(CompatError::Overflow)
}

/// C-style truncating division (`a ÷ b` of the spec). Callers guarantee `b ≠ 0`; the only remaining
/// failure, `i64::MIN ÷ −1`, is reported as an overflow.
#[inline]
pub(crate) fn div(a: i64, b: i64) -> CompatResult<i64> {
    a.checked_div(b).ok_or(CompatError::Overflow)
}
