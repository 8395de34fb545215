//! The error of reading a TOML hardware description: every problem found, each with the span of the
//! offending text, rendered by miette as `file:line:col` with what was expected and what was found.

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::sync::Arc;
use thiserror::Error;

/// One thing wrong with the file.
#[derive(Clone, Debug, PartialEq, Eq, Error, Diagnostic)]
#[error("{message}")]
pub struct ConfigProblem {
    /// What is wrong, including what was expected and what was found.
    pub message: String,
    /// Where: the offending key or value. `None` only when the TOML parser gives no position.
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    /// The short text shown under the underlined source.
    pub label: String,
}

/// Why a hardware description was rejected. The first problem is the headline; the others are listed
/// as related diagnostics over the same source.
#[derive(Debug, Error, Diagnostic)]
#[error("invalid hardware description {file_name}: {}", .first.message)]
pub struct ConfigError {
    pub file_name: String,
    #[source_code]
    source_code: Arc<NamedSource<String>>,
    #[label("{}", .first.label)]
    span: Option<SourceSpan>,
    first: Box<ConfigProblem>,
    #[related]
    others: Vec<ConfigProblem>,
}

impl ConfigError {
    pub(crate) fn new(
        file_name: &str,
        text: &str,
        first: ConfigProblem,
        others: Vec<ConfigProblem>,
    ) -> ConfigError {
        ConfigError {
            file_name: file_name.to_owned(),
            source_code: Arc::new(NamedSource::new(file_name, text.to_owned())),
            span: first.span,
            first: Box::new(first),
            others,
        }
    }

    /// Every problem, the headline first.
    pub fn problems(&self) -> impl Iterator<Item = &ConfigProblem> {
        std::iter::once(&*self.first).chain(&self.others)
    }
}
