//! The readers never panic, never hang and stay consistent on any input: arbitrary bytes, token soup,
//! and the valid files of `tests/good` with random edits. Whatever parses must also survive a
//! write/parse round trip; whatever fails must report located diagnostics.

use maestro_dsl::{parse_hardware, parse_network, write_network, Diagnostics};
use proptest::prelude::*;
use std::path::Path;

fn good_files() -> Vec<Vec<u8>> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/good");
    let mut paths: Vec<_> = std::fs::read_dir(directory)
        .expect("tests/good exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "m"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read(path).expect("readable test input"))
        .collect()
}

const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    ";",
    ",",
    ":",
    "-",
    "'",
    "’",
    "\"",
    "\\",
    "//",
    "\n",
    "\r\n",
    "\0",
    "\u{FEFF}",
    " ",
    "0",
    "1",
    "-3",
    "7",
    "64abc",
    "2147483647",
    "2147483648",
    "99999999999999999999999",
    "Network",
    "Layer",
    "Type",
    "CONV",
    "GEMM",
    "FC",
    "NGCONV",
    "DSCONV",
    "TRCONV",
    "Stride",
    "Dimensions",
    "Dataflow",
    "TemporalMap",
    "SpatialMap",
    "Cluster",
    "Sz",
    "Sz(R)",
    "Constant",
    "P",
    "L",
    "N",
    "K",
    "C",
    "R",
    "S",
    "Y",
    "X",
    "Y'",
    "X'",
    "G",
    "M",
    "num_pes",
    "NoC_NumHops",
];

fn check(bytes: &[u8]) {
    match parse_network("fuzz.m", bytes) {
        Ok(parsed) => {
            assert_eq!(parsed.source_map.layers.len(), parsed.network.layers.len());
            for (layer, spans) in parsed.network.layers.iter().zip(&parsed.source_map.layers) {
                assert_eq!(spans.dimensions.len(), layer.dimensions.len());
                let directives = layer
                    .mapping
                    .as_ref()
                    .map_or(0, |mapping| mapping.directives.len());
                assert_eq!(spans.directives.len(), directives);
                assert!(spans.block.end <= bytes.len());
            }
            let written = write_network(&parsed.network);
            let again = parse_network("written.m", written.as_bytes())
                .expect("a parsed network writes back to valid text");
            assert_eq!(again.network, parsed.network);
        }
        Err(diagnostics) => located(&diagnostics),
    }
    if let Err(diagnostics) = parse_hardware("fuzz.m", bytes) {
        located(&diagnostics);
    }
}

fn located(diagnostics: &Diagnostics) {
    assert!(!diagnostics.is_empty());
    assert!(diagnostics.len() <= maestro_dsl::MAX_DIAGNOSTICS);
    for diagnostic in diagnostics.iter() {
        assert!(diagnostic.line() >= 1 && diagnostic.column() >= 1);
        assert!(!diagnostic.message().is_empty());
    }
}

#[derive(Clone, Debug)]
enum Edit {
    Delete { at: usize, length: usize },
    Insert { at: usize, fragment: usize },
    InsertByte { at: usize, byte: u8 },
    Duplicate { at: usize, length: usize },
    Truncate { at: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..12).prop_map(|(at, length)| Edit::Delete { at, length }),
        (any::<usize>(), 0..FRAGMENTS.len())
            .prop_map(|(at, fragment)| Edit::Insert { at, fragment }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::InsertByte { at, byte }),
        (any::<usize>(), 1usize..40).prop_map(|(at, length)| Edit::Duplicate { at, length }),
        any::<usize>().prop_map(|at| Edit::Truncate { at }),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len();
        let position = |at: usize| if len == 0 { 0 } else { at % (len + 1) };
        match *edit {
            Edit::Delete { at, length } => {
                let start = position(at);
                let end = (start + length).min(len);
                bytes.drain(start..end);
            }
            Edit::Insert { at, fragment } => {
                let start = position(at);
                bytes.splice(start..start, FRAGMENTS[fragment].bytes());
            }
            Edit::InsertByte { at, byte } => bytes.insert(position(at), byte),
            Edit::Duplicate { at, length } => {
                let start = position(at);
                let copy: Vec<u8> = bytes[start..(start + length).min(len)].to_vec();
                bytes.splice(start..start, copy);
            }
            Edit::Truncate { at } => bytes.truncate(position(at)),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::case_count(2000), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check(&bytes);
    }

    #[test]
    fn token_soup_never_panics(fragments in proptest::collection::vec((0..FRAGMENTS.len(), any::<bool>()), 0..120)) {
        let mut text = String::new();
        for (fragment, space) in fragments {
            text.push_str(FRAGMENTS[fragment]);
            if space {
                text.push(' ');
            }
        }
        check(text.as_bytes());
    }

    #[test]
    fn edited_valid_files_never_panic(file in 0usize..64, edits in proptest::collection::vec(edit(), 1..6)) {
        let files = good_files();
        let original = files[file % files.len()].clone();
        check(&apply(original, &edits));
    }
}
