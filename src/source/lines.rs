//! Byte offset → 1-based line and column.
//!
//! Columns count Unicode scalar values, which is what SARIF's
//! `unicodeCodePoints` column kind, GitHub annotations and most editors expect.

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line, and character counts at fixed byte
/// intervals, built once per file: a column costs at most one block's scan,
/// not the whole line's, so positions on a minified one-line export stay
/// cheap however many findings it has.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before each [`BLOCK`]-byte block.
    block_chars: Vec<usize>,
}

/// Bytes per block of [`LineIndex::block_chars`].
const BLOCK: usize = 1024;

/// Whether a byte starts a character (is not a UTF-8 continuation byte).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
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
        let mut block_chars = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut chars = 0;
        for block in text.as_bytes().chunks(BLOCK) {
            block_chars.push(chars);
            chars += block.iter().filter(|&&b| starts_char(b)).count();
        }
        block_chars.push(chars);
        LineIndex { starts, block_chars }
    }

    /// Characters in `text[..offset]` (offsets inside a UTF-8 sequence count
    /// the partial character).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        let base = self.block_chars.get(block).copied().unwrap_or(0);
        base + text.as_bytes()[block * BLOCK..offset]
            .iter()
            .filter(|&&b| starts_char(b))
            .count()
    }

    /// Offsets past the end clamp to the end; offsets inside a UTF-8
    /// sequence count the partial character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = if offset - start <= BLOCK {
            text.as_bytes()[start..offset]
                .iter()
                .filter(|&&b| starts_char(b))
                .count()
                + 1
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start) + 1
        };
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

    #[test]
    fn columns_on_a_long_line_count_characters_across_blocks() {
        let text = format!("a\n{}", "é1".repeat(5000));
        let idx = LineIndex::new(&text);
        for offset in [2, 5, 2 + 3 * 1000, 2 + 3 * 4999 + 2, text.len()] {
            let expected = text[2..offset].chars().count() + 1;
            assert_eq!(
                idx.line_col(&text, offset),
                LineCol {
                    line: 2,
                    column: expected
                },
                "{offset}"
            );
        }
    }
}
