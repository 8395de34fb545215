//! The errors of a study's specification: bad parameter names and value lists, unknown layers,
//! spaces too large to enumerate. A design point that cannot be evaluated is not an error of the
//! study: it is reported with its reason among the results.

use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum StudyError {
    #[error("unknown parameter `{name}`; the parameters are: {known}")]
    UnknownParam { name: String, known: String },
    #[error("bad parameter specification `{spec}`: {reason}")]
    BadSpec { spec: String, reason: String },
    #[error("bad value `{value}` for {param}: expected {expected}")]
    BadValue {
        param: &'static str,
        value: String,
        expected: String,
    },
    #[error("{param} must be between {min} and {max}, found {value}")]
    OutOfRange {
        param: &'static str,
        value: u64,
        min: u64,
        max: u64,
    },
    #[error("{first} and {second} set the same hardware field; sweep only one of them")]
    Conflict {
        first: &'static str,
        second: &'static str,
    },
    #[error("the study has {points} design points, more than the limit of {limit}")]
    TooManyPoints { points: u128, limit: u64 },
    #[error("no layer named `{name}`; the layers are: {available}")]
    UnknownLayer { name: String, available: String },
    #[error("layer index {index} is out of range: the network has {count} layers (0 to {last})", last = count.saturating_sub(1))]
    LayerIndexOutOfRange { index: usize, count: usize },
    #[error("the study has no dataflow to evaluate")]
    NoDataflow,
    #[error("the network has no layers")]
    NoLayers,
    #[error("the contention study needs a swept NoC bandwidth (noc.bandwidth, noc.distribution.bandwidth or noc.collection.bandwidth) with at least two values")]
    ContentionNeedsBandwidth,
    #[error("the contention study needs the simulator: use --engine sim or both")]
    ContentionNeedsSimulator,
    #[error("{what} must be a positive, finite number, found {value}")]
    BadCap { what: &'static str, value: f64 },
}
