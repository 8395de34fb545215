//! A report as text: an aligned table for people, one CSV row or a JSON object (DRAMsim3's statistic
//! names) for tools.

use crate::stats::DramReport;

/// The report as an aligned two-column table.
pub fn render_table(report: &DramReport) -> String {
    let time_us = report.num_cycles as f64 * report.tck_ns / 1000.0;
    let percent = if report.peak_bandwidth > 0.0 {
        report.average_bandwidth / report.peak_bandwidth * 100.0
    } else {
        0.0
    };
    let rows: Vec<(&str, String)> = vec![
        ("configuration", report.name.clone()),
        ("channels", report.channels.to_string()),
        (
            "cycles",
            format!(
                "{} ({time_us:.3} us at tCK {} ns)",
                report.num_cycles, report.tck_ns
            ),
        ),
        (
            "requests done",
            format!(
                "{} reads, {} writes ({} B each)",
                report.num_reads_done, report.num_writes_done, report.request_bytes
            ),
        ),
        (
            "bandwidth",
            format!(
                "{:.3} GB/s of {:.3} GB/s peak ({percent:.1} %)",
                report.average_bandwidth, report.peak_bandwidth
            ),
        ),
        (
            "read latency",
            format!(
                "average {:.2} cycles ({:.2} ns), p99 {} cycles",
                report.average_read_latency,
                report.average_read_latency * report.tck_ns,
                report.p99_read_latency
            ),
        ),
        (
            "row buffer",
            format!(
                "hit rate {:.4}: {} hits, {} misses, {} conflicts",
                report.row_hit_rate,
                report.num_read_row_hits + report.num_write_row_hits,
                report.num_row_misses,
                report.num_row_conflicts
            ),
        ),
        (
            "commands",
            format!(
                "{} ACT, {} PRE, {} RD, {} WR, {} REF",
                report.num_act_cmds,
                report.num_pre_cmds,
                report.num_read_cmds,
                report.num_write_cmds,
                report.num_ref_cmds
            ),
        ),
        ("refreshes", report.num_ref_cmds.to_string()),
        (
            "energy",
            format!(
                "{:.1} nJ (ACT {:.1}, RD {:.1}, WR {:.1}, REF {:.1}; background not modelled)",
                report.command_energy / 1000.0,
                report.act_energy / 1000.0,
                report.read_energy / 1000.0,
                report.write_energy / 1000.0,
                report.ref_energy / 1000.0
            ),
        ),
    ];
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(key, value)| format!("{key:<width$}  {value}\n"))
        .collect()
}

/// The numeric fields of [`render_json`] as a header line and one row.
pub fn render_csv(report: &DramReport) -> String {
    let value = serde_json::to_value(report).unwrap_or(serde_json::Value::Null);
    let mut names = Vec::new();
    let mut values = Vec::new();
    if let serde_json::Value::Object(map) = value {
        for (name, value) in map {
            match value {
                serde_json::Value::Number(n) => {
                    names.push(name);
                    values.push(n.to_string());
                }
                serde_json::Value::String(s) if name == "name" => {
                    names.push(name);
                    values.push(csv_field(&s));
                }
                _ => {}
            }
        }
    }
    format!("{}\n{}\n", names.join(","), values.join(","))
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The report as pretty-printed JSON.
pub fn render_json(report: &DramReport) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}
