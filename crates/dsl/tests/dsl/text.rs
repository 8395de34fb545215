//! Text details of `.m` files: Unicode identifiers (XID), a UTF-8 byte-order mark, and an unreadable
//! character reported as the first cause without its cascade.

use maestro_dsl::parse_network;

const LAYER_BODY: &str =
    "{\n    Type: CONV\n    Dimensions { K: 4, C: 4, R: 1, S: 1, Y: 4, X: 4 }\n  }";

fn network(name: &str, layers: &[&str]) -> String {
    let layers: Vec<String> = layers
        .iter()
        .map(|layer| format!("  Layer {layer} {LAYER_BODY}"))
        .collect();
    format!("Network {name} {{\n{}\n}}\n", layers.join("\n"))
}

#[test]
fn unicode_letters_and_digits_are_names_without_quotes() {
    let text = network("réseau", &["café_ℓayer", "Ünïcødé_层", "層2"]);
    let parsed =
        parse_network("uni.m", text.as_bytes()).unwrap_or_else(|error| panic!("{error:?}"));
    assert_eq!(parsed.network.name, "réseau");
    let names: Vec<&str> = parsed
        .network
        .layers
        .iter()
        .map(|layer| layer.name.as_str())
        .collect();
    assert_eq!(names, ["café_ℓayer", "Ünïcødé_层", "層2"]);
}

#[test]
fn a_byte_order_mark_is_accepted_and_spans_count_after_it() {
    let text = format!("\u{FEFF}{}", network("n", &["a"]));
    let parsed =
        parse_network("bom.m", text.as_bytes()).unwrap_or_else(|error| panic!("{error:?}"));
    assert_eq!(parsed.network.layers[0].name, "a");
    let bad = format!("\u{FEFF}{}", network("n", &["a", "b c"]));
    let errors = parse_network("bom.m", bad.as_bytes()).unwrap_err();
    // `b c`: the error at `c` is on line 6, column 11, counted from after the mark.
    assert!(
        errors
            .iter()
            .any(|error| (error.line(), error.column()) == (6, 11)),
        "{:?}",
        errors
            .iter()
            .map(|error| (error.line(), error.column()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn an_unexpected_character_is_the_only_error_reported_for_its_cascade() {
    let text = network("n", &["a§b"]);
    let errors = parse_network("bad.m", text.as_bytes()).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|error| error.message()).collect();
    assert_eq!(messages, ["unexpected character"]);
    // Each unreadable character is reported, and nothing else.
    let text = text.replace("Y: 4, X", "Y: 4 @ X");
    let errors = parse_network("bad.m", text.as_bytes()).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|error| error.message()).collect();
    assert_eq!(messages, ["unexpected character", "unexpected character"]);
}
