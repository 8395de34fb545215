//! The parser: tokens to the syntax tree of [`crate::ast`]. It recovers from every error (skipping to the
//! next directive, entry, item or layer) so that one run reports all syntax errors of a file, and it
//! always consumes a token per step, so it cannot loop forever. The grammar:
//!
//! ```text
//! file      := ( "Constant" NAME value ";"? | network )*
//! network   := "Network" NAME? "{" layer* "}"
//! layer     := "Layer" NAME "{" item* "}"
//! item      := "Type" ":"? NAME
//!            | ("Stride" | "Dimensions") "{" ( NAME ":"? value ","? )* "}"
//!            | "Dataflow" "{" directive* "}"
//! directive := ("TemporalMap" | "SpatialMap") "(" value "," value ")" NAME ";"
//!            | "Cluster" "(" value ( "," ("P" | "L") )? ")" ";"
//! value     := INTEGER | CONSTANT_NAME | "Sz" "(" NAME ")"
//! ```

use crate::ast::{
    Block, ConstantAst, DirectiveAst, Entry, FileAst, LayerAst, Name, NetworkAst, Value,
};
use crate::diagnostic::{shorten, Sink};
use crate::lexer::{quoted_text, Lexer, Token, TokenKind};
use crate::span::Span;
use maestro_ir::MapKind;

const LAYER_ITEMS: [&str; 4] = ["Type", "Stride", "Dimensions", "Dataflow"];
const DIRECTIVES: [&str; 3] = ["TemporalMap", "SpatialMap", "Cluster"];
const TOP_LEVEL: [&str; 2] = ["Network", "Constant"];

pub(crate) fn parse<'a>(source: &'a str, sink: &mut Sink<'_>) -> FileAst<'a> {
    // The lexer's errors are collected apart and put before the parser's, as if the whole file had been
    // lexed first: that fixes which errors are kept when there are more than `MAX_DIAGNOSTICS`.
    let mut lex_sink = sink.empty_like();
    let mut lexer = Lexer::new(source);
    let current = lexer.next_token(&mut lex_sink);
    let mut parser = Parser {
        lexer,
        current,
        previous: None,
        lex_sink,
        sink,
        end_of_file: Span::new(source.len(), source.len()),
    };
    let file = parser.file();
    let lex_sink = parser.lex_sink;
    sink.prepend(lex_sink);
    file
}

struct Parser<'t, 'a, 's> {
    lexer: Lexer<'a>,
    /// The token under the cursor (`None` at the end of the file).
    current: Option<Token<'a>>,
    /// The span of the last consumed token.
    previous: Option<Span>,
    lex_sink: Sink<'s>,
    sink: &'t mut Sink<'s>,
    end_of_file: Span,
}

/// How a block ended.
#[derive(PartialEq, Eq)]
enum Closed {
    /// By its own `}`.
    Properly,
    /// By the end of the file or a keyword of an enclosing construct: the `}` is missing.
    Unclosed,
}

impl<'a> Parser<'_, 'a, '_> {
    fn peek(&self) -> Option<Token<'a>> {
        self.current
    }

    fn peek_kind(&self) -> Option<&TokenKind<'a>> {
        self.current.as_ref().map(|token| &token.kind)
    }

    fn peek_word(&self) -> Option<&'a str> {
        self.current.as_ref().and_then(Token::word)
    }

    fn peek_is(&self, kind: &TokenKind<'_>) -> bool {
        self.current.is_some_and(|token| token.kind == *kind)
    }

    fn peek_is_word_in(&self, words: &[&str]) -> bool {
        self.peek_word().is_some_and(|word| words.contains(&word))
    }

    fn bump(&mut self) -> Option<Token<'a>> {
        let token = self.current?;
        self.previous = Some(token.span);
        self.current = self.lexer.next_token(&mut self.lex_sink);
        Some(token)
    }

    fn current_span(&self) -> Span {
        self.peek().map_or(self.end_of_file, |token| token.span)
    }

    fn previous_end(&self) -> usize {
        self.previous.map_or(0, |span| span.end)
    }

    fn describe_current(&self) -> String {
        match self.peek_kind() {
            None => "the end of the file".to_string(),
            Some(kind) => describe(kind),
        }
    }

    /// Reports "expected X, found Y" at the current token without consuming it.
    fn expected(&mut self, what: &str, context: &str) {
        let found = self.describe_current();
        let span = self.current_span();
        let label = if self.peek().is_none() {
            "the file ends here".to_string()
        } else {
            format!("found {found}")
        };
        self.sink.push(
            span,
            format!("expected {what} {context}"),
            label,
            Some(format!("expected {what}, found {found}")),
            Vec::new(),
        );
    }

    /// Consumes a token of `kind`, or reports that it is missing.
    /// [`Self::expect`] with a context built only when the token is missing.
    fn expect_lazy(&mut self, kind: &TokenKind<'_>, context: impl FnOnce() -> String) -> bool {
        if self.peek_is(kind) {
            self.bump();
            true
        } else {
            self.expected(&describe(kind), &context());
            false
        }
    }

    fn expect(&mut self, kind: &TokenKind<'_>, context: &str) -> bool {
        if self.peek_is(kind) {
            self.bump();
            true
        } else {
            self.expected(&describe(kind), context);
            false
        }
    }

    fn unclosed(&mut self, what: &str, open: Span) {
        let found = self.describe_current();
        let at = self.current_span();
        self.sink.push(
            open,
            format!("unclosed {what}: the `}}` that ends it is missing"),
            "this `{` is never closed".to_string(),
            Some(format!("expected `}}` before {found}")),
            vec![(at, "the block must end before this".to_string())],
        );
    }

    /// Skips at least one token, then every token up to (not including) one at brace depth 0 for which
    /// `stop` holds. A `}` that would close an enclosing block also stops the skip when `stop_at_close`.
    fn skip(&mut self, stop_at_close: bool, stop: impl Fn(&TokenKind<'a>) -> bool) {
        self.skip_with(stop_at_close, false, stop);
    }

    /// [`Self::skip`], optionally also stopping right after a `{ … }` block that returns to depth 0
    /// (at top level, where the skipped construct is most likely that block).
    fn skip_with(
        &mut self,
        stop_at_close: bool,
        stop_after_block: bool,
        stop: impl Fn(&TokenKind<'a>) -> bool,
    ) {
        let mut depth: usize = 0;
        let mut first = true;
        while let Some(token) = self.peek() {
            if !first
                && depth == 0
                && (stop(&token.kind) || (stop_at_close && token.kind == TokenKind::RightBrace))
            {
                break;
            }
            first = false;
            let closes_block = token.kind == TokenKind::RightBrace && depth == 1;
            match token.kind {
                TokenKind::LeftBrace => depth += 1,
                TokenKind::RightBrace => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.bump();
            if closes_block && stop_after_block {
                break;
            }
        }
    }

    /// Consumes the `;` that ends a directive, or reports it missing right after the directive.
    fn expect_semicolon(&mut self) {
        if self.peek_is(&TokenKind::Semicolon) {
            self.bump();
            return;
        }
        let previous = self.previous.unwrap_or(self.end_of_file);
        let found = self.describe_current();
        self.sink.push(
            previous,
            "expected `;` to end the directive".to_string(),
            "`;` missing after this".to_string(),
            Some(format!("expected `;`, found {found}")),
            Vec::new(),
        );
    }

    fn file(&mut self) -> FileAst<'a> {
        let mut file = FileAst::default();
        while let Some(token) = self.peek() {
            match token.word() {
                Some("Network") => {
                    let network = self.network();
                    file.networks.push(network);
                }
                Some("Constant") => {
                    if let Some(constant) = self.constant() {
                        file.constants.push(constant);
                    }
                }
                _ => {
                    let found = self.describe_current();
                    self.sink.error(
                        token.span,
                        format!("unexpected {found} at top level"),
                        Some(
                            "expected `Network NAME { ... }` or `Constant NAME VALUE;`".to_string(),
                        ),
                    );
                    self.skip_with(
                        false,
                        true,
                        |kind| matches!(kind, TokenKind::Word(word) if TOP_LEVEL.contains(word)),
                    );
                }
            }
        }
        file
    }

    fn name(&mut self) -> Option<Name<'a>> {
        let token = self.peek()?;
        let text = match token.kind {
            TokenKind::Word(word) => std::borrow::Cow::Borrowed(word),
            TokenKind::Quoted { raw, escaped } => quoted_text(raw, escaped),
            _ => return None,
        };
        self.bump();
        Some(Name {
            text,
            span: token.span,
        })
    }

    fn constant(&mut self) -> Option<ConstantAst<'a>> {
        let keyword = self.bump()?.span;
        let name = match self.name() {
            Some(name) => name,
            None => {
                self.expected("a constant name", "after `Constant`");
                self.skip(
                    false,
                    |kind| matches!(kind, TokenKind::Word(word) if TOP_LEVEL.contains(word)),
                );
                return None;
            }
        };
        let value = self.value(|| "after the constant's name".to_string());
        if self.peek_is(&TokenKind::Semicolon) {
            self.bump();
        }
        let _ = keyword;
        Some(ConstantAst {
            name,
            value: value?,
        })
    }

    fn network(&mut self) -> NetworkAst<'a> {
        let keyword = self.bump().map_or(self.end_of_file, |token| token.span);
        let name = if self.peek_is(&TokenKind::LeftBrace) {
            None
        } else {
            self.name()
        };
        let mut network = NetworkAst {
            keyword,
            name,
            layers: Vec::new(),
        };
        let open = self.current_span();
        if !self.expect(&TokenKind::LeftBrace, "to open the network")
            && !self.peek_is_word_in(&["Layer"])
        {
            self.skip(
                false,
                |kind| matches!(kind, TokenKind::Word(word) if TOP_LEVEL.contains(word)),
            );
            return network;
        }
        loop {
            match self.peek_kind() {
                Some(TokenKind::RightBrace) => {
                    self.bump();
                    return network;
                }
                Some(TokenKind::Word("Layer")) => {
                    let (layer, closed) = self.layer();
                    network.layers.push(layer);
                    if closed == Closed::Unclosed && !self.peek_is_word_in(&["Layer"]) {
                        // The layer ran into the end of the file or a top-level keyword: so did the network.
                        if self.peek().is_none() || self.peek_is_word_in(&TOP_LEVEL) {
                            self.unclosed("`Network` block", open);
                            return network;
                        }
                    }
                }
                None => {
                    self.unclosed("`Network` block", open);
                    return network;
                }
                Some(TokenKind::Word(word)) if TOP_LEVEL.contains(word) => {
                    self.unclosed("`Network` block", open);
                    return network;
                }
                Some(_) => {
                    let found = self.describe_current();
                    self.sink.error(
                        self.current_span(),
                        format!("unexpected {found} in a network"),
                        Some(
                            "expected `Layer NAME { ... }` or the `}` that closes the network"
                                .to_string(),
                        ),
                    );
                    self.skip(true, |kind| {
                        matches!(kind, TokenKind::Word(word) if *word == "Layer" || TOP_LEVEL.contains(word))
                    });
                }
            }
        }
    }

    fn layer(&mut self) -> (LayerAst<'a>, Closed) {
        let keyword = self.bump().map_or(self.end_of_file, |token| token.span);
        let name = if self.peek_is(&TokenKind::LeftBrace) {
            None
        } else {
            self.name()
        };
        let mut layer = LayerAst {
            span: keyword,
            keyword,
            name,
            layer_type: None,
            strides: None,
            dimensions: None,
            dataflow: None,
            damaged: false,
        };
        if layer.name.is_none() {
            self.expected("a layer name", "after `Layer`");
            layer.damaged = true;
        }
        let open = self.current_span();
        if !self.expect(&TokenKind::LeftBrace, "to open the layer") {
            layer.damaged = true;
        }
        let closed = loop {
            match self.peek_kind() {
                Some(TokenKind::RightBrace) => {
                    self.bump();
                    break Closed::Properly;
                }
                Some(TokenKind::Word("Type")) => self.layer_type(&mut layer),
                Some(TokenKind::Word(word @ ("Stride" | "Dimensions"))) => {
                    let word = *word;
                    let block = self.entries_block(word);
                    let slot = if word == "Stride" {
                        &mut layer.strides
                    } else {
                        &mut layer.dimensions
                    };
                    if let Some(first) = slot {
                        let first_keyword = first.keyword;
                        self.duplicate_item(word, block.keyword, first_keyword);
                    } else {
                        *slot = Some(block);
                    }
                }
                Some(TokenKind::Word("Dataflow")) => {
                    let block = self.dataflow();
                    if let Some(first) = &layer.dataflow {
                        let first_keyword = first.keyword;
                        self.duplicate_item("Dataflow", block.keyword, first_keyword);
                    } else {
                        layer.dataflow = Some(block);
                    }
                }
                None => break Closed::Unclosed,
                Some(TokenKind::Word(word)) if *word == "Layer" || TOP_LEVEL.contains(word) => {
                    break Closed::Unclosed;
                }
                Some(_) => {
                    let found = self.describe_current();
                    self.sink.error(
                        self.current_span(),
                        format!("unexpected {found} in a layer"),
                        Some("expected `Type`, `Stride`, `Dimensions`, `Dataflow` or the `}` that closes the layer".to_string()),
                    );
                    layer.damaged = true;
                    self.skip(true, |kind| {
                        matches!(kind, TokenKind::Word(word)
                            if *word == "Layer" || TOP_LEVEL.contains(word) || LAYER_ITEMS.contains(word))
                    });
                }
            }
        };
        if closed == Closed::Unclosed {
            self.unclosed("`Layer` block", open);
            layer.damaged = true;
        }
        layer.span = Span::new(keyword.start, self.previous_end());
        (layer, closed)
    }

    fn duplicate_item(&mut self, item: &str, second: Span, first: Span) {
        self.sink.push(
            second,
            format!("duplicate `{item}` in one layer"),
            format!("second `{item}`"),
            Some(format!("write one `{item}` per layer; merge the two")),
            vec![(first, "first one here".to_string())],
        );
    }

    fn layer_type(&mut self, layer: &mut LayerAst<'a>) {
        let keyword = self.bump().map_or(self.end_of_file, |token| token.span);
        if self.peek_is(&TokenKind::Colon) {
            self.bump();
        }
        let is_value = matches!(self.peek_kind(), Some(TokenKind::Word(word)) if !LAYER_ITEMS.contains(word) && *word != "Layer")
            || matches!(self.peek_kind(), Some(TokenKind::Quoted { .. }));
        if !is_value {
            self.expected(
                "a layer type (CONV, TRCONV, DSCONV, NGCONV, GEMM or FC)",
                "after `Type:`",
            );
            layer.damaged = true;
            return;
        }
        let Some(value) = self.name() else { return };
        if let Some(first) = &layer.layer_type {
            let first_span = first.span;
            self.duplicate_item("Type", keyword.join(value.span), first_span);
        } else {
            layer.layer_type = Some(value);
        }
    }

    /// `Stride { … }` or `Dimensions { … }`.
    fn entries_block(&mut self, keyword_text: &str) -> Block<Entry<'a>> {
        let keyword = self.bump().map_or(self.end_of_file, |token| token.span);
        let mut block = Block {
            keyword,
            // Room for a whole block (a valid file has at most 10 dimensions and 2 strides) without
            // regrowing.
            items: Vec::with_capacity(if keyword_text == "Stride" { 2 } else { 10 }),
            damaged: false,
        };
        let open = self.current_span();
        if !self.expect_lazy(&TokenKind::LeftBrace, || format!("after `{keyword_text}`")) {
            block.damaged = true;
            if !matches!(self.peek_kind(), Some(TokenKind::Word(_))) || self.at_structure_keyword()
            {
                return block;
            }
        }
        let stop = |kind: &TokenKind<'_>| matches!(kind, TokenKind::Comma | TokenKind::Semicolon);
        loop {
            match self.peek_kind() {
                Some(TokenKind::RightBrace) => {
                    self.bump();
                    return block;
                }
                Some(TokenKind::Comma | TokenKind::Semicolon) => {
                    self.bump();
                }
                None => {
                    self.unclosed(&format!("`{keyword_text}` block"), open);
                    block.damaged = true;
                    return block;
                }
                Some(TokenKind::Word(_)) if self.at_structure_keyword() => {
                    self.unclosed(&format!("`{keyword_text}` block"), open);
                    block.damaged = true;
                    return block;
                }
                Some(TokenKind::Word(_) | TokenKind::Quoted { .. }) => {
                    let Some(key) = self.name() else { continue };
                    if self.peek_is(&TokenKind::Colon) {
                        self.bump();
                    }
                    match self.value(|| format!("for `{}`", shorten(&key.text))) {
                        Some(value) => block.items.push(Entry { key, value }),
                        None => {
                            block.damaged = true;
                            let at_boundary = match self.peek() {
                                None => true,
                                Some(token) => {
                                    stop(&token.kind) || token.kind == TokenKind::RightBrace
                                }
                            };
                            if !at_boundary && !self.at_structure_keyword() {
                                self.skip(true, stop);
                            }
                        }
                    }
                }
                Some(_) => {
                    let found = self.describe_current();
                    self.sink.error(
                        self.current_span(),
                        format!("unexpected {found} in `{keyword_text}`"),
                        Some("expected `NAME: VALUE` entries separated by `,`, or `}`".to_string()),
                    );
                    block.damaged = true;
                    self.skip(true, stop);
                }
            }
        }
    }

    /// Whether the current token starts a layer item, a layer, or a top-level construct: a sign that the
    /// block being read lacks its `}`.
    fn at_structure_keyword(&self) -> bool {
        self.peek_is_word_in(&LAYER_ITEMS)
            || self.peek_is_word_in(&["Layer"])
            || self.peek_is_word_in(&TOP_LEVEL)
    }

    fn value(&mut self, context: impl FnOnce() -> String) -> Option<Value<'a>> {
        let token = self.peek();
        match token.map(|token| token.kind) {
            Some(TokenKind::Word(word)) => {
                let span = token.map_or(self.end_of_file, |token| token.span);
                if word.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
                    self.bump();
                    Some(Value::Number { text: word, span })
                } else if word == "Sz" {
                    self.bump();
                    if !self.expect(&TokenKind::LeftParen, "after `Sz`") {
                        return None;
                    }
                    let Some(dim) = self.name() else {
                        self.expected("a dimension name", "inside `Sz( )`");
                        return None;
                    };
                    if !self.expect(&TokenKind::RightParen, "to close `Sz(`") {
                        return None;
                    }
                    Some(Value::SizeOf {
                        dim,
                        span: Span::new(span.start, self.previous_end()),
                    })
                } else if self.at_structure_keyword() || DIRECTIVES.contains(&word) {
                    self.expected("a number, a constant or `Sz(DIM)`", &context());
                    None
                } else {
                    let name = self.name()?;
                    Some(Value::Constant(name))
                }
            }
            _ => {
                self.expected("a number, a constant or `Sz(DIM)`", &context());
                None
            }
        }
    }

    fn dataflow(&mut self) -> Block<DirectiveAst<'a>> {
        let keyword = self.bump().map_or(self.end_of_file, |token| token.span);
        let mut block = Block {
            keyword,
            // Room for a typical two-level dataflow without regrowing.
            items: Vec::with_capacity(16),
            damaged: false,
        };
        let open = self.current_span();
        if !self.expect(&TokenKind::LeftBrace, "after `Dataflow`") {
            block.damaged = true;
            if !self.peek_is_word_in(&DIRECTIVES) {
                return block;
            }
        }
        loop {
            match self.peek_kind() {
                Some(TokenKind::RightBrace) => {
                    self.bump();
                    return block;
                }
                Some(TokenKind::Semicolon) => {
                    self.bump();
                }
                Some(TokenKind::Word(word @ ("TemporalMap" | "SpatialMap" | "Cluster"))) => {
                    let directive = if *word == "Cluster" {
                        self.cluster()
                    } else {
                        self.map(*word == "SpatialMap")
                    };
                    match directive {
                        Some(directive) => block.items.push(directive),
                        None => {
                            block.damaged = true;
                            self.skip_rest_of_directive();
                        }
                    }
                }
                None => {
                    self.unclosed("`Dataflow` block", open);
                    block.damaged = true;
                    return block;
                }
                Some(TokenKind::Word(_)) if self.at_structure_keyword() => {
                    self.unclosed("`Dataflow` block", open);
                    block.damaged = true;
                    return block;
                }
                Some(_) => {
                    let found = self.describe_current();
                    self.sink.error(
                        self.current_span(),
                        format!("unexpected {found} in `Dataflow`"),
                        Some("expected `TemporalMap(size,offset) DIM;`, `SpatialMap(size,offset) DIM;`, `Cluster(size,P);` or `}`".to_string()),
                    );
                    block.damaged = true;
                    self.skip(true, |kind| {
                        matches!(kind, TokenKind::Semicolon)
                            || matches!(kind, TokenKind::Word(word) if DIRECTIVES.contains(word))
                    });
                    if self.peek_is(&TokenKind::Semicolon) {
                        self.bump();
                    }
                }
            }
        }
    }

    /// After a malformed directive: skip to just after its `;`, or to the next directive or `}`.
    fn skip_rest_of_directive(&mut self) {
        while let Some(kind) = self.peek_kind() {
            match kind {
                TokenKind::Semicolon => {
                    self.bump();
                    return;
                }
                TokenKind::RightBrace | TokenKind::LeftBrace => return,
                TokenKind::Word(word) if DIRECTIVES.contains(word) => return,
                TokenKind::Word(_) if self.at_structure_keyword() => return,
                _ => {
                    self.bump();
                }
            }
        }
    }

    fn map(&mut self, spatial: bool) -> Option<DirectiveAst<'a>> {
        let keyword = self.bump()?.span;
        let name = if spatial { "SpatialMap" } else { "TemporalMap" };
        if !self.expect_lazy(&TokenKind::LeftParen, || format!("after `{name}`")) {
            return None;
        }
        let size = self.value(|| format!("as the tile size of `{name}`"))?;
        if !self.expect(&TokenKind::Comma, "between the tile size and the offset") {
            return None;
        }
        let offset = self.value(|| format!("as the offset of `{name}`"))?;
        if !self.expect_lazy(&TokenKind::RightParen, || format!("to close `{name}(`")) {
            return None;
        }
        let is_dim = matches!(self.peek_kind(), Some(TokenKind::Word(word)) if !DIRECTIVES.contains(word))
            && !self.at_structure_keyword()
            || matches!(self.peek_kind(), Some(TokenKind::Quoted { .. }));
        if !is_dim {
            self.expected("the mapped dimension", &format!("after `{name}(…)`"));
            return None;
        }
        let dim = self.name()?;
        let span = Span::new(keyword.start, self.previous_end());
        self.expect_semicolon();
        let kind = if spatial {
            MapKind::Spatial
        } else {
            MapKind::Temporal
        };
        Some(DirectiveAst::Map {
            kind,
            size,
            offset,
            dim,
            span,
        })
    }

    fn cluster(&mut self) -> Option<DirectiveAst<'a>> {
        let keyword = self.bump()?.span;
        if !self.expect(&TokenKind::LeftParen, "after `Cluster`") {
            return None;
        }
        let size = self.value(|| "as the cluster size".to_string())?;
        let mut kind = None;
        if self.peek_is(&TokenKind::Comma) {
            self.bump();
            kind = self.name();
            if kind.is_none() {
                self.expected("`P` or `L`", "as the cluster type");
                return None;
            }
        }
        if !self.expect(&TokenKind::RightParen, "to close `Cluster(`") {
            return None;
        }
        let span = Span::new(keyword.start, self.previous_end());
        self.expect_semicolon();
        Some(DirectiveAst::Cluster { size, kind, span })
    }
}

fn describe(kind: &TokenKind<'_>) -> String {
    match kind {
        TokenKind::LeftBrace => "`{`".to_string(),
        TokenKind::RightBrace => "`}`".to_string(),
        TokenKind::LeftParen => "`(`".to_string(),
        TokenKind::RightParen => "`)`".to_string(),
        TokenKind::Comma => "`,`".to_string(),
        TokenKind::Semicolon => "`;`".to_string(),
        TokenKind::Colon => "`:`".to_string(),
        TokenKind::Word(word) => format!("`{}`", shorten(word)),
        TokenKind::Quoted { raw, escaped } => {
            format!("\"{}\"", shorten(&quoted_text(raw, *escaped)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> (FileAst<'_>, Vec<String>) {
        let mut sink = Sink::new("t.m", text);
        let file = parse(text, &mut sink);
        let messages = sink
            .finish()
            .map(|diagnostics| {
                diagnostics
                    .iter()
                    .map(|d| format!("{}:{} {}", d.line(), d.column(), d.message()))
                    .collect()
            })
            .unwrap_or_default();
        (file, messages)
    }

    #[test]
    fn builds_the_tree_with_spans() {
        let text = "Constant T 4;\nNetwork n { Layer a-1 { Type: GEMM Dimensions { M 2, N: T } Dataflow { SpatialMap(Sz(M),1) M; Cluster(2); } } }";
        let (file, errors) = parse_text(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(file.constants.len(), 1);
        let layer = &file.networks[0].layers[0];
        assert_eq!(
            layer.name.as_ref().map(|name| name.text.as_ref()),
            Some("a-1")
        );
        assert_eq!(
            layer.layer_type.as_ref().map(|name| name.text.as_ref()),
            Some("GEMM")
        );
        let dimensions = layer.dimensions.as_ref().expect("dimensions");
        assert_eq!(dimensions.items.len(), 2);
        assert!(matches!(&dimensions.items[1].value, Value::Constant(name) if name.text == "T"));
        let dataflow = layer.dataflow.as_ref().expect("dataflow");
        assert_eq!(dataflow.items.len(), 2);
        let span = dataflow.items[0].span();
        assert_eq!(&text[span.start..span.end], "SpatialMap(Sz(M),1) M");
        assert!(matches!(
            &dataflow.items[1],
            DirectiveAst::Cluster { kind: None, .. }
        ));
        assert_eq!(
            &text[layer.span.start..layer.span.end - 2],
            &text[text.find("Layer").unwrap()..text.len() - 4]
        );
    }

    #[test]
    fn recovers_and_reports_every_syntax_error() {
        let text = "Network n {\n Layer a {\n Type: CONV\n Dataflow {\n SpatialMap(1 1) K;\n Bogus;\n TemporalMap(1,1) C\n }\n }\n Layer b { Type: GEMM }\n}";
        let (file, errors) = parse_text(text);
        assert_eq!(
            errors,
            [
                "5:15 expected `,` between the tile size and the offset",
                "6:2 unexpected `Bogus` in `Dataflow`",
                "7:19 expected `;` to end the directive",
            ]
        );
        // Both layers are still there, the damaged dataflow is marked, the good directive kept.
        let layers = &file.networks[0].layers;
        assert_eq!(layers.len(), 2);
        let dataflow = layers[0].dataflow.as_ref().expect("dataflow");
        assert!(dataflow.damaged);
        assert_eq!(dataflow.items.len(), 1);
    }

    #[test]
    fn a_missing_brace_is_reported_at_the_opening_brace() {
        let (_, errors) =
            parse_text("Network n {\n Layer a {\n Type: CONV\n Layer b { Type: CONV }\n}");
        assert_eq!(
            errors,
            ["2:10 unclosed `Layer` block: the `}` that ends it is missing"]
        );
    }
}
