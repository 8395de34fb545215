//! The quantities the harness compares between the analytical model and the simulator, and the signed
//! relative error of one comparison.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One number both engines report for a layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Cycles to run the layer.
    Runtime,
    /// Activity-count energy in nJ.
    Energy,
    /// Elements read from the global buffer (all tensors).
    L2Reads,
    /// Elements put on the NoCs (once per multicast; distribution and collection).
    NocElements,
    /// Elements one PE must hold.
    L1Requirement,
    /// Elements the global buffer must hold.
    L2Requirement,
}

impl Quantity {
    /// Every quantity, in report order.
    pub const ALL: [Quantity; 6] = [
        Quantity::Runtime,
        Quantity::Energy,
        Quantity::L2Reads,
        Quantity::NocElements,
        Quantity::L1Requirement,
        Quantity::L2Requirement,
    ];

    /// The key used in suite files, baselines and JSON (`runtime`, `l2_reads`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Quantity::Runtime => "runtime",
            Quantity::Energy => "energy",
            Quantity::L2Reads => "l2_reads",
            Quantity::NocElements => "noc_elements",
            Quantity::L1Requirement => "l1_requirement",
            Quantity::L2Requirement => "l2_requirement",
        }
    }

    /// The name used in column headers (`Runtime`, `L2 Reads`, ...).
    pub fn label(self) -> &'static str {
        match self {
            Quantity::Runtime => "Runtime",
            Quantity::Energy => "Energy",
            Quantity::L2Reads => "L2 Reads",
            Quantity::NocElements => "NoC Elements",
            Quantity::L1Requirement => "L1 Requirement",
            Quantity::L2Requirement => "L2 Requirement",
        }
    }

    /// The unit of the quantity's values.
    pub fn unit(self) -> &'static str {
        match self {
            Quantity::Runtime => "Cycles",
            Quantity::Energy => "nJ",
            _ => "Elements",
        }
    }

    pub fn from_key(key: &str) -> Option<Quantity> {
        Quantity::ALL
            .into_iter()
            .find(|quantity| quantity.key() == key)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The signed relative error of `analytical` against `simulated`, in percent: positive when the model
/// predicts more than the simulator measured. The simulator is the reference because it plays every
/// event. Two zeros agree (0 %); a non-zero prediction of a zero measurement has no relative error
/// (`None`).
pub fn signed_error_percent(analytical: f64, simulated: f64) -> Option<f64> {
    if simulated == 0.0 {
        return (analytical == 0.0).then_some(0.0);
    }
    let error = (analytical - simulated) / simulated * 100.0;
    error.is_finite().then_some(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_are_unique() {
        for quantity in Quantity::ALL {
            assert_eq!(Quantity::from_key(quantity.key()), Some(quantity));
        }
        assert_eq!(Quantity::from_key("latency"), None);
    }

    #[test]
    fn errors_are_relative_to_the_simulator() {
        let over = signed_error_percent(110.0, 100.0).unwrap_or(f64::NAN);
        assert!((over - 10.0).abs() < 1e-9);
        assert_eq!(signed_error_percent(90.0, 100.0), Some(-10.0));
        assert_eq!(signed_error_percent(0.0, 0.0), Some(0.0));
        assert_eq!(signed_error_percent(5.0, 0.0), None);
    }
}
