//! Golden tests of the validation renderings over a hand-made validation (no engines involved), and a
//! well-formedness check of the SVG plots.

use super::*;
use maestro_validate::summary::summarise;
use maestro_validate::{
    BucketCycles, GapAttribution, LayerComparison, NetworkValidation, Quantity, QuantityComparison,
    StallShares,
};

fn comparison(quantity: Quantity, analytical: f64, simulated: f64) -> QuantityComparison {
    QuantityComparison {
        quantity,
        analytical,
        simulated,
        error_percent: maestro_validate::signed_error_percent(analytical, simulated),
        compat: None,
        compat_error_percent: None,
    }
}

fn layer(index: usize, name: &str, runtime: (f64, f64), gap: BucketCycles) -> LayerComparison {
    let modelled = BucketCycles {
        compute: runtime.0 * 0.8,
        ingress: runtime.0 * 0.2,
        ..BucketCycles::default()
    };
    let simulated = BucketCycles {
        compute: modelled.compute + gap.compute,
        ingress: modelled.ingress + gap.ingress,
        egress: gap.egress,
        offchip: gap.offchip,
        noc_contention: gap.noc_contention,
        fill_drain: gap.fill_drain,
        edge_tiles: gap.edge_tiles,
    };
    LayerComparison {
        index,
        layer: name.to_owned(),
        layer_type: "CONV".to_owned(),
        pes_used: 64,
        quantities: vec![
            comparison(Quantity::Runtime, runtime.0, runtime.1),
            comparison(Quantity::Energy, 1500.5, 1400.0),
            comparison(Quantity::L2Reads, 4096.0, 4096.0),
            comparison(Quantity::NocElements, 5000.0, 0.0),
            comparison(Quantity::L1Requirement, 38.0, 40.0),
            comparison(Quantity::L2Requirement, 5768.0, 5000.0),
        ],
        attribution: GapAttribution {
            simulated,
            modelled,
            gap,
        },
        stalls: StallShares {
            computing: runtime.1 * 0.6,
            waiting_for_input: runtime.1 * 0.25,
            waiting_for_egress: runtime.1 * 0.05,
            waiting_for_offchip: 0.0,
            idle: runtime.1 * 0.1,
        },
        warnings: if index == 1 {
            vec!["one step needs 120 elements of L1 per PE".to_owned()]
        } else {
            Vec::new()
        },
    }
}

fn sample() -> NetworkValidation {
    let layers = vec![
        layer(
            0,
            "conv1",
            (1000.0, 1100.0),
            BucketCycles {
                noc_contention: 80.0,
                fill_drain: 20.0,
                ..BucketCycles::default()
            },
        ),
        layer(
            1,
            "conv2 <a&b>",
            (5000.0, 4900.0),
            BucketCycles {
                edge_tiles: -100.0,
                ..BucketCycles::default()
            },
        ),
        layer(2, "fc", (300.0, 300.0), BucketCycles::default()),
    ];
    NetworkValidation {
        network: "mini".to_owned(),
        accelerator: "example".to_owned(),
        compat: false,
        perturbation: None,
        summary: summarise(&layers),
        layers,
    }
}

#[test]
fn terminal_table_golden() {
    expect_test::expect_file!["golden/validation_table.txt"]
        .assert_eq(&render_validation_table(&sample()));
}

#[test]
fn markdown_report_golden() {
    expect_test::expect_file!["golden/validation_report.md"].assert_eq(
        &render_validation_markdown(&sample(), Some(&PlotFiles::with_prefix(""))),
    );
}

#[test]
fn csv_has_the_required_columns_and_one_row_per_layer() {
    let text = render_validation_csv(&sample());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    let header: Vec<&str> = lines[0].split(',').collect();
    for column in [
        "Layer",
        "Analytical Runtime (Cycles)",
        "Simulated Runtime (Cycles)",
        "Runtime Error (%)",
        "Analytical Energy (nJ)",
        "Simulated Energy (nJ)",
        "Energy Error (%)",
        "L2 Reads Error (%)",
        "NoC Elements Error (%)",
        "L1 Requirement Error (%)",
        "L2 Requirement Error (%)",
    ] {
        assert!(header.contains(&column), "missing column {column}");
    }
    let runtime_error = header
        .iter()
        .position(|&column| column == "Runtime Error (%)")
        .unwrap_or(usize::MAX);
    let first: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(first.get(runtime_error), Some(&"-9.09"));
    assert!(lines[2].contains("\"conv2 <a&b>\"") || lines[2].contains("conv2 <a&b>"));
    // An undefined error (simulated 0, analytical 5000) is an empty field.
    let noc_error = header
        .iter()
        .position(|&column| column == "NoC Elements Error (%)")
        .unwrap_or(usize::MAX);
    assert_eq!(first.get(noc_error), Some(&""));
}

#[test]
fn json_holds_every_layer_and_the_summary() {
    let text = render_validation_json(&sample());
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(value["layers"].as_array().map(Vec::len), Some(3));
    assert_eq!(value["layers"][0]["quantities"][0]["quantity"], "runtime");
    assert_eq!(value["summary"]["worst_layers"][0]["layer"], "conv1");
}

#[test]
fn every_plot_is_well_formed_svg() {
    let validation = sample();
    for (name, svg) in [
        ("error per layer", error_per_layer_svg(&validation)),
        ("runtime scatter", runtime_scatter_svg(&validation)),
        ("stall breakdown", stall_breakdown_svg(&validation)),
    ] {
        let svg = svg.unwrap_or_else(|error| panic!("{name}: {error}"));
        check_well_formed_xml(&svg).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(svg.contains("<svg"), "{name}: no svg element");
        assert!(svg.contains("conv2 &lt;a&amp;b&gt;") || name == "runtime scatter");
    }
    let empty = NetworkValidation {
        layers: Vec::new(),
        summary: summarise(&[]),
        ..validation
    };
    for svg in [
        error_per_layer_svg(&empty),
        runtime_scatter_svg(&empty),
        stall_breakdown_svg(&empty),
    ] {
        let svg = svg.unwrap_or_else(|error| panic!("empty network: {error}"));
        check_well_formed_xml(&svg).unwrap_or_else(|error| panic!("empty network: {error}"));
    }
}

#[test]
fn the_xml_check_rejects_broken_documents() {
    assert!(check_well_formed_xml("<a><b/></a>").is_ok());
    assert!(check_well_formed_xml("<a><b></a>").is_err());
    assert!(check_well_formed_xml("<a x=\"1\" y='2'>t &amp; u</a>").is_ok());
    assert!(check_well_formed_xml("<a x=1></a>").is_err());
    assert!(check_well_formed_xml("<a>&bogus;</a>").is_err());
    assert!(check_well_formed_xml("<a></a><b></b>").is_err());
    assert!(check_well_formed_xml("<a>").is_err());
}

/// A small well-formedness check: one root element, properly nested and closed tags, quoted
/// attribute values, only the predefined or numeric entities, and no stray `<`.
fn check_well_formed_xml(text: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = text.trim_start();
    if let Some(after) = rest.strip_prefix("<?xml") {
        let end = after.find("?>").ok_or("unterminated XML declaration")?;
        rest = &after[end + 2..];
    }
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or("unterminated comment")?;
            rest = &after[end + 3..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').ok_or("unterminated end tag")?;
            let name = after[..end].trim();
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').ok_or("unterminated start tag")?;
            let inside = &after[..end];
            let (inside, self_closing) = match inside.strip_suffix('/') {
                Some(inside) => (inside, true),
                None => (inside, false),
            };
            let name_end = inside
                .find(|c: char| c.is_whitespace())
                .unwrap_or(inside.len());
            let name = &inside[..name_end];
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || ":-_.".contains(c))
            {
                return Err(format!("bad element name {name:?}"));
            }
            check_attributes(&inside[name_end..])?;
            if stack.is_empty() {
                roots += 1;
                if roots > 1 {
                    return Err("more than one root element".into());
                }
            }
            if !self_closing {
                stack.push(name.to_owned());
            }
            rest = &after[end + 1..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let chunk = &rest[..end];
            if stack.is_empty() && !chunk.trim().is_empty() {
                return Err("text outside the root element".into());
            }
            check_entities(chunk)?;
            rest = &rest[end..];
        }
    }
    match (stack.last(), roots) {
        (Some(open), _) => Err(format!("<{open}> is never closed")),
        (None, 0) => Err("no root element".into()),
        _ => Ok(()),
    }
}

fn check_attributes(mut text: &str) -> Result<(), String> {
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return Ok(());
        }
        let equals = text
            .find('=')
            .ok_or(format!("attribute without value in {text:?}"))?;
        let name = text[..equals].trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("bad attribute name {name:?}"));
        }
        let value = text[equals + 1..].trim_start();
        let quote = value.chars().next().ok_or("missing attribute value")?;
        if quote != '"' && quote != '\'' {
            return Err(format!("unquoted value of attribute {name}"));
        }
        let close = value[1..]
            .find(quote)
            .ok_or(format!("unterminated value of attribute {name}"))?;
        let content = &value[1..1 + close];
        if content.contains('<') {
            return Err(format!("`<` in the value of attribute {name}"));
        }
        check_entities(content)?;
        text = &value[close + 2..];
    }
}

fn check_entities(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        let after = &rest[start + 1..];
        let end = after.find(';').ok_or("unterminated entity")?;
        let entity = &after[..end];
        let known = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity
                .strip_prefix("#x")
                .is_some_and(|hex| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()))
            || entity
                .strip_prefix('#')
                .is_some_and(|dec| !dec.is_empty() && dec.chars().all(|c| c.is_ascii_digit()));
        if !known {
            return Err(format!("unknown entity &{entity};"));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}
