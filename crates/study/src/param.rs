//! The hardware parameters a study can sweep, named by their path in the TOML hardware description
//! (`maestro-config`), and the value lists of a `NAME=VALUES` specification.
//!
//! | name | TOML field | values |
//! |---|---|---|
//! | `pe.count` | `[pe] count` | 1 … 16,777,216 |
//! | `pe.simd_lanes` | `[pe] simd_lanes` | 1 … 2,147,483,647 |
//! | `pe.mac_pipeline_latency` | `[pe] mac_pipeline_latency` | 0 … 1,048,576 cycles |
//! | `l1.size` | `[l1] size` | 1 … 2,147,483,647 elements per PE |
//! | `l2.size` | `[l2] size` | 1 … 2,147,483,647 elements |
//! | `l2.bandwidth` | `[l2] bandwidth` | 1 … 2,147,483,647 elements/cycle |
//! | `noc.bandwidth` | both `[noc.*] bandwidth` | 1 … 2,147,483,647 elements/cycle |
//! | `noc.hop_latency` | both `[noc.*] hop_latency` | 0 … 1,048,576 cycles |
//! | `noc.topology` | both `[noc.*] topology` | `bus`, `tree`, `mesh` |
//! | `noc.multicast` | `[noc.distribution] multicast` | booleans |
//! | `noc.reduction` | `[noc.collection] implicit_reduction` | booleans |
//! | `noc.distribution.bandwidth`, `.hop_latency`, `.multicast`, `.topology` | that key | as above |
//! | `noc.collection.bandwidth`, `.hop_latency`, `.implicit_reduction`, `.reduction_op`, `.topology` | that key | as above |
//! | `offchip.bandwidth` | `[offchip] bandwidth` | 1 … 2,147,483,647 elements/cycle |
//! | `offchip.latency` | `[offchip] latency` | 0 … 1,048,576 cycles |
//!
//! A value list is a comma-separated list of items. An item is one value, or for numeric parameters a
//! range: `LO..HI` (every integer), `LO..HI step S` (LO, LO+S, … up to HI) or `LO..HI x F` (LO, LO·F,
//! LO·F², … up to HI; F ≥ 2). Booleans are `true`/`false` (also `on`/`off`, `yes`/`no`, `1`/`0`).
//! Values keep the order written; a value may not appear twice, and one field may not be set by two
//! parameters (`noc.bandwidth` with `noc.distribution.bandwidth`).

use crate::error::StudyError;
use maestro_ir::limits::{MAX_PES, MAX_SIZE};
use maestro_ir::{Accelerator, NocTopology};
use serde::Serialize;
use std::fmt;

/// The largest latency a hardware description accepts (`maestro_config::MAX_LATENCY`).
pub const MAX_LATENCY: u64 = 1 << 20;
/// The most values one parameter may take (a typo like `1..1000000000` is refused, not enumerated).
pub const MAX_VALUES_PER_PARAM: usize = 100_000;

/// A sweepable hardware field (see the module documentation for names and ranges).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Param {
    PeCount,
    SimdLanes,
    MacPipelineLatency,
    L1Size,
    L2Size,
    L2Bandwidth,
    NocBandwidth,
    NocHopLatency,
    NocTopology,
    NocMulticast,
    NocReduction,
    DistributionBandwidth,
    DistributionHopLatency,
    DistributionMulticast,
    DistributionTopology,
    CollectionBandwidth,
    CollectionHopLatency,
    CollectionImplicitReduction,
    CollectionReductionOp,
    CollectionTopology,
    OffchipBandwidth,
    OffchipLatency,
}

/// What values a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// An integer in `min..=max`.
    Count {
        min: u64,
        max: u64,
    },
    Bool,
    Topology,
}

/// Accelerator fields, as bits, so that two parameters setting the same field are caught.
mod field {
    pub const DIST_BANDWIDTH: u32 = 1 << 0;
    pub const COLL_BANDWIDTH: u32 = 1 << 1;
    pub const DIST_LATENCY: u32 = 1 << 2;
    pub const COLL_LATENCY: u32 = 1 << 3;
    pub const DIST_TOPOLOGY: u32 = 1 << 4;
    pub const COLL_TOPOLOGY: u32 = 1 << 5;
    pub const MULTICAST: u32 = 1 << 6;
    pub const REDUCTION: u32 = 1 << 7;
}

impl Param {
    pub const ALL: [Param; 22] = [
        Param::PeCount,
        Param::SimdLanes,
        Param::MacPipelineLatency,
        Param::L1Size,
        Param::L2Size,
        Param::L2Bandwidth,
        Param::NocBandwidth,
        Param::NocHopLatency,
        Param::NocTopology,
        Param::NocMulticast,
        Param::NocReduction,
        Param::DistributionBandwidth,
        Param::DistributionHopLatency,
        Param::DistributionMulticast,
        Param::DistributionTopology,
        Param::CollectionBandwidth,
        Param::CollectionHopLatency,
        Param::CollectionImplicitReduction,
        Param::CollectionReductionOp,
        Param::CollectionTopology,
        Param::OffchipBandwidth,
        Param::OffchipLatency,
    ];

    /// The parameter's name: its path in the TOML hardware description.
    pub fn name(self) -> &'static str {
        match self {
            Param::PeCount => "pe.count",
            Param::SimdLanes => "pe.simd_lanes",
            Param::MacPipelineLatency => "pe.mac_pipeline_latency",
            Param::L1Size => "l1.size",
            Param::L2Size => "l2.size",
            Param::L2Bandwidth => "l2.bandwidth",
            Param::NocBandwidth => "noc.bandwidth",
            Param::NocHopLatency => "noc.hop_latency",
            Param::NocTopology => "noc.topology",
            Param::NocMulticast => "noc.multicast",
            Param::NocReduction => "noc.reduction",
            Param::DistributionBandwidth => "noc.distribution.bandwidth",
            Param::DistributionHopLatency => "noc.distribution.hop_latency",
            Param::DistributionMulticast => "noc.distribution.multicast",
            Param::DistributionTopology => "noc.distribution.topology",
            Param::CollectionBandwidth => "noc.collection.bandwidth",
            Param::CollectionHopLatency => "noc.collection.hop_latency",
            Param::CollectionImplicitReduction => "noc.collection.implicit_reduction",
            Param::CollectionReductionOp => "noc.collection.reduction_op",
            Param::CollectionTopology => "noc.collection.topology",
            Param::OffchipBandwidth => "offchip.bandwidth",
            Param::OffchipLatency => "offchip.latency",
        }
    }

    pub fn from_name(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|param| param.name() == name)
    }

    pub fn kind(self) -> ValueKind {
        let size = ValueKind::Count {
            min: 1,
            max: MAX_SIZE,
        };
        let latency = ValueKind::Count {
            min: 0,
            max: MAX_LATENCY,
        };
        match self {
            Param::PeCount => ValueKind::Count {
                min: 1,
                max: MAX_PES,
            },
            Param::SimdLanes
            | Param::L1Size
            | Param::L2Size
            | Param::L2Bandwidth
            | Param::NocBandwidth
            | Param::DistributionBandwidth
            | Param::CollectionBandwidth
            | Param::OffchipBandwidth => size,
            Param::MacPipelineLatency
            | Param::NocHopLatency
            | Param::DistributionHopLatency
            | Param::CollectionHopLatency
            | Param::OffchipLatency => latency,
            Param::NocTopology | Param::DistributionTopology | Param::CollectionTopology => {
                ValueKind::Topology
            }
            Param::NocMulticast
            | Param::NocReduction
            | Param::DistributionMulticast
            | Param::CollectionImplicitReduction
            | Param::CollectionReductionOp => ValueKind::Bool,
        }
    }

    /// Whether the parameter sets a NoC bandwidth (the axis of the contention study).
    pub fn is_noc_bandwidth(self) -> bool {
        matches!(
            self,
            Param::NocBandwidth | Param::DistributionBandwidth | Param::CollectionBandwidth
        )
    }

    /// The NoC fields the parameter sets (fields outside the NoCs are set by one parameter only).
    fn noc_fields(self) -> u32 {
        use field::*;
        match self {
            Param::NocBandwidth => DIST_BANDWIDTH | COLL_BANDWIDTH,
            Param::DistributionBandwidth => DIST_BANDWIDTH,
            Param::CollectionBandwidth => COLL_BANDWIDTH,
            Param::NocHopLatency => DIST_LATENCY | COLL_LATENCY,
            Param::DistributionHopLatency => DIST_LATENCY,
            Param::CollectionHopLatency => COLL_LATENCY,
            Param::NocTopology => DIST_TOPOLOGY | COLL_TOPOLOGY,
            Param::DistributionTopology => DIST_TOPOLOGY,
            Param::CollectionTopology => COLL_TOPOLOGY,
            Param::NocMulticast | Param::DistributionMulticast => MULTICAST,
            Param::NocReduction | Param::CollectionImplicitReduction => REDUCTION,
            _ => 0,
        }
    }

    /// Whether two parameters set a common field.
    pub fn overlaps(self, other: Param) -> bool {
        self == other || self.noc_fields() & other.noc_fields() != 0
    }

    /// Sets the field(s) on `accelerator`. A value of the wrong kind leaves it unchanged (a parsed
    /// [`ParamSpec`] only holds values of its parameter's kind).
    pub fn apply(self, accelerator: &mut Accelerator, value: ParamValue) {
        let dist = &mut accelerator.distribution_noc;
        let coll = &mut accelerator.collection_noc;
        match (self, value) {
            (Param::PeCount, ParamValue::Count(v)) => accelerator.num_pes = v,
            (Param::SimdLanes, ParamValue::Count(v)) => accelerator.simd_lanes = v,
            (Param::MacPipelineLatency, ParamValue::Count(v)) => {
                accelerator.mac_pipeline_latency = v
            }
            (Param::L1Size, ParamValue::Count(v)) => accelerator.l1_size = v,
            (Param::L2Size, ParamValue::Count(v)) => accelerator.l2_size = v,
            (Param::L2Bandwidth, ParamValue::Count(v)) => accelerator.l2_bandwidth = v,
            (Param::NocBandwidth, ParamValue::Count(v)) => {
                dist.bandwidth = v;
                coll.bandwidth = v;
            }
            (Param::NocHopLatency, ParamValue::Count(v)) => {
                dist.hop_latency = v;
                coll.hop_latency = v;
            }
            (Param::NocTopology, ParamValue::Topology(t)) => {
                dist.topology = t;
                coll.topology = t;
            }
            (Param::NocMulticast | Param::DistributionMulticast, ParamValue::Bool(b)) => {
                dist.multicast = b
            }
            (Param::NocReduction | Param::CollectionImplicitReduction, ParamValue::Bool(b)) => {
                coll.implicit_reduction = b
            }
            (Param::DistributionBandwidth, ParamValue::Count(v)) => dist.bandwidth = v,
            (Param::DistributionHopLatency, ParamValue::Count(v)) => dist.hop_latency = v,
            (Param::DistributionTopology, ParamValue::Topology(t)) => dist.topology = t,
            (Param::CollectionBandwidth, ParamValue::Count(v)) => coll.bandwidth = v,
            (Param::CollectionHopLatency, ParamValue::Count(v)) => coll.hop_latency = v,
            (Param::CollectionReductionOp, ParamValue::Bool(b)) => coll.reduction_op = b,
            (Param::CollectionTopology, ParamValue::Topology(t)) => coll.topology = t,
            (Param::OffchipBandwidth, ParamValue::Count(v)) => accelerator.offchip.bandwidth = v,
            (Param::OffchipLatency, ParamValue::Count(v)) => accelerator.offchip.latency = v,
            _ => {}
        }
    }

    /// The parameter's value on `accelerator` (for a parameter setting two fields, the distribution
    /// NoC's).
    pub fn value_of(self, accelerator: &Accelerator) -> ParamValue {
        let dist = &accelerator.distribution_noc;
        let coll = &accelerator.collection_noc;
        match self {
            Param::PeCount => ParamValue::Count(accelerator.num_pes),
            Param::SimdLanes => ParamValue::Count(accelerator.simd_lanes),
            Param::MacPipelineLatency => ParamValue::Count(accelerator.mac_pipeline_latency),
            Param::L1Size => ParamValue::Count(accelerator.l1_size),
            Param::L2Size => ParamValue::Count(accelerator.l2_size),
            Param::L2Bandwidth => ParamValue::Count(accelerator.l2_bandwidth),
            Param::NocBandwidth | Param::DistributionBandwidth => ParamValue::Count(dist.bandwidth),
            Param::NocHopLatency | Param::DistributionHopLatency => {
                ParamValue::Count(dist.hop_latency)
            }
            Param::NocTopology | Param::DistributionTopology => ParamValue::Topology(dist.topology),
            Param::NocMulticast | Param::DistributionMulticast => ParamValue::Bool(dist.multicast),
            Param::NocReduction | Param::CollectionImplicitReduction => {
                ParamValue::Bool(coll.implicit_reduction)
            }
            Param::CollectionBandwidth => ParamValue::Count(coll.bandwidth),
            Param::CollectionHopLatency => ParamValue::Count(coll.hop_latency),
            Param::CollectionReductionOp => ParamValue::Bool(coll.reduction_op),
            Param::CollectionTopology => ParamValue::Topology(coll.topology),
            Param::OffchipBandwidth => ParamValue::Count(accelerator.offchip.bandwidth),
            Param::OffchipLatency => ParamValue::Count(accelerator.offchip.latency),
        }
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One value of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    Count(u64),
    Bool(bool),
    Topology(NocTopology),
}

impl ParamValue {
    /// The value as a number, for plots and the contention study (booleans 0/1, topologies by
    /// their order bus, tree, mesh).
    pub fn as_number(self) -> u64 {
        match self {
            ParamValue::Count(value) => value,
            ParamValue::Bool(value) => u64::from(value),
            ParamValue::Topology(NocTopology::Bus) => 0,
            ParamValue::Topology(NocTopology::Tree) => 1,
            ParamValue::Topology(NocTopology::Mesh) => 2,
        }
    }
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Count(value) => write!(f, "{value}"),
            ParamValue::Bool(value) => write!(f, "{value}"),
            ParamValue::Topology(topology) => f.write_str(topology_name(*topology)),
        }
    }
}

pub fn topology_name(topology: NocTopology) -> &'static str {
    match topology {
        NocTopology::Bus => "bus",
        NocTopology::Tree => "tree",
        NocTopology::Mesh => "mesh",
    }
}

/// A parameter and the values it takes, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParamSpec {
    pub param: Param,
    pub values: Vec<ParamValue>,
}

impl ParamSpec {
    /// Parses `NAME=VALUES` (see the module documentation).
    pub fn parse(spec: &str) -> Result<ParamSpec, StudyError> {
        let Some((name, values)) = spec.split_once('=') else {
            return Err(StudyError::BadSpec {
                spec: spec.to_owned(),
                reason: "expected NAME=VALUES, e.g. noc.bandwidth=1,2,4".into(),
            });
        };
        let name = name.trim();
        let param = Param::from_name(name).ok_or_else(|| StudyError::UnknownParam {
            name: name.to_owned(),
            known: known_names(),
        })?;
        let values = parse_values(param, values)?;
        Ok(ParamSpec { param, values })
    }

    /// The values of `param` from a list alone (the `maestro dse` range flags).
    pub fn with_values(param: Param, values: &str) -> Result<ParamSpec, StudyError> {
        Ok(ParamSpec {
            param,
            values: parse_values(param, values)?,
        })
    }
}

/// Every parameter name, comma-separated, for error messages and help.
pub fn known_names() -> String {
    Param::ALL.map(Param::name).join(", ")
}

fn parse_values(param: Param, text: &str) -> Result<Vec<ParamValue>, StudyError> {
    let bad = |value: &str, expected: String| StudyError::BadValue {
        param: param.name(),
        value: value.to_owned(),
        expected,
    };
    if text.trim().is_empty() {
        return Err(bad(
            text,
            "a non-empty, comma-separated list of values".into(),
        ));
    }
    let mut values: Vec<ParamValue> = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(bad(item, "a value between the commas".into()));
        }
        match param.kind() {
            ValueKind::Bool => values.push(ParamValue::Bool(
                parse_bool(item).ok_or_else(|| bad(item, "true or false".into()))?,
            )),
            ValueKind::Topology => values.push(ParamValue::Topology(match item {
                "bus" => NocTopology::Bus,
                "tree" => NocTopology::Tree,
                "mesh" => NocTopology::Mesh,
                _ => return Err(bad(item, "bus, tree or mesh".into())),
            })),
            ValueKind::Count { min, max } => {
                for value in parse_count_item(param, item, min, max)? {
                    values.push(ParamValue::Count(value));
                    if values.len() > MAX_VALUES_PER_PARAM {
                        return Err(bad(text, format!("at most {MAX_VALUES_PER_PARAM} values")));
                    }
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::with_capacity(values.len());
    for value in &values {
        if !seen.insert(*value) {
            return Err(bad(&value.to_string(), "each value once".into()));
        }
    }
    Ok(values)
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "on" | "yes" | "1" => Some(true),
        "false" | "off" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// One value or one range of a numeric parameter, checked against `min..=max`.
fn parse_count_item(param: Param, item: &str, min: u64, max: u64) -> Result<Vec<u64>, StudyError> {
    let number = |text: &str| -> Result<u64, StudyError> {
        let value: u64 = text.trim().parse().map_err(|_| StudyError::BadValue {
            param: param.name(),
            value: text.trim().to_owned(),
            expected: "a non-negative integer, or a range LO..HI [step S | x F]".into(),
        })?;
        if !(min..=max).contains(&value) {
            return Err(StudyError::OutOfRange {
                param: param.name(),
                value,
                min,
                max,
            });
        }
        Ok(value)
    };
    let Some((low, rest)) = item.split_once("..") else {
        return Ok(vec![number(item)?]);
    };
    let low = number(low)?;
    let rest = rest.trim();
    let (high, step) = if let Some((high, step)) = rest.split_once(" step ") {
        (high, Step::Add(positive(param, step)?))
    } else if let Some((high, factor)) = rest.split_once(" x ") {
        let factor = positive(param, factor)?;
        if factor < 2 {
            return Err(StudyError::BadValue {
                param: param.name(),
                value: item.to_owned(),
                expected: "a geometric factor of at least 2".into(),
            });
        }
        (high, Step::Multiply(factor))
    } else {
        (rest, Step::Add(1))
    };
    let high = number(high)?;
    if high < low {
        return Err(StudyError::BadValue {
            param: param.name(),
            value: item.to_owned(),
            expected: "a range whose end is not below its start".into(),
        });
    }
    let mut values = Vec::new();
    let mut value = low;
    loop {
        values.push(value);
        if values.len() > MAX_VALUES_PER_PARAM {
            return Err(StudyError::BadValue {
                param: param.name(),
                value: item.to_owned(),
                expected: format!("at most {MAX_VALUES_PER_PARAM} values"),
            });
        }
        let next = match step {
            Step::Add(step) => value.checked_add(step),
            // A zero start stays zero under multiplication: the range is just the start then.
            Step::Multiply(factor) if value > 0 => value.checked_mul(factor),
            Step::Multiply(_) => None,
        };
        match next {
            Some(next) if next <= high => value = next,
            _ => break,
        }
    }
    Ok(values)
}

#[derive(Clone, Copy)]
enum Step {
    Add(u64),
    Multiply(u64),
}

fn positive(param: Param, text: &str) -> Result<u64, StudyError> {
    match text.trim().parse::<u64>() {
        Ok(value) if value > 0 => Ok(value),
        _ => Err(StudyError::BadValue {
            param: param.name(),
            value: text.trim().to_owned(),
            expected: "a positive integer step".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(spec: &str) -> Vec<u64> {
        ParamSpec::parse(spec)
            .map(|spec| spec.values.iter().map(|value| value.as_number()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn lists_and_ranges_expand_in_order() {
        assert_eq!(counts("noc.bandwidth=1,2,4"), [1, 2, 4]);
        assert_eq!(counts("pe.count=64..256 step 64"), [64, 128, 192, 256]);
        assert_eq!(counts("pe.count=64..300 step 64"), [64, 128, 192, 256]);
        assert_eq!(counts("l2.size=1024..8192 x 2"), [1024, 2048, 4096, 8192]);
        assert_eq!(counts("pe.simd_lanes=1..3, 8"), [1, 2, 3, 8]);
        assert_eq!(counts("offchip.latency=0..100 x 2"), [0]);
    }

    #[test]
    fn every_name_round_trips_and_applies_to_what_value_of_reads() {
        for param in Param::ALL {
            assert_eq!(Param::from_name(param.name()), Some(param));
            let value = match param.kind() {
                ValueKind::Count { min, .. } => ParamValue::Count(min + 3),
                ValueKind::Bool => ParamValue::Bool(false),
                ValueKind::Topology => ParamValue::Topology(NocTopology::Mesh),
            };
            let mut accelerator = Accelerator::default();
            param.apply(&mut accelerator, value);
            assert_eq!(param.value_of(&accelerator), value, "{param}");
        }
    }

    #[test]
    fn bad_specs_name_the_problem() {
        let message = |spec: &str| match ParamSpec::parse(spec) {
            Ok(_) => String::from("accepted"),
            Err(error) => error.to_string(),
        };
        assert!(message("noc.bandwith=1").starts_with("unknown parameter `noc.bandwith`"));
        assert!(message("noc.bandwidth").contains("expected NAME=VALUES"));
        assert!(message("noc.bandwidth=0").contains("between 1 and 2147483647"));
        assert!(message("noc.bandwidth=1,,2").contains("a value between the commas"));
        assert!(message("noc.bandwidth=8..2").contains("not below its start"));
        assert!(message("noc.bandwidth=1,2,1").contains("each value once"));
        assert!(message("noc.multicast=maybe").contains("true or false"));
        assert!(message("noc.topology=ring").contains("bus, tree or mesh"));
        assert!(message("l2.size=1..100000000").contains("at most 100000 values"));
        assert!(message("pe.count=4..64 x 1").contains("at least 2"));
        assert!(message("pe.count=4..64 step 0").contains("positive integer step"));
    }

    #[test]
    fn parameters_setting_a_common_field_overlap() {
        assert!(Param::NocBandwidth.overlaps(Param::DistributionBandwidth));
        assert!(Param::NocMulticast.overlaps(Param::DistributionMulticast));
        assert!(!Param::NocBandwidth.overlaps(Param::NocHopLatency));
        assert!(!Param::DistributionBandwidth.overlaps(Param::CollectionBandwidth));
    }
}
