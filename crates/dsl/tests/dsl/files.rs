//! Data-driven golden tests: every `tests/bad/*.m` must fail and its rendered diagnostics match the
//! `.txt` beside it; every `tests/good/*.m` must parse and its normalised form match the `.out` beside it.
//! Files named `hw*.m` are hardware files. Refresh with `UPDATE_EXPECT=1`.

use expect_test::expect_file;
use maestro_dsl::{parse_hardware, parse_network, write_network, Diagnostics};
use miette::{GraphicalReportHandler, GraphicalTheme};
use std::path::{Path, PathBuf};

fn inputs(directory: &str) -> Vec<PathBuf> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(directory);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&directory)
        .expect("test directory exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "m"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no .m files in {}", directory.display());
    paths
}

fn is_hardware(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with("hw"))
}

/// A summary line per diagnostic, then miette's graphical rendering without colour, in ASCII, 100 wide.
fn render(diagnostics: &Diagnostics) -> String {
    let mut text = String::new();
    for diagnostic in diagnostics.iter() {
        text.push_str(&format!(
            "{}:{}:{}: {}\n",
            diagnostic.file_name(),
            diagnostic.line(),
            diagnostic.column(),
            diagnostic.message()
        ));
    }
    text.push('\n');
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::none()).with_width(100);
    handler
        .render_report(&mut text, diagnostics)
        .expect("rendering to a String cannot fail");
    text
}

#[test]
fn bad_inputs_fail_with_the_golden_diagnostics() {
    for path in inputs("bad") {
        let bytes = std::fs::read(&path).expect("readable test input");
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .expect("UTF-8 file name");
        let diagnostics = if is_hardware(&path) {
            parse_hardware(name, &bytes).expect_err(name)
        } else {
            parse_network(name, &bytes)
                .map(|parsed| parsed.network)
                .expect_err(name)
        };
        expect_file![path.with_extension("txt")].assert_eq(&render(&diagnostics));
    }
}

#[test]
fn good_inputs_parse_to_the_golden_normal_form() {
    for path in inputs("good") {
        let bytes = std::fs::read(&path).expect("readable test input");
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .expect("UTF-8 file name");
        let output = if is_hardware(&path) {
            format!(
                "{:#?}\n",
                parse_hardware(name, &bytes)
                    .unwrap_or_else(|errors| panic!("{name}: {}", render(&errors)))
            )
        } else {
            let parsed = parse_network(name, &bytes)
                .unwrap_or_else(|errors| panic!("{name}: {}", render(&errors)));
            let written = write_network(&parsed.network);
            let again =
                parse_network("written.m", written.as_bytes()).expect("the written form parses");
            assert_eq!(
                again.network, parsed.network,
                "{name}: write/parse round trip"
            );
            let macs: Vec<String> = parsed
                .network
                .layers
                .iter()
                .map(|layer| {
                    format!(
                        "// {}: {} MACs",
                        layer.name,
                        layer.loop_bounds().expect("validated layer").macs()
                    )
                })
                .collect();
            format!("{}\n{written}", macs.join("\n"))
        };
        expect_file![path.with_extension("out")].assert_eq(&output);
    }
}

#[test]
fn spans_point_at_what_was_written() {
    let text =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/good/row_stationary.m"))
            .expect("test input");
    let parsed = parse_network("row_stationary.m", &text).expect("valid file");
    let source = std::str::from_utf8(&text).expect("UTF-8");
    let first = &parsed.source_map.layers[0];
    let layer = &parsed.network.layers[0];
    assert_eq!(&source[first.name.start..first.name.end], "Conv2d-3");
    assert_eq!(
        &source[first.layer_type.start..first.layer_type.end],
        "CONV"
    );
    assert_eq!(first.dimensions.len(), layer.dimensions.len());
    assert_eq!(
        &source[first.dimensions[1].start..first.dimensions[1].end],
        "K: 16"
    );
    let mapping = layer.mapping.as_ref().expect("mapped");
    assert_eq!(first.directives.len(), mapping.directives.len());
    assert_eq!(
        &source[first.directives[1].start..first.directives[1].end],
        "TemporalMap(1,1) X’"
    );
    assert!(source[first.block.start..first.block.end].starts_with("Layer Conv2d-3 {"));
    assert!(source[first.block.start..first.block.end].ends_with('}'));
}

#[test]
fn single_builds_a_located_diagnostic() {
    let source = "Network N {\n  Layer L {\n    Dataflow { Cluster(512, P); }\n  }\n}\n";
    let start = source.find("Cluster").expect("present");
    let span = maestro_dsl::Span {
        start,
        end: start + "Cluster(512, P)".len(),
    };
    let diagnostics = Diagnostics::single(
        "n.m",
        source,
        span,
        "cluster of 512 PEs on a 256-PE accelerator".to_string(),
        Some("use a cluster size of at most 256".to_string()),
    );
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics.to_string(), "1 error in n.m");
    let diagnostic = diagnostics.iter().next().expect("one");
    assert_eq!((diagnostic.line(), diagnostic.column()), (3, 16));
    assert_eq!(diagnostic.label(), "found `Cluster(512, P)`");
}
