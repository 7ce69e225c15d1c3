//! Strict JSON with byte spans for every key and value.
//!
//! `serde_json::Value` forgets positions and silently keeps only the last of
//! two duplicate keys, so the linter parses with `jsonc-parser` in strict mode
//! (no comments, no trailing commas, nothing JSON5): its AST keeps a byte range
//! on every node and every duplicate property. Everything that needs to point
//! at the file (the model, JSON Schema errors, fixes) goes through this AST.
//! Nesting is bounded at [`MAX_DEPTH`] levels of objects and arrays (checked
//! before the parser's own, looser bound can apply), so the recursive walks
//! below cannot overflow the stack.

pub mod pointer;

use crate::span::FileSpan;
pub use jsonc_parser::ast::{Array, Object, ObjectProp, Value as Node};
use jsonc_parser::common::Ranged;

/// The first syntax error in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: FileSpan,
    pub help: Option<String>,
}

fn strict_options() -> jsonc_parser::ParseOptions {
    // Spelled out field by field: the struct is exhaustive, so a new leniency
    // option in a later jsonc-parser fails to compile instead of silently
    // loosening what we accept.
    jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// The deepest nesting of objects and arrays accepted. jsonc-parser counts
/// an object level twice (the object and its property) against its own
/// limit of 512, so it stops objects at 257 levels and arrays at 513; one
/// limit that holds for every mix, checked here, keeps the message true.
pub const MAX_DEPTH: usize = 256;

fn too_deep(at: usize) -> SyntaxError {
    SyntaxError {
        message: format!("nesting deeper than {MAX_DEPTH} levels; a synchronization schema is never this deep"),
        span: FileSpan::at(at, 1),
        help: None,
    }
}

/// The offset of the first `{` or `[` (outside strings) that opens level
/// [`MAX_DEPTH`] + 1, if any. Linear, no allocation.
fn first_too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Parses one strict JSON document.
pub fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    let deep = first_too_deep(text);
    let result = jsonc_parser::parse_to_ast(text, &Default::default(), &strict_options()).map_err(|e| {
        let range = e.range();
        // Too deep before the parser's error (or its own depth error,
        // which can only come later): say so, with our limit.
        if let Some(at) = deep.filter(|&at| at <= range.start) {
            return too_deep(at);
        }
        let message = match e.kind() {
            jsonc_parser::errors::ParseErrorKind::NestingDepthExceeded => too_deep(range.start).message,
            kind => lowercase_first(&kind.to_string()),
        };
        let span = FileSpan::new(range.start, range.end.max(range.start));
        SyntaxError {
            help: repair_hint(text, span),
            message,
            span,
        }
    })?;
    if let Some(at) = deep {
        return Err(too_deep(at));
    }
    let value = result.value.ok_or_else(|| SyntaxError {
        message: if text.trim().is_empty() {
            "the file is empty".into()
        } else {
            "no JSON value found".into()
        },
        span: FileSpan::new(text.len(), text.len()),
        help: Some("an export is a JSON object; download it again from the portal or Graph".into()),
    })?;
    check_strings(&value, text)?;
    Ok(value)
}

/// The likely cause of a syntax error in text pasted from somewhere, and
/// its repair: objects copied one by one (`{…}, {…}`), a comma too many, a
/// documentation excerpt's elision (`...`, `[..]`, `(...)`), the braces
/// left out around properties.
fn repair_hint(text: &str, span: FileSpan) -> Option<String> {
    let at = span.start.min(text.len());
    let rest = &text[at..];
    let position = |offset: usize| {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{line}:{column}")
    };
    let next = rest.trim_start();
    // An elision where content was left out.
    let elided = ["...", "…", "..", "(...)", "(…)", "[...]", "[..]", "[…]"]
        .into_iter()
        .find(|e| next.starts_with(e));
    if let Some(elision) = elided {
        return Some(format!(
            "`{elision}` stands for content that was left out, as documentation excerpts do: paste the \
             complete JSON (download the schema from the portal or Graph), or delete the elision and \
             the comma before it"
        ));
    }
    if let Some(after) = rest.strip_prefix(',') {
        let comma = position(at);
        let before = text[..at].trim_end();
        let after = after.trim_start();
        if before.is_empty() {
            return Some(format!("remove the leading comma at {comma}"));
        }
        if after.starts_with(['}', ']']) || after.is_empty() {
            return Some(format!("remove the trailing comma at {comma}"));
        }
        // The end of one complete value, then a comma and more: values
        // copied one by one from a guide.
        if parse_plain(&format!("[{text}]")) {
            let what = if text.trim_start().starts_with('{') {
                "objects"
            } else {
                "values"
            };
            return Some(format!(
                "the file holds several {what} separated by commas, as copied from a guide: wrap the \
                 {what} in [ ] to make one list (or keep only the one you meant)"
            ));
        }
        if parse_plain(&format!("{{{text}}}")) {
            return Some("the braces around these properties are missing: wrap the text in { }".to_string());
        }
        return Some(format!("remove the extra comma at {comma}"));
    }
    if rest.starts_with(':') && parse_plain(&format!("{{{text}}}")) {
        return Some("the braces around these properties are missing: wrap the text in { }".to_string());
    }
    if !text[..at].trim().is_empty()
        && rest.trim_start().starts_with(['{', '['])
        && parse_plain(&format!("[{}]", join_values(text)))
    {
        return Some(
            "the file holds several JSON values one after another: keep only one, or wrap them in [ ] \
             separated by commas"
                .to_string(),
        );
    }
    None
}

/// Whether a repaired text would parse (no nesting beyond the parser's
/// limit, no second hint).
fn parse_plain(text: &str) -> bool {
    jsonc_parser::parse_to_ast(text, &Default::default(), &strict_options()).is_ok_and(|r| r.value.is_some())
}

/// Values on consecutive lines (`{…}\n{…}`), joined by commas where one
/// line ends a value and the next starts one.
fn join_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut previous = ' ';
    for line in text.lines() {
        let trimmed = line.trim_start();
        if matches!(previous, '}' | ']') && trimmed.starts_with(['{', '[']) {
            out.push(',');
        }
        out.push_str(line);
        out.push('\n');
        if let Some(last) = line.trim_end().chars().last() {
            previous = last;
        }
    }
    out
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// jsonc-parser accepts raw control characters inside strings, which strict
/// JSON (RFC 8259 §7) forbids and Graph never emits.
fn check_strings(root: &Node<'_>, text: &str) -> Result<(), SyntaxError> {
    let mut result = Ok(());
    walk(root, &mut |node, key| {
        if result.is_err() {
            return;
        }
        let ranges = key
            .into_iter()
            .chain(matches!(node, Node::StringLit(_)).then(|| span_of(node)));
        for range in ranges {
            if let Some(i) = text[range].bytes().position(|b| b < 0x20) {
                let at = range.start + i;
                result = Err(SyntaxError {
                    message: "control character inside a string must be escaped".into(),
                    span: FileSpan::new(at, at + 1),
                    help: Some("write it as an escape such as \\n or \\t".into()),
                });
                return;
            }
        }
    });
    result
}

/// Visits every value (pre-order), with the span of its key when it is an
/// object property.
pub fn walk<'a>(node: &'a Node<'a>, visit: &mut impl FnMut(&'a Node<'a>, Option<FileSpan>)) {
    fn go<'a>(node: &'a Node<'a>, key: Option<FileSpan>, visit: &mut impl FnMut(&'a Node<'a>, Option<FileSpan>)) {
        visit(node, key);
        match node {
            Node::Object(obj) => {
                for prop in &obj.properties {
                    go(&prop.value, Some(key_span(prop)), visit);
                }
            }
            Node::Array(arr) => {
                for el in &arr.elements {
                    go(el, None, visit);
                }
            }
            _ => {}
        }
    }
    go(node, None, visit)
}

/// Byte range of a value, including the quotes of a string.
pub fn span_of(node: &Node<'_>) -> FileSpan {
    let r = node.range();
    FileSpan::new(r.start, r.end)
}

/// Byte range of a property's key, including its quotes.
pub fn key_span(prop: &ObjectProp<'_>) -> FileSpan {
    let r = prop.name.range();
    FileSpan::new(r.start, r.end)
}

/// Byte range of a whole `"key": value` property.
pub fn prop_span(prop: &ObjectProp<'_>) -> FileSpan {
    FileSpan::new(prop.range.start, prop.range.end)
}

/// The last property with this name (the one a JSON reader would keep).
pub fn get<'a, 'b>(obj: &'b Object<'a>, name: &str) -> Option<&'b ObjectProp<'a>> {
    obj.properties.iter().rev().find(|p| p.name.as_str() == name)
}

/// A value found by JSON Pointer, with the span of its key if it has one.
pub struct Resolved<'a, 'b> {
    pub node: &'b Node<'a>,
    pub key: Option<FileSpan>,
}

/// Finds the value an RFC 6901 pointer names. Duplicate keys resolve to the
/// last occurrence, as serde_json (and therefore the JSON Schema validator)
/// sees them.
pub fn resolve<'a, 'b>(root: &'b Node<'a>, ptr: &str) -> Option<Resolved<'a, 'b>> {
    let mut node = root;
    let mut key = None;
    for segment in pointer::segments(ptr)? {
        match node {
            Node::Object(obj) => {
                let prop = get(obj, &segment)?;
                key = Some(key_span(prop));
                node = &prop.value;
            }
            Node::Array(arr) => {
                node = arr.elements.get(pointer::array_index(&segment)?)?;
                key = None;
            }
            _ => return None,
        }
    }
    Some(Resolved { node, key })
}

/// A key that occurs twice in the same object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: FileSpan,
    pub duplicate: FileSpan,
    /// Pointer to the object holding both keys.
    pub object_pointer: String,
}

/// Every repeated key, reported at its second (and later) occurrence.
/// Values that a later duplicate overrides are not searched: no reader sees
/// them, no pointer can name them, and the outer duplicate is reported.
pub fn duplicate_keys(root: &Node<'_>) -> Vec<DuplicateKey> {
    fn go<'a>(node: &'a Node<'a>, path: &mut Vec<pointer::Token<'a>>, out: &mut Vec<DuplicateKey>) {
        match node {
            Node::Object(obj) => {
                let overridden = duplicates_in(obj, path, out);
                for (i, prop) in obj.properties.iter().enumerate() {
                    if overridden.as_ref().is_some_and(|o| o[i]) {
                        continue;
                    }
                    path.push(pointer::Token::Key(prop.name.as_str()));
                    go(&prop.value, path, out);
                    path.pop();
                }
            }
            Node::Array(arr) => {
                for (i, el) in arr.elements.iter().enumerate() {
                    path.push(pointer::Token::Index(i));
                    go(el, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    go(root, &mut Vec::new(), &mut out);
    out
}

/// The repeated keys of one object, and (if there are any) which properties
/// a later one of the same name overrides. Objects of an export have a
/// handful of keys, where comparing each with the ones before beats hashing;
/// the pointer is only built for an object that has a duplicate.
fn duplicates_in(obj: &Object<'_>, path: &[pointer::Token<'_>], out: &mut Vec<DuplicateKey>) -> Option<Vec<bool>> {
    const SMALL: usize = 16;
    let props = &obj.properties;
    let mut found: Vec<(usize, usize)> = Vec::new();
    if props.len() <= SMALL {
        for (i, prop) in props.iter().enumerate() {
            let name = prop.name.as_str();
            if let Some(first) = props[..i].iter().position(|p| p.name.as_str() == name) {
                found.push((first, i));
            }
        }
    } else {
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::with_capacity(props.len());
        for (i, prop) in props.iter().enumerate() {
            let first = *seen.entry(prop.name.as_str()).or_insert(i);
            if first != i {
                found.push((first, i));
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut overridden = vec![false; props.len()];
    let mut latest: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for &(first, i) in &found {
        overridden[latest.insert(first, i).unwrap_or(first)] = true;
    }
    let object_pointer = pointer::from_tokens(path);
    out.extend(found.into_iter().map(|(first, i)| DuplicateKey {
        key: props[i].name.as_str().to_string(),
        first: key_span(&props[first]),
        duplicate: key_span(&props[i]),
        object_pointer: object_pointer.clone(),
    }));
    Some(overridden)
}

/// The pointer of the value at `span` reached by `path`, or — when the path
/// passes through a value that a later duplicate key overrides, which no
/// pointer can name — of its nearest ancestor that a pointer does name.
pub fn addressable_pointer(root: &Node<'_>, path: &[pointer::Token<'_>], span: &FileSpan) -> String {
    (0..=path.len())
        .rev()
        .map(|len| pointer::from_tokens(&path[..len]))
        .find(|ptr| {
            resolve(root, ptr).is_some_and(|r| {
                let found = span_of(r.node);
                found.start <= span.start && span.end <= found.end
            })
        })
        .unwrap_or_default()
}

/// Converts the span AST into a `serde_json::Value` for the JSON Schema
/// validator (depth is already bounded by the parser).
pub fn to_serde(node: &Node<'_>) -> serde_json::Value {
    use serde_json::Value as V;
    match node {
        Node::StringLit(s) => V::String(s.value.to_string()),
        Node::NumberLit(n) => n.value.parse::<serde_json::Number>().map(V::Number).unwrap_or(V::Null),
        Node::BooleanLit(b) => V::Bool(b.value),
        Node::NullKeyword(_) => V::Null,
        Node::Array(a) => V::Array(a.elements.iter().map(to_serde).collect()),
        Node::Object(o) => V::Object(
            o.properties
                .iter()
                .map(|p| (p.name.as_str().to_string(), to_serde(&p.value)))
                .collect(),
        ),
    }
}

/// A short name for a JSON value's type, for messages.
pub fn type_name(node: &Node<'_>) -> &'static str {
    match node {
        Node::StringLit(_) => "a string",
        Node::NumberLit(_) => "a number",
        Node::BooleanLit(_) => "a boolean",
        Node::NullKeyword(_) => "null",
        Node::Array(_) => "an array",
        Node::Object(_) => "an object",
    }
}

/// `s` as a JSON string literal, quoted and escaped (also a YAML
/// double-quoted scalar: JSON string syntax is a subset of it).
pub fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_strict_json_rejects() {
        for bad in [
            "{\"a\": 1,}",
            "{\"a\": 1 // c\n}",
            "{a: 1}",
            "{'a': 1}",
            "[0x1]",
            "[+1]",
            "[.5]",
            "[NaN]",
            "{\"a\": \"\t\"}",
            "",
            "   ",
            "{} {}",
            "[1] x",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn syntax_errors_of_pasted_text_name_the_cause_and_the_repair() {
        let hint = |t: &str| parse(t).unwrap_err().help.unwrap_or_default();
        assert!(hint(r#"{"a": 1}, {"b": 2}"#).contains("wrap the objects in [ ]"));
        assert_eq!(hint("{\"a\": [1,\n  2,\n]}"), "remove the trailing comma at 2:4");
        assert_eq!(hint(r#"{"a": 1},"#), "remove the trailing comma at 1:9");
        assert_eq!(hint(r#", {"a": 1}"#), "remove the leading comma at 1:1");
        assert_eq!(hint(r#"[1,, 2]"#), "remove the extra comma at 1:4");
        for elided in [
            r#"{"a": [...]}"#,
            r#"{"a": 1, ... }"#,
            r#"{"a": [..]}"#,
            r#"{"a": (...)}"#,
            r#"{"a": 1, …}"#,
        ] {
            assert!(hint(elided).contains("left out"), "{elided}: {}", hint(elided));
        }
        assert!(hint(r#""targetAttributeName": "x", "source": {}"#).contains("wrap the text in { }"));
        assert!(hint("{\"a\": 1}\n{\"b\": 2}").contains("one after another"));
        assert_eq!(hint(r#"{"a": tru}"#), "");
    }

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = r#"{"targetAttributeName": "userName", "n": [1, true]}"#;
        let root = parse(text).unwrap();
        let r = resolve(&root, "/targetAttributeName").unwrap();
        assert_eq!(&text[span_of(r.node)], "\"userName\"");
        assert_eq!(&text[r.key.unwrap()], "\"targetAttributeName\"");
        assert_eq!(&text[span_of(resolve(&root, "/n/1").unwrap().node)], "true");
        assert!(resolve(&root, "/n/2").is_none());
        assert!(resolve(&root, "/n/01").is_none());
    }

    #[test]
    fn reports_duplicate_keys_with_both_positions() {
        let text = r#"{"a": {"x": 1, "y": 2, "x": 3}}"#;
        let dups = duplicate_keys(&parse(text).unwrap());
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].key, "x");
        assert_eq!(dups[0].object_pointer, "/a");
        assert_eq!(dups[0].first.start, text.find("\"x\"").unwrap());
        assert_eq!(dups[0].duplicate.start, text.rfind("\"x\"").unwrap());
        // The pointer resolves to the value a JSON reader keeps: the last one.
        assert_eq!(
            &text[span_of(resolve(&parse(text).unwrap(), "/a/x").unwrap().node)],
            "3"
        );
    }

    #[test]
    fn duplicates_inside_an_overridden_value_are_not_reported() {
        let text = r#"{"a": {"x": 1, "x": 2}, "b": [{"y": 1, "y": 2, "y": 3}], "a": null}"#;
        let dups = duplicate_keys(&parse(text).unwrap());
        let found: Vec<(&str, &str)> = dups
            .iter()
            .map(|d| (d.object_pointer.as_str(), d.key.as_str()))
            .collect();
        assert_eq!(found, [("", "a"), ("/b/0", "y"), ("/b/0", "y")]);
        assert_eq!(dups[1].first, dups[2].first, "both repeats point back at the first");
    }

    #[test]
    fn addressable_pointer_stops_at_an_overridden_value() {
        use pointer::Token::{Index, Key};
        let text = r#"{"a": [{"s": "x"}], "a": [{"s": "y"}]}"#;
        let root = parse(text).unwrap();
        let first_s = FileSpan::at(text.find("\"x\"").unwrap(), 3);
        let last_s = FileSpan::at(text.find("\"y\"").unwrap(), 3);
        let path = [Key("a"), Index(0), Key("s")];
        assert_eq!(addressable_pointer(&root, &path, &last_s), "/a/0/s");
        assert_eq!(addressable_pointer(&root, &path, &first_s), "");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(200_000) + &"]".repeat(200_000);
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("nesting"), "{}", err.message);
    }

    /// The message names the limit that applies, for objects, arrays and a
    /// mix: 256 levels parse, 257 do not (objects once failed at 257 with
    /// a message saying 512).
    #[test]
    fn the_nesting_limit_is_the_one_the_message_names() {
        let objects = |n: usize| "{\"q\":".repeat(n) + "1" + &"}".repeat(n);
        let arrays = |n: usize| "[".repeat(n) + &"]".repeat(n);
        let mixed = |n: usize| "[{\"a\":".repeat(n / 2) + "1" + &"}]".repeat(n / 2);
        for make in [&objects as &dyn Fn(usize) -> String, &arrays, &mixed] {
            assert!(parse(&make(MAX_DEPTH)).is_ok());
            let text = make(MAX_DEPTH + 2);
            let err = parse(&text).unwrap_err();
            assert_eq!(
                err.message,
                "nesting deeper than 256 levels; a synchronization schema is never this deep"
            );
            // At the bracket that opens level 257.
            assert_eq!(
                text[..err.span.start].matches(['{', '[']).count(),
                MAX_DEPTH,
                "{text:.40}"
            );
        }
        // Brackets inside strings do not count; a syntax error before the
        // depth is reported as such.
        let quoted = format!("{{\"a\": \"{}\"}}", "[".repeat(1000));
        assert!(parse(&quoted).is_ok());
        let early = format!("{{x {}", "[".repeat(1000));
        assert!(!parse(&early).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn converts_to_serde_value() {
        let root = parse(r#"{"a": [1, 2.5, "s", null, false]}"#).unwrap();
        assert_eq!(to_serde(&root), serde_json::json!({"a": [1, 2.5, "s", null, false]}));
    }
}
