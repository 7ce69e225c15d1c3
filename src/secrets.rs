//! Finding credentials in an export, so they can be reported and — more
//! importantly — redacted from every output.
//!
//! A schema export should never contain a credential, but people paste the
//! provisioning secret token into metadata, give a password target a
//! constant, or save the whole Graph response of the secrets endpoint. The
//! scan runs on every file whether or not `secret-in-export` is enabled,
//! because every output format masks the spans it returns.

use crate::json::pointer::Token;
use crate::json::{self, Node, Object};
use crate::span::FileSpan;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// FileSpan of the string contents (inside the quotes).
    pub span: FileSpan,
    pub pointer: String,
    /// What kind of credential, for the message ("a JWT", "a value under `SecretToken`").
    pub kind: String,
}

/// Key names (compared lower-case, without `_`, `-`, `.`) whose string
/// values are credentials.
const SECRET_KEY_PARTS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "token",
    "apikey",
    "credential",
    "authorization",
    "privatekey",
];

fn is_secret_key(key: &str) -> bool {
    // Every property name of the file comes through here: normalise short
    // ASCII names on the stack.
    const MAX: usize = 64;
    if key.len() <= MAX && key.is_ascii() {
        let mut buf = [0u8; MAX];
        let mut len = 0;
        for b in key.bytes().filter(u8::is_ascii_alphanumeric) {
            buf[len] = b.to_ascii_lowercase();
            len += 1;
        }
        let norm = &buf[..len];
        return SECRET_KEY_PARTS
            .iter()
            .any(|p| norm.windows(p.len()).any(|w| w == p.as_bytes()));
    }
    let norm: String = key
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    SECRET_KEY_PARTS.iter().any(|p| norm.contains(p))
}

fn jwt() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*").expect("valid regex")
    })
}

fn bearer() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{16,}").expect("valid regex"))
}

/// Compiles the patterns now (about 0.5 ms), so a caller can do it on
/// another thread before the first scan needs them.
pub fn prepare() {
    jwt();
    bearer();
}

/// Values that stand for "no secret here": flags, empties and placeholders.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || v.eq_ignore_ascii_case("true")
        || v.eq_ignore_ascii_case("false")
        || v.eq_ignore_ascii_case("null")
        || v.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || v.to_ascii_lowercase().contains("redacted")
        || (v.starts_with('<') && v.ends_with('>'))
        || v.starts_with("${")
        || v.starts_with("$(")
        || v.starts_with("{{")
}

/// Every credential in the document, in document order.
pub fn scan(root: &Node<'_>) -> Vec<Secret> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    visit(root, root, &mut path, &mut out);
    out.sort_by_key(|s| s.span.start);
    out.dedup_by_key(|s| s.span);
    out
}

fn inner(node: &Node<'_>) -> FileSpan {
    let s = json::span_of(node);
    FileSpan::new(s.start + 1, s.end.saturating_sub(1).max(s.start + 1))
}

/// The pointer of a reported value. A value under a duplicate key that a
/// later one overrides is still masked, but no pointer names it: then this
/// is the pointer of its nearest ancestor.
fn pointer_of(root: &Node<'_>, path: &[Token<'_>], node: &Node<'_>) -> String {
    json::addressable_pointer(root, path, &json::span_of(node))
}

/// `path` is the way from the root to `node`; the pointer string is built
/// only for what is reported.
fn visit<'a>(root: &Node<'_>, node: &'a Node<'a>, path: &mut Vec<Token<'a>>, out: &mut Vec<Secret>) {
    match node {
        Node::StringLit(s) => {
            let kind = if jwt().is_match(&s.value) {
                "a JSON Web Token"
            } else if bearer().is_match(&s.value) {
                "a bearer token"
            } else {
                return;
            };
            out.push(Secret {
                span: inner(node),
                pointer: pointer_of(root, path, node),
                kind: kind.into(),
            });
        }
        Node::Object(obj) => {
            check_object(root, obj, path, out);
            for prop in &obj.properties {
                path.push(Token::Key(prop.name.as_str()));
                visit(root, &prop.value, path, out);
                path.pop();
            }
        }
        Node::Array(arr) => {
            for (i, el) in arr.elements.iter().enumerate() {
                path.push(Token::Index(i));
                visit(root, el, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn string_value<'a, 'b>(obj: &'b Object<'a>, key: &str) -> Option<(&'b Node<'a>, &'b str)> {
    let prop = json::get(obj, key)?;
    Some((&prop.value, prop.value.as_string_lit()?.value.as_ref()))
}

/// The string values of the keys [`check_object`] looks at, read in one pass
/// (the last of duplicate keys wins, as in [`json::get`]).
#[derive(Default)]
struct Interesting<'a, 'b> {
    key: Option<&'b str>,
    value: Option<(&'b Node<'a>, &'b str)>,
    target: Option<&'b str>,
    default_value: Option<(&'b Node<'a>, &'b str)>,
    source: Option<&'b Object<'a>>,
}

fn check_object<'a>(root: &Node<'_>, obj: &'a Object<'a>, path: &[Token<'a>], out: &mut Vec<Secret>) {
    let mut report = |node: &Node<'_>, keys: &[&str], kind: String| {
        let mut path = path.to_vec();
        path.extend(keys.iter().map(|k| Token::Key(k)));
        out.push(Secret {
            span: inner(node),
            pointer: pointer_of(root, &path, node),
            kind,
        });
    };
    let mut seen = Interesting::default();
    // `"SecretToken": "…"` directly as a property.
    for prop in &obj.properties {
        let name = prop.name.as_str();
        let string = prop.value.as_string_lit().map(|s| s.value.as_ref());
        match name {
            "key" => seen.key = string,
            "value" => seen.value = string.map(|s| (&prop.value, s)),
            "targetAttributeName" => seen.target = string,
            "defaultValue" => seen.default_value = string.map(|s| (&prop.value, s)),
            "source" => seen.source = prop.value.as_object(),
            _ => {}
        }
        if let Some(s) = string
            && is_secret_key(name)
            && !is_placeholder(s)
            && !is_structural_key(name)
        {
            report(&prop.value, &[name], format!("a value under `{name}`"));
        }
    }
    // `{"key": "SecretToken", "value": "…"}` pairs (metadata, secrets API).
    if let (Some(key), Some((value_node, value))) = (seen.key, seen.value)
        && is_secret_key(key)
        && !is_placeholder(value)
    {
        report(value_node, &["value"], format!("a value under the key `{key}`"));
    }
    // A constant or default written to a password-like target attribute.
    if let Some(target) = seen.target
        && is_secret_key(target)
    {
        if let Some((node, value)) = seen.default_value
            && !is_placeholder(value)
        {
            report(node, &["defaultValue"], format!("a default value for `{target}`"));
        }
        if let Some(source) = seen.source
            && string_value(source, "type").is_some_and(|(_, t)| t == "Constant")
        {
            for key in ["name", "expression"] {
                if let Some((node, value)) = string_value(source, key)
                    && !is_placeholder(value.trim_matches('"'))
                {
                    report(node, &["source", key], format!("a constant for `{target}`"));
                }
            }
        }
    }
}

/// Keys whose values name things rather than hold them
/// (`"name": "passwordProfile.password"` is an attribute name).
fn is_structural_key(key: &str) -> bool {
    matches!(
        key,
        "name" | "key" | "targetAttributeName" | "sourceOperandName" | "referencedObjectName" | "expression" | "type"
    )
}

/// `text` with every secret's bytes replaced by `*`, byte for byte, so spans
/// stay valid for rendering.
pub fn redact(text: &str, secrets: &[Secret]) -> String {
    if secrets.is_empty() {
        return text.to_string();
    }
    let mut bytes = text.as_bytes().to_vec();
    for s in secrets {
        for b in &mut bytes[s.span.range()] {
            *b = b'*';
        }
    }
    // Replacing whole UTF-8 sequences (every byte of a string's contents)
    // keeps the text valid UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Replaces any secret value quoted in a message.
pub fn scrub(message: &str, text: &str, secrets: &[Secret]) -> String {
    let mut out = message.to_string();
    for s in secrets {
        let value = &text[s.span];
        if value.len() >= 4 && out.contains(value) {
            out = out.replace(value, "[REDACTED]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets_of(text: &str) -> Vec<(String, String)> {
        let root = json::parse(text).unwrap();
        scan(&root)
            .into_iter()
            .map(|s| (s.pointer, text[s.span].to_string()))
            .collect()
    }

    #[test]
    fn finds_jwts_secret_keys_and_pairs() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl";
        let text = format!(
            r#"{{"metadata": [{{"key": "SecretToken", "value": "s3cr3t-value"}}, {{"key": "Secret", "value": "true"}}],
               "x": "{jwt}", "ClientSecret": "abcdef", "password": "", "name": "passwordProfile.password"}}"#
        );
        let found = secrets_of(&text);
        assert_eq!(
            found,
            vec![
                ("/metadata/0/value".to_string(), "s3cr3t-value".to_string()),
                ("/x".to_string(), jwt.to_string()),
                ("/ClientSecret".to_string(), "abcdef".to_string()),
            ]
        );
    }

    #[test]
    fn finds_constants_written_to_password_targets() {
        let text = r#"{"targetAttributeName": "password", "defaultValue": "Welcome1!",
            "source": {"type": "Constant", "name": "Hunter2", "expression": "\"Hunter2\""}}"#;
        let found = secrets_of(text);
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[test]
    fn a_secret_under_an_overridden_duplicate_key_is_found_and_pointed_at_its_ancestor() {
        let text = r#"{"m": [{"a": {"SecretToken": "abc123"}, "a": null}]}"#;
        assert_eq!(secrets_of(text), vec![("/m/0".to_string(), "abc123".to_string())]);
    }

    #[test]
    fn redaction_keeps_offsets_and_hides_values() {
        let text = r#"{"SecretToken": "héllo-world"}"#;
        let root = json::parse(text).unwrap();
        let secrets = scan(&root);
        let red = redact(text, &secrets);
        assert_eq!(red.len(), text.len());
        assert!(!red.contains("llo-world"));
        assert_eq!(
            scrub("value héllo-world is bad", text, &secrets),
            "value [REDACTED] is bad"
        );
    }
}
