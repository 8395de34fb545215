//! The DRAMsim3 `.ini` reader, the trace reader and configuration validation: what they accept and
//! the exact errors (with the key's name and `file:line:column`) for what they refuse.

use maestro_dram::{
    parse_ini, parse_trace_line, preset, ConfigError, IniError, MemorySystem, RequestKind,
    TraceError, TraceLines, PRESET_NAMES,
};

/// A DDR4-3200 x8 description in DRAMsim3's format (keys in our own order, with comments), carrying
/// keys the model does not use.
const DDR4_INI: &str = "\
; DDR4-3200AA, 8 Gb x8, two ranks on a 64-bit channel
[system]
channels = 1
channel_size = 16384   ; MiB: two ranks of 8 GiB
bus_width = 64
address_mapping = rochrababgco
queue_structure = PER_BANK
refresh_policy = RANK_LEVEL_STAGGERED
row_buf_policy = OPEN_PAGE
cmd_queue_size = 8
trans_queue_size = 32

[dram_structure]
protocol = DDR4
bankgroups = 4
banks_per_group = 4
rows = 65536
columns = 1024
device_width = 8
BL = 8

[timing]
tCK = 0.63
AL = 0
CL = 22
CWL = 16
tRCD = 22
tRP = 22
tRAS = 52
tRFC = 560
tREFI = 12480
tRRD_S = 4
tRRD_L = 8
tWTR_S = 4
tWTR_L = 12
tFAW = 34
tWR = 24
tRTP = 12
tCCD_S = 4
tCCD_L = 8
tRTRS = 1
tCKE = 8
tXP = 10

[power]
VDD = 1.2
IDD0 = 57
IDD2N = 37
IDD3N = 52
IDD4W = 150
IDD4R = 168
IDD5AB = 250
IDD6x = 30

[other]
epoch_period = 1587301
";

#[test]
fn a_dramsim3_ini_gives_the_preset_and_names_the_keys_it_ignores() {
    let parsed = parse_ini("ddr4.ini", DDR4_INI).unwrap();
    let mut expected = preset("ddr4_3200").unwrap();
    expected.name = "ddr4.ini".to_string();
    assert_eq!(parsed.config, expected);
    let ignored: Vec<String> = parsed
        .ignored
        .iter()
        .map(|k| format!("{}:{} [{}] {}", k.line, k.column, k.section, k.key))
        .collect();
    assert_eq!(
        ignored,
        [
            "42:1 [timing] tCKE",
            "43:1 [timing] tXP",
            "53:1 [power] IDD6x",
            "56:1 [other] epoch_period"
        ]
    );
}

fn ini_error(text: &str) -> String {
    parse_ini("bad.ini", text).unwrap_err().to_string()
}

#[test]
fn impossible_timing_names_the_key_and_its_line() {
    let text = DDR4_INI.replace("tRAS = 52\n", "tRAS = 52\ntRC = 60\n");
    assert_eq!(
        ini_error(&text),
        "bad.ini:30:1: impossible timing: `tRC` = 60 is less than tRAS + tRP = 74"
    );
}

#[test]
fn zero_banks_are_refused() {
    let text = DDR4_INI.replace("banks_per_group = 4", "banks_per_group = 0");
    assert_eq!(
        ini_error(&text),
        "bad.ini:16:1: `banks_per_group` must be at least 1, found 0"
    );
}

#[test]
fn a_mapping_that_does_not_cover_the_fields_is_refused() {
    let text = DDR4_INI.replace("rochrababgco", "rochrababgba");
    assert_eq!(
        ini_error(&text),
        "bad.ini:6:1: `address_mapping` = \"rochrababgba\": field \"ba\" appears twice"
    );
    let text = DDR4_INI.replace("rochrababgco", "rochrababg");
    assert!(ini_error(&text).starts_with(
        "bad.ini:6:1: `address_mapping` = \"rochrababg\": expected six two-letter fields"
    ));
}

#[test]
fn malformed_ini_lines_and_values_have_positions() {
    assert_eq!(
        ini_error("[timing]\n  tCK 0.63\n"),
        "bad.ini:2:3: expected `key = value` or `[section]`, found `tCK 0.63`"
    );
    assert_eq!(
        ini_error("[timing]\nCL = twenty\n"),
        "bad.ini:2:6: [timing] CL: expected a non-negative integer of at most 32 bits, found `twenty`"
    );
    assert_eq!(
        ini_error("[dram_structure]\nprotocol = HMC\n"),
        "bad.ini:2:1: `protocol` = \"HMC\" is not supported; expected one of DDR3, DDR4, LPDDR, LPDDR3, LPDDR4, HBM or HBM2"
    );
}

#[test]
fn unknown_presets_list_the_known_ones() {
    assert_eq!(
        preset("ddr5").unwrap_err(),
        ConfigError::UnknownPreset {
            name: "ddr5".to_string(),
            known: PRESET_NAMES.join(", "),
        }
    );
    for name in PRESET_NAMES {
        preset(name).unwrap().validate().unwrap();
    }
}

#[test]
fn configurations_are_validated_before_a_system_is_built() {
    let mut config = preset("hbm2").unwrap();
    config.structure.bankgroups = 3;
    assert_eq!(
        MemorySystem::new(&config).unwrap_err().to_string(),
        "`bankgroups` must be a power of two, found 3"
    );
    let mut config = preset("lpddr4_2400").unwrap();
    config.timing.trefi = 700;
    assert_eq!(
        MemorySystem::new(&config).unwrap_err().to_string(),
        "impossible timing: `tREFI` = 700 is less than ranks x (tRFC + 1) = 786"
    );
}

#[test]
fn trace_lines_parse_and_report_bad_fields_by_column() {
    let record = parse_trace_line("t", 3, "0x1f40 WRITE 12\n")
        .unwrap()
        .unwrap();
    assert_eq!(
        (record.address, record.kind, record.cycle),
        (0x1f40, RequestKind::Write, 12)
    );
    assert_eq!(parse_trace_line("t", 1, "   \n").unwrap(), None);
    let error = |text: &str| {
        parse_trace_line("t.trace", 7, text)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        error("0xZZ READ 1"),
        "t.trace:7:1: expected a hexadecimal address (such as 0x1f40) of at most 64 bits, found `0xZZ`"
    );
    assert_eq!(
        error("0x40  FETCH 1"),
        "t.trace:7:7: expected READ or WRITE, found `FETCH`"
    );
    assert_eq!(
        error("0x40 READ"),
        "t.trace:7:10: expected a decimal cycle, found the end of the line"
    );
    assert_eq!(
        error("0x40 READ -3"),
        "t.trace:7:11: expected a decimal cycle of at most 2^60, found `-3`"
    );
    assert_eq!(
        error("0x40 READ 3 extra"),
        "t.trace:7:13: expected the end of the line, found `extra`"
    );
}

#[test]
fn trace_lines_stop_at_the_first_error() {
    let text = "0x0 READ 0\n\n0x40 READ x\n0x80 READ 2\n";
    let records: Vec<Result<_, TraceError>> = TraceLines::new("t", text.as_bytes()).collect();
    assert_eq!(records.len(), 2);
    assert!(records[0].is_ok());
    assert!(matches!(
        &records[1],
        Err(TraceError::Malformed {
            line: 3,
            column: 11,
            ..
        })
    ));
}

#[test]
fn ini_config_errors_without_a_key_point_at_the_file_start() {
    // `channel_size` left at its default of 1024 MiB gives one DDR4 rank; tREFI at its default.
    let error = parse_ini("x.ini", "[timing]\ntRFC = 9000\n").unwrap_err();
    assert!(
        matches!(
            error,
            IniError::Config {
                line: 1,
                column: 1,
                ..
            }
        ),
        "{error}"
    );
}
