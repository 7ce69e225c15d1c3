//! Finding credentials in an export, so they can be reported and — more
//! importantly — redacted from every output.
//!
//! A schema export should never contain a credential, but people paste the
//! provisioning secret token into metadata, give a password target a
//! constant, or save the whole Graph response of the secrets endpoint. The
//! scan runs on every file whether or not `secret-in-export` is enabled,
//! because every output masks what it finds.
//!
//! # Masking: one choke point
//!
//! Detection works on **decoded** values (JSON escapes such as `\/` and
//! `\"` resolved; string constants inside expressions unescaped), and each
//! [`Secret`] carries its decoded value. A [`Masker`] built from a file's
//! secrets replaces every occurrence of those values — decoded, as written
//! in the file, re-escaped for JSON or for an expression — and anything
//! shaped like a credential (a JSON Web Token, a bearer token) by the
//! fixed-width [`MASK`], which does not reveal the length. Every string that
//! leaves the tool passes it once, at a boundary:
//!
//! - a file's findings when [`crate::lint`] finalises its report (message,
//!   labels, help, note, fix title, external labels) — so the baseline and
//!   every format get masked text;
//! - fix edit contents where a format prints them (they stay exact for
//!   `--fix` to apply), through [`crate::lint::FileReport::mask`];
//! - source snippets (the human format, `--diff`) through the masked views
//!   of the output module;
//! - `diff` tables when they are built ([`crate::diff`]);
//! - a file that is not JSON: its text is scanned for credential shapes
//!   ([`scan_text`]), so its snippet cannot show one either.

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
    /// The credential itself, decoded (what masking looks for).
    pub value: String,
}

/// What every masked credential is replaced by: fixed width, so a mask
/// reveals nothing about the length.
pub const MASK: &str = "********";

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

/// Endings (of the normalised name) of keys that contain one of
/// [`SECRET_KEY_PARTS`] but name something about a credential, not the
/// credential: Graph's synchronization secrets `Oauth2TokenExchangeUri` and
/// `Oauth2AuthorizationUri` hold URLs, `TokenExpiration` and
/// `Oauth2AccessTokenCreationTime` timestamps
/// (<https://learn.microsoft.com/en-us/graph/api/resources/synchronization-synchronizationsecretkeystringvaluepair>).
const NOT_SECRET_ENDINGS: &[&str] = &["uri", "url", "expiration", "creationtime"];

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
            .any(|p| norm.windows(p.len()).any(|w| w == p.as_bytes()))
            && !NOT_SECRET_ENDINGS.iter().any(|e| norm.ends_with(e.as_bytes()));
    }
    let norm: String = key
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    SECRET_KEY_PARTS.iter().any(|p| norm.contains(p)) && !NOT_SECRET_ENDINGS.iter().any(|e| norm.ends_with(e))
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
    out.dedup_by(|a, b| a.span == b.span && a.value == b.value);
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
            for (kind, re) in [("a JSON Web Token", jwt()), ("a bearer token", bearer())] {
                let mut found = re.find_iter(&s.value).peekable();
                if found.peek().is_none() {
                    continue;
                }
                let pointer = pointer_of(root, path, node);
                for m in found {
                    out.push(Secret {
                        span: inner(node),
                        pointer: pointer.clone(),
                        kind: kind.into(),
                        value: m.as_str().to_string(),
                    });
                }
                return;
            }
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
        let value = node.as_string_lit().map(|s| s.value.to_string()).unwrap_or_default();
        out.push(Secret {
            span: inner(node),
            pointer: pointer_of(root, &path, node),
            kind,
            value,
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
        if let Some(source) = seen.source {
            if string_value(source, "type").is_some_and(|(_, t)| t == "Constant") {
                for key in ["name", "expression"] {
                    if let Some((node, value)) = string_value(source, key)
                        && !is_placeholder(value.trim_matches('"'))
                    {
                        report(node, &["source", key], format!("a constant for `{target}`"));
                    }
                }
            } else if let Some((node, expression)) = string_value(source, "expression") {
                // String constants inside an expression that computes a
                // password are credentials too.
                let constants: Vec<String> = string_constants(expression)
                    .into_iter()
                    .filter(|c| !is_placeholder(c))
                    .collect();
                for value in constants {
                    let mut path = path.to_vec();
                    path.extend([Token::Key("source"), Token::Key("expression")]);
                    out.push(Secret {
                        span: inner(node),
                        pointer: pointer_of(root, &path, node),
                        kind: format!("a constant in the expression for `{target}`"),
                        value,
                    });
                }
            }
        }
    }
}

/// The string constants of an expression, unescaped (up to the first
/// token that does not lex).
fn string_constants(expression: &str) -> Vec<String> {
    use crate::expr::lexer::{Lexer, TokenKind};
    let mut lexer = Lexer::new(expression);
    let mut out = Vec::new();
    while let Ok(token) = lexer.next_token() {
        match token.kind {
            TokenKind::Eof => break,
            TokenKind::Str(value) => out.push(value),
            _ => {}
        }
    }
    out
}

/// Keys whose values name things rather than hold them
/// (`"name": "passwordProfile.password"` is an attribute name).
fn is_structural_key(key: &str) -> bool {
    matches!(
        key,
        "name" | "key" | "targetAttributeName" | "sourceOperandName" | "referencedObjectName" | "expression" | "type"
    )
}

/// Credential shapes in the text of a file that is not valid JSON (so it
/// has no tree to scan): tokens, and quoted values under secret-like keys.
/// Spans cover the values as written.
pub fn scan_text(text: &str) -> Vec<Secret> {
    static KEYED: OnceLock<regex::Regex> = OnceLock::new();
    let keyed = KEYED.get_or_init(|| {
        regex::Regex::new(r#""([^"\\\n]{1,64})"\s*:\s*"((?:[^"\\\n]|\\.){1,4096})""#).expect("valid regex")
    });
    let mut out = Vec::new();
    let mut push = |span: FileSpan, kind: &str| {
        out.push(Secret {
            value: text[span].to_string(),
            span,
            pointer: String::new(),
            kind: kind.into(),
        })
    };
    for m in jwt().find_iter(text) {
        push(FileSpan::from(m.range()), "a JSON Web Token");
    }
    for m in bearer().find_iter(text) {
        push(FileSpan::from(m.range()), "a bearer token");
    }
    for c in keyed.captures_iter(text) {
        let (key, value) = (c.get(1).expect("group"), c.get(2).expect("group"));
        if is_secret_key(key.as_str()) && !is_structural_key(key.as_str()) && !is_placeholder(value.as_str()) {
            push(FileSpan::from(value.range()), "a value under a secret-like key");
        }
    }
    out.sort_by_key(|s| (s.span.start, s.span.end));
    out
}

/// Replaces credentials in any string by [`MASK`]: the values of a file's
/// [`Secret`]s in every form they can take in output, and anything shaped
/// like a token. See the module docs for where it is applied.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    /// Longest first, so a value's escaped form wins over the bare one.
    needles: Vec<String>,
}

/// Needles shorter than this only match as a whole word, so that a short
/// password does not mask every word that contains it.
const WHOLE_WORD_BELOW: usize = 6;

impl Masker {
    /// A masker for the secrets found in `text`.
    pub fn new(secrets: &[Secret], text: &str) -> Masker {
        let json_escaped = |v: &str| {
            let quoted = serde_json::to_string(v).unwrap_or_default();
            quoted[1..quoted.len().saturating_sub(1).max(1)].to_string()
        };
        let mut needles = Vec::new();
        for secret in secrets {
            let value = secret.value.as_str();
            let bare = value.trim_matches('"');
            let expr_escaped = crate::expr::printer::quote(bare);
            let expr_escaped = &expr_escaped[1..expr_escaped.len() - 1];
            needles.extend([
                value.to_string(),
                bare.to_string(),
                json_escaped(value),
                expr_escaped.to_string(),
                json_escaped(expr_escaped),
            ]);
            if let Some(raw) = text.get(secret.span.range()) {
                needles.push(raw.to_string());
            }
        }
        needles.retain(|n| !n.trim().is_empty() && n != MASK);
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Masker { needles }
    }

    /// `s` with every credential replaced by [`MASK`].
    pub fn mask<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        let mut out = std::borrow::Cow::Borrowed(s);
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = std::borrow::Cow::Owned(replace_needle(&out, needle));
            }
        }
        for (re, keep_prefix) in [(jwt(), false), (bearer(), true)] {
            if re.is_match(&out) {
                let replaced = re.replace_all(&out, |c: &regex::Captures<'_>| {
                    let m = c.get(0).expect("match").as_str();
                    if keep_prefix {
                        // `Bearer ********`: what it was stays readable.
                        let word = m.split_whitespace().next().unwrap_or("");
                        format!("{word} {MASK}")
                    } else {
                        MASK.to_string()
                    }
                });
                out = std::borrow::Cow::Owned(replaced.into_owned());
            }
        }
        out
    }

    /// Where the credentials occur in `text` (a file's text), wherever they
    /// are: a value found under a secret key may be repeated in a field no
    /// rule suspects, and a snippet must not show it there either.
    pub fn find_in(&self, text: &str) -> Vec<FileSpan> {
        let mut out = Vec::new();
        for needle in &self.needles {
            let whole_word = needle.len() < WHOLE_WORD_BELOW;
            for (at, _) in text.match_indices(needle.as_str()) {
                let end = at + needle.len();
                if whole_word
                    && (text[..at].chars().next_back().is_some_and(char::is_alphanumeric)
                        || text[end..].chars().next().is_some_and(char::is_alphanumeric))
                {
                    continue;
                }
                out.push(FileSpan::new(at, end));
            }
        }
        for re in [jwt(), bearer()] {
            out.extend(re.find_iter(text).map(|m| FileSpan::from(m.range())));
        }
        out.sort_by_key(|s| (s.start, s.end));
        out
    }

    /// Masks `s` in place.
    pub fn mask_in_place(&self, s: &mut String) {
        if let std::borrow::Cow::Owned(masked) = self.mask(s) {
            *s = masked;
        }
    }

    /// Masks every text of a finding that a report or baseline can show.
    /// Fix edits are left exact (`--fix` applies them); formats that print
    /// them mask them with [`Masker::mask`].
    pub fn mask_diagnostic(&self, d: &mut crate::diagnostic::Diagnostic) {
        self.mask_in_place(&mut d.message);
        d.help
            .iter_mut()
            .chain(&mut d.note)
            .chain(&mut d.label)
            .for_each(|s| self.mask_in_place(s));
        d.labels.iter_mut().for_each(|l| self.mask_in_place(&mut l.message));
        d.fix.iter_mut().for_each(|f| self.mask_in_place(&mut f.title));
        d.external.iter_mut().for_each(|e| self.mask_in_place(&mut e.message));
    }
}

fn replace_needle(s: &str, needle: &str) -> String {
    let whole_word = needle.len() < WHOLE_WORD_BELOW;
    let mut out = String::with_capacity(s.len());
    let mut rest = 0;
    for (at, _) in s.match_indices(needle) {
        if at < rest {
            continue;
        }
        let end = at + needle.len();
        if whole_word {
            let before = s[..at].chars().next_back();
            let after = s[end..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
                continue;
            }
        }
        out.push_str(&s[rest..at]);
        out.push_str(MASK);
        rest = end;
    }
    out.push_str(&s[rest..]);
    out
}

/// `text` with every secret's span replaced by [`MASK`] (offsets change),
/// for views of a whole file such as `--diff`.
pub fn mask_text(text: &str, secrets: &[Secret]) -> String {
    let mut spans: Vec<FileSpan> = secrets.iter().map(|s| s.span).collect();
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        if span.end <= at || text.get(span.range()).is_none() {
            continue;
        }
        let start = span.start.max(at);
        out.push_str(&text[at..start]);
        out.push_str(MASK);
        at = span.end;
    }
    out.push_str(&text[at..]);
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
    fn settings_about_credentials_are_not_credentials() {
        // Graph's synchronization secrets: URLs and timestamps under keys
        // that name a token, next to real credentials.
        let text = r#"{"value": [{"key": "Oauth2TokenExchangeUri", "value": "https://login.example.com/oauth2/token"},
            {"key": "Oauth2AuthorizationUri", "value": "https://login.example.com/oauth2/authorize"},
            {"key": "TokenExpiration", "value": "2026-12-31T00:00:00Z"},
            {"key": "Oauth2AccessTokenCreationTime", "value": "2026-11-30T00:00:00Z"},
            {"key": "Oauth2RefreshToken", "value": "r3fr3sh"}, {"key": "Oauth2AuthorizationCode", "value": "c0de"}],
            "tokenUrl": "https://login.example.com/token", "accessToken": "t0ken"}"#;
        let found: Vec<String> = secrets_of(text).into_iter().map(|(_, v)| v).collect();
        assert_eq!(found, ["r3fr3sh", "c0de", "t0ken"]);
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
    fn masks_decoded_escaped_and_quoted_forms_at_fixed_width() {
        // `\/` and `\"` in the file; messages quote the decoded value.
        let text = r#"{"SecretToken": "ab\/cd\"ef-long"}"#;
        let root = json::parse(text).unwrap();
        let secrets = scan(&root);
        assert_eq!(secrets[0].value, r#"ab/cd"ef-long"#);
        let masker = Masker::new(&secrets, text);
        assert_eq!(
            masker.mask(r#"value `ab/cd"ef-long` is bad"#),
            "value `********` is bad"
        );
        assert_eq!(masker.mask(r#"raw ab\/cd\"ef-long"#), "raw ********");
        assert_eq!(masker.mask(r#"expr "ab/cd\"ef-long""#), "expr \"********\"");
        assert_eq!(masker.mask("nothing here"), "nothing here");
    }

    #[test]
    fn short_values_are_masked_as_whole_words_only() {
        let text = r#"{"password": "abc"}"#;
        let root = json::parse(text).unwrap();
        let masker = Masker::new(&scan(&root), text);
        assert_eq!(masker.mask("abc and abcdef"), "******** and abcdef");
    }

    #[test]
    fn token_shapes_are_masked_anywhere() {
        let masker = Masker::default();
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl";
        assert_eq!(masker.mask(&format!("x {jwt} y")), "x ******** y");
        assert_eq!(
            masker.mask("Authorization: Bearer abcdefghijklmnopqrstuvwxyz"),
            "Authorization: Bearer ********"
        );
    }

    #[test]
    fn constants_in_a_password_expression_are_secrets() {
        let text = r#"{"targetAttributeName": "password",
            "source": {"type": "Function", "expression": "Join(\"\", \"Hunter2!x\", [id])"}}"#;
        let root = json::parse(text).unwrap();
        let values: Vec<String> = scan(&root).into_iter().map(|s| s.value).collect();
        assert_eq!(values, ["Hunter2!x"]);
    }

    #[test]
    fn text_that_is_not_json_is_scanned_for_shapes() {
        let text = "{\"SecretToken\": \"s3cr3t-value\", oops";
        let found = scan_text(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span], "s3cr3t-value");
        assert_eq!(mask_text(text, &found), "{\"SecretToken\": \"********\", oops");
    }
}
