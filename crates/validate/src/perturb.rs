//! Deliberate breakage of the analytical result, for proving that the regression gate can fail: a
//! perturbation rewrites the corrected model's numbers before they are compared. It never touches the
//! model itself; with [`Perturbation::None`] (the default) results pass through unchanged.

use crate::attribution::{attribute_model, ModelTime};
use maestro_cost::LayerCost;
use serde::Serialize;

/// A change applied to each layer's analytical result before comparison.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Perturbation {
    /// The model's numbers as computed.
    #[default]
    None,
    /// Every exposed ingress cycle (transfer time not hidden behind compute) is scaled by
    /// `numerator / denominator`, and the runtime with it: a model whose NoC seems that much faster.
    ScaleIngress { numerator: u64, denominator: u64 },
}

impl Perturbation {
    /// The model with its ingress halved.
    pub fn halved_ingress() -> Perturbation {
        Perturbation::ScaleIngress {
            numerator: 1,
            denominator: 2,
        }
    }

    /// A short description for reports; `None` when nothing is perturbed.
    pub fn describe(self) -> Option<String> {
        match self {
            Perturbation::None => None,
            Perturbation::ScaleIngress {
                numerator,
                denominator,
            } => Some(format!(
                "analytical ingress scaled by {numerator}/{denominator}"
            )),
        }
    }

    /// Applies the perturbation to one layer's corrected result (a `--compat` result, which has no
    /// breakdown, is left alone).
    pub fn apply(self, cost: &mut LayerCost, pes_used: u64, simd_lanes: u64) {
        let Perturbation::ScaleIngress {
            numerator,
            denominator,
        } = self
        else {
            return;
        };
        let Some(detail) = cost.detail.as_mut() else {
            return;
        };
        let runtime = u64::try_from(cost.row.runtime_cycles).unwrap_or(0);
        let macs = u64::try_from(cost.row.macs).unwrap_or(0);
        let exposed = attribute_model(
            ModelTime {
                runtime_cycles: runtime,
                breakdown: &detail.runtime,
                macs,
                simd_lanes,
            },
            pes_used,
        )
        .ingress as u64;
        let scaled = scale(exposed, numerator, denominator);
        let time = &mut detail.runtime;
        time.ingress = scale(time.ingress, numerator, denominator);
        // The runtime terms shrink (or grow) by the change of the exposed ingress, taken from the
        // steady steps first, then the edge steps, then the fill.
        if scaled <= exposed {
            let mut removed = exposed - scaled;
            for term in [&mut time.steady, &mut time.edge, &mut time.fill] {
                let taken = removed.min(*term);
                *term -= taken;
                removed -= taken;
            }
            cost.row.runtime_cycles =
                i64::try_from(runtime - (exposed - scaled - removed)).unwrap_or(i64::MAX);
        } else {
            let added = scaled - exposed;
            time.steady = time.steady.saturating_add(added);
            cost.row.runtime_cycles =
                i64::try_from(runtime.saturating_add(added)).unwrap_or(i64::MAX);
        }
    }
}

fn scale(value: u64, numerator: u64, denominator: u64) -> u64 {
    let scaled = u128::from(value) * u128::from(numerator) / u128::from(denominator.max(1));
    u64::try_from(scaled).unwrap_or(u64::MAX)
}
