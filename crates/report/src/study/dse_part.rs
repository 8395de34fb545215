//! The lines of a sharded exploration's part (`maestro dse --shard`): the header line is the
//! exploration's summary (one JSON object; floats as their shortest round-trip text, so a merge
//! rebuilds them bit for bit), and each block is one candidate's outcome line:
//!
//! ```text
//! ok DATAFLOW PES L1 L2 BANDWIDTH RUNTIME ENERGY AREA_MM2 POWER_MW
//! invalid DATAFLOW PES L1 L2 BANDWIDTH "REASON (a JSON string)"
//! ```
//!
//! `DATAFLOW` is the index into the summary's dataflows. Merging the parts gives every candidate's
//! outcome in order, and [`maestro_study::assemble_dse`] turns them into the result a whole run
//! gives, byte for byte in every format.

use super::part::{merge_parts, PartError};
use maestro_study::{
    assemble_dse, Dataflow, DseAxes, DseCandidate, DseNumbers, DseOutcome, DseResult, DseSummary,
    Objective,
};
use serde::{Deserialize, Serialize};
use std::io::BufRead;

#[derive(Serialize, Deserialize)]
struct SummaryLine {
    network: String,
    objective: String,
    area_cap_mm2: Option<String>,
    power_cap_mw: Option<String>,
    pes: Vec<u64>,
    l1: Vec<u64>,
    l2: Vec<u64>,
    bandwidth: Vec<u64>,
    space: u64,
    pruned: u64,
    layers: u64,
    dataflows: Vec<String>,
}

/// The summary as the part's header line (no newline).
pub fn render_dse_summary_line(summary: &DseSummary) -> String {
    let line = SummaryLine {
        network: summary.network.clone(),
        objective: summary.objective.name().to_owned(),
        area_cap_mm2: summary.area_cap_mm2.map(|cap| cap.to_string()),
        power_cap_mw: summary.power_cap_mw.map(|cap| cap.to_string()),
        pes: summary.axes.pes.clone(),
        l1: summary.axes.l1.clone(),
        l2: summary.axes.l2.clone(),
        bandwidth: summary.axes.bandwidth.clone(),
        space: summary.space,
        pruned: summary.pruned,
        layers: summary.layers,
        dataflows: summary
            .dataflows
            .iter()
            .map(|label| (*label).to_owned())
            .collect(),
    };
    serde_json::to_string(&line).unwrap_or_default()
}

/// The label of a dataflow as the study names it (`mapping` or a template's name).
fn dataflow_label(name: &str) -> Option<&'static str> {
    Dataflow::from_label(name).map(Dataflow::label)
}

/// Reads a summary header line.
pub fn read_dse_summary_line(text: &str) -> Result<DseSummary, String> {
    let line: SummaryLine = serde_json::from_str(text)
        .map_err(|error| format!("not an exploration's summary: {error}"))?;
    let objective = [Objective::Runtime, Objective::Energy, Objective::Edp]
        .into_iter()
        .find(|objective| objective.name() == line.objective)
        .ok_or_else(|| format!("unknown objective `{}`", line.objective))?;
    let cap = |text: Option<String>| {
        text.map(|text| {
            text.parse::<f64>()
                .map_err(|_| format!("expected a number for a cap, found `{text}`"))
        })
        .transpose()
    };
    let dataflows = line
        .dataflows
        .iter()
        .map(|name| dataflow_label(name).ok_or_else(|| format!("unknown dataflow `{name}`")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DseSummary {
        network: line.network,
        objective,
        area_cap_mm2: cap(line.area_cap_mm2)?,
        power_cap_mw: cap(line.power_cap_mw)?,
        axes: DseAxes {
            pes: line.pes,
            l1: line.l1,
            l2: line.l2,
            bandwidth: line.bandwidth,
        },
        space: line.space,
        pruned: line.pruned,
        layers: line.layers,
        dataflows,
    })
}

/// One candidate's outcome as a block's line (with its newline).
pub fn render_dse_outcome_line(outcome: &DseOutcome) -> String {
    let c = &outcome.candidate;
    let point = format!(
        "{} {} {} {} {}",
        c.dataflow_index, c.pes, c.l1, c.l2, c.bandwidth
    );
    match &outcome.result {
        Ok(n) => format!(
            "ok {point} {} {} {} {}\n",
            n.runtime, n.energy, n.area_mm2, n.power_mw
        ),
        Err(reason) => format!(
            "invalid {point} {}\n",
            serde_json::to_string(reason).unwrap_or_default()
        ),
    }
}

/// Reads an outcome line.
pub fn read_dse_outcome_line(line: &str) -> Result<DseOutcome, String> {
    let bad = || format!("expected an outcome (`ok …` or `invalid …`), found `{line}`");
    let (verdict, rest) = line.split_once(' ').ok_or_else(bad)?;
    let mut fields = rest.splitn(6, ' ');
    let mut whole = || -> Result<u64, String> {
        fields
            .next()
            .and_then(|field| field.parse().ok())
            .ok_or_else(bad)
    };
    let dataflow_index = usize::try_from(whole()?).map_err(|_| bad())?;
    let candidate = DseCandidate {
        dataflow_index,
        pes: whole()?,
        l1: whole()?,
        l2: whole()?,
        bandwidth: whole()?,
    };
    let tail = fields.next().ok_or_else(bad)?;
    let result = match verdict {
        "ok" => {
            let parts: Vec<&str> = tail.split(' ').collect();
            let [runtime, energy, area, power] = parts[..] else {
                return Err(bad());
            };
            let real = |text: &str| text.parse::<f64>().map_err(|_| bad());
            Ok(DseNumbers {
                runtime: runtime.parse().map_err(|_| bad())?,
                energy: real(energy)?,
                area_mm2: real(area)?,
                power_mw: real(power)?,
            })
        }
        "invalid" => Err(serde_json::from_str::<String>(tail).map_err(|_| bad())?),
        _ => return Err(bad()),
    };
    Ok(DseOutcome { candidate, result })
}

/// Merges the parts of a sharded exploration (checked whole with `verify_part` first) into its
/// result.
pub fn merge_dse_parts<R: BufRead>(
    parts: Vec<(String, R)>,
    out_name: &str,
) -> Result<DseResult, PartError> {
    let mut text = String::new();
    merge_parts(
        parts,
        &mut |piece| {
            text.push_str(piece);
            Ok(())
        },
        out_name,
    )?;
    let malformed = |line: usize, message: String| PartError::Malformed {
        part: out_name.to_owned(),
        line,
        message,
    };
    let mut lines = text.lines();
    let summary = read_dse_summary_line(lines.next().unwrap_or_default())
        .map_err(|message| malformed(4, message))?;
    let mut outcomes = Vec::new();
    for (index, line) in lines.enumerate() {
        let outcome = read_dse_outcome_line(line)
            .map_err(|message| malformed(index, format!("candidate {index}: {message}")))?;
        outcomes.push(outcome);
    }
    Ok(assemble_dse(summary, outcomes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_lines_round_trip_bit_for_bit() {
        let candidate = DseCandidate {
            dataflow_index: 1,
            pes: 64,
            l1: 512,
            l2: 65536,
            bandwidth: 32,
        };
        for result in [
            Ok(DseNumbers {
                runtime: 123_456,
                energy: 0.1 + 0.2,
                area_mm2: 1.0 / 3.0,
                power_mw: 1e-300,
            }),
            Err("a \"quoted\" reason,\nover two lines".to_owned()),
        ] {
            let outcome = DseOutcome { candidate, result };
            let line = render_dse_outcome_line(&outcome);
            assert_eq!(line.lines().count(), 1);
            assert_eq!(read_dse_outcome_line(line.trim_end()), Ok(outcome));
        }
        assert!(read_dse_outcome_line("ok 1 2 3").is_err());
        assert!(read_dse_outcome_line("maybe 0 1 2 3 4 5").is_err());
    }

    #[test]
    fn summary_lines_round_trip() {
        let summary = DseSummary {
            network: "net \"x\"".to_owned(),
            objective: Objective::Energy,
            area_cap_mm2: Some(0.1 + 0.2),
            power_cap_mw: None,
            axes: DseAxes::default(),
            space: 1225,
            pruned: 7,
            layers: 3,
            dataflows: vec!["mapping", "kcp_ws"],
        };
        let line = render_dse_summary_line(&summary);
        assert!(!line.contains('\n'));
        assert_eq!(read_dse_summary_line(&line), Ok(summary));
    }
}
