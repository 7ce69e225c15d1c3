//! Positions inside JSON string literals.
//!
//! An expression lives in the file as a JSON string (`"expression": "Switch([x], , \"a\", …)"`), so
//! its text is unescaped once by JSON before our lexer sees it. Diagnostics must point at bytes of
//! the *file*, therefore every offset into the decoded expression is mapped back through the JSON
//! escapes: `\"` and `\\` are two raw bytes for one decoded byte, `\u00e9` is six raw bytes for the
//! two UTF-8 bytes of `é`, a surrogate pair `\ud83d\ude00` is twelve raw bytes for four decoded ones.
//!
//! [`decode_json_string`] takes the literal exactly as it appears in the file, quotes included, and
//! returns the decoded text plus an [`OffsetMap`]. For an expression span `s` found in the decoded
//! text, the file span is `map.to_file_span(literal, s)` where `literal` is the file span of the
//! string literal, quotes included.
//!
//! Mapping rules: an offset that starts an escaped character maps to the escape's backslash; an
//! offset just after it maps just after the escape, so a range always covers whole escapes. Offsets
//! inside a multi-byte decoded character (not char boundaries) map to the start of its escape.
//! A lone surrogate escape decodes to U+FFFD (lenient, so that a label can still be placed).

use std::ops::Range;

use crate::span::{ExprSpan, FileSpan};

/// A malformed JSON string literal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at byte {offset} of the string literal)")]
pub struct EmbeddedError {
    pub message: String,
    /// Byte offset inside the raw literal.
    pub offset: usize,
}

/// One escape sequence: `decoded_len` decoded bytes at `decoded` came from `raw_len` raw bytes at
/// `raw` (offsets into the decoded text and into the raw literal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Escape {
    decoded: usize,
    decoded_len: usize,
    raw: usize,
    raw_len: usize,
}

/// Maps byte offsets of a decoded JSON string back into its raw literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    escapes: Vec<Escape>,
    decoded_len: usize,
    raw_len: usize,
}

impl OffsetMap {
    /// The raw-literal byte offset of a decoded byte offset (offsets past the end map to the
    /// closing quote).
    pub fn to_raw(&self, decoded: usize) -> usize {
        let decoded = decoded.min(self.decoded_len);
        let i = self.escapes.partition_point(|e| e.decoded <= decoded);
        match i.checked_sub(1).map(|j| self.escapes[j]) {
            // Before any escape: skip the opening quote.
            None => decoded + 1,
            Some(e) if decoded < e.decoded + e.decoded_len => e.raw,
            Some(e) => e.raw + e.raw_len + (decoded - e.decoded - e.decoded_len),
        }
    }

    /// A decoded byte range as a byte range of the raw literal (quotes included).
    fn to_raw_range(&self, span: ExprSpan) -> Range<usize> {
        let start = self.to_raw(span.start);
        let end = self.to_raw(span.end).max(start);
        start..end
    }

    /// A decoded byte range as a file byte range, given the span of the literal in the file
    /// (quotes included). This is the one conversion from expression to file coordinates.
    pub fn to_file_span(&self, literal: FileSpan, span: ExprSpan) -> FileSpan {
        let r = self.to_raw_range(span);
        FileSpan::new(literal.start + r.start, literal.start + r.end)
    }

    /// Length of the decoded text in bytes.
    pub fn decoded_len(&self) -> usize {
        self.decoded_len
    }
}

fn hex4(raw: &str, at: usize) -> Result<u32, EmbeddedError> {
    raw.get(at..at + 4)
        .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .ok_or_else(|| EmbeddedError {
            message: "`\\u` must be followed by four hex digits".into(),
            offset: at - 2,
        })
}

/// Decodes a JSON string literal (with its quotes) and builds the offset map.
pub fn decode_json_string(raw: &str) -> Result<(String, OffsetMap), EmbeddedError> {
    let bytes = raw.as_bytes();
    if bytes.first() != Some(&b'"') {
        return Err(EmbeddedError {
            message: "a JSON string literal starts with `\"`".into(),
            offset: 0,
        });
    }
    let mut out = String::with_capacity(raw.len());
    let mut escapes = Vec::new();
    let mut i = 1;
    let mut run = 1;
    loop {
        while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\\' {
            i += 1;
        }
        if i >= bytes.len() {
            return Err(EmbeddedError {
                message: "unterminated JSON string".into(),
                offset: bytes.len(),
            });
        }
        out.push_str(&raw[run..i]);
        if bytes[i] == b'"' {
            if i + 1 != bytes.len() {
                return Err(EmbeddedError {
                    message: "text after the closing quote".into(),
                    offset: i + 1,
                });
            }
            break;
        }
        let start = i;
        let decoded_at = out.len();
        let (c, raw_len) = match bytes.get(i + 1) {
            Some(b'"') => ('"', 2),
            Some(b'\\') => ('\\', 2),
            Some(b'/') => ('/', 2),
            Some(b'b') => ('\u{8}', 2),
            Some(b'f') => ('\u{c}', 2),
            Some(b'n') => ('\n', 2),
            Some(b'r') => ('\r', 2),
            Some(b't') => ('\t', 2),
            Some(b'u') => {
                let hi = hex4(raw, i + 2)?;
                if (0xD800..0xDC00).contains(&hi)
                    && raw.get(i + 6..i + 8) == Some("\\u")
                    && let Ok(lo) = hex4(raw, i + 8)
                    && (0xDC00..0xE000).contains(&lo)
                {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    (char::from_u32(c).unwrap_or('\u{FFFD}'), 12)
                } else {
                    (char::from_u32(hi).unwrap_or('\u{FFFD}'), 6)
                }
            }
            _ => {
                return Err(EmbeddedError {
                    message: "invalid escape sequence".into(),
                    offset: start,
                });
            }
        };
        out.push(c);
        escapes.push(Escape {
            decoded: decoded_at,
            decoded_len: c.len_utf8(),
            raw: start,
            raw_len,
        });
        i = start + raw_len;
        run = i;
    }
    let decoded_len = out.len();
    Ok((
        out,
        OffsetMap {
            escapes,
            decoded_len,
            raw_len: raw.len(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_every_char(raw: &str) {
        let (decoded, map) = decode_json_string(raw).unwrap();
        assert_eq!(
            decoded,
            serde_json::from_str::<String>(raw).unwrap(),
            "decoding agrees with serde_json"
        );
        // Every decoded character maps to a raw range that decodes to exactly that character.
        for (i, c) in decoded.char_indices() {
            let r = map.to_raw_range(ExprSpan::new(i, i + c.len_utf8()));
            let piece = format!("\"{}\"", &raw[r.clone()]);
            assert_eq!(
                serde_json::from_str::<String>(&piece).unwrap(),
                c.to_string(),
                "char {c:?} at {i} → {r:?}"
            );
        }
        assert_eq!(map.to_raw(decoded.len()), raw.len() - 1);
    }

    #[test]
    fn plain_and_escaped_strings() {
        let raw = r#""Switch([IsSoftDeleted], , \"False\", \"True\")""#;
        let (decoded, map) = decode_json_string(raw).unwrap();
        assert_eq!(decoded, r#"Switch([IsSoftDeleted], , "False", "True")"#);
        // `"False"` is decoded bytes 26..33 and raw bytes 27..36 (`\"False\"`).
        assert_eq!(&decoded[26..33], "\"False\"");
        assert_eq!(map.to_raw_range(ExprSpan::new(26, 33)), 27..36);
        assert_eq!(&raw[27..36], r#"\"False\""#);
        assert_eq!(
            map.to_file_span(FileSpan::at(100, raw.len()), ExprSpan::new(26, 33)),
            FileSpan::new(127, 136)
        );
        assert_eq!(map.to_raw_range(ExprSpan::new(0, 6)), 1..7);
        check_every_char(raw);
    }

    #[test]
    fn unicode_escapes_and_non_ascii() {
        check_every_char(r#""Zo\u00eb [mail] \ud83d\ude00 é \\d+ \/ \n\t\b\f\r""#);
        let raw = r#""a\u00e9b😀c""#;
        let (decoded, map) = decode_json_string(raw).unwrap();
        assert_eq!(decoded, "aéb😀c");
        assert_eq!(map.to_raw_range(ExprSpan::new(1, 3)), 2..8); // é ← \u00e9
        assert_eq!(map.to_raw(2), 2, "inside a multi-byte char → its escape's start");
        assert_eq!(map.to_raw_range(ExprSpan::new(3, 4)), 8..9); // b
        assert_eq!(map.to_raw_range(ExprSpan::new(4, 8)), 9..13); // 😀 raw UTF-8
        assert_eq!(map.to_raw_range(ExprSpan::new(8, 9)), 13..14); // c
        check_every_char(r#""\ud83d\ude00\ud83d\ude00x""#);
    }

    #[test]
    fn double_layer_regex_constant() {
        // The regex `\d` is `"\\d"` in expression text and `\"\\\\d\"` inside the JSON literal.
        let raw = r#""Replace([x], , \"\\\\d\", , \"\", , )""#;
        let (decoded, map) = decode_json_string(raw).unwrap();
        assert_eq!(decoded, r#"Replace([x], , "\\d", , "", , )"#);
        let expr = crate::expr::parser::parse(&decoded).unwrap();
        let call = expr.as_call().unwrap();
        let regex_span = call.args[2].span();
        assert_eq!(&raw[map.to_raw_range(regex_span)], r#"\"\\\\d\""#);
    }

    #[test]
    fn lone_surrogates_and_errors() {
        let (decoded, map) = decode_json_string(r#""a\ud800b""#).unwrap();
        assert_eq!(decoded, "a\u{FFFD}b");
        assert_eq!(map.to_raw_range(ExprSpan::new(4, 5)), 8..9);
        assert_eq!(decode_json_string("x").unwrap_err().offset, 0);
        assert_eq!(
            decode_json_string(r#""abc"#).unwrap_err().message,
            "unterminated JSON string"
        );
        assert_eq!(decode_json_string(r#""a\qb""#).unwrap_err().offset, 2);
        assert_eq!(decode_json_string(r#""\u12""#).unwrap_err().offset, 1);
        assert!(decode_json_string(r#""a"b""#).is_err());
        assert_eq!(decode_json_string(r#""""#).unwrap().0, "");
    }
}
