//! The CLI is one layer: a command's module uses the shared helpers (`shared`, `input`, `output`,
//! `settings`, …) and never another command's module; only the command table (`args.rs`) and the
//! dispatch (`main.rs`) name the commands.

use std::path::Path;

#[test]
fn no_module_but_the_command_table_and_dispatch_names_a_command_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in [src.clone(), src.join("commands")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 15, "{files:?}");
    for path in files {
        let name = path.strip_prefix(&src).unwrap().display().to_string();
        if ["args.rs", "main.rs", "commands/mod.rs"].contains(&name.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let names_command = code.contains("commands::")
                || (name.starts_with("commands/") && code.contains("super::"));
            assert!(
                !names_command,
                "{name}:{}: a module names another command's module: {line}",
                number + 1
            );
        }
    }
}
