//! Byte ranges that know which text they point into.
//!
//! The linter deals with two coordinate systems (and the renderer with a third, below). A [`FileSpan`] is a byte range of a file's decoded
//! text ([`crate::source::SourceFile::text`], a `.mapping-lint.yaml`, a baseline, a profile): what
//! diagnostics, labels and fix edits carry. An [`ExprSpan`] is a byte range of an attribute-mapping
//! expression *after* JSON unescaping: what the expression lexer, parser and evaluator produce. The
//! two differ whenever the expression contains an escape (`\"` is two bytes in the file and one in
//! the expression), so pointing a diagnostic at an expression span without mapping it through the
//! JSON escapes marks the wrong bytes. Both are the same [`Span`] type with a different coordinate
//! marker, so passing one where the other is expected does not compile; the only way from an
//! expression span to a file span is [`crate::expr::embedded::OffsetMap::to_file_span`] (or
//! [`crate::model::MappingExpression::file_span`], which knows the literal).
//!
//! A snippet shows an *excerpt* of a file (long lines windowed, credentials masked), so labels
//! mapped into it are [`ExcerptSpan`]s, a third marker.
//!
//! Spans are `Copy` (in the style of Ruff's `TextRange`), so they are passed by value. The offsets
//! themselves stay plain `usize` byte offsets: an offset on its own is only meaningful next to the
//! span it came from.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, Range};

/// Coordinates of a file's decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct InFile;

/// Coordinates of an expression's decoded text (after JSON unescaping).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct InExpr;

/// Coordinates of a rendered excerpt of a file (see
/// [`crate::output::excerpt`]): long lines windowed, credentials masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct InExcerpt;

/// A half-open byte range `start..end` in the coordinates `C`. `start <= end` always holds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span<C> {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    coordinates: PhantomData<C>,
}

/// A byte range of a file's decoded text.
pub type FileSpan = Span<InFile>;

/// A byte range of an expression's decoded text.
pub type ExprSpan = Span<InExpr>;

/// A byte range of an excerpt's text (what a snippet shows).
pub type ExcerptSpan = Span<InExcerpt>;

impl<C> Span<C> {
    /// The range `start..end`; an inverted range is clamped to empty at `start`.
    pub const fn new(start: usize, end: usize) -> Self {
        let end = if end < start { start } else { end };
        Span {
            start,
            end,
            coordinates: PhantomData,
        }
    }

    /// The empty range at `offset`.
    pub const fn empty(offset: usize) -> Self {
        Span::new(offset, offset)
    }

    /// `len` bytes from `offset`.
    pub const fn at(offset: usize, len: usize) -> Self {
        Span::new(offset, offset + len)
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The same range as a standard range, for APIs that take one (`String::replace_range`, …).
    pub const fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// Whether `other` lies within this span.
    pub const fn contains_span(self, other: Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share at least one byte.
    pub const fn overlaps(self, other: Self) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Self) -> Self {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The span moved `delta` bytes to the right.
    pub const fn shifted(self, delta: usize) -> Self {
        Span::new(self.start + delta, self.end + delta)
    }

    /// The span clamped to a text of `len` bytes.
    pub fn clamp_to(self, len: usize) -> Self {
        let start = self.start.min(len);
        Span::new(start, self.end.clamp(start, len))
    }
}

impl ExprSpan {
    /// The span as a file span when the expression *is* the whole text being reported on (`eval`,
    /// an expression checked on its own): only then do the two coordinate systems coincide.
    pub const fn in_standalone_text(self) -> FileSpan {
        Span::new(self.start, self.end)
    }
}

impl<C> From<Range<usize>> for Span<C> {
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// Comparing with a literal range (`span == 3..7`) reads well in tests and checks only the offsets.
impl<C> PartialEq<Range<usize>> for Span<C> {
    fn eq(&self, other: &Range<usize>) -> bool {
        self.start == other.start && self.end == other.end
    }
}

impl<C> fmt::Debug for Span<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl<C> Index<Span<C>> for str {
    type Output = str;
    fn index(&self, span: Span<C>) -> &str {
        &self[span.range()]
    }
}

impl<C> Index<Span<C>> for String {
    type Output = str;
    fn index(&self, span: Span<C>) -> &str {
        &self[span.range()]
    }
}

impl<C> From<Span<C>> for miette::SourceSpan {
    fn from(span: Span<C>) -> Self {
        (span.start, span.len()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_index_text_and_clamp() {
        let s = FileSpan::new(1, 3);
        assert_eq!(&"abcd"[s], "bc");
        assert_eq!(s.len(), 2);
        assert!(FileSpan::empty(2).is_empty());
        assert_eq!(FileSpan::new(5, 2), FileSpan::empty(5));
        assert_eq!(FileSpan::new(2, 9).clamp_to(4), FileSpan::new(2, 4));
        assert_eq!(FileSpan::new(1, 2).cover(FileSpan::new(4, 6)), FileSpan::new(1, 6));
        assert_eq!(format!("{:?}", ExprSpan::new(3, 4)), "3..4");
    }
}
