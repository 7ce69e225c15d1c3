//! YAML input (reference profiles and `.mapping-lint.yaml`) with positions.
//!
//! Both files are written by people, so every mistake — a YAML syntax error,
//! an unknown key, a bad enum value, an expression that does not parse — is
//! reported as one [`YamlError`] that carries the file text and a byte span,
//! and renders as a finding in that file ([`YamlError::to_diagnostic`]),
//! drawn by the same code as every finding's snippet. Parsing uses `serde-saphyr`
//! (pure Rust, maintained) into typed structs with
//! `deny_unknown_fields`, never into untyped values (the YAML 1.1 "Norway
//! problem" turns `NO` into `false` there).
//!
//! **A file that is not of its kind is never shown.** A path to a profile
//! can name any file — a `.env`, a private key, `/proc/self/environ` — and
//! an error snippet would print it. So when a file does not parse, it is
//! first checked to be text of its kind ([`DocKind`]): every top-level line
//! a `key:` of that kind (or a near miss of one, a typo to point at), at
//! least one exactly. A file that is not gets a message that says what it is
//! not and why, by line number only, with no snippet and no word of its
//! content. The snippets of files that are shown are masked for credential
//! shapes and stripped of control characters like every other snippet.

use crate::diagnostic::Diagnostic;
use crate::lint::{FileReport, FileRole};
use crate::rules::RuleMeta;
use crate::span::FileSpan;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// What a kind of YAML file looks like: enough to tell a profile with a
/// mistake from a file that is no profile at all.
#[derive(Debug, Clone, Copy)]
pub struct DocKind {
    /// How messages name a file of this kind: `profile`, `config`.
    pub noun: &'static str,
    /// What a file of this kind is: `a YAML profile`.
    pub what: &'static str,
    /// Its top-level keys.
    pub keys: &'static [&'static str],
    /// Whether one top-level key must be exact (else near misses alone
    /// do): true for files found by a path anyone may write, false for a
    /// config, which is found by its name.
    pub needs_exact_key: bool,
}

/// A problem in a YAML input file, with its position. The details are boxed
/// (read them through `Deref`), so results carrying it stay small.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0.display())]
pub struct YamlError(Box<YamlErrorDetails>);

/// What a [`YamlError`] says and where.
#[derive(Debug, Clone)]
pub struct YamlErrorDetails {
    /// The name shown for the file (its path as given).
    pub file: String,
    pub text: Arc<str>,
    pub span: FileSpan,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Short label at the span.
    pub label: Option<String>,
    pub help: Option<String>,
    /// Whether the file is text of its kind, so its content may be shown
    /// (false: the file is not what it should be, and `text` is empty).
    pub recognised: bool,
}

impl YamlErrorDetails {
    fn display(&self) -> String {
        if self.recognised {
            format!("{}:{}:{}: {}", self.file, self.line, self.column, self.message)
        } else {
            self.message.clone()
        }
    }
}

impl std::ops::Deref for YamlError {
    type Target = YamlErrorDetails;

    fn deref(&self) -> &YamlErrorDetails {
        &self.0
    }
}

impl YamlError {
    /// An error at `span` of `text`.
    pub fn at(file: &str, text: &Arc<str>, span: FileSpan, message: impl Into<String>) -> YamlError {
        let (line, column) = line_col(text, span.start);
        YamlError(Box::new(YamlErrorDetails {
            file: file.to_string(),
            text: text.clone(),
            span,
            line,
            column,
            message: message.into(),
            label: None,
            help: None,
            recognised: true,
        }))
    }

    /// `file` is not text of `kind` (`reason` says why, without quoting
    /// it): an error that shows nothing of the file.
    pub fn not_a(kind: &DocKind, file: &str, reason: &str) -> YamlError {
        YamlError(Box::new(YamlErrorDetails {
            file: file.to_string(),
            text: Arc::from(""),
            span: FileSpan::default(),
            line: 0,
            column: 0,
            message: format!("{} `{file}` is not {}: {reason}", kind.noun, kind.what),
            label: None,
            help: Some(format!(
                "{} has the top-level keys {}",
                kind.what,
                kind.keys
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            recognised: false,
        }))
    }

    pub fn with_label(mut self, label: impl Into<String>) -> YamlError {
        self.0.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> YamlError {
        self.0.help = Some(help.into());
        self
    }

    /// The error as a finding of `rule` at its place in its file.
    pub fn to_diagnostic(&self, rule: &'static RuleMeta) -> Diagnostic {
        Diagnostic::at(rule, self.message.clone(), self.span, String::new())
            .with_label(self.label.clone().unwrap_or_else(|| "here".to_string()))
            .with_help_if(self.help.clone())
    }

    /// The error as the report of its file: the one finding of the rule
    /// for a file of `role` that cannot be used (`invalid-config`,
    /// `invalid-profile`), which every format shows at its own place. A file
    /// that is not of its kind is named but never shown: its report holds
    /// no text, and the finding is at its start.
    pub fn to_report(&self, role: FileRole) -> FileReport {
        let finding = self.to_diagnostic(role.invalid_rule());
        FileReport::of_settings_file(role, &self.file, &self.text, vec![finding])
    }
}

/// Deserializes `text` into `T`, turning serde-saphyr's errors into a
/// [`YamlError`] with the position it reports.
/// A file that does not parse and is not text of `kind` gets
/// [`YamlError::not_a`], which shows nothing of it.
pub fn parse<T: DeserializeOwned>(kind: &DocKind, file: &str, text: &Arc<str>) -> Result<T, YamlError> {
    serde_saphyr::from_str::<T>(text).map_err(|err| {
        if let Err(reason) = recognise(kind, text) {
            return YamlError::not_a(kind, file, &reason);
        }
        let plain = err.without_snippet().to_string();
        // serde-saphyr appends the position; ours is shown separately.
        let message = match plain.rfind(" at line ") {
            Some(i) => plain[..i].to_string(),
            None => plain,
        };
        let span = err
            .location()
            .and_then(|loc| {
                let span = loc.span();
                match span.byte_offset() {
                    Some(start) => {
                        let start = usize::try_from(start).ok()?;
                        let len = usize::try_from(span.byte_len().unwrap_or(0)).ok()?;
                        Some(FileSpan::at(start, len).clamp_to(text.len()))
                    }
                    // Some scanner errors (an unclosed quote) know only the
                    // line and column (1-based, in characters).
                    None => offset_of(text, loc.line(), loc.column()).map(FileSpan::empty),
                }
            })
            .unwrap_or_default();
        let help = hint(&message);
        let error = YamlError::at(file, text, span, message);
        match help {
            Some(h) => error.with_help(h),
            None => error,
        }
    })
}

/// The byte offset of a 1-based line and character column, if the line
/// exists (a column past the end of its line stops at the line's end).
fn offset_of(text: &str, line: u64, column: u64) -> Option<usize> {
    let line = usize::try_from(line.checked_sub(1)?).ok()?;
    let column = usize::try_from(column.saturating_sub(1)).ok()?;
    let start = if line == 0 {
        0
    } else {
        text.match_indices('\n').nth(line - 1)?.0 + 1
    };
    let rest = &text[start..];
    let end_of_line = rest.find('\n').unwrap_or(rest.len());
    Some(
        start
            + rest[..end_of_line]
                .char_indices()
                .nth(column)
                .map_or(end_of_line, |(i, _)| i),
    )
}

/// Whether `text` is text of `kind` (see the module docs); the reason it is
/// not names lines by number only.
pub fn recognise(kind: &DocKind, text: &str) -> Result<(), String> {
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err("it is not a text file (it holds control characters)".into());
    }
    let mut known = 0;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim_end();
        if line.is_empty()
            || line.starts_with([' ', '\t', '#', '%'])
            || line == "---"
            || line == "..."
            || line.starts_with("--- #")
        {
            continue;
        }
        let Some(key) = top_level_key(line) else {
            return Err(format!("line {n} is not a `key: value` line"));
        };
        if kind.keys.contains(&key) || !kind.needs_exact_key {
            known += 1;
        }
        if !kind.keys.contains(&key)
            && !kind
                .keys
                .iter()
                .any(|k| crate::suggest::distance(k, &key.to_lowercase()) <= 2)
        {
            return Err(format!("line {n} starts with a key that is not a {} key", kind.noun));
        }
    }
    if known == 0 {
        return Err(if text.trim().is_empty() {
            "it is empty".into()
        } else {
            format!("it has no {} key", kind.noun)
        });
    }
    Ok(())
}

/// The key of a top-level `key:` line (quoted or not), if it is one.
fn top_level_key(line: &str) -> Option<&str> {
    let (key, rest) = match line.chars().next()? {
        q @ ('"' | '\'') => {
            let end = line[1..].find(q)? + 1;
            (&line[1..end], &line[end + 1..])
        }
        _ => {
            let end = line.find(':')?;
            (&line[..end], &line[end..])
        }
    };
    let rest = rest.strip_prefix(':')?;
    let is_key = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    (is_key && (rest.is_empty() || rest.starts_with([' ', '\t']))).then_some(key)
}

/// Advice for the errors people make most often in these files.
fn hint(message: &str) -> Option<String> {
    if message.contains("unknown field") {
        Some("check the spelling; the keys are listed in the documentation (and in the JSON Schema)".into())
    } else if message.contains("unknown variant") {
        Some("use one of the values listed above".into())
    } else {
        None
    }
}

/// A byte span from a serde-saphyr [`Spanned`](serde_saphyr::Spanned) value.
pub fn span_of<T>(spanned: &serde_saphyr::Spanned<T>) -> FileSpan {
    let span = spanned.referenced.span();
    let start = span.byte_offset().and_then(|o| usize::try_from(o).ok()).unwrap_or(0);
    let len = span.byte_len().and_then(|l| usize::try_from(l).ok()).unwrap_or(0);
    FileSpan::new(start, start + len)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        name: String,
    }

    #[test]
    fn unknown_key_has_its_position() {
        let text: Arc<str> = Arc::from("name: a\nnmae: b\n");
        let err = parse::<Small>(&SMALL, "p.yaml", &text).unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert_eq!(&text[err.span], "nmae");
        assert!(err.message.starts_with("unknown field `nmae`"), "{}", err.message);
        assert!(!err.message.contains("at line"));
        let rendered = shown(&err);
        assert!(rendered.contains("nmae: b"), "{rendered}");
    }

    /// The error as `check` shows it on the terminal.
    fn shown(err: &YamlError) -> String {
        let report = err.to_report(FileRole::Profile);
        report
            .diagnostics
            .iter()
            .map(|d| crate::output::human::render_finding(&report, d))
            .collect()
    }

    const SMALL: DocKind = DocKind {
        noun: "small",
        what: "a small file",
        keys: &["name"],
        needs_exact_key: true,
    };

    #[test]
    fn a_file_that_is_not_of_its_kind_is_not_shown() {
        for (text, why) in [
            ("SECRET_TOKEN=abc123\nOTHER=x\n", "line 1 is not a `key: value` line"),
            (
                "SHELL=/bin/sh\0TOKEN=abc\0",
                "it is not a text file (it holds control characters)",
            ),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n", "line 1 is not"),
            (
                "{\"type\": \"service_account\", \"private_key\": \"k\"}\n",
                "line 1 is not",
            ),
            (
                "password: hunter2\n",
                "line 1 starts with a key that is not a small key",
            ),
            ("name: a\napiVersion: v1\ndata: x\n", "line 2 starts with a key"),
            ("nmae: hunter2\n", "it has no small key"),
            ("", "it is empty"),
        ] {
            let text: Arc<str> = Arc::from(text);
            let err = parse::<Small>(&SMALL, "f", &text).unwrap_err();
            assert!(!err.recognised, "{text:?}");
            let message = err.to_string();
            assert!(
                message.starts_with(&format!("small `f` is not a small file: {why}")),
                "{text:?}: {message}"
            );
            let shown = shown(&err);
            assert!(
                shown.contains("invalid-profile") && shown.contains("is not a small file"),
                "{shown}"
            );
            for secret in ["abc123", "hunter2", "MIIE", "private_key", "TOKEN", "SHELL", "BEGIN"] {
                assert!(!shown.contains(secret), "{shown}");
            }
            for secret in ["abc123", "hunter2", "MIIE", "private_key", "TOKEN"] {
                assert!(!err.to_string().contains(secret) && !err.help.as_ref().unwrap().contains(secret));
            }
        }
        // A typo in a file of its kind is shown.
        let text: Arc<str> = Arc::from("# a small file\n---\nname: a\n\"nmae\": b\n");
        let err = parse::<Small>(&SMALL, "f", &text).unwrap_err();
        assert!(err.recognised);
        assert!(shown(&err).contains("nmae"));
    }

    #[test]
    fn snippets_mask_credential_shapes() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let text: Arc<str> = Arc::from(format!("name: a\nnmae: {jwt}\n"));
        let err = parse::<Small>(&SMALL, "f", &text).unwrap_err();
        let shown = shown(&err);
        assert!(shown.contains("nmae") && !shown.contains(jwt), "{shown}");
    }

    #[test]
    fn an_unclosed_quote_is_located_by_its_line_and_column() {
        let text: Arc<str> = Arc::from("# é\nname: \"a\n");
        let err = parse::<Small>(&SMALL, "f", &text).unwrap_err();
        assert!(err.message.contains("quote"), "{}", err.message);
        assert_eq!(err.line, 2, "{}", err.message);
        assert_eq!(offset_of("ab\ncé", 2, 2), Some(4));
        assert_eq!(offset_of("ab\ncé", 2, 9), Some(6));
        assert_eq!(offset_of("ab", 3, 1), None);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("é: x\nab", 6), (2, 1));
        assert_eq!(line_col("é: x", 3), (1, 3));
    }
}
