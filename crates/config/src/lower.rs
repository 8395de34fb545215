//! Range checks on the parsed values and their assembly into a `maestro_ir::Accelerator`, starting from
//! `Accelerator::default()` so that every key is optional.

use crate::error::ConfigProblem;
use crate::schema::AcceleratorFile;
use maestro_ir::limits::{MAX_PES, MAX_SIZE};
use maestro_ir::Accelerator;
use toml::Spanned;

/// Largest accepted latency in cycles (shared with the reference-format reader).
pub const MAX_LATENCY: u64 = maestro_ir::limits::MAX_LATENCY;

/// Largest accepted energy of one event, in nanojoules (one millijoule per MAC or access is absurd).
pub const MAX_EVENT_ENERGY_NJ: f64 = 1e6;

/// Applies every present value onto `Accelerator::default()`, collecting every out-of-range value.
/// On failure, returns the first problem and the others.
pub(crate) fn lower(
    file: AcceleratorFile,
) -> Result<Accelerator, (ConfigProblem, Vec<ConfigProblem>)> {
    let mut accelerator = Accelerator::default();
    let mut problems = Vec::new();
    if let Some(name) = file.name {
        if name.get_ref().trim().is_empty() {
            problems.push(problem(
                &name,
                "the name is empty",
                "expected a non-empty string",
            ));
        } else {
            accelerator.name = name.into_inner();
        }
    }
    let mut checker = Checker {
        problems: &mut problems,
    };
    if let Some(pe) = file.pe {
        checker.count(&pe.count, 1, MAX_PES, "PE count", &mut accelerator.num_pes);
        checker.count(
            &pe.simd_lanes,
            1,
            MAX_SIZE,
            "SIMD lane count",
            &mut accelerator.simd_lanes,
        );
        checker.count(
            &pe.mac_pipeline_latency,
            0,
            MAX_LATENCY,
            "MAC pipeline latency",
            &mut accelerator.mac_pipeline_latency,
        );
    }
    if let Some(l1) = file.l1 {
        checker.count(&l1.size, 1, MAX_SIZE, "L1 size", &mut accelerator.l1_size);
    }
    if let Some(l2) = file.l2 {
        checker.count(&l2.size, 1, MAX_SIZE, "L2 size", &mut accelerator.l2_size);
        checker.count(
            &l2.bandwidth,
            1,
            MAX_SIZE,
            "L2 bandwidth",
            &mut accelerator.l2_bandwidth,
        );
    }
    if let Some(noc) = file.noc {
        if let Some(section) = noc.distribution {
            let target = &mut accelerator.distribution_noc;
            checker.count(
                &section.bandwidth,
                1,
                MAX_SIZE,
                "distribution NoC bandwidth",
                &mut target.bandwidth,
            );
            checker.count(
                &section.hop_latency,
                0,
                MAX_LATENCY,
                "distribution NoC hop latency",
                &mut target.hop_latency,
            );
            target.multicast = section.multicast.unwrap_or(target.multicast);
            target.topology = section.topology.unwrap_or(target.topology);
        }
        if let Some(section) = noc.collection {
            let target = &mut accelerator.collection_noc;
            checker.count(
                &section.bandwidth,
                1,
                MAX_SIZE,
                "collection NoC bandwidth",
                &mut target.bandwidth,
            );
            checker.count(
                &section.hop_latency,
                0,
                MAX_LATENCY,
                "collection NoC hop latency",
                &mut target.hop_latency,
            );
            target.implicit_reduction = section
                .implicit_reduction
                .unwrap_or(target.implicit_reduction);
            target.reduction_op = section.reduction_op.unwrap_or(target.reduction_op);
            target.topology = section.topology.unwrap_or(target.topology);
        }
    }
    if let Some(offchip) = file.offchip {
        let target = &mut accelerator.offchip;
        checker.count(
            &offchip.bandwidth,
            1,
            MAX_SIZE,
            "off-chip bandwidth",
            &mut target.bandwidth,
        );
        checker.count(
            &offchip.latency,
            0,
            MAX_LATENCY,
            "off-chip latency",
            &mut target.latency,
        );
        target.duplex = offchip.duplex.unwrap_or(target.duplex);
    }
    if let Some(energy) = file.energy {
        let target = &mut accelerator.energy;
        checker.energy(&energy.mac, "MAC energy", &mut target.mac);
        checker.energy(&energy.l1_access, "L1 access energy", &mut target.l1_access);
        checker.energy(&energy.l2_access, "L2 access energy", &mut target.l2_access);
        checker.energy(
            &energy.offchip_access,
            "off-chip access energy",
            &mut target.offchip_access,
        );
        checker.energy(&energy.noc_hop, "NoC hop energy", &mut target.noc_hop);
    }
    let mut problems = problems.into_iter();
    match problems.next() {
        None => Ok(accelerator),
        Some(first) => Err((first, problems.collect())),
    }
}

/// Copies checked values into their destination and records the ones out of range.
struct Checker<'a> {
    problems: &'a mut Vec<ConfigProblem>,
}

impl Checker<'_> {
    fn count(
        &mut self,
        value: &Option<Spanned<u64>>,
        min: u64,
        max: u64,
        what: &str,
        target: &mut u64,
    ) {
        let Some(value) = value else { return };
        let number = *value.get_ref();
        if number < min {
            let message = format!("the {what} must be at least {min}, found {number}");
            self.problems
                .push(problem(value, &message, &format!("expected {min} or more")));
        } else if number > max {
            let message = format!("the {what} must be at most {max}, found {number}");
            self.problems
                .push(problem(value, &message, &format!("expected at most {max}")));
        } else {
            *target = number;
        }
    }

    fn energy(&mut self, value: &Option<Spanned<f64>>, what: &str, target: &mut f64) {
        let Some(value) = value else { return };
        let number = *value.get_ref();
        if (0.0..=MAX_EVENT_ENERGY_NJ).contains(&number) {
            *target = number;
        } else {
            let message = format!(
                "the {what} must be a finite number of nanojoules between 0 and {MAX_EVENT_ENERGY_NJ}, \
                 found {number}"
            );
            self.problems
                .push(problem(value, &message, "expected 0 ≤ energy ≤ 1e6 nJ"));
        }
    }
}

fn problem<T>(value: &Spanned<T>, message: &str, label: &str) -> ConfigProblem {
    let span = value.span();
    ConfigProblem {
        message: message.to_owned(),
        span: Some((span.start, span.end - span.start).into()),
        label: label.to_owned(),
    }
}
