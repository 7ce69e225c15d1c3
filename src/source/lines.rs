//! Byte offset → 1-based line and column.
//!
//! Columns count Unicode scalar values, which is what SARIF's
//! `unicodeCodePoints` column kind, GitHub annotations and most editors expect.

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line, built once per file.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// Offsets past the end clamp to the end; offsets inside a UTF-8
    /// sequence count the partial character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = text.as_bytes()[start..offset]
            .iter()
            .filter(|&&b| (b as i8) >= -0x40)
            .count()
            + 1;
        LineCol { line: line + 1, column }
    }

    /// 0-based line of a byte offset (offsets past the end: the last line),
    /// without counting the column.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Byte offset where a 1-based line starts, if the line exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based_and_count_characters() {
        let text = "{\n  \"é\": 1\r\n}";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 2), LineCol { line: 2, column: 1 });
        // `1` comes after `"é": ` where é is two bytes but one column.
        let one = text.find('1').unwrap();
        assert_eq!(idx.line_col(text, one), LineCol { line: 2, column: 8 });
        assert_eq!(idx.line_col(text, text.len()), LineCol { line: 3, column: 2 });
        assert_eq!(idx.line_col(text, 10_000), LineCol { line: 3, column: 2 });
    }
}
