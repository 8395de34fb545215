//! The committed baseline: per case and layer, the signed error of every quantity when the baseline
//! was last accepted (`maestro validate --suite DIR --update-baseline`). JSON, pretty-printed, errors
//! rounded to 1e-4 percentage points so that regenerating it on another machine changes no byte.

use crate::compare::NetworkValidation;
use crate::quantity::Quantity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// The version of the file layout; bumped when it changes incompatibly.
pub const BASELINE_FORMAT: u32 = 1;

/// Every accepted error of a suite.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub format: u32,
    pub cases: Vec<BaselineCase>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaselineCase {
    pub name: String,
    pub network: String,
    pub accelerator: String,
    pub layers: Vec<BaselineLayer>,
}

/// One layer: the runtimes (for readers of the file) and every quantity's signed error in percent
/// (`null` where it is undefined).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaselineLayer {
    pub layer: String,
    pub analytical_cycles: f64,
    pub simulated_cycles: f64,
    pub errors: BTreeMap<Quantity, Option<f64>>,
}

#[derive(Debug, Error)]
#[error("invalid baseline: {0}")]
pub struct BaselineError(String);

/// Rounds an error to 1e-4 percentage points (the baseline's resolution).
pub fn round_error(error: f64) -> f64 {
    let rounded = (error * 1e4).round() / 1e4;
    // Avoid "-0.0" in the file.
    if rounded == 0.0 {
        0.0
    } else {
        rounded
    }
}

impl Baseline {
    /// The baseline of successful case results, in the order given.
    pub fn from_results<'a>(
        results: impl IntoIterator<Item = (&'a str, &'a NetworkValidation)>,
    ) -> Baseline {
        let cases = results
            .into_iter()
            .map(|(name, validation)| BaselineCase {
                name: name.to_owned(),
                network: validation.network.clone(),
                accelerator: validation.accelerator.clone(),
                layers: validation
                    .layers
                    .iter()
                    .map(|layer| {
                        let runtime = layer.quantity(Quantity::Runtime);
                        BaselineLayer {
                            layer: layer.layer.clone(),
                            analytical_cycles: runtime.map_or(0.0, |q| q.analytical),
                            simulated_cycles: runtime.map_or(0.0, |q| q.simulated),
                            errors: layer
                                .quantities
                                .iter()
                                .map(|q| (q.quantity, q.error_percent.map(round_error)))
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect();
        Baseline {
            format: BASELINE_FORMAT,
            cases,
        }
    }

    pub fn case(&self, name: &str) -> Option<&BaselineCase> {
        self.cases.iter().find(|case| case.name == name)
    }

    /// The file's text: pretty JSON and a final line break.
    pub fn to_json(&self) -> String {
        // Strings, numbers, maps with string keys and options always serialise.
        let mut text = serde_json::to_string_pretty(self).expect("a baseline always serialises");
        text.push('\n');
        text
    }

    pub fn from_json(text: &str) -> Result<Baseline, BaselineError> {
        let baseline: Baseline =
            serde_json::from_str(text).map_err(|error| BaselineError(error.to_string()))?;
        if baseline.format != BASELINE_FORMAT {
            return Err(BaselineError(format!(
                "format {} is not the supported format {BASELINE_FORMAT}; regenerate it with \
                 --update-baseline",
                baseline.format
            )));
        }
        Ok(baseline)
    }
}

impl BaselineCase {
    pub fn layer(&self, name: &str) -> Option<&BaselineLayer> {
        self.layers.iter().find(|layer| layer.layer == name)
    }
}
