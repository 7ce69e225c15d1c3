//! The file text as miette's [`SourceCode`], with span lookups in
//! O(log lines) instead of a scan from the start of the file.
//!
//! miette's own `SourceCode for String` finds the lines around a span by
//! walking the text from offset 0, several times per finding. On a 1 MB
//! export with 200 findings that made the human report take 1.3 s; with a
//! line index it is a few milliseconds. To keep the rendering byte for byte
//! what miette would produce, the lookup only narrows the text to a window
//! of whole lines around the span (with a margin), runs miette's own
//! `read_span` on that window, and shifts the result back: offsets by the
//! window's start, line numbers and line count by the lines before it.

use crate::source::LineIndex;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

pub struct IndexedSource {
    name: String,
    text: String,
    language: &'static str,
    lines: LineIndex,
    /// miette also breaks lines at a lone `\r`; the index does not, so such
    /// a text is read whole (slow, but exact).
    lone_cr: bool,
}

impl IndexedSource {
    pub fn new(name: impl Into<String>, text: String, language: &'static str) -> IndexedSource {
        let bytes = text.as_bytes();
        let lone_cr = (0..bytes.len()).any(|i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        IndexedSource {
            name: name.into(),
            lines: LineIndex::new(&text),
            text,
            language,
            lone_cr,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whole lines around `span`, with `before`/`after` lines of context plus
    /// a margin: `(window start, lines before the window, window end)`.
    fn window(&self, span: &SourceSpan, before: usize, after: usize) -> (usize, usize, usize) {
        if self.lone_cr {
            return (0, 0, self.text.len());
        }
        let line_of = |offset: usize| self.lines.line_col(&self.text, offset).line - 1;
        let first_line = line_of(span.offset()).saturating_sub(before + 1);
        let last_line = line_of(span.offset() + span.len()) + after + 2;
        let start = self.lines.line_start(first_line + 1).unwrap_or(0);
        let end = self.lines.line_start(last_line + 1).unwrap_or(self.text.len());
        (start, first_line, end)
    }
}

impl SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if span.offset() + span.len() > self.text.len() {
            // Whatever miette does with it (an error), without the window.
            return self.text.read_span(span, context_lines_before, context_lines_after);
        }
        let (start, lines_before, end) = self.window(span, context_lines_before, context_lines_after);
        let window = &self.text[start..end];
        let local = SourceSpan::new((span.offset() - start).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + start).into(), inner.span().len()),
            inner.line() + lines_before,
            inner.column(),
            inner.line_count() + lines_before,
        )
        .with_language(self.language);
        Ok(Box::new(contents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What miette itself reads for a span of the whole text.
    fn reference(text: &str, span: &SourceSpan, before: usize, after: usize) -> Option<Vec<String>> {
        let c = text.read_span(span, before, after).ok()?;
        Some(describe(&*c))
    }

    fn describe(c: &dyn SpanContents<'_>) -> Vec<String> {
        vec![
            String::from_utf8_lossy(c.data()).into_owned(),
            format!("{:?}", c.span()),
            c.line().to_string(),
            c.column().to_string(),
            c.line_count().to_string(),
        ]
    }

    proptest! {
        #[test]
        fn reads_exactly_what_miette_reads(
            lines in proptest::collection::vec("[a-z é{}\":,]{0,12}", 1..30),
            crlf in any::<bool>(),
            lone_cr in any::<bool>(),
            start in 0.0..1.0f64,
            end in 0.0..1.0f64,
            before in 0usize..3,
            after in 0usize..3,
        ) {
            let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
            if lone_cr {
                text.push_str("\rtail\n}");
            }
            // Spans start and end on character boundaries, as the linter's do.
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let at = |f: f64| boundaries[(f * (boundaries.len() - 1) as f64) as usize];
            let (start, end) = (at(start.min(end)), at(start.max(end)));
            let span = SourceSpan::new(start.into(), end - start);
            let indexed = IndexedSource::new("f.json", text.clone(), "json");
            let ours = indexed.read_span(&span, before, after).ok().map(|c| describe(&*c));
            prop_assert_eq!(ours, reference(&text, &span, before, after));
        }
    }
}
