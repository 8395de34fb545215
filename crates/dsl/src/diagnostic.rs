//! Diagnostics: every error found in one file, each with its span, line and column, the offending text
//! and what was expected, renderable by any `miette` report handler.

use crate::span::{line_column, Span};
use miette::{LabeledSpan, NamedSource, SourceCode};
use std::fmt;
use std::sync::Arc;

/// At most this many diagnostics are kept per file; a file of garbage would otherwise produce one per
/// token. The last kept diagnostic says that more were dropped.
pub const MAX_DIAGNOSTICS: usize = 100;

/// One error in a file: a message, a primary labelled span, optional secondary labels (e.g. "first
/// declared here") and a help text saying what was expected.
#[derive(Clone)]
pub struct Diagnostic {
    message: String,
    span: Span,
    label: String,
    secondary: Vec<(Span, String)>,
    help: Option<String>,
    line: usize,
    column: usize,
    source: NamedSource<Arc<str>>,
}

impl Diagnostic {
    /// The 1-based line of the primary span's start.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column (in characters) of the primary span's start.
    pub fn column(&self) -> usize {
        self.column
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn span(&self) -> Span {
        self.span
    }

    /// The text of the primary label (what was found there).
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn help_text(&self) -> Option<&str> {
        self.help.as_deref()
    }

    pub fn file_name(&self) -> &str {
        self.source.name()
    }
}

impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file_name(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(
            Some(self.label.clone()),
            miette::SourceSpan::from(self.span),
        );
        let secondary = self
            .secondary
            .iter()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// All errors of one file, in source order. `Display` is a one-line summary ("3 errors in foo.m"); the
/// individual errors are the `related()` diagnostics, each carrying the file as its source code.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{} in {file_name}", count_errors(.diagnostics.len()))]
pub struct Diagnostics {
    file_name: String,
    diagnostics: Vec<Diagnostic>,
}

fn count_errors(count: usize) -> String {
    if count == 1 {
        "1 error".to_string()
    } else {
        format!("{count} errors")
    }
}

impl Diagnostics {
    /// One diagnostic for a check made after parsing (by the CLI or the cost model, e.g. a cluster size
    /// larger than the PE count), pointing at `span` of `source` (the text of `file_name`, as read).
    pub fn single(
        file_name: &str,
        source: &str,
        span: Span,
        message: String,
        help: Option<String>,
    ) -> Diagnostics {
        let mut sink = Sink::new(file_name, source);
        let label = label_for(source, span);
        sink.push(span, message, label, help, Vec::new());
        sink.finish().unwrap_or_else(|| Diagnostics {
            file_name: file_name.to_string(),
            diagnostics: Vec::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.diagnostics.len()
    }

    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter()
    }

    pub fn file_name(&self) -> &str {
        &self.file_name
    }
}

impl miette::Diagnostic for Diagnostics {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.diagnostics
                .iter()
                .map(|diagnostic| diagnostic as &dyn miette::Diagnostic),
        ))
    }
}

/// The default label: the offending text itself, quoted (shortened if long).
fn label_for(source: &str, span: Span) -> String {
    match source.get(span.start..span.end) {
        Some(text) if !text.is_empty() => format!("found `{}`", shorten(text)),
        _ => "here".to_string(),
    }
}

/// Long or multi-line text cut to its first line and 40 characters, for labels and messages.
pub(crate) fn shorten(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("");
    let mut shortened: String = first_line.chars().take(40).collect();
    if shortened.len() < text.len() {
        shortened.push('…');
    }
    shortened
}

/// Displays as [`shorten`] of its text, so that messages that may never be built do not shorten
/// eagerly.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Short<'s>(pub &'s str);

impl fmt::Display for Short<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shorten(self.0))
    }
}

/// Collects the diagnostics of one file while the passes run. The source text is borrowed; the shared
/// copy that diagnostics carry is made at the first error, so a valid file is never copied.
pub(crate) struct Sink<'s> {
    file_name: String,
    source: &'s str,
    shared: Option<Arc<str>>,
    diagnostics: Vec<Diagnostic>,
    dropped: usize,
    /// Spans of the characters the lexer could not read: the first real causes (see `finish`).
    bad_characters: Vec<Span>,
    /// Spans of every lexer error (bad characters, malformed quoted names): never a cascade.
    lexical: Vec<Span>,
}

impl<'s> Sink<'s> {
    pub(crate) fn new(file_name: &str, source: &'s str) -> Self {
        Sink {
            file_name: file_name.to_string(),
            source,
            shared: None,
            diagnostics: Vec::new(),
            dropped: 0,
            bad_characters: Vec::new(),
            lexical: Vec::new(),
        }
    }

    /// A sink for the same file with nothing reported yet.
    pub(crate) fn empty_like(&self) -> Sink<'s> {
        Sink {
            file_name: self.file_name.clone(),
            source: self.source,
            shared: self.shared.clone(),
            diagnostics: Vec::new(),
            dropped: 0,
            bad_characters: Vec::new(),
            lexical: Vec::new(),
        }
    }

    /// Puts the errors of `earlier` (reported by an earlier pass over the same file) before those of
    /// `self`, keeping the first [`MAX_DIAGNOSTICS`] of both in that order, as if they had been reported
    /// to one sink.
    pub(crate) fn prepend(&mut self, earlier: Sink<'s>) {
        if earlier.count() == 0 {
            return;
        }
        let total = earlier.count() + self.count();
        let mut diagnostics = earlier.diagnostics;
        let room = MAX_DIAGNOSTICS.saturating_sub(diagnostics.len());
        diagnostics.extend(self.diagnostics.drain(..).take(room));
        self.dropped = total - diagnostics.len();
        self.diagnostics = diagnostics;
        self.bad_characters.extend(earlier.bad_characters);
        self.lexical.extend(earlier.lexical);
    }

    pub(crate) fn source(&self) -> &'s str {
        self.source
    }

    /// Errors reported so far, including those beyond [`MAX_DIAGNOSTICS`].
    pub(crate) fn count(&self) -> usize {
        self.diagnostics.len() + self.dropped
    }

    /// An error whose label quotes the text under `span`.
    pub(crate) fn error(&mut self, span: Span, message: String, help: Option<String>) {
        let label = label_for(self.source, span);
        self.push(span, message, label, help, Vec::new());
    }

    /// An unreadable character (reported by the lexer): a first cause, whose consequences — what the
    /// parser then fails to find after it, blocks left unclosed — are not reported.
    pub(crate) fn bad_character(&mut self, span: Span, message: String, help: Option<String>) {
        self.bad_characters.push(span);
        self.lexical_error(span, message, help);
    }

    /// An error found by the lexer (kept even after an unreadable character).
    pub(crate) fn lexical_error(&mut self, span: Span, message: String, help: Option<String>) {
        self.lexical.push(span);
        self.error(span, message, help);
    }

    /// An error with a custom label and secondary labels.
    pub(crate) fn push(
        &mut self,
        span: Span,
        message: String,
        label: String,
        help: Option<String>,
        secondary: Vec<(Span, String)>,
    ) {
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            self.dropped += 1;
            return;
        }
        let (line, column) = line_column(self.source, span.start);
        let text = self.source;
        let shared = self.shared.get_or_insert_with(|| Arc::from(text));
        let source = NamedSource::new(self.file_name.clone(), Arc::clone(shared));
        self.diagnostics.push(Diagnostic {
            message,
            span,
            label,
            secondary,
            help,
            line,
            column,
            source,
        });
    }

    /// `None` if nothing was reported, else the diagnostics in source order.
    pub(crate) fn finish(mut self) -> Option<Diagnostics> {
        if self.diagnostics.is_empty() {
            return None;
        }
        // An unreadable character is the first cause of what the parser then fails to find: errors
        // later on its line, and blocks whose end lies beyond it (the parser lost track of the
        // nesting), are its cascade and are not reported. Lexer errors are always causes.
        if let Some(first) = self.bad_characters.iter().map(|span| span.start).min() {
            let source = self.source;
            let bad_lines: Vec<(usize, usize)> = self
                .bad_characters
                .iter()
                .map(|span| (line_column(source, span.start).0, span.start))
                .collect();
            let lexical = std::mem::take(&mut self.lexical);
            self.diagnostics.retain(|diagnostic| {
                if lexical.contains(&diagnostic.span) {
                    return true;
                }
                let spans_past_cause = diagnostic.span.start < first
                    && diagnostic
                        .secondary
                        .iter()
                        .any(|(span, _)| span.end > first);
                let after_cause_on_its_line = bad_lines.iter().any(|&(line, start)| {
                    diagnostic.line == line && diagnostic.span.start >= start
                });
                !(spans_past_cause || after_cause_on_its_line)
            });
        }
        // A stable sort keeps the pass order for errors at the same position.
        self.diagnostics
            .sort_by_key(|diagnostic| (diagnostic.span.start, diagnostic.span.end));
        if self.dropped > 0 {
            if let Some(last) = self.diagnostics.last_mut() {
                last.help = Some(format!(
                    "{}{}further errors were not reported ({} more)",
                    last.help.as_deref().unwrap_or(""),
                    if last.help.is_some() { "; " } else { "" },
                    self.dropped
                ));
            }
        }
        Some(Diagnostics {
            file_name: self.file_name,
            diagnostics: self.diagnostics,
        })
    }
}
