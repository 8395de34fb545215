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
