//! YAML input (reference profiles and `.mapping-lint.yaml`) with positions.
//!
//! Both files are written by people, so every mistake — a YAML syntax error,
//! an unknown key, a bad enum value, an expression that does not parse — is
//! reported as one [`YamlError`] that carries the file text and a byte span,
//! and renders as a miette snippet of the YAML. Parsing uses `serde-saphyr`
//! (pure Rust, maintained; crates.md §1.4) into typed structs with
//! `deny_unknown_fields`, never into untyped values (the YAML 1.1 "Norway
//! problem" turns `NO` into `false` there).

use crate::span::FileSpan;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;

/// A problem in a YAML input file, with its position. The details are boxed
/// (read them through `Deref`), so results carrying it stay small.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}:{}:{}: {}", .0.file, .0.line, .0.column, .0.message)]
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

    /// The same error without its help (when the help is shown elsewhere).
    pub fn without_help(&self) -> YamlError {
        let mut e = self.clone();
        e.0.help = None;
        e
    }

    /// The snippet of the YAML with the error marked, as miette draws it.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false)
            .with_context_lines(2);
        let source = NamedSource::new(self.file.clone(), self.text.to_string()).with_language("yaml");
        let mut out = String::new();
        let adapter = Adapter { error: self, source };
        // Rendering into a String cannot fail.
        let _ = handler.render_report(&mut out, &adapter);
        out
    }
}

/// Deserializes `text` into `T`, turning serde-saphyr's errors into a
/// [`YamlError`] with the position it reports.
pub fn parse<T: DeserializeOwned>(file: &str, text: &Arc<str>) -> Result<T, YamlError> {
    serde_saphyr::from_str::<T>(text).map_err(|err| {
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
                let start = usize::try_from(span.byte_offset()?).ok()?;
                let len = usize::try_from(span.byte_len().unwrap_or(0)).ok()?;
                Some(FileSpan::at(start, len).clamp_to(text.len()))
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

struct Adapter<'a> {
    error: &'a YamlError,
    source: NamedSource<String>,
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error.message)
    }
}

impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error.message)
    }
}

impl std::error::Error for Adapter<'_> {}

impl miette::Diagnostic for Adapter<'_> {
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.error.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = self.error.text.len();
        let start = self.error.span.start.min(len);
        let end = self.error.span.end.clamp(start, len);
        let label = self.error.label.clone().or_else(|| Some("here".to_string()));
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            label,
            (start, end - start),
        ))))
    }
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
        let err = parse::<Small>("p.yaml", &text).unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        assert_eq!(&text[err.span], "nmae");
        assert!(err.message.starts_with("unknown field `nmae`"), "{}", err.message);
        assert!(!err.message.contains("at line"));
        let rendered = err.render(false);
        assert!(rendered.contains("nmae: b"), "{rendered}");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("é: x\nab", 6), (2, 1));
        assert_eq!(line_col("é: x", 3), (1, 3));
    }
}
