//! Text edits the profile rules' fixes are made of: insert or delete an
//! array element, render new JSON in the file's own style.
//!
//! Local stand-ins until the fix engine's shared utilities
//! (`insert_array_element`, `delete_array_element`, indentation detection)
//! are on main; then these delegate to them.

use crate::diagnostic::Edit;
use crate::source::Span;

/// A JSON value with its key order, for inserted text (real exports have a
/// fixed key order that `serde_json::Map` would sort away).
#[derive(Debug, Clone)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(&'static str, Json)>),
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// Pretty-printed with `unit` per level, every line after the first
    /// prefixed with `base`.
    pub fn render(&self, base: &str, unit: &str, newline: &str) -> String {
        let mut out = String::new();
        self.write(&mut out, base, unit, newline, 0);
        out
    }

    fn write(&self, out: &mut String, base: &str, unit: &str, nl: &str, level: usize) {
        let pad = |out: &mut String, level: usize| {
            out.push_str(base);
            for _ in 0..level {
                out.push_str(unit);
            }
        };
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(i) => out.push_str(&i.to_string()),
            Json::Str(s) => out.push_str(&serde_json::to_string(s).expect("strings serialize")),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(items) if items.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "" } else { "," });
                    out.push_str(nl);
                    pad(out, level + 1);
                    item.write(out, base, unit, nl, level + 1);
                }
                out.push_str(nl);
                pad(out, level);
                out.push(']');
            }
            Json::Object(items) => {
                out.push('{');
                for (i, (key, value)) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "" } else { "," });
                    out.push_str(nl);
                    pad(out, level + 1);
                    out.push_str(&serde_json::to_string(key).expect("strings serialize"));
                    out.push_str(": ");
                    value.write(out, base, unit, nl, level + 1);
                }
                out.push_str(nl);
                pad(out, level);
                out.push('}');
            }
        }
    }
}

/// The file's indentation unit: the indentation of the first indented line
/// (two spaces when nothing is indented).
pub fn indent_unit(text: &str) -> &str {
    text.lines()
        .map(|l| &l[..l.len() - l.trim_start_matches([' ', '\t']).len()])
        .find(|ws| !ws.is_empty())
        .unwrap_or("  ")
}

/// Leading whitespace of the line that contains `offset`.
fn line_indent(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Appends `value` to the JSON array at `array` (its span from `[` to `]`),
/// following the file's indentation and line endings.
pub fn append_array_element(text: &str, array: &Span, value: &Json, newline: &str) -> Edit {
    let unit = indent_unit(text);
    let close = array.end.saturating_sub(1);
    let inner = &text[array.start + 1..close];
    let array_indent = line_indent(text, array.start);
    match inner.trim_end().len() {
        0 => {
            // `[]` → `[⏎ elem ⏎]`
            let element_indent = format!("{array_indent}{unit}");
            let rendered = value.render(&element_indent, unit, newline);
            Edit::replace(
                array.start + 1..close,
                format!("{newline}{element_indent}{rendered}{newline}{array_indent}"),
            )
        }
        last => {
            let after_last = array.start + 1 + last;
            // Indent like the last element: the first non-space of its line.
            let last_start = inner[..last]
                .rfind('\n')
                .map_or(array.start + 1, |i| array.start + 1 + i + 1);
            let element_indent = if last_start > array.start + 1 {
                line_indent(text, last_start).to_string()
            } else {
                format!("{array_indent}{unit}")
            };
            let rendered = value.render(&element_indent, unit, newline);
            Edit::insert(after_last, format!(",{newline}{element_indent}{rendered}"))
        }
    }
}

/// Deletes the element at `element` from its array, with the comma that
/// separates it from a neighbour.
pub fn delete_array_element(text: &str, element: &Span) -> Edit {
    let bytes = text.as_bytes();
    let mut after = element.end;
    while after < bytes.len() && bytes[after].is_ascii_whitespace() {
        after += 1;
    }
    if bytes.get(after) == Some(&b',') {
        // Not the last: remove through the comma up to the next element.
        let mut next = after + 1;
        while next < bytes.len() && bytes[next].is_ascii_whitespace() {
            next += 1;
        }
        return Edit::delete(element.start..next);
    }
    let mut before = element.start;
    while before > 0 && bytes[before - 1].is_ascii_whitespace() {
        before -= 1;
    }
    if before > 0 && bytes[before - 1] == b',' {
        // The last of several: remove from the end of the previous element.
        let mut prev_end = before - 1;
        while prev_end > 0 && bytes[prev_end - 1].is_ascii_whitespace() {
            prev_end -= 1;
        }
        return Edit::delete(prev_end..element.end);
    }
    // The only element: leave `[]`.
    Edit::delete(before..after)
}

/// Applies edits (non-overlapping) to `text`, for tests.
#[cfg(test)]
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.span.clone(), &e.content);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj() -> Json {
        Json::Object(vec![("a", Json::Int(1)), ("b", Json::Array(vec![]))])
    }

    #[test]
    fn appends_after_the_last_element_with_its_indentation() {
        let text = "{\n  \"x\": [\n    {\n      \"a\": 0\n    }\n  ]\n}\n";
        let start = text.find('[').unwrap();
        let end = text.rfind(']').unwrap() + 1;
        let out = apply(text, &[append_array_element(text, &(start..end), &obj(), "\n")]);
        assert_eq!(
            out,
            "{\n  \"x\": [\n    {\n      \"a\": 0\n    },\n    {\n      \"a\": 1,\n      \"b\": []\n    }\n  ]\n}\n"
        );
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
    }

    #[test]
    fn appends_into_an_empty_array() {
        let text = "{\n  \"x\": []\n}";
        let start = text.find('[').unwrap();
        let out = apply(
            text,
            &[append_array_element(text, &(start..start + 2), &Json::Int(5), "\n")],
        );
        assert_eq!(out, "{\n  \"x\": [\n    5\n  ]\n}");
    }

    #[test]
    fn deletes_first_middle_last_and_only_elements() {
        let text = "[\n  1,\n  2,\n  3\n]";
        let span = |v: &str| {
            let i = text.find(v).unwrap();
            i..i + 1
        };
        assert_eq!(
            apply(text, &[delete_array_element(text, &span("1"))]),
            "[\n  2,\n  3\n]"
        );
        assert_eq!(
            apply(text, &[delete_array_element(text, &span("2"))]),
            "[\n  1,\n  3\n]"
        );
        assert_eq!(
            apply(text, &[delete_array_element(text, &span("3"))]),
            "[\n  1,\n  2\n]"
        );
        assert_eq!(apply("[ 7 ]", &[delete_array_element("[ 7 ]", &(2..3))]), "[]");
    }
}
