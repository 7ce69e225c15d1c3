//! The few lines of a file that one finding shows, as miette's
//! [`SourceCode`]: bounded, masked and safe to print whatever the file.
//!
//! miette renders whatever text it is given, and panics on a column past
//! 65,535 — one line of a minified export as Graph returns it. A finding
//! whose span covers a deep source tree would also print thousands of
//! lines. So each finding gets its own *excerpt*, a small virtual text built
//! from the real one:
//!
//! - only the lines the finding's labels start and end on, with one line of
//!   context around each; a label spanning more than [`MAX_SPAN_LINES`]
//!   lines is shown by its first and last lines (two labels: the message
//!   on the first, "… to here" on the last);
//! - a line longer than [`MAX_LINE`] bytes is cut to windows of
//!   [`CONTEXT`] bytes around the labels' ends, the cuts shown as `…`;
//! - every credential ([`crate::secrets`]) is replaced by the fixed-width
//!   mask, and every control character (possible only in a file that is not
//!   JSON) by `?`, so nothing reaches the terminal raw.
//!
//! So the output is proportional to the number of findings, not to the size
//! of their spans or lines. Line numbers and the `[file:line:col]` header are
//! the real ones: the excerpt maps its offsets back, and lines that are not
//! consecutive in the file are never shown as one snippet.

use crate::source::LineIndex;
use crate::span::{ExcerptSpan, FileSpan};

/// The excerpt's own arithmetic mixes real (file) and virtual (excerpt)
/// offsets line by line; it stays on plain ranges, and only [`FileSpan`]s
/// cross its boundary.
type Span = std::ops::Range<usize>;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines longer than this (in bytes) are windowed.
pub const MAX_LINE: usize = 512;
/// Bytes kept on each side of a label's end in a windowed line.
pub const CONTEXT: usize = 100;
/// Labels over more lines than this show their first and last lines only.
pub const MAX_SPAN_LINES: usize = 8;

const ELLIPSIS: &str = "…";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Copy,
    Elided,
    Masked,
}

/// A stretch of a shown line: real bytes `real`, shown as `virt`.
#[derive(Debug, Clone)]
struct Piece {
    real: Span,
    virt: Span,
    kind: Kind,
}

#[derive(Debug)]
struct VLine {
    /// Virtual range of the line, without its `\n`.
    virt: Span,
    /// Real range of the line, without its line break.
    real: Span,
    /// 0-based line number in the file.
    real_line: usize,
    pieces: Vec<Piece>,
}

/// A label mapped into an excerpt.
#[derive(Debug, Clone)]
pub struct MappedLabel {
    pub span: ExcerptSpan,
    pub message: Option<String>,
    pub primary: bool,
}

/// See the module docs.
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    language: &'static str,
    text: String,
    lines: Vec<VLine>,
    /// Real 0-based (line, column) of the virtual start of each label, for
    /// miette's header.
    starts: Vec<(usize, usize, usize)>,
}

/// One label of a finding, in real offsets.
pub struct Label<'a> {
    pub span: FileSpan,
    pub message: Option<&'a str>,
    pub primary: bool,
}

impl Excerpt {
    /// The excerpt of `text` for `labels`, masking `secrets` (spans into
    /// `text`, sorted or not). Returns the excerpt and the labels in its
    /// offsets.
    pub fn build(
        name: &str,
        language: &'static str,
        text: &str,
        index: &LineIndex,
        labels: &[Label<'_>],
        secrets: &[FileSpan],
    ) -> (Excerpt, Vec<MappedLabel>) {
        let clamp = |s: &Span| {
            let start = floor_char(text, s.start.min(text.len()));
            start..ceil_char(text, s.end.clamp(start, text.len()))
        };
        let line_of = |offset: usize| index.line_of(offset.min(text.len()));
        // Split labels spanning many lines into their first and last lines.
        let mut split: Vec<(Span, Option<String>, bool)> = Vec::new();
        for label in labels {
            let span = clamp(&label.span.range());
            let (first, last) = (line_of(span.start), line_of(span.end));
            if last - first + 1 > MAX_SPAN_LINES {
                let first_end = line_end(text, index, first);
                split.push((span.start..first_end, label.message.map(String::from), label.primary));
                let last_start = index.line_start(last + 1).unwrap_or(0);
                let indent = text[last_start..span.end].len() - text[last_start..span.end].trim_start().len();
                split.push((
                    last_start + indent..span.end,
                    Some(format!("… to here (line {})", last + 1)),
                    false,
                ));
            } else {
                split.push((span, label.message.map(String::from), label.primary));
            }
        }
        // The lines to show, and the points on them to keep visible.
        // The empty "line" after a final line break is no context worth a
        // row (it is shown when a label is on it).
        let last_line = (index.line_count() - 1).saturating_sub(usize::from(text.ends_with('\n')));
        let mut shown: Vec<usize> = Vec::new();
        let mut points: Vec<usize> = Vec::new();
        for (span, _, _) in &split {
            let (first, last) = (line_of(span.start), line_of(span.end));
            shown.extend(first.saturating_sub(1)..=(last + 1).min(last_line.max(last)));
            points.extend([span.start, span.end]);
        }
        shown.sort_unstable();
        shown.dedup();
        points.sort_unstable();
        let mut secrets: Vec<Span> = secrets
            .iter()
            .map(|s| clamp(&s.range()))
            .filter(|s| !s.is_empty())
            .collect();
        secrets.sort_by_key(|s| (s.start, s.end));

        let mut out = String::new();
        let mut lines = Vec::with_capacity(shown.len());
        for line in shown {
            let start = index.line_start(line + 1).unwrap_or(text.len());
            let end = line_end(text, index, line);
            let here: Vec<usize> = points.iter().copied().filter(|&p| p >= start && p <= end).collect();
            let vstart = out.len();
            let mut pieces = Vec::new();
            for (real, kind) in pieces_of(text, start..end, &here, &secrets) {
                let at = out.len();
                match kind {
                    Kind::Copy => push_sanitised(&mut out, &text[real.clone()]),
                    Kind::Elided => out.push_str(ELLIPSIS),
                    Kind::Masked => out.push_str(crate::secrets::MASK),
                }
                pieces.push(Piece {
                    real,
                    virt: at..out.len(),
                    kind,
                });
            }
            lines.push(VLine {
                real: start..end,
                virt: vstart..out.len(),
                real_line: line,
                pieces,
            });
            out.push('\n');
        }
        let mut excerpt = Excerpt {
            name: name.to_string(),
            language,
            text: out,
            lines,
            starts: Vec::new(),
        };
        let mapped: Vec<MappedLabel> = split
            .into_iter()
            .map(|(span, message, primary)| {
                let start = excerpt.map(span.start, false);
                let end = excerpt.map(span.end, true).max(start);
                let lc = index.line_col(text, span.start);
                excerpt.starts.push((start, lc.line - 1, lc.column - 1));
                MappedLabel {
                    span: ExcerptSpan::new(start, end),
                    message,
                    primary,
                }
            })
            .collect();
        (excerpt, mapped)
    }

    /// The virtual text (tests).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A real offset on a shown line → its virtual offset. Inside a cut or
    /// a mask, a start maps to its beginning and an end to its end.
    fn map(&self, real: usize, is_end: bool) -> usize {
        let i = self.lines.partition_point(|l| l.real.end < real);
        let Some(line) = self.lines.get(i).filter(|l| l.real.start <= real) else {
            // Between a line's end and the next line: the end of the former.
            return i.checked_sub(1).map_or(0, |j| self.lines[j].virt.end);
        };
        for p in &line.pieces {
            if real < p.real.start || real > p.real.end {
                continue;
            }
            return match p.kind {
                Kind::Copy => p.virt.start + (real - p.real.start).min(p.virt.len()),
                _ if real == p.real.start => p.virt.start,
                _ if real == p.real.end || is_end => p.virt.end,
                _ => p.virt.start,
            };
        }
        line.virt.start
    }

    fn line_at(&self, virt: usize) -> Option<usize> {
        let i = self.lines.partition_point(|l| l.virt.end < virt);
        (i < self.lines.len()).then_some(i)
    }
}

/// End of a 0-based line, without its `\n` or `\r\n`.
fn line_end(text: &str, index: &LineIndex, line: usize) -> usize {
    let end = index.line_start(line + 2).map_or(text.len(), |next| next - 1);
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\r') && end <= text.len() {
        end - 1
    } else {
        end
    }
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The stretches of the line `line` to show: windows around `points` when
/// the line is long (the rest elided), with `secrets` masked.
fn pieces_of(text: &str, line: Span, points: &[usize], secrets: &[Span]) -> Vec<(Span, Kind)> {
    let mut windows: Vec<Span> = Vec::new();
    if line.len() <= MAX_LINE {
        windows.push(line.clone());
    } else {
        let around = |p: usize| {
            floor_char(text, p.saturating_sub(CONTEXT).max(line.start))..ceil_char(text, (p + CONTEXT).min(line.end))
        };
        if points.is_empty() {
            windows.push(around(line.start));
        }
        for &p in points {
            let w = around(p);
            match windows.last_mut() {
                Some(last) if w.start <= last.end + ELLIPSIS.len() => last.end = last.end.max(w.end),
                _ => windows.push(w),
            }
        }
    }
    let mut out = Vec::new();
    let mut at = line.start;
    for w in windows {
        if w.start > at {
            out.push((at..w.start, Kind::Elided));
        }
        // Mask the secrets inside the window.
        let mut pos = w.start;
        let first = secrets.partition_point(|s| s.end <= w.start);
        for s in secrets[first..].iter().take_while(|s| s.start < w.end) {
            let (ms, me) = (s.start.max(pos), s.end.min(w.end));
            if me <= ms {
                continue;
            }
            if ms > pos {
                out.push((pos..ms, Kind::Copy));
            }
            match out.last_mut() {
                Some((last, Kind::Masked)) if last.end == ms => last.end = me,
                _ => out.push((ms..me, Kind::Masked)),
            }
            pos = me;
        }
        if w.end > pos {
            out.push((pos..w.end, Kind::Copy));
        }
        at = w.end;
    }
    if line.end > at {
        out.push((at..line.end, Kind::Elided));
    }
    out
}

/// Copies text with every control character but tab (and every
/// bidirectional-text control) shown as `?`, one per byte so offsets stay.
pub fn push_sanitised(out: &mut String, s: &str) {
    let unsafe_char =
        |c: char| (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.contains(unsafe_char) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        if unsafe_char(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        let (Some(first), Some(last)) = (self.line_at(start), self.line_at(end)) else {
            return Err(MietteError::OutOfBounds);
        };
        // Never across lines that are not consecutive in the file.
        let consecutive = |a: usize, b: usize| self.lines[b].real_line == self.lines[a].real_line + 1;
        if (first..last).any(|i| !consecutive(i, i + 1)) {
            return Err(MietteError::OutOfBounds);
        }
        let mut from = first;
        while from > 0 && first - from < before && consecutive(from - 1, from) {
            from -= 1;
        }
        let mut to = last;
        while to + 1 < self.lines.len() && to - last < after && consecutive(to, to + 1) {
            to += 1;
        }
        let data_start = self.lines[from].virt.start;
        let data_end = (self.lines[to].virt.end + 1).min(self.text.len());
        let (line, column) = if before == 0 && after == 0 {
            match self.starts.iter().find(|s| s.0 == start) {
                Some(&(_, line, column)) => (line, column),
                None => (self.lines[first].real_line, 0),
            }
        } else {
            (self.lines[from].real_line, 0)
        };
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[data_start..data_end],
            SourceSpan::new(data_start.into(), data_end - data_start),
            line,
            column,
            to - from + 1,
        )
        .with_language(self.language);
        Ok(Box::new(contents))
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)] // one label, one secret
mod tests {
    use super::*;

    fn build(text: &str, spans: &[Span], secrets: &[Span]) -> (Excerpt, Vec<MappedLabel>) {
        let index = LineIndex::new(text);
        let labels: Vec<Label<'_>> = spans
            .iter()
            .enumerate()
            .map(|(i, s)| Label {
                span: FileSpan::from(s.clone()),
                message: None,
                primary: i == 0,
            })
            .collect();
        let secrets: Vec<FileSpan> = secrets.iter().cloned().map(FileSpan::from).collect();
        Excerpt::build("f.json", "json", text, &index, &labels, &secrets)
    }

    #[test]
    fn a_long_line_is_windowed_around_the_span() {
        let text = format!("{{\"a\": \"{}\", \"b\": 1}}", "x".repeat(200_000));
        let at = text.find("\"b\"").unwrap();
        let (excerpt, labels) = build(&text, &[at..at + 3], &[]);
        assert!(excerpt.text().len() < 2 * CONTEXT + 20, "{}", excerpt.text().len());
        assert_eq!(&excerpt.text()[labels[0].span.range()], "\"b\"");
        assert!(excerpt.text().starts_with(ELLIPSIS));
    }

    #[test]
    fn a_span_of_many_lines_shows_its_first_and_last_lines() {
        let text: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        let end = text.find("line 999").unwrap() + 8;
        let (excerpt, labels) = build(&text, &[0..end], &[]);
        assert_eq!(labels.len(), 2);
        assert!(excerpt.text().lines().count() <= 5, "{}", excerpt.text());
        assert_eq!(&excerpt.text()[labels[1].span.range()], "line 999");
    }

    #[test]
    fn secrets_are_masked_at_fixed_width_and_controls_replaced() {
        let text = "{\"SecretToken\": \"hunter2-long-secret\", \"x\": \"\u{1b}[31m\"}";
        let secret = text.find("hunter2").unwrap();
        let (excerpt, labels) = build(text, &[secret..secret + 19], &[secret..secret + 19]);
        assert!(!excerpt.text().contains("hunter2"), "{}", excerpt.text());
        assert!(!excerpt.text().contains('\u{1b}'), "{}", excerpt.text());
        assert_eq!(&excerpt.text()[labels[0].span.range()], "********");
    }

    #[test]
    fn reports_real_line_and_column() {
        let text = "a\nb\nc\n  dd\n";
        let (excerpt, labels) = build(text, &[8..10], &[]);
        let c = excerpt
            .read_span(&SourceSpan::new(labels[0].span.start.into(), 2), 0, 0)
            .unwrap();
        assert_eq!((c.line(), c.column()), (3, 2));
    }
}
