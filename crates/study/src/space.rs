//! The cartesian product of the swept parameters' values. Points are numbered in row-major order:
//! the first parameter varies slowest, the last fastest, so results come out in the order the
//! parameters and their values were written.

use crate::error::StudyError;
use crate::param::{Param, ParamSpec, ParamValue};
use maestro_ir::Accelerator;
use serde::Serialize;

/// The most design points a study enumerates (over all dataflows).
pub const MAX_POINTS: u64 = 1_000_000;

/// The swept parameters, each with its values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SweepSpace {
    specs: Vec<ParamSpec>,
    points: u64,
}

impl SweepSpace {
    /// Checks that no two parameters set the same field and that the product is at most
    /// [`MAX_POINTS`] points. No parameter at all is one point: the base hardware.
    pub fn new(specs: Vec<ParamSpec>) -> Result<SweepSpace, StudyError> {
        for (index, spec) in specs.iter().enumerate() {
            if let Some(earlier) = specs[..index]
                .iter()
                .find(|earlier| earlier.param.overlaps(spec.param))
            {
                return Err(StudyError::Conflict {
                    first: earlier.param.name(),
                    second: spec.param.name(),
                });
            }
        }
        let points = specs
            .iter()
            .try_fold(1u128, |product, spec| {
                let product = product.saturating_mul(spec.values.len() as u128);
                (product <= u128::from(MAX_POINTS))
                    .then_some(product)
                    .ok_or(product)
            })
            .map_err(|points| StudyError::TooManyPoints {
                points,
                limit: MAX_POINTS,
            })?;
        Ok(SweepSpace {
            specs,
            // At most MAX_POINTS, so it fits.
            points: points as u64,
        })
    }

    pub fn specs(&self) -> &[ParamSpec] {
        &self.specs
    }

    pub fn params(&self) -> Vec<Param> {
        self.specs.iter().map(|spec| spec.param).collect()
    }

    /// The number of points (1 without parameters).
    pub fn len(&self) -> u64 {
        self.points
    }

    pub fn is_empty(&self) -> bool {
        self.points == 0
    }

    /// The values of point `index` (`index < len()`), one per parameter.
    pub fn values(&self, index: u64) -> Vec<ParamValue> {
        let mut values = vec![ParamValue::Count(0); self.specs.len()];
        let mut rest = index;
        for (slot, spec) in values.iter_mut().zip(&self.specs).rev() {
            let count = spec.values.len() as u64;
            *slot = spec.values[(rest % count) as usize];
            rest /= count;
        }
        values
    }

    /// Overwrites the swept fields of `accelerator` with point `index`'s values, without allocating
    /// (a scratch accelerator is reused from point to point: every point sets every swept field).
    pub fn apply_point(&self, accelerator: &mut Accelerator, index: u64) {
        let mut rest = index;
        for spec in self.specs.iter().rev() {
            let count = spec.values.len() as u64;
            spec.param
                .apply(accelerator, spec.values[(rest % count) as usize]);
            rest /= count;
        }
    }

    /// `base` with the given values (one per parameter) applied.
    pub fn accelerator(&self, base: &Accelerator, values: &[ParamValue]) -> Accelerator {
        let mut accelerator = base.clone();
        for (spec, &value) in self.specs.iter().zip(values) {
            spec.param.apply(&mut accelerator, value);
        }
        accelerator
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_parameter_varies_slowest() {
        let space = SweepSpace::new(vec![
            ParamSpec::parse("pe.count=64,128").unwrap_or_else(|error| panic!("{error}")),
            ParamSpec::parse("noc.multicast=true,false").unwrap_or_else(|error| panic!("{error}")),
        ])
        .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(space.len(), 4);
        let rendered: Vec<String> = (0..4)
            .map(|index| {
                let values = space.values(index);
                format!("{}/{}", values[0], values[1])
            })
            .collect();
        assert_eq!(rendered, ["64/true", "64/false", "128/true", "128/false"]);
    }

    #[test]
    fn overlapping_parameters_and_huge_spaces_are_refused() {
        let spec = |text: &str| ParamSpec::parse(text).unwrap_or_else(|error| panic!("{error}"));
        let conflict = SweepSpace::new(vec![
            spec("noc.bandwidth=1,2"),
            spec("noc.collection.bandwidth=4"),
        ]);
        assert_eq!(
            conflict.err().map(|error| error.to_string()).unwrap_or_default(),
            "noc.bandwidth and noc.collection.bandwidth set the same hardware field; sweep only one of them"
        );
        let huge = SweepSpace::new(vec![spec("pe.count=1..100000"), spec("l1.size=1..100")]);
        assert!(matches!(huge, Err(StudyError::TooManyPoints { .. })));
    }
}
