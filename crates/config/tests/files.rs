//! Data-driven tests over files: every TOML preset in `hardware/` parses (and its lowered accelerator
//! matches a golden), and every file in `tests/bad/` is rejected with the rendered diagnostic stored
//! beside it (`UPDATE_EXPECT=1 cargo test -p maestro-config` refreshes the goldens).

use expect_test::expect_file;
use maestro_config::parse_accelerator_toml;
use miette::{GraphicalReportHandler, GraphicalTheme};
use std::path::{Path, PathBuf};

fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|found| found == extension))
        .collect();
    files.sort();
    files
}

fn render(diagnostic: &dyn miette::Diagnostic) -> String {
    let mut text = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut text, diagnostic)
        .expect("rendering into a String cannot fail");
    text
}

#[test]
fn every_preset_parses() {
    let hardware = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../hardware");
    let presets = files_with_extension(&hardware, "toml");
    let names: Vec<_> = presets
        .iter()
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["cloud1024", "edge64", "example", "eyeriss", "maeri"]
    );
    for path in presets {
        let text = std::fs::read_to_string(&path).unwrap();
        let file_name = format!("hardware/{}", path.file_name().unwrap().to_string_lossy());
        let accelerator = match parse_accelerator_toml(&file_name, &text) {
            Ok(accelerator) => accelerator,
            Err(error) => panic!("{}", render(&error)),
        };
        let golden = Path::new("presets").join(path.with_extension("txt").file_name().unwrap());
        expect_file![golden].assert_eq(&format!("{accelerator:#?}\n"));
    }
}

#[test]
fn every_bad_file_is_rejected_with_its_golden_diagnostic() {
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let files = files_with_extension(&bad, "toml");
    assert!(files.len() >= 10, "the bad-file corpus went missing");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file_name = format!("bad/{}", path.file_name().unwrap().to_string_lossy());
        let Err(error) = parse_accelerator_toml(&file_name, &text) else {
            panic!("{file_name} was accepted");
        };
        let golden = Path::new("bad").join(path.with_extension("txt").file_name().unwrap());
        expect_file![golden].assert_eq(&render(&error));
    }
}
