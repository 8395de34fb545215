//! File names and text: extensions in any case, Unicode names and a byte-order mark end to end.

mod common;

use common::{maestro, transcript, workspace_root};

#[test]
fn extensions_are_recognised_in_any_case_and_unicode_names_pass_through() {
    let directory = std::env::temp_dir().join(format!("maestro-text-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    let hardware = directory.join("EXAMPLE.TOML");
    std::fs::copy(workspace_root().join("hardware/example.toml"), &hardware).expect("copied");
    let model = directory.join("UNI.M");
    std::fs::write(
        &model,
        "\u{FEFF}Network réseau {\n  Layer café_ℓayer {\n    Type: CONV\n    Dimensions { K: 4, C: 4, R: 1, S: 1, Y: 4, X: 4 }\n  }\n}\n",
    )
    .expect("writable");
    let output = maestro(&[
        "analyze",
        "--model",
        &model.display().to_string(),
        "--dataflow",
        "kcp_ws",
        "--hw",
        &hardware.display().to_string(),
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("réseau,café_ℓayer,"),
        "{}",
        transcript(&output)
    );
    let _ = std::fs::remove_dir_all(&directory);
}

#[test]
fn a_very_long_name_is_cut_in_tables_and_kept_whole_in_csv() {
    // Rendering a table used to take time quadratic in the name (19 s for 10 MB).
    let name = "n".repeat(1 << 20);
    let path = std::env::temp_dir().join(format!("maestro-long-{}.m", std::process::id()));
    std::fs::write(
        &path,
        format!("Network long {{\n  Layer {name} {{\n    Type: CONV\n    Dimensions {{ K: 4, C: 4, R: 1, S: 1, Y: 4, X: 4 }}\n  }}\n}}\n"),
    )
    .expect("writable");
    let path_text = path.display().to_string();
    let table = maestro(&["analyze", "--model", &path_text, "--dataflow", "kcp_ws"]);
    let stdout = String::from_utf8_lossy(&table.stdout);
    assert_eq!(table.status.code(), Some(0), "{}", transcript(&table));
    assert!(stdout.contains(&format!("{}…", "n".repeat(47))) && stdout.len() < 10_000);
    let csv = maestro(&[
        "analyze",
        "--model",
        &path_text,
        "--dataflow",
        "kcp_ws",
        "--format",
        "csv",
    ]);
    assert!(String::from_utf8_lossy(&csv.stdout).contains(&name));
    let _ = std::fs::remove_file(&path);
}
