//! Tokenizer for the expression language.
//!
//! The lexer is lazy (the parser pulls one token at a time) so that pathological input, e.g. ten
//! million `(`, is rejected by the parser's nesting limit without first materialising millions of
//! tokens. It works on bytes but only ever cuts the text at ASCII characters, so every span lies on
//! a UTF-8 character boundary.
//!
//! Lexical decisions worth knowing:
//! * An attribute reference is `[` … `]` and ends at the **first** `]`; target-style names such as
//!   `emails[type eq "work"].value` are not source references and cannot be written here.
//! * In strings only `\"` and `\\` are escapes; any other `\x` keeps both characters, as the
//!   Microsoft docs' Cloud Sync examples (`"\,"`, `"\2C"`) require.
//! * Numbers are integers with an optional `-` glued to the digits; `&H…` is hexadecimal.
//! * Common foreign syntax gets a dedicated error with help: `&` concatenation (Cloud Sync only),
//!   `'single quotes'`, typographic quotes, `==`, `!=`, decimals.

use super::ast::CompareOp;
use super::parser::{ParseError, ParseErrorKind};
use crate::span::ExprSpan;

/// A token's kind and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    LParen,
    RParen,
    Comma,
    /// `[name]` with the brackets removed.
    Attribute(String),
    /// A string constant, unescaped.
    Str(String),
    /// An integer literal as written.
    Number(String),
    /// A hex literal as written, including `&H`.
    Hex(String),
    /// A bare identifier (function name or symbol).
    Ident(String),
    Op(CompareOp),
    Eof,
}

impl TokenKind {
    /// A short human description for error messages.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::LParen => "`(`".into(),
            TokenKind::RParen => "`)`".into(),
            TokenKind::Comma => "`,`".into(),
            TokenKind::Attribute(n) => format!("attribute `[{n}]`"),
            TokenKind::Str(_) => "a string constant".into(),
            TokenKind::Number(t) => format!("number `{t}`"),
            TokenKind::Hex(t) => format!("hex number `{t}`"),
            TokenKind::Ident(n) => format!("`{n}`"),
            TokenKind::Op(op) => format!("`{op}`"),
            TokenKind::Eof => "the end of the expression".into(),
        }
    }
}

/// A token with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: ExprSpan,
}

/// Lazy tokenizer over an expression text.
pub struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

fn err(kind: ParseErrorKind, message: impl Into<String>, span: ExprSpan, help: Option<&str>) -> ParseError {
    ParseError {
        kind,
        message: message.into(),
        span,
        help: help.map(str::to_string),
    }
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Self {
        Lexer { src, pos: 0 }
    }

    /// The current byte offset (just after the last token returned).
    pub fn offset(&self) -> usize {
        self.pos
    }

    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    fn peek_byte(&self, at: usize) -> Option<u8> {
        self.bytes().get(at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.peek_byte(self.pos) {
            self.pos += 1;
        }
    }

    /// The span of the (possibly multi-byte) character starting at `at`.
    fn char_span(&self, at: usize) -> ExprSpan {
        let len = self.src[at..].chars().next().map_or(0, char::len_utf8);
        ExprSpan::new(at, at + len)
    }

    /// Returns the next token, or a lexical error.
    pub fn next_token(&mut self) -> Result<Token, ParseError> {
        self.skip_whitespace();
        let start = self.pos;
        let Some(b) = self.peek_byte(start) else {
            return Ok(Token {
                kind: TokenKind::Eof,
                span: ExprSpan::new(start, start),
            });
        };
        let simple = |kind, len: usize, this: &mut Self| {
            this.pos = start + len;
            Ok(Token {
                kind,
                span: ExprSpan::new(start, start + len),
            })
        };
        match b {
            b'(' => simple(TokenKind::LParen, 1, self),
            b')' => simple(TokenKind::RParen, 1, self),
            b',' => simple(TokenKind::Comma, 1, self),
            b'=' if self.peek_byte(start + 1) == Some(b'=') => Err(err(
                ParseErrorKind::UnsupportedOperator,
                "`==` is not an operator of this language",
                ExprSpan::new(start, start + 2),
                Some("compare with a single `=`"),
            )),
            b'=' => simple(TokenKind::Op(CompareOp::Eq), 1, self),
            b'<' => match self.peek_byte(start + 1) {
                Some(b'>') => simple(TokenKind::Op(CompareOp::Ne), 2, self),
                Some(b'=') => simple(TokenKind::Op(CompareOp::Le), 2, self),
                _ => simple(TokenKind::Op(CompareOp::Lt), 1, self),
            },
            b'>' => match self.peek_byte(start + 1) {
                Some(b'=') => simple(TokenKind::Op(CompareOp::Ge), 2, self),
                _ => simple(TokenKind::Op(CompareOp::Gt), 1, self),
            },
            b'!' if self.peek_byte(start + 1) == Some(b'=') => Err(err(
                ParseErrorKind::UnsupportedOperator,
                "`!=` is not an operator of this language",
                ExprSpan::new(start, start + 2),
                Some("write \"not equal\" as `<>`"),
            )),
            b'[' => self.attribute(start),
            b'"' => self.string(start),
            b'-' | b'0'..=b'9' => self.number(start),
            b'&' => self.hex(start),
            b'a'..=b'z' | b'A'..=b'Z' => {
                let mut end = start + 1;
                while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.peek_byte(end) {
                    end += 1;
                }
                self.pos = end;
                Ok(Token {
                    kind: TokenKind::Ident(self.src[start..end].to_string()),
                    span: ExprSpan::new(start, end),
                })
            }
            b']' => Err(self.stray_close_bracket(start)),
            b'\'' => Err(err(
                ParseErrorKind::UnexpectedChar,
                "unexpected `'`: string constants are written in double quotes",
                ExprSpan::new(start, start + 1),
                Some("write \"text\" instead of 'text'"),
            )),
            _ => {
                let span = self.char_span(start);
                let c = self.src[start..].chars().next().unwrap_or('?');
                let help = match c {
                    '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => {
                        Some("typographic quotes are not string delimiters; use the plain `\"`")
                    }
                    '\u{00A0}' | '\u{2000}'..='\u{200B}' | '\u{3000}' | '\u{FEFF}' => {
                        Some("only spaces, tabs and line breaks may separate tokens")
                    }
                    '+' => Some("there is no `+` operator; concatenate with Join or Append"),
                    '{' | '}' => Some("attribute references use square brackets: [name]"),
                    _ => None,
                };
                Err(err(
                    ParseErrorKind::UnexpectedChar,
                    format!("unexpected character `{}` (U+{:04X})", c.escape_debug(), c as u32),
                    span,
                    help,
                ))
            }
        }
    }

    /// A `]` outside an attribute reference: most likely its `[` is missing, as in `Join(",", a])`.
    fn stray_close_bracket(&self, at: usize) -> ParseError {
        let before = &self.src[..at];
        let word_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .map_or(0, |i| i + 1);
        let word = &before[word_start..];
        let help = if word.is_empty() {
            "attribute references are written with both brackets: [attributeName]".to_string()
        } else {
            format!("is the opening `[` missing? Write the attribute reference as `[{word}]`")
        };
        ParseError {
            kind: ParseErrorKind::UnexpectedChar,
            message: "unexpected `]` without a matching `[`".into(),
            span: ExprSpan::new(at, at + 1),
            help: Some(help),
        }
    }

    fn attribute(&mut self, start: usize) -> Result<Token, ParseError> {
        let rest = &self.bytes()[start + 1..];
        match rest.iter().position(|&b| b == b']') {
            None => Err(err(
                ParseErrorKind::UnterminatedAttribute,
                "attribute reference is missing its closing `]`",
                ExprSpan::new(start, self.src.len()),
                Some("attribute references look like [attributeName]"),
            )),
            Some(0) => Err(err(
                ParseErrorKind::EmptyAttribute,
                "empty attribute reference `[]`",
                ExprSpan::new(start, start + 2),
                Some("write the source attribute's name between the brackets"),
            )),
            Some(len) => {
                let end = start + 1 + len + 1;
                self.pos = end;
                Ok(Token {
                    kind: TokenKind::Attribute(self.src[start + 1..end - 1].to_string()),
                    span: ExprSpan::new(start, end),
                })
            }
        }
    }

    fn string(&mut self, start: usize) -> Result<Token, ParseError> {
        let bytes = self.bytes();
        let mut value = String::new();
        let mut run_start = start + 1;
        let mut i = run_start;
        loop {
            // Fast scan to the next quote or backslash (both ASCII, so slicing is safe).
            while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\\' {
                i += 1;
            }
            if i >= bytes.len() {
                return Err(err(
                    ParseErrorKind::UnterminatedString,
                    "string constant is missing its closing `\"`",
                    ExprSpan::new(start, self.src.len()),
                    Some("inside a string, write a quote as \\\" and a backslash as \\\\"),
                ));
            }
            value.push_str(&self.src[run_start..i]);
            if bytes[i] == b'"' {
                self.pos = i + 1;
                return Ok(Token {
                    kind: TokenKind::Str(value),
                    span: ExprSpan::new(start, i + 1),
                });
            }
            // A backslash: `\"` and `\\` are escapes, anything else stays literally.
            match bytes.get(i + 1) {
                Some(b'"') => {
                    value.push('"');
                    i += 2;
                }
                Some(b'\\') => {
                    value.push('\\');
                    i += 2;
                }
                Some(_) => {
                    value.push('\\');
                    i += 1;
                }
                None => {
                    return Err(err(
                        ParseErrorKind::UnterminatedString,
                        "string constant is missing its closing `\"`",
                        ExprSpan::new(start, self.src.len()),
                        Some("inside a string, write a quote as \\\" and a backslash as \\\\"),
                    ));
                }
            }
            run_start = i;
        }
    }

    fn number(&mut self, start: usize) -> Result<Token, ParseError> {
        let mut i = start;
        if self.peek_byte(i) == Some(b'-') {
            i += 1;
            if !matches!(self.peek_byte(i), Some(b'0'..=b'9')) {
                return Err(err(
                    ParseErrorKind::UnexpectedChar,
                    "unexpected `-`: there is no subtraction; a negative number is written like -10",
                    ExprSpan::new(start, start + 1),
                    None,
                ));
            }
        }
        while let Some(b'0'..=b'9') = self.peek_byte(i) {
            i += 1;
        }
        if let Some(b'.' | b'a'..=b'z' | b'A'..=b'Z' | b'_') = self.peek_byte(i) {
            let mut end = i;
            while let Some(b'.' | b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9') = self.peek_byte(end) {
                end += 1;
            }
            let help = if self.peek_byte(i) == Some(b'.') {
                "only integers are supported; write other numbers as strings"
            } else {
                "identifiers must start with a letter; numbers are digits only"
            };
            return Err(err(
                ParseErrorKind::InvalidNumber,
                format!("invalid number `{}`", &self.src[start..end]),
                ExprSpan::new(start, end),
                Some(help),
            ));
        }
        self.pos = i;
        Ok(Token {
            kind: TokenKind::Number(self.src[start..i].to_string()),
            span: ExprSpan::new(start, i),
        })
    }

    fn hex(&mut self, start: usize) -> Result<Token, ParseError> {
        if matches!(self.peek_byte(start + 1), Some(b'H' | b'h')) {
            let mut i = start + 2;
            while self.peek_byte(i).is_some_and(|b| b.is_ascii_hexdigit()) {
                i += 1;
            }
            let trailing_junk = self
                .peek_byte(i)
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
            if i > start + 2 && !trailing_junk {
                self.pos = i;
                return Ok(Token {
                    kind: TokenKind::Hex(self.src[start..i].to_string()),
                    span: ExprSpan::new(start, i),
                });
            }
            let mut end = i;
            while self
                .peek_byte(end)
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                end += 1;
            }
            return Err(err(
                ParseErrorKind::InvalidNumber,
                format!("invalid hex number `{}`", &self.src[start..end]),
                ExprSpan::new(start, end),
                Some("hex numbers are written &H followed by hex digits, e.g. &HF7"),
            ));
        }
        Err(err(
            ParseErrorKind::UnsupportedOperator,
            "`&` is not an operator in app provisioning expressions",
            ExprSpan::new(start, start + 1),
            Some("concatenate strings with Join(\"\", a, b) or Append(a, b); `&` only works in Cloud Sync"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        let mut lx = Lexer::new(src);
        let mut out = Vec::new();
        loop {
            let t = lx.next_token().unwrap();
            if t.kind == TokenKind::Eof {
                return out;
            }
            out.push(t.kind);
        }
    }

    fn first_error(src: &str) -> ParseError {
        let mut lx = Lexer::new(src);
        loop {
            match lx.next_token() {
                Ok(t) if t.kind == TokenKind::Eof => panic!("no error in {src:?}"),
                Ok(_) => {}
                Err(e) => return e,
            }
        }
    }

    #[test]
    fn tokens_of_a_typical_expression() {
        use TokenKind::*;
        assert_eq!(
            kinds("Switch([IsSoftDeleted],\n , \"False\", -10, &HF7, vbTextCompare)<>"),
            [
                Ident("Switch".into()),
                LParen,
                Attribute("IsSoftDeleted".into()),
                Comma,
                Comma,
                Str("False".into()),
                Comma,
                Number("-10".into()),
                Comma,
                Hex("&HF7".into()),
                Comma,
                Ident("vbTextCompare".into()),
                RParen,
                Op(CompareOp::Ne),
            ]
        );
    }

    #[test]
    fn operators() {
        use CompareOp::*;
        let ops: Vec<_> = kinds("= <> < <= > >=")
            .into_iter()
            .map(|k| match k {
                TokenKind::Op(o) => o,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(ops, [Eq, Ne, Lt, Le, Gt, Ge]);
    }

    #[test]
    fn string_escapes() {
        assert_eq!(kinds(r#""a\"b\\c\,d\2C""#), [TokenKind::Str(r#"a"b\c\,d\2C"#.into())]);
        assert_eq!(kinds(r#""""#), [TokenKind::Str(String::new())]);
        assert_eq!(kinds("\"Zoë ü\""), [TokenKind::Str("Zoë ü".into())]);
    }

    #[test]
    fn attribute_names_end_at_first_closing_bracket() {
        assert_eq!(
            kinds("[extension_abc_x.y:z \"q\" [w]"),
            [TokenKind::Attribute("extension_abc_x.y:z \"q\" [w".into())]
        );
    }

    #[test]
    fn lexical_errors_have_precise_spans() {
        let e = first_error("Append([a], \"abc");
        assert_eq!(e.kind, ParseErrorKind::UnterminatedString);
        assert_eq!(e.span, ExprSpan::new(12, 16));
        let e = first_error("\"ends with backslash\\");
        assert_eq!(e.kind, ParseErrorKind::UnterminatedString);
        assert_eq!(e.span.start, 0);
        let e = first_error("Not([a)");
        assert_eq!(e.kind, ParseErrorKind::UnterminatedAttribute);
        assert_eq!(e.span, ExprSpan::new(4, 7));
        let e = first_error("Not([])");
        assert_eq!(e.kind, ParseErrorKind::EmptyAttribute);
        assert_eq!(e.span, ExprSpan::new(4, 6));
        let e = first_error("Mid([a], 1.5, 2)");
        assert_eq!(e.kind, ParseErrorKind::InvalidNumber);
        assert_eq!(e.span, ExprSpan::new(9, 12));
        let e = first_error("\"t-\" & [alias]");
        assert_eq!(e.kind, ParseErrorKind::UnsupportedOperator);
        assert_eq!(e.span, ExprSpan::new(5, 6));
        assert!(e.help.unwrap().contains("Join"));
        let e = first_error("&HZZ");
        assert_eq!(e.kind, ParseErrorKind::InvalidNumber);
        let e = first_error("a == b");
        assert_eq!(e.span, ExprSpan::new(2, 4));
        let e = first_error("[a] != \"x\"");
        assert_eq!(e.span, ExprSpan::new(4, 6));
        let e = first_error("- 5");
        assert_eq!(e.span, ExprSpan::new(0, 1));
        let e = first_error("'x'");
        assert_eq!(e.kind, ParseErrorKind::UnexpectedChar);
        let e = first_error("Not(\u{201C}x\u{201D})");
        assert_eq!(e.span, ExprSpan::new(4, 7));
        assert!(e.help.is_some());
        let e = first_error("Join(\",\", a])");
        assert_eq!(e.span, ExprSpan::new(11, 12));
        assert_eq!(e.message, "unexpected `]` without a matching `[`");
        assert_eq!(
            e.help.as_deref(),
            Some("is the opening `[` missing? Write the attribute reference as `[a]`")
        );
        let e = first_error("Not( ])");
        assert!(e.help.unwrap().contains("both brackets"));
        let e = first_error("é");
        assert_eq!(e.span, ExprSpan::new(0, 2));
    }
}
