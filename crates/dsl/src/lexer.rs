//! The lexer: text to tokens with byte spans. Identifiers may contain letters, digits, `_`, `.`, `-` and
//! the primes `'` and `’`; `//` starts a comment to the end of the line; `\r` is whitespace, so CRLF files
//! read like LF files. Names that need other characters can be written in double quotes.
//!
//! The lexer works on bytes (every byte that starts a token is ASCII; other characters take a slower
//! path) and produces tokens on demand, so the parser never holds a token list of the whole file.

use crate::diagnostic::Sink;
use crate::span::Span;
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// A double-quoted name as written between the quotes (to the end of the file if unterminated);
    /// `escaped` says whether [`quoted_text`] has escapes to process.
    Quoted {
        raw: &'a str,
        escaped: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// Word characters: ASCII letters, digits and `_ . - '`, the right single quote, and any non-ASCII
/// character that may continue a Unicode identifier (XID_Continue: letters, digits, marks of every
/// script), so `Layer café_ℓayer` and `Layer 层` are names without quotes.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '.' | '-' | '\'' | '\u{2019}')
        || (!c.is_ascii() && unicode_ident::is_xid_continue(c))
}

/// Characters that begin a word: the ASCII word characters, the right single quote, and non-ASCII
/// characters that may start a Unicode identifier (XID_Start).
pub(crate) fn is_word_start(c: char) -> bool {
    if c.is_ascii() || c == '\u{2019}' {
        is_word_char(c)
    } else {
        unicode_ident::is_xid_start(c)
    }
}

/// What a byte starts: [`SPACE`], [`WORD`], [`PUNCTUATION`] or [`OTHER`] (`/`, `"`, an unexpected ASCII
/// character or the first byte of a non-ASCII one).
static BYTE_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            // The ASCII characters of `char::is_whitespace`.
            SPACE
        } else if matches!(b, b'{' | b'}' | b'(' | b')' | b',' | b';' | b':') {
            PUNCTUATION
        } else if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'\'') {
            WORD
        } else {
            OTHER
        };
        byte += 1;
    }
    table
};
const SPACE: u8 = 0;
const WORD: u8 = 1;
const PUNCTUATION: u8 = 2;
const OTHER: u8 = 3;

fn class(byte: u8) -> u8 {
    BYTE_CLASS[usize::from(byte)]
}

fn punctuation(byte: u8) -> TokenKind<'static> {
    match byte {
        b'{' => TokenKind::LeftBrace,
        b'}' => TokenKind::RightBrace,
        b'(' => TokenKind::LeftParen,
        b')' => TokenKind::RightParen,
        b',' => TokenKind::Comma,
        b';' => TokenKind::Semicolon,
        _ => TokenKind::Colon,
    }
}

/// `’` (U+2019) in UTF-8.
const RIGHT_QUOTE: &[u8] = "\u{2019}".as_bytes();

/// The text of a quoted name: [`TokenKind::Quoted`]'s `raw` with its escapes processed (invalid escapes,
/// already reported by the lexer, contribute nothing).
pub(crate) fn quoted_text(raw: &str, escaped: bool) -> Cow<'_, str> {
    if !escaped {
        return Cow::Borrowed(raw);
    }
    let mut text = String::with_capacity(raw.len());
    scan_quoted(raw, 0, Some(&mut text), |_, _, _| {});
    Cow::Owned(text)
}

/// Scans a quoted name whose text starts at byte `from` of `source` (just after the opening `"`),
/// pushing the unescaped text to `text` if given and reporting bad escapes to `report`. Returns the
/// index of the closing `"` (`None` if the file ends first) and whether an escape was seen.
fn scan_quoted(
    source: &str,
    from: usize,
    mut text: Option<&mut String>,
    mut report: impl FnMut(Span, &'static str, &'static str),
) -> (Option<usize>, bool) {
    let mut chars = source[from..].char_indices().peekable();
    let mut has_escape = false;
    let push = |text: &mut Option<&mut String>, c: char| {
        if let Some(text) = text.as_deref_mut() {
            text.push(c);
        }
    };
    while let Some((relative, c)) = chars.next() {
        let index = from + relative;
        match c {
            '"' => return (Some(index), has_escape),
            '\\' => {
                has_escape = true;
                match chars.next() {
                    Some((_, '"')) => push(&mut text, '"'),
                    Some((_, '\\')) => push(&mut text, '\\'),
                    Some((_, 'n')) => push(&mut text, '\n'),
                    Some((_, 't')) => push(&mut text, '\t'),
                    Some((_, 'r')) => push(&mut text, '\r'),
                    Some((_, 'u')) => match lex_unicode_escape(&mut chars) {
                        Some(decoded) => push(&mut text, decoded),
                        None => {
                            let end = chars.peek().map_or(source.len(), |&(i, _)| from + i);
                            report(
                                Span::new(index, end),
                                "invalid unicode escape in a quoted name",
                                "expected `\\u{HEX}` with a valid code point",
                            );
                        }
                    },
                    Some((escaped_relative, escaped)) => report(
                        Span::new(index, from + escaped_relative + escaped.len_utf8()),
                        "unknown escape in a quoted name",
                        "expected one of \\\" \\\\ \\n \\t \\r \\u{HEX}",
                    ),
                    None => {}
                }
            }
            _ => push(&mut text, c),
        }
    }
    (None, has_escape)
}

/// Produces the tokens of a source text one at a time. Characters that cannot start a token are reported
/// (one diagnostic per run of them) and skipped.
#[derive(Debug)]
pub(crate) struct Lexer<'a> {
    source: &'a str,
    position: usize,
    unexpected: Option<Span>,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        Lexer {
            source,
            position: 0,
            unexpected: None,
        }
    }

    /// Reports the pending run of unexpected characters, if any.
    #[inline]
    fn flush(&mut self, sink: &mut Sink) {
        if self.unexpected.is_some() {
            self.report_unexpected(sink);
        }
    }

    #[cold]
    fn report_unexpected(&mut self, sink: &mut Sink) {
        if let Some(span) = self.unexpected.take() {
            sink.bad_character(
                span,
                "unexpected character".to_string(),
                Some("expected a name, a number, `{`, `}`, `(`, `)`, `,`, `;`, `:` or a `//` comment".to_string()),
            );
        }
    }

    /// The next token, or `None` at the end of the file (after reporting a trailing unexpected run).
    #[inline]
    pub(crate) fn next_token(&mut self, sink: &mut Sink) -> Option<Token<'a>> {
        let bytes = self.source.as_bytes();
        loop {
            // Whitespace runs are the most common thing between tokens: skip them in a tight loop.
            let mut position = self.position;
            while let Some(&byte) = bytes.get(position) {
                if class(byte) != SPACE {
                    break;
                }
                position += 1;
            }
            if position != self.position {
                self.position = position;
                self.flush(sink);
            }
            let start = self.position;
            let Some(&byte) = bytes.get(start) else {
                self.flush(sink);
                return None;
            };
            let kind = match class(byte) {
                WORD => {
                    self.flush(sink);
                    return Some(self.word());
                }
                PUNCTUATION => punctuation(byte),
                SPACE => continue,
                _ => match byte {
                    b'/' if bytes.get(start + 1) == Some(&b'/') => {
                        self.flush(sink);
                        // `\n` never occurs inside a multi-byte character, so a byte search is exact.
                        self.position = bytes[start..]
                            .iter()
                            .position(|&b| b == b'\n')
                            .map_or(bytes.len(), |newline| start + newline + 1);
                        continue;
                    }
                    b'"' => {
                        self.flush(sink);
                        return Some(self.quoted(sink));
                    }
                    _ if byte.is_ascii() => {
                        self.position += 1;
                        self.add_unexpected(Span::new(start, start + 1));
                        continue;
                    }
                    _ if bytes[start..].starts_with(RIGHT_QUOTE) => {
                        self.flush(sink);
                        return Some(self.word());
                    }
                    _ if self.source[start..]
                        .chars()
                        .next()
                        .is_some_and(unicode_ident::is_xid_start) =>
                    {
                        self.flush(sink);
                        return Some(self.word());
                    }
                    _ => {
                        let c = self.source[start..].chars().next().unwrap_or('\u{FFFD}');
                        self.position += c.len_utf8();
                        if c.is_whitespace() {
                            self.flush(sink);
                        } else {
                            self.add_unexpected(Span::new(start, self.position));
                        }
                        continue;
                    }
                },
            };
            self.flush(sink);
            self.position = start + 1;
            return Some(Token {
                kind,
                span: Span::new(start, start + 1),
            });
        }
    }

    fn add_unexpected(&mut self, span: Span) {
        self.unexpected = Some(self.unexpected.map_or(span, |previous| previous.join(span)));
    }

    fn word(&mut self) -> Token<'a> {
        let bytes = self.source.as_bytes();
        let start = self.position;
        let mut end = start;
        loop {
            match bytes.get(end) {
                Some(&byte) if class(byte) == WORD => end += 1,
                Some(&0xE2) if bytes[end..].starts_with(RIGHT_QUOTE) => end += RIGHT_QUOTE.len(),
                Some(&byte) if !byte.is_ascii() => match self.source[end..].chars().next() {
                    Some(c) if unicode_ident::is_xid_continue(c) => end += c.len_utf8(),
                    _ => break,
                },
                _ => break,
            }
        }
        self.position = end;
        Token {
            kind: TokenKind::Word(&self.source[start..end]),
            span: Span::new(start, end),
        }
    }

    /// A quoted name: `"…"` with the escapes `\"`, `\\`, `\n`, `\t`, `\r` and `\u{HEX}`.
    fn quoted(&mut self, sink: &mut Sink) -> Token<'a> {
        let start = self.position;
        let (close, escaped) = scan_quoted(self.source, start + 1, None, |span, message, help| {
            sink.lexical_error(span, message.to_string(), Some(help.to_string()));
        });
        match close {
            Some(close) => {
                self.position = close + 1;
                Token {
                    kind: TokenKind::Quoted {
                        raw: &self.source[start + 1..close],
                        escaped,
                    },
                    span: Span::new(start, close + 1),
                }
            }
            None => {
                self.position = self.source.len();
                sink.lexical_error(
                    Span::new(start, start + 1),
                    "unterminated quoted name".to_string(),
                    Some("expected a closing `\"`".to_string()),
                );
                Token {
                    kind: TokenKind::Quoted {
                        raw: &self.source[start + 1..],
                        escaped,
                    },
                    span: Span::new(start, self.source.len()),
                }
            }
        }
    }
}

/// Every token of `source` (for the hardware reader, whose format is a flat list of `key: value`).
pub(crate) fn lex<'a>(source: &'a str, sink: &mut Sink) -> Vec<Token<'a>> {
    let mut lexer = Lexer::new(source);
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token(sink) {
        tokens.push(token);
    }
    tokens
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

    fn kinds(source: &str) -> (Vec<TokenKind<'_>>, usize) {
        let mut sink = Sink::new("t.m", source);
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
        let mut sink = Sink::new("t.m", source);
        let tokens = lex(source, &mut sink);
        assert_eq!(tokens[0].span, Span::new(0, 2));
        assert_eq!(tokens[1].span, Span::new(4, 5));
    }

    #[test]
    fn quoted_names_unescape() {
        let (tokens, errors) = kinds(r#""a \"b\" \u{263A}\\" "plain""#);
        assert_eq!(errors, 0);
        let texts: Vec<Cow<'_, str>> = tokens
            .iter()
            .map(|kind| match *kind {
                TokenKind::Quoted { raw, escaped } => quoted_text(raw, escaped),
                _ => Cow::Borrowed(""),
            })
            .collect();
        assert_eq!(texts[0], "a \"b\" \u{263A}\\");
        assert!(matches!(texts[1], Cow::Borrowed("plain")));
    }

    #[test]
    fn unexpected_characters_are_reported_once_per_run() {
        let (tokens, errors) = kinds("K @@@ 3 # x \"open");
        assert_eq!(errors, 3);
        assert_eq!(tokens.len(), 4);
    }
}
