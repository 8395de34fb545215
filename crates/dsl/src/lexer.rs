//! The lexer: text to tokens with byte spans. Identifiers may contain letters, digits, `_`, `.`, `-` and
//! the primes `'` and `’`; `//` starts a comment to the end of the line; `\r` is whitespace, so CRLF files
//! read like LF files. Names that need other characters can be written in double quotes.

use crate::diagnostic::Sink;
use crate::span::Span;
use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind<'a> {
    LeftBrace,
    RightBrace,
    LeftParen,
    RightParen,
    Comma,
    Semicolon,
    Colon,
    /// A run of identifier characters: a keyword, a name or a number (the parser decides).
    Word(&'a str),
    /// A double-quoted name, escapes already processed.
    Quoted(Cow<'a, str>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub kind: TokenKind<'a>,
    pub span: Span,
}

impl<'a> Token<'a> {
    pub(crate) fn word(&self) -> Option<&'a str> {
        match self.kind {
            TokenKind::Word(word) => Some(word),
            _ => None,
        }
    }
}

pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '\'' | '\u{2019}')
}

/// Splits `source` into tokens. Characters that cannot start a token are reported (one diagnostic per
/// run of them) and skipped.
pub(crate) fn lex<'a>(source: &'a str, sink: &mut Sink) -> Vec<Token<'a>> {
    let mut tokens = Vec::with_capacity(source.len() / 4);
    let mut chars = source.char_indices().peekable();
    let mut unexpected: Option<Span> = None;
    let flush = |unexpected: &mut Option<Span>, sink: &mut Sink| {
        if let Some(span) = unexpected.take() {
            sink.error(
                span,
                "unexpected character".to_string(),
                Some("expected a name, a number, `{`, `}`, `(`, `)`, `,`, `;`, `:` or a `//` comment".to_string()),
            );
        }
    };
    while let Some((start, c)) = chars.next() {
        let single = match c {
            '{' => Some(TokenKind::LeftBrace),
            '}' => Some(TokenKind::RightBrace),
            '(' => Some(TokenKind::LeftParen),
            ')' => Some(TokenKind::RightParen),
            ',' => Some(TokenKind::Comma),
            ';' => Some(TokenKind::Semicolon),
            ':' => Some(TokenKind::Colon),
            _ => None,
        };
        if let Some(kind) = single {
            flush(&mut unexpected, sink);
            tokens.push(Token {
                kind,
                span: Span::new(start, start + 1),
            });
            continue;
        }
        if c.is_whitespace() {
            flush(&mut unexpected, sink);
            continue;
        }
        if c == '/' && matches!(chars.peek(), Some((_, '/'))) {
            flush(&mut unexpected, sink);
            for (_, next) in chars.by_ref() {
                if next == '\n' {
                    break;
                }
            }
            continue;
        }
        if is_word_char(c) {
            flush(&mut unexpected, sink);
            let mut end = start + c.len_utf8();
            while let Some(&(index, next)) = chars.peek() {
                if !is_word_char(next) {
                    break;
                }
                end = index + next.len_utf8();
                chars.next();
            }
            tokens.push(Token {
                kind: TokenKind::Word(&source[start..end]),
                span: Span::new(start, end),
            });
            continue;
        }
        if c == '"' {
            flush(&mut unexpected, sink);
            tokens.push(lex_quoted(source, start, &mut chars, sink));
            continue;
        }
        let span = Span::new(start, start + c.len_utf8());
        unexpected = Some(unexpected.map_or(span, |previous| previous.join(span)));
    }
    flush(&mut unexpected, sink);
    tokens
}

/// A quoted name: `"…"` with the escapes `\"`, `\\`, `\n`, `\t`, `\r` and `\u{HEX}`.
fn lex_quoted<'a>(
    source: &'a str,
    start: usize,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'a>>,
    sink: &mut Sink,
) -> Token<'a> {
    let mut text = String::new();
    let mut has_escape = false;
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => {
                let span = Span::new(start, index + 1);
                let kind = if has_escape {
                    TokenKind::Quoted(Cow::Owned(text))
                } else {
                    TokenKind::Quoted(Cow::Borrowed(&source[start + 1..index]))
                };
                return Token { kind, span };
            }
            '\\' => {
                has_escape = true;
                let escape_start = index;
                match chars.next() {
                    Some((_, '"')) => text.push('"'),
                    Some((_, '\\')) => text.push('\\'),
                    Some((_, 'n')) => text.push('\n'),
                    Some((_, 't')) => text.push('\t'),
                    Some((_, 'r')) => text.push('\r'),
                    Some((_, 'u')) => match lex_unicode_escape(chars) {
                        Some(decoded) => text.push(decoded),
                        None => {
                            let end = chars.peek().map_or(source.len(), |&(i, _)| i);
                            sink.error(
                                Span::new(escape_start, end),
                                "invalid unicode escape in a quoted name".to_string(),
                                Some("expected `\\u{HEX}` with a valid code point".to_string()),
                            );
                        }
                    },
                    Some((escaped_index, escaped)) => sink.error(
                        Span::new(escape_start, escaped_index + escaped.len_utf8()),
                        "unknown escape in a quoted name".to_string(),
                        Some("expected one of \\\" \\\\ \\n \\t \\r \\u{HEX}".to_string()),
                    ),
                    None => {}
                }
            }
            _ => text.push(c),
        }
    }
    let span = Span::new(start, start + 1);
    sink.error(
        span,
        "unterminated quoted name".to_string(),
        Some("expected a closing `\"`".to_string()),
    );
    Token {
        kind: TokenKind::Quoted(Cow::Owned(text)),
        span: Span::new(start, source.len()),
    }
}

fn lex_unicode_escape(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<char> {
    if !matches!(chars.peek(), Some((_, '{'))) {
        return None;
    }
    chars.next();
    let mut value: u32 = 0;
    let mut digits = 0;
    while let Some(&(_, c)) = chars.peek() {
        chars.next();
        if c == '}' {
            return if digits > 0 {
                char::from_u32(value)
            } else {
                None
            };
        }
        let digit = c.to_digit(16)?;
        digits += 1;
        if digits > 6 {
            return None;
        }
        value = value * 16 + digit;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn kinds(source: &str) -> (Vec<TokenKind<'_>>, usize) {
        let mut sink = Sink::new("t.m", Arc::from(source));
        let tokens = lex(source, &mut sink);
        let errors = sink.finish().map_or(0, |diagnostics| diagnostics.len());
        (tokens.into_iter().map(|token| token.kind).collect(), errors)
    }

    #[test]
    fn identifiers_keep_hyphens_dots_and_primes() {
        use TokenKind::*;
        let (tokens, errors) = kinds("Layer Conv2d-1 { torchvision.models.googlenet Y' X’ }");
        assert_eq!(errors, 0);
        assert_eq!(
            tokens,
            vec![
                Word("Layer"),
                Word("Conv2d-1"),
                LeftBrace,
                Word("torchvision.models.googlenet"),
                Word("Y'"),
                Word("X’"),
                RightBrace
            ]
        );
    }

    #[test]
    fn punctuation_splits_and_comments_end_the_line() {
        use TokenKind::*;
        let (tokens, errors) = kinds("TemporalMap(Sz(R),1) Y; // note: ignored }\r\nK:64");
        assert_eq!(errors, 0);
        assert_eq!(
            tokens,
            vec![
                Word("TemporalMap"),
                LeftParen,
                Word("Sz"),
                LeftParen,
                Word("R"),
                RightParen,
                Comma,
                Word("1"),
                RightParen,
                Word("Y"),
                Semicolon,
                Word("K"),
                Colon,
                Word("64")
            ]
        );
    }

    #[test]
    fn spans_are_byte_offsets() {
        let source = "ab  {";
        let mut sink = Sink::new("t.m", Arc::from(source));
        let tokens = lex(source, &mut sink);
        assert_eq!(tokens[0].span, Span::new(0, 2));
        assert_eq!(tokens[1].span, Span::new(4, 5));
    }

    #[test]
    fn quoted_names_unescape() {
        let (tokens, errors) = kinds(r#""a \"b\" \u{263A}\\" "plain""#);
        assert_eq!(errors, 0);
        assert_eq!(
            tokens[0],
            TokenKind::Quoted(Cow::Owned("a \"b\" \u{263A}\\".to_string()))
        );
        assert_eq!(tokens[1], TokenKind::Quoted(Cow::Borrowed("plain")));
    }

    #[test]
    fn unexpected_characters_are_reported_once_per_run() {
        let (tokens, errors) = kinds("K @@@ 3 # x \"open");
        assert_eq!(errors, 3);
        assert_eq!(tokens.len(), 4);
    }
}
