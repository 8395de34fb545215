//! Reader for the reference MAESTRO's `.m` files: mapping files (`Network { Layer { … Dataflow { … } } }`),
//! model files (the same without `Dataflow`) and hardware files (`key: value` lines), with a diagnostic
//! for every error, each carrying the file, line, column, offending text and what was expected.
//!
//! # Pipeline
//!
//! `input` (text check: non-empty, no NUL byte, UTF-8) → `lexer` (tokens with byte spans) → `parser`
//! (syntax tree with spans; recovers to collect every error) → `resolve` (constants, `Sz(D)`) →
//! `lower` (to [`maestro_ir`]) → `validate` (whole-layer and mapping checks). [`write_network`]
//! prints a network back.
//!
//! # Language
//!
//! The reference's grammar (see the `parser` module for the full grammar), read with a real lexer:
//! identifiers may contain letters, digits, `_`, `.`, `-` and the primes `'`/`’` (`’` is read as `'`, so
//! `Y’` is `Y'`); `//` comments run to the end of the line; CRLF line ends are accepted; names can also
//! be double-quoted. Sizes, offsets, strides and cluster sizes are integers, constants
//! (`Constant NAME VALUE;` at top level, usable anywhere in the file) or, in directives, `Sz(D)`.
//!
//! Documented readings:
//! * `Type: FC` is a fully connected layer; it is lowered to `CONV` with `R = S = Y = X = 1` (it declares
//!   only `N`, `K`, `C`; the four added dimensions carry the span of the type name).
//! * `Type: TRCONV` is [`maestro_ir::LayerType::TransposedConv`].
//! * `Stride { … }` may come anywhere in the layer; keys `Y`/`Y'` set the row stride, `X`/`X'` the column
//!   stride; values may be constants. A GEMM or FC layer may only have stride 1.
//! * `Cluster(k)`, `Cluster(k, P)` and `Cluster(k, L)` are accepted; a missing type means `P`.
//! * A layer without `Dataflow` gets `mapping: None` (model files); whether that is acceptable is the
//!   caller's decision.
//! * `Sz(Y')` (`Sz(X')`) when only `Y` (`X`) is declared is the strided output size `(Y − R) / σ + 1`;
//!   `Sz(Y)` when only `Y'` is declared is `(Y' − 1) · σ + R`.
//! * A temporal `R`/`S` tile at least as large as the filter covers the window in one step, whatever
//!   its offset; it is lowered as `TemporalMap(R,R) R` (size and offset clamped to the filter size).
//!   A temporal `R`/`S` tile smaller than the filter extent its level sees is an error (the cost model
//!   assumes whole windows in time). Spatial `R`/`S` tiles may be partial: row-stationary mappings spread
//!   filter rows over PEs and reduce spatially, which is their point.
//! * A tile of `Y` (`X`) must hold at least one window: in each cluster level, a directive on `Y` whose
//!   size is smaller than the level's `R` tile (its own `R` directive, else the nearest enclosing
//!   level's, else the whole `R`) is an error (likewise `X`/`S`). This is what makes the reference divide
//!   by zero on `vgg16_rs.m`.
//! * A dimension may be mapped at most once per cluster level (`Y` and `Y'` count as one axis).
//!
//! # Reference quirks that are not reproduced
//!
//! The reference's input-format quirks Q-P1…Q-P14 are not reproduced; in particular:
//! * Q-P1: `-`, `>`, `:`, `,`, `;`, `(`, `)` do not split identifiers (`Conv2d-1` is one name); braces
//!   need no surrounding blanks.
//! * Q-P2: line numbers are exact (computed from byte spans), comments do not shift them.
//! * Q-P3/Q-P4: a layer's name is the full identifier after `Layer`; it never becomes a dimension name or
//!   `Layer`; the network name is the identifier after `Network`.
//! * Q-P5: numbers are strict: `64abc`, `0`, `-3` and values above [`maestro_ir::limits::MAX_SIZE`] are
//!   errors (the reference reads `-3` as 3 and `64abc` as 64).
//! * Q-P6/Q-P14: a layer without `Dataflow` does not share the previous layer's directives; it has no
//!   mapping.
//! * Q-P7: every error is one diagnostic with its span (`Sz()` of an unknown dimension is reported in any
//!   position).
//! * Q-P8: a wrong cluster type is an error, a missing one means `P`; it never swallows the next token.
//! * Q-P9: strides are per axis, in any order relative to `Dimensions`, `X`/`X'` name the same axis,
//!   constants are allowed.
//! * Q-P10: the R/S rule is the one above (`TemporalMap(Sz(R),7) R` and `TemporalMap(7,7) R` with
//!   `R = 3` are accepted; the reference rejects them).
//! * Q-P11: unknown top-level tokens, a file without `Network`, a Unicode prime read as an unknown
//!   dimension, and CRLF files failing are all gone: the first two are errors, the last two are accepted.
//! * Also: a `Constant` whose value is missing does not swallow the next keyword; duplicate dimensions,
//!   a second `Type`, `Stride`, `Dimensions` or `Dataflow` item in one layer, and a second `Network` block
//!   are errors (the reference keeps one or concatenates); `Accelerator { … }` blocks are reported as an
//!   unknown top-level construct (the reference cannot parse them either); `FC` is accepted (above),
//!   `LSTM` and `POOL` are reported as unsupported.
//! * Q-P12/Q-P13 concern the command line and the CSV output, not this crate.
//!
//! # Diagnostics
//!
//! Parsing returns [`Diagnostics`]: all errors of the file (at most [`MAX_DIAGNOSTICS`]), in source
//! order. It implements `miette::Diagnostic`; each error is one of its `related()` diagnostics with the
//! file as named source code, a labelled span and a help text. Checks made later (e.g. against the
//! hardware) build the same kind of report with [`Diagnostics::single`].

mod ast;
mod diagnostic;
mod hardware;
mod input;
mod lexer;
mod lower;
mod parser;
mod resolve;
mod span;
mod validate;
mod writer;

pub use diagnostic::{Diagnostic, Diagnostics, MAX_DIAGNOSTICS};
pub use hardware::{parse_hardware, HardwareFile};
pub use span::Span;
pub use writer::write_network;

use diagnostic::Sink;

/// Where each part of a layer was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerSpans {
    /// From `Layer` to its closing `}`.
    pub block: Span,
    pub name: Span,
    /// The value after `Type:`.
    pub layer_type: Span,
    /// Parallel to `Layer::dimensions` (`NAME: VALUE`; for dimensions added to an `FC` layer, the type).
    pub dimensions: Vec<Span>,
    /// Parallel to the mapping's directives: from the keyword to the dimension name of a map, to the `)`
    /// of a `Cluster`, without the `;` (empty without a mapping).
    pub directives: Vec<Span>,
}

/// The spans of every layer of a parsed file, parallel to `Network::layers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceMap {
    pub file_name: String,
    pub layers: Vec<LayerSpans>,
}

/// A network read from a file, with where each of its parts was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedNetwork {
    pub network: maestro_ir::Network,
    pub source_map: SourceMap,
}

/// Reads a mapping or model file. `file_name` is only used in diagnostics. Never panics; on any error
/// returns every diagnostic of the file.
pub fn parse_network(file_name: &str, bytes: &[u8]) -> Result<ParsedNetwork, Diagnostics> {
    let text = input::decode(file_name, bytes)?;
    let mut sink = Sink::new(file_name, text);
    let file = parser::parse(text, &mut sink);
    let constants = resolve::Constants::collect(&file, &mut sink);
    let (network, source_map) = lower::lower_file(&file, &constants, &mut sink, file_name);
    match sink.finish() {
        Some(diagnostics) => Err(diagnostics),
        None => Ok(ParsedNetwork {
            network,
            source_map,
        }),
    }
}
