//! Typed errors: an invalid configuration (naming the key), a malformed DRAMsim3 `.ini` file and a
//! malformed trace line (both with `file:line:column`).

use thiserror::Error;

/// A DRAM configuration that cannot describe a device: every variant names the offending key as
/// DRAMsim3's configuration files spell it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// A count or a timing parameter that must be positive is zero.
    #[error("`{key}` must be at least 1, found 0")]
    Zero { key: &'static str },
    /// A structural count that indexes address bits is not a power of two.
    #[error("`{key}` must be a power of two, found {value}")]
    NotPowerOfTwo { key: &'static str, value: u64 },
    /// A value beyond what the model can represent.
    #[error("`{key}` = {value} is larger than the supported maximum {max}")]
    TooLarge {
        key: &'static str,
        value: u64,
        max: u64,
    },
    /// Timing that no device can meet, such as a row cycle shorter than the row's active plus
    /// precharge time.
    #[error("impossible timing: `{key}` = {value} is less than {requirement} = {minimum}")]
    ImpossibleTiming {
        key: &'static str,
        value: u64,
        requirement: &'static str,
        minimum: u64,
    },
    /// The address-mapping string is not six two-letter fields naming each of `ch ra bg ba ro co`
    /// exactly once, or its fields do not fit in a 64-bit address.
    #[error("`address_mapping` = \"{mapping}\": {reason}")]
    AddressMapping { mapping: String, reason: String },
    /// A value the model does not implement (for example a protocol or a policy).
    #[error("`{key}` = \"{value}\" is not supported; expected one of {expected}")]
    Unsupported {
        key: &'static str,
        value: String,
        expected: &'static str,
    },
    /// A preset name that does not exist.
    #[error("unknown DRAM preset \"{name}\"; the presets are {known}")]
    UnknownPreset { name: String, known: String },
}

/// A DRAMsim3 `.ini` file that cannot be read as a configuration.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum IniError {
    /// A line that is neither a section header, a `key = value` pair, a comment nor blank.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A value of the wrong type for its key.
    #[error("{file}:{line}:{column}: {key}: expected {expected}, found `{found}`")]
    Value {
        file: String,
        line: usize,
        column: usize,
        /// `[section] key`.
        key: String,
        expected: &'static str,
        found: String,
    },
    /// The values parse but do not describe a valid device; the position is that of the key named
    /// by the error (or the start of the file when the key was left at its default).
    #[error("{file}:{line}:{column}: {source}")]
    Config {
        file: String,
        line: usize,
        column: usize,
        source: ConfigError,
    },
}

/// A trace line that is not `ADDRESS KIND CYCLE` (DRAMsim3's trace format), or a trace that cannot be
/// read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TraceError {
    /// A field is missing or malformed.
    #[error("{file}:{line}:{column}: expected {expected}, found {found}")]
    Malformed {
        file: String,
        line: usize,
        column: usize,
        expected: &'static str,
        found: String,
    },
    /// The underlying reader failed.
    #[error("{file}:{line}: cannot read the trace: {message}")]
    Read {
        file: String,
        line: usize,
        message: String,
    },
}
